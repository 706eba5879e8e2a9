// Regenerates the TextMate grammars from the estimate kernel's tables: npx tsx syntaxes/generate.ts (from the repository root).
// test/unit/examples/grammars.test.ts fails when a unit, built-in or function is missing from them.
import { writeFileSync } from 'node:fs';
import { builtinUnitNames, MAGNITUDES } from '../src/kernels/estimate/units';
import { CONSTANTS, FUNCTIONS } from '../src/kernels/estimate/builtins';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alt = (xs: string[]) =>
  [...new Set(xs)]
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .map(esc)
    .join('|');
const units = alt(builtinUnitNames());
const words = [...MAGNITUDES.keys()].filter((k) => /^[a-z]{4,}$/.test(k));
const consts = alt([...CONSTANTS.keys()].filter((k) => !words.includes(k)));
const fns = alt([...(FUNCTIONS as Map<string, unknown>).keys()]);
const NUM = '(?<![\\w.])(?:\\d[\\d_]*(?:\\.\\d+)?|\\.\\d+)(?:[eE][-+]?\\d+)?';
const estimate = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Estimate',
  scopeName: 'source.sdnb-estimate',
  comment: 'Generated from the estimate kernel (units, built-ins, functions); test/unit/examples/grammars.test.ts keeps it in step.',
  patterns: [{ include: '#comment' }, { include: '#unit-declaration' }, { include: '#assignment' }, { include: '#expression' }],
  repository: {
    comment: {
      match: '(#).*$',
      name: 'comment.line.number-sign.estimate',
      captures: { '1': { name: 'punctuation.definition.comment.estimate' } },
    },
    'unit-declaration': {
      match: '^\\s*(unit)\\s+([A-Za-z_µμ][\\wµμ]*)',
      captures: { '1': { name: 'keyword.other.unit-declaration.estimate' }, '2': { name: 'entity.name.type.unit.estimate' } },
    },
    assignment: {
      match: '^\\s*([A-Za-z_µμ][\\wµμ]*)\\s*(=)(?!=)',
      captures: { '1': { name: 'variable.other.definition.estimate' }, '2': { name: 'keyword.operator.assignment.estimate' } },
    },
    expression: {
      patterns: [
        { include: '#comment' },
        { include: '#conversion' },
        { include: '#function' },
        { include: '#constant' },
        { include: '#currency-prefix' },
        { include: '#quantity' },
        { include: '#unit' },
        { include: '#operator' },
        { include: '#variable' },
      ],
    },
    conversion: { match: '(->|→)|\\b(to|in)\\b', name: 'keyword.operator.conversion.estimate' },
    function: { match: `\\b(${fns})(?=\\s*\\()`, name: 'support.function.estimate' },
    constant: { match: `\\b(${consts})\\b`, name: 'support.constant.estimate' },
    'currency-prefix': {
      comment: 'A currency symbol before a number: $0.34/hour.',
      match: '[$€£](?=\\.?\\d)',
      name: 'keyword.other.unit.estimate',
    },
    quantity: {
      comment: 'A number with its magnitude (100M, 2bn, 3 million), an optional percent and units (20 req/user/day).',
      match: `(${NUM})(?:(k|K|M|bn)(?![A-Za-z])|\\s*\\b(${words.join('|')})\\b)?(%)?(?:\\s*((?:${units})(?![\\w])(?:\\s*(?:/|\\bper\\b)\\s*(?:${units})(?![\\w])|\\^-?\\d+)*))?`,
      captures: {
        '1': { name: 'constant.numeric.estimate' },
        '2': { name: 'constant.numeric.magnitude.estimate' },
        '3': { name: 'constant.numeric.magnitude.estimate' },
        '4': { name: 'keyword.operator.percent.estimate' },
        '5': { name: 'keyword.other.unit.estimate' },
      },
    },
    // A unit after `/`, `per` or a conversion arrow (units right after a number are part of `quantity`).
    unit: {
      match: `(?<=/|->|→|\\sto|\\sin|\\sper)\\s*(/?(?:${units})(?![\\w])(?:\\s*(?:/|\\bper\\b)\\s*(?:${units})(?![\\w])|\\^-?\\d+)*)`,
      captures: { '1': { name: 'keyword.other.unit.estimate' } },
    },
    operator: { match: '\\*\\*|[-+*/^%×·÷]|\\bper\\b', name: 'keyword.operator.arithmetic.estimate' },
    variable: { match: '[A-Za-z_µμ][\\wµμ]*', name: 'variable.other.estimate' },
  },
};
writeFileSync('syntaxes/estimate.tmLanguage.json', JSON.stringify(estimate, null, 2) + '\n');

const KEY = '[A-Za-z_][\\w.-]*|"[^"]*"|\'[^\']*\'';
function model(id: 'gateway' | 'kafka', title: string) {
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: title,
    scopeName: `source.sdnb-${id}`,
    comment:
      'YAML (the subset model cells use) with estimate expressions highlighted in values: quantities with units, built-ins, functions and operators come from source.sdnb-estimate.',
    patterns: [
      { include: '#comment' },
      { include: '#document' },
      { include: '#block-scalar' },
      { include: '#key' },
      { include: '#sequence' },
      { include: '#value' },
    ],
    repository: {
      comment: {
        match: '(?:^|(?<=\\s))(#).*$',
        name: 'comment.line.number-sign.yaml',
        captures: { '1': { name: 'punctuation.definition.comment.yaml' } },
      },
      document: { match: '^(---|\\.\\.\\.)\\s*$', name: 'entity.other.document.yaml' },
      key: {
        match: `(?<![^\\s{,\\[])(${KEY})\\s*(:)(?=\\s|$)`,
        captures: { '1': { name: 'entity.name.tag.yaml' }, '2': { name: 'punctuation.separator.key-value.mapping.yaml' } },
      },
      'block-scalar': {
        comment:
          'A literal (|) or folded (>) block scalar: the text lines after `key: |` are one string. Their indentation is that of the first of them (as YAML detects it);' +
          ' the scalar ends at a line indented less than that, or not more than the key line. A blank first line ends it early (vscode-textmate carries \\G only over the line the begin consumed).',
        begin: `^([ ]*)(?:(-)[ ]+)?(?:(${KEY})[ \\t]*(:)[ \\t]+)?([|>])([1-9][-+]?|[-+][1-9]?)?[ \\t]*(?:((#).*))?$\\n?`,
        beginCaptures: {
          '2': { name: 'punctuation.definition.block.sequence.item.yaml' },
          '3': { name: 'entity.name.tag.yaml' },
          '4': { name: 'punctuation.separator.key-value.mapping.yaml' },
          '5': { name: 'keyword.control.flow.block-scalar.yaml' },
          '6': { name: 'storage.modifier.chomping-indicator.yaml' },
          '7': { name: 'comment.line.number-sign.yaml' },
          '8': { name: 'punctuation.definition.comment.yaml' },
        },
        end: '^(?![ \\t]*$|\\1[ ])|(?!\\G)',
        patterns: [{ begin: '^([ ]+)(?=\\S)', end: '^(?![ \\t]*$|\\1)', name: 'string.unquoted.block.yaml' }],
      },
      sequence: { match: '^\\s*(-)(?=\\s|$)', captures: { '1': { name: 'punctuation.definition.block.sequence.item.yaml' } } },
      value: {
        patterns: [
          { include: '#string' },
          { include: '#timestamp' },
          { include: '#path' },
          { include: '#language-constant' },
          { include: '#flow' },
          { include: 'source.sdnb-estimate#function' },
          { include: 'source.sdnb-estimate#constant' },
          { include: 'source.sdnb-estimate#quantity' },
          { include: 'source.sdnb-estimate#conversion' },
          { include: 'source.sdnb-estimate#operator' },
          { include: '#plain' },
        ],
      },
      string: {
        patterns: [
          // A quote opens a string only where a scalar starts (after a space, a flow indicator or at the line start):
          // the apostrophe in `name: don't retry` is part of the plain scalar, not a string that runs on over the lines below.
          {
            begin: '(?<![^\\s\\[{,])"',
            end: '"',
            name: 'string.quoted.double.yaml',
            patterns: [{ match: '\\\\.', name: 'constant.character.escape.yaml' }],
          },
          // '' is an escaped quote, not the end and a new string: the end must not take the first of the pair.
          {
            begin: "(?<![^\\s\\[{,])'",
            end: "'(?!')",
            name: 'string.quoted.single.yaml',
            patterns: [{ match: "''", name: 'constant.character.escape.yaml' }],
          },
        ],
      },
      timestamp: {
        match: '(?<![\\w-])\\d{4}-\\d{2}-\\d{2}(?:[Tt ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[-+]\\d{2}:?\\d{2})?)?(?![\\w-])',
        name: 'constant.other.timestamp.yaml',
      },
      path: { match: '(?<![^\\s\\[,])(?:https?://[^\\s,\\]}]+|/[\\w{}.*~%:/-]*)', name: 'string.unquoted.path.yaml' },
      'language-constant': { match: '(?<![\\w-])(true|false|null|~)(?![\\w-])', name: 'constant.language.yaml' },
      flow: { match: '[{}\\[\\],]', name: 'punctuation.definition.flow.yaml' },
      plain: { match: '[A-Za-z_][\\w.:-]*', name: 'string.unquoted.plain.yaml' },
    },
  };
}
writeFileSync('syntaxes/gateway.tmLanguage.json', JSON.stringify(model('gateway', 'Gateway model'), null, 2) + '\n');
writeFileSync('syntaxes/kafka.tmLanguage.json', JSON.stringify(model('kafka', 'Kafka model'), null, 2) + '\n');
