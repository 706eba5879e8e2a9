// The TextMate grammars and language configurations: well-formed, in step with the estimate kernel,
// and scoping sample lines and whole example cells as intended. Tokenized with the engine VS Code uses:
// vscode-textmate over Oniguruma (onig.wasm), line by line with the rule stack carried across lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tm from 'vscode-textmate';
import * as onig from 'vscode-oniguruma';
import { builtinUnitNames } from '../../../src/kernels/estimate/units';
import { CONSTANTS, FUNCTIONS } from '../../../src/kernels/estimate/builtins';

interface Rule {
  include?: string;
  match?: string;
  name?: string;
  begin?: string;
  end?: string;
  while?: string;
  patterns?: Rule[];
}
interface RawGrammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const FILES: Record<string, string> = { 'source.sdnb-estimate': 'estimate', 'source.sdnb-gateway': 'gateway', 'source.sdnb-kafka': 'kafka' };
const path = (scope: string) => `syntaxes/${FILES[scope]}.tmLanguage.json`;
const raw = (scope: string) => JSON.parse(readFileSync(path(scope), 'utf8')) as RawGrammar;

const wasm = readFileSync('node_modules/vscode-oniguruma/release/onig.wasm');
const onigReady = onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
const registry = new tm.Registry({
  onigLib: onigReady.then(() => ({ createOnigScanner: (p: string[]) => onig.createOnigScanner(p), createOnigString: (s: string) => onig.createOnigString(s) })),
  loadGrammar: async (scope) => (FILES[scope] ? tm.parseRawGrammar(readFileSync(path(scope), 'utf8'), path(scope)) : null),
});
const loaded = new Map<string, Promise<tm.IGrammar>>();
function grammar(scope: string): Promise<tm.IGrammar> {
  if (!loaded.has(scope)) loaded.set(scope, registry.loadGrammar(scope).then((g) => (assert.ok(g, scope), g!)));
  return loaded.get(scope)!;
}

/**
 * Tokens of each line as `text:scope`, scope being the innermost one below the root with its `.estimate`/`.yaml`
 * suffix dropped (so a capture inside a named match reports the capture's scope). Adjacent tokens with the same
 * scopes are joined (a string's quotes and body are one token), text is trimmed, and text with only the root
 * scope (spaces, parentheses) is left out. The rule stack is carried from line to line, as in the editor.
 */
async function tokenizeLines(scope: string, text: string): Promise<{ lines: string[][]; depths: number[] }> {
  const g = await grammar(scope);
  let stack = tm.INITIAL;
  const lines: string[][] = [];
  const depths: number[] = [];
  for (const line of text.split('\n')) {
    const r = g.tokenizeLine(line, stack);
    assert.ok(!r.stoppedEarly, line);
    const merged: { text: string; scopes: string[] }[] = [];
    for (const t of r.tokens) {
      const last = merged.at(-1);
      const s = line.slice(t.startIndex, t.endIndex);
      if (last && last.scopes.join(' ') === t.scopes.join(' ')) last.text += s;
      else merged.push({ text: s, scopes: t.scopes });
    }
    lines.push(merged.filter((t) => t.scopes.length > 1 && t.text.trim() !== '').map((t) => `${t.text.trim()}:${t.scopes.at(-1)!.replace(/\.(estimate|yaml)$/, '')}`));
    stack = r.ruleStack;
    depths.push(stack.depth);
  }
  return { lines, depths };
}
const tokenize = async (scope: string, line: string) => (await tokenizeLines(scope, line)).lines[0];

/** Every match/begin/end/while regex of a grammar; in end and while, backreferences to the begin become empty text, as vscode-textmate fills a capture that took no part. */
function regexes(g: RawGrammar): string[] {
  const out: string[] = [];
  const walk = (r: Rule) => {
    for (const re of [r.match, r.begin]) if (re) out.push(re);
    for (const re of [r.end, r.while]) if (re) out.push(re.replace(/\\(\d+)/g, ''));
    for (const p of r.patterns ?? []) walk(p);
  };
  for (const r of [...g.patterns, ...Object.values(g.repository)]) walk(r);
  return out;
}

test('grammars: every regex compiles with Oniguruma and as a JavaScript RegExp', async () => {
  await onigReady;
  for (const scope of Object.keys(FILES)) {
    for (const re of regexes(raw(scope))) {
      assert.doesNotThrow(() => onig.createOnigScanner([re]).dispose(), `Oniguruma: ${re}`);
      // \G (the end of the begin match) has no JavaScript counterpart; the rest must be portable (Monaco, Shiki's JS engine).
      assert.doesNotThrow(() => new RegExp(re.replace(/\\G/g, ''), 'u'), `JavaScript: ${re}`);
    }
  }
});

test('estimate grammar: knows every unit, built-in and function of the kernel', async () => {
  const units = [...builtinUnitNames()];
  const { lines } = await tokenizeLines('source.sdnb-estimate', units.map((u) => `y = 3 ${u} -> ${u}`).join('\n'));
  units.forEach((u, i) => assert.deepEqual(lines[i], ['y:variable.other.definition', '=:keyword.operator.assignment', '3:constant.numeric', `${u}:keyword.other.unit`, '->:keyword.operator.conversion', `${u}:keyword.other.unit`], u));
  const consts = [...CONSTANTS.keys()].filter((c) => !/^(thousand|million|billion|trillion)$/.test(c));
  for (const c of consts) assert.ok((await tokenize('source.sdnb-estimate', `y = ${c}`)).includes(`${c}:support.constant`), c);
  for (const f of (FUNCTIONS as Map<string, unknown>).keys()) assert.ok((await tokenize('source.sdnb-estimate', `y = ${f}(1)`)).includes(`${f}:support.function`), f);
});

test('estimate grammar: names, quantities, units, conversions, built-ins and comments', async () => {
  const t = (line: string) => tokenize('source.sdnb-estimate', line);
  assert.deepEqual(await t('qps = dau * 20 req/user/day -> req/s  # avg'), [
    'qps:variable.other.definition',
    '=:keyword.operator.assignment',
    'dau:variable.other',
    '*:keyword.operator.arithmetic',
    '20:constant.numeric',
    'req/user/day:keyword.other.unit',
    '->:keyword.operator.conversion',
    'req/s:keyword.other.unit',
    '#:punctuation.definition.comment',
    'avg:comment.line.number-sign',
  ]);
  assert.deepEqual(await t('n = ceil(peak / 5k req/s) + rtt_dc'), [
    'n:variable.other.definition',
    '=:keyword.operator.assignment',
    'ceil:support.function',
    'peak:variable.other',
    '/:keyword.operator.arithmetic',
    '5:constant.numeric',
    'k:constant.numeric.magnitude',
    'req/s:keyword.other.unit',
    '+:keyword.operator.arithmetic',
    'rtt_dc:support.constant',
  ]);
  assert.deepEqual(await t('unit photo'), ['unit:keyword.other.unit-declaration', 'photo:entity.name.type.unit']);
  // Money (a currency symbol before a number is a unit too), request rates, a power before its units.
  assert.deepEqual(await t('cost = n * $0.34/hour -> $/month'), [
    'cost:variable.other.definition',
    '=:keyword.operator.assignment',
    'n:variable.other',
    '*:keyword.operator.arithmetic',
    '$:keyword.other.unit',
    '0.34:constant.numeric',
    '/:keyword.operator.arithmetic',
    'hour:keyword.other.unit',
    '->:keyword.operator.conversion',
    '$/month:keyword.other.unit',
  ]);
  assert.deepEqual(await t('s3 = 0.023 USD/GB/month * 5k QPS'), [
    's3:variable.other.definition',
    '=:keyword.operator.assignment',
    '0.023:constant.numeric',
    'USD/GB/month:keyword.other.unit',
    '*:keyword.operator.arithmetic',
    '5:constant.numeric',
    'k:constant.numeric.magnitude',
    'QPS:keyword.other.unit',
  ]);
  assert.deepEqual(await t('b = €5 + 2^3 EUR + fx * £3'), [
    'b:variable.other.definition',
    '=:keyword.operator.assignment',
    '€:keyword.other.unit',
    '5:constant.numeric',
    '+:keyword.operator.arithmetic',
    '2:constant.numeric',
    '^:keyword.operator.arithmetic',
    '3:constant.numeric',
    'EUR:keyword.other.unit',
    '+:keyword.operator.arithmetic',
    'fx:variable.other',
    '*:keyword.operator.arithmetic',
    '£:keyword.other.unit',
    '3:constant.numeric',
  ]);
  assert.deepEqual(await t('x = 300M users * 50%'), [
    'x:variable.other.definition',
    '=:keyword.operator.assignment',
    '300:constant.numeric',
    'M:constant.numeric.magnitude',
    'users:keyword.other.unit',
    '*:keyword.operator.arithmetic',
    '50:constant.numeric',
    '%:keyword.operator.percent',
  ]);
  // A comment after a value, and the line after it is not swallowed.
  const { lines } = await tokenizeLines('source.sdnb-estimate', 'cache = 20% * read_qps  # 80/20 rule\nkey_space = 62^7');
  assert.deepEqual(lines, [
    ['cache:variable.other.definition', '=:keyword.operator.assignment', '20:constant.numeric', '%:keyword.operator.percent', '*:keyword.operator.arithmetic', 'read_qps:variable.other', '#:punctuation.definition.comment', '80/20 rule:comment.line.number-sign'],
    ['key_space:variable.other.definition', '=:keyword.operator.assignment', '62:constant.numeric', '^:keyword.operator.arithmetic', '7:constant.numeric'],
  ]);
});

const KEY = 'punctuation.separator.key-value.mapping';
for (const scope of ['source.sdnb-gateway', 'source.sdnb-kafka']) {
  const t = (line: string) => tokenize(scope, line);
  test(`${scope}: YAML keys, lists, flow maps, strings, paths and estimate expressions in values`, async () => {
    assert.deepEqual(await t('    latency: { dist: exponential, mean: 20 ms }  # p50'), [
      'latency:entity.name.tag',
      `::${KEY}`,
      '{:punctuation.definition.flow',
      'dist:entity.name.tag',
      `::${KEY}`,
      'exponential:string.unquoted.plain',
      ',:punctuation.definition.flow',
      'mean:entity.name.tag',
      `::${KEY}`,
      '20:constant.numeric',
      'ms:keyword.other.unit',
      '}:punctuation.definition.flow',
      '#:punctuation.definition.comment',
      'p50:comment.line.number-sign',
    ]);
    assert.deepEqual(await t('  - path: /v1/users/{id}'), ['-:punctuation.definition.block.sequence.item', 'path:entity.name.tag', `::${KEY}`, '/v1/users/{id}:string.unquoted.path']);
    assert.deepEqual(await t('  rate: 2 * peak_qps'), ['rate:entity.name.tag', `::${KEY}`, '2:constant.numeric', '*:keyword.operator.arithmetic', 'peak_qps:string.unquoted.plain']);
    assert.deepEqual(await t('sunset: 2026-01-01T00:00:30Z'), ['sunset:entity.name.tag', `::${KEY}`, '2026-01-01T00:00:30Z:constant.other.timestamp']);
    assert.deepEqual(await t('    value: "balance=100"'), ['value:entity.name.tag', `::${KEY}`, '"balance=100":string.quoted.double']);
  });

  test(`${scope}: constructs that span lines`, async () => {
    const lines = async (text: string) => (await tokenizeLines(scope, text)).lines;
    // An apostrophe inside a plain scalar opens no string (it used to, and the string ran on over the rest of the cell).
    assert.deepEqual(await lines("  - name: don't retry\n    timeout: 2 s"), [
      ['-:punctuation.definition.block.sequence.item', 'name:entity.name.tag', `::${KEY}`, 'don:string.unquoted.plain', 't:string.unquoted.plain', 'retry:string.unquoted.plain'],
      ['timeout:entity.name.tag', `::${KEY}`, '2:constant.numeric', 's:keyword.other.unit'],
    ]);
    // A quoted string may span lines (YAML folds it); what looks like a key inside it is not one.
    assert.deepEqual(await lines('    value: "a long\n      value: still the string"\n    key: k1'), [
      ['value:entity.name.tag', `::${KEY}`, '"a long:string.quoted.double'],
      ['value: still the string":string.quoted.double'],
      ['key:entity.name.tag', `::${KEY}`, 'k1:string.unquoted.plain'],
    ]);
    assert.deepEqual(await lines("  note: 'it''s\n    two lines'  # c"), [
      ['note:entity.name.tag', `::${KEY}`, "'it:string.quoted.single", "'':constant.character.escape", 's:string.quoted.single'],
      ["two lines':string.quoted.single", '#:punctuation.definition.comment', 'c:comment.line.number-sign'],
    ]);
    // A flow map over several lines: keys on the continuation lines are still keys.
    assert.deepEqual(await lines('    latency: {\n      dist: lognormal,  # shape\n      mean: 12 ms }'), [
      ['latency:entity.name.tag', `::${KEY}`, '{:punctuation.definition.flow'],
      ['dist:entity.name.tag', `::${KEY}`, 'lognormal:string.unquoted.plain', ',:punctuation.definition.flow', '#:punctuation.definition.comment', 'shape:comment.line.number-sign'],
      ['mean:entity.name.tag', `::${KEY}`, '12:constant.numeric', 'ms:keyword.other.unit', '}:punctuation.definition.flow'],
    ]);
    // Block scalars: the text lines are one string, whatever they look like; the scalar ends where the indentation drops.
    const block = await tokenizeLines(scope, '      - key: k1\n        value: |-  # json\n          {"id": 1,\n\n           "note": a: b}\n        partition: 0\n  - |\n    text\nnext: 1');
    assert.deepEqual(block.lines, [
      ['-:punctuation.definition.block.sequence.item', 'key:entity.name.tag', `::${KEY}`, 'k1:string.unquoted.plain'],
      ['value:entity.name.tag', `::${KEY}`, '|:keyword.control.flow.block-scalar', '-:storage.modifier.chomping-indicator', '#:punctuation.definition.comment', 'json:comment.line.number-sign'],
      ['{"id": 1,:string.unquoted.block'],
      [],
      ['"note": a: b}:string.unquoted.block'],
      ['partition:entity.name.tag', `::${KEY}`, '0:constant.numeric'],
      ['-:punctuation.definition.block.sequence.item', '|:keyword.control.flow.block-scalar'],
      ['text:string.unquoted.block'],
      ['next:entity.name.tag', `::${KEY}`, '1:constant.numeric'],
    ]);
    assert.equal(block.depths.at(-1), 1, 'back at the root after the block scalar');
    // An empty block scalar: the next key at the same indentation is a key, not text.
    assert.deepEqual(await lines('    desc: >\n    partitions: 3'), [
      ['desc:entity.name.tag', `::${KEY}`, '>:keyword.control.flow.block-scalar'],
      ['partitions:entity.name.tag', `::${KEY}`, '3:constant.numeric'],
    ]);
  });
}

/** The first `lang` cell of examples/<file>.sdnb. */
function exampleCell(file: string, lang: string): string {
  const m = new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'm').exec(readFileSync(`examples/${file}.sdnb`, 'utf8'));
  assert.ok(m, `no ${lang} cell in ${file}`);
  return m![1].replace(/\n$/, '');
}

/** The text of a line's tokens with spaces dropped: equal to the line's own text (less spaces and parentheses) when nothing is left unscoped. */
const scopedText = (tokens: string[]) => tokens.map((t) => t.slice(0, t.lastIndexOf(':'))).join('').replace(/\s+/g, '');
const ownText = (line: string) => line.replace(/[\s()]+/g, '');

for (const [lang, scope, file] of [
  ['gateway', 'source.sdnb-gateway', 'rate-limiter'],
  ['kafka', 'source.sdnb-kafka', 'payments-event-sourcing'],
] as const) {
  test(`${scope}: a whole example cell (${file}) scopes every key as a key and ends every line at the root`, async () => {
    const text = exampleCell(file, lang);
    const { lines, depths } = await tokenizeLines(scope, text);
    text.split('\n').forEach((line, i) => {
      const where = `line ${i + 1}: ${line} -> ${lines[i].join(' | ')}`;
      assert.equal(depths[i], 1, `leaves a rule open, ${where}`);
      // Block keys (`key:` at the line start, after `- ` or not) and flow keys (`{ key:` / `, key:`), and nothing else, are keys.
      const keys = [...line.matchAll(/(?:^\s*(?:-\s+)?|[{,]\s*)([A-Za-z_][\w.-]*):(?=\s|$)/g)].map((k) => k[1]);
      assert.ok(keys.length > 0, where);
      assert.deepEqual(lines[i].filter((t) => t.endsWith(':entity.name.tag')).map((t) => t.slice(0, -':entity.name.tag'.length)), keys, where);
      assert.equal(scopedText(lines[i]), ownText(line), `unscoped text, ${where}`);
    });
  });
}

test('estimate grammar: a whole example cell (url-shortener) defines a name on every line and scopes every word', async () => {
  const text = exampleCell('url-shortener', 'estimate');
  const { lines, depths } = await tokenizeLines('source.sdnb-estimate', text);
  text.split('\n').forEach((line, i) => {
    const where = `line ${i + 1}: ${line} -> ${lines[i].join(' | ')}`;
    assert.equal(depths[i], 1, `leaves a rule open, ${where}`);
    const name = /^(\w+)\s*=/.exec(line)?.[1];
    assert.ok(name, where);
    assert.deepEqual(lines[i].slice(0, 2), [`${name}:variable.other.definition`, '=:keyword.operator.assignment'], where);
    assert.equal(scopedText(lines[i]), ownText(line), `unscoped text, ${where}`);
  });
});

test('language configurations: # comments, brackets and auto-closing pairs', () => {
  for (const id of ['estimate', 'gateway', 'kafka']) {
    const c = JSON.parse(readFileSync(`language-configuration/${id}.json`, 'utf8'));
    assert.equal(c.comments.lineComment, '#');
    assert.ok(c.brackets.some((b: string[]) => b[0] === '('));
    assert.ok(c.autoClosingPairs.some((p: { open: string }) => p.open === '('));
    new RegExp(c.wordPattern, 'u');
    if (id !== 'estimate') {
      assert.ok(c.brackets.some((b: string[]) => b[0] === '{') && c.brackets.some((b: string[]) => b[0] === '['));
      assert.match('  services:', new RegExp(c.indentationRules.increaseIndentPattern));
      assert.match('  - name: x', new RegExp(c.onEnterRules[1].beforeText));
    }
  }
});
