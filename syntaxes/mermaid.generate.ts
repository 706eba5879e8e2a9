// Generates the mermaid TextMate grammar from mermaid's own keyword lists: the lexer rules of its
// Jison parsers (mermaid/dist/chunks) and the keywords of its Langium grammars (@mermaid-js/parser).
// Each diagram type gets its own keywords, from the header line (`sequenceDiagram`, `gitGraph`, …) to
// the end of the cell. `npx tsx syntaxes/mermaid.generate.ts` rewrites syntaxes/mermaid.tmLanguage.json
// and syntaxes/mermaid.injection.tmLanguage.json (```mermaid fences in markdown);
// test/unit/mermaid/grammar.test.ts fails when the installed mermaid's lists and the committed grammar differ.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGRAM_KEYWORDS } from '../src/kernels/mermaid/diagramTypes';

interface Lexicon {
  /** Header keywords that start this diagram type. */
  headers: Set<string>;
  keywords: Set<string>;
  /** Arrows and links, exactly as the lexer matches them. */
  arrows: Set<string>;
  caseInsensitive: boolean;
}

const HEADERS = new Set(DIAGRAM_KEYWORDS);
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Longest first, so `-->>` is tried before `-->`. */
const alt = (xs: Iterable<string>) =>
  [...new Set(xs)]
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .map((w) => esc(w).replace(/ /g, '\\s+'))
    .join('|');

/** Keywords of the Jison lexers: rules that start with a literal word (`participant\b`, `left of\b`, `accTitle\s*:`). */
function jisonLexicons(root: string): Lexicon[] {
  const dir = join(root, 'mermaid', 'dist', 'chunks', 'mermaid.core');
  const out: Lexicon[] = [];
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .sort()) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/rules: \[(.*)\],\n/g)) {
      const lex: Lexicon = { headers: new Set(), keywords: new Set(), arrows: new Set(), caseInsensitive: true };
      for (const [, rule] of m[1].matchAll(/\/\^\(\?:((?:\\.|[^\\\n])*?)\)\/i?(?=, |$)/g)) {
        const word = /^([A-Za-z][\w-]*(?: [a-z]+)?)(?:\\b|\\s|\(\?=|:|$)/.exec(rule)?.[1];
        if (word && word.length > 1) (HEADERS.has(word) ? lex.headers : lex.keywords).add(word);
        const literal = rule.replace(/\\(.)/g, '$1');
        if (/^[-=.<>|*+ox()/\\]{2,}$/.test(literal) && /[-=.]{1,}/.test(literal) && !/^[()]|[()]$/.test(literal)) lex.arrows.add(literal);
      }
      if (lex.headers.size) out.push(lex);
    }
  }
  return out;
}

/** Keywords of the Langium grammars (architecture, gitGraph, pie, packet, radar, treemap, …). */
function langiumLexicons(root: string): Lexicon[] {
  const dir = join(root, '@mermaid-js', 'parser', 'dist', 'chunks', 'mermaid-parser.core');
  const out: Lexicon[] = [];
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .sort()) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const [, literal] of text.matchAll(/loadGrammarFromJson\(`((?:\\.|[^`\\])*)`\)/g)) {
      // The grammar is JSON in a template literal: undo the literal's escapes, then parse.
      const json = JSON.parse(literal.replace(/\\([`$\\])/g, '$1')) as unknown;
      const lex: Lexicon = { headers: new Set(), keywords: new Set(), arrows: new Set(), caseInsensitive: false };
      const walk = (n: unknown): void => {
        if (!n || typeof n !== 'object') return;
        const node = n as { $type?: string; value?: unknown };
        if (node.$type === 'Keyword' && typeof node.value === 'string') {
          const word = node.value.replace(/:$/, '');
          if (HEADERS.has(word)) lex.headers.add(word);
          else if (/^[A-Za-z][\w-]+$/.test(word) && !/^(true|false)$/.test(word)) lex.keywords.add(word);
        }
        for (const v of Object.values(n)) walk(v);
      };
      walk(json);
      if (lex.headers.size) out.push(lex);
    }
  }
  return out;
}

/** Flowchart-like diagrams whose nodes carry labels in brackets: `a[Label]`, `db[(Orders)]`, `b{Decision}`. */
const BRACKET_LABELS = new Set([
  'flowchart',
  'graph',
  'flowchart-elk',
  'block-beta',
  'swimlane-beta',
  'agentflow-beta',
  'mindmap',
  'kanban',
]);

export function mermaidGrammar(root = 'node_modules'): { grammar: object; injection: object } {
  const lexicons = [...jisonLexicons(root), ...langiumLexicons(root)];
  const repository: Record<string, object> = {
    'front-matter': {
      comment: 'YAML front matter before the diagram (title, config): only the top level, before the header, sees this rule.',
      begin: '^\\s*(---)\\s*$',
      end: '^\\s*(---)\\s*$',
      beginCaptures: { '1': { name: 'punctuation.definition.front-matter.mermaid' } },
      endCaptures: { '1': { name: 'punctuation.definition.front-matter.mermaid' } },
      contentName: 'meta.embedded.block.yaml',
      patterns: [{ include: 'source.yaml' }],
    },
    directive: {
      begin: '%%\\{',
      end: '\\}%%',
      name: 'meta.directive.mermaid',
      beginCaptures: { '0': { name: 'punctuation.definition.directive.mermaid' } },
      endCaptures: { '0': { name: 'punctuation.definition.directive.mermaid' } },
      patterns: [{ include: '#string' }, { match: '\\b\\w+(?=\\s*:)', name: 'entity.name.tag.mermaid' }],
    },
    comment: { match: '%%(?!\\{).*$', name: 'comment.line.percentage.mermaid' },
    string: { begin: '"', end: '"', name: 'string.quoted.double.mermaid' },
    'edge-label': {
      match: '(\\|)([^|]*)(\\|)',
      captures: {
        '1': { name: 'punctuation.separator.mermaid' },
        '2': { name: 'string.unquoted.label.mermaid' },
        '3': { name: 'punctuation.separator.mermaid' },
      },
    },
    'node-label': {
      comment: 'A node label in brackets after its id: a[…], a(…), a{…}, a[(…)], a((…)), a>…].',
      match:
        '(?<=[\\w)\\]}])(\\[\\[|\\[\\(|\\(\\[|\\(\\(\\(|\\(\\(|\\{\\{|\\[/|\\[\\\\|\\[|\\(|\\{|>)("[^"]*"|[^\\]\\)\\}"]*)(\\]\\]|\\)\\]|\\]\\)|\\)\\)\\)|\\)\\)|\\}\\}|/\\]|\\\\\\]|\\]|\\)|\\})',
      captures: {
        '1': { name: 'punctuation.definition.label.mermaid' },
        '2': { name: 'string.unquoted.label.mermaid' },
        '3': { name: 'punctuation.definition.label.mermaid' },
      },
    },
    message: {
      comment: 'The text after `:` on a sequence or state line.',
      match: '(:)\\s*(.*)$',
      captures: { '1': { name: 'punctuation.separator.mermaid' }, '2': { name: 'string.unquoted.message.mermaid' } },
    },
    link: {
      comment:
        'Flowchart, state, class and ER links: -->, ---, -.->, ==>, --x, <-->, --o, ~~~, ..>, <|--, *--, o--, }|--|{ and labels inside --text-->.',
      match: '(?:<<|<\\||\\}[o|]|\\|[o|]|[<xo*])?(?:-{2,}|={2,}|-\\.+-?|\\.{2,}|~{3,})(?:>>|\\|>|[o|]\\{|[o|]\\||[>xo*])?',
      name: 'keyword.operator.arrow.mermaid',
    },
    number: { match: '(?<![\\w.-])-?\\d+(?:\\.\\d+)?%?(?![\\w.])', name: 'constant.numeric.mermaid' },
    boolean: { match: '(?<![\\w-])(true|false)(?![\\w-])', name: 'constant.language.mermaid' },
    direction: { match: '(?<![\\w-])(TB|TD|BT|RL|LR)(?![\\w-])', name: 'constant.language.direction.mermaid' },
  };
  const diagrams: { include: string }[] = [];
  lexicons.forEach((lex, i) => {
    const id = `diagram-${[...lex.headers].sort()[0].toLowerCase()}`;
    const key = repository[id] ? `${id}-${i}` : id;
    const patterns: object[] = [{ include: '#comment' }, { include: '#directive' }, { include: '#string' }];
    if ([...lex.headers].some((h) => BRACKET_LABELS.has(h))) patterns.push({ include: '#edge-label' }, { include: '#node-label' });
    if (lex.headers.has('sequenceDiagram') || lex.headers.has('stateDiagram')) patterns.push({ include: '#message' });
    if (lex.arrows.size) patterns.push({ match: alt(lex.arrows), name: 'keyword.operator.arrow.mermaid' });
    patterns.push({ include: '#link' });
    if (lex.keywords.size)
      patterns.push({
        match: `${lex.caseInsensitive ? '(?i)' : ''}(?<![\\w-])(${alt(lex.keywords)})(?![\\w-])`,
        name: 'keyword.other.mermaid',
      });
    patterns.push({ include: '#direction' }, { include: '#boolean' }, { include: '#number' });
    repository[key] = {
      comment: `${[...lex.headers].join(', ')}: keywords from mermaid's ${lex.caseInsensitive ? 'Jison lexer' : 'Langium grammar'}.`,
      begin: `^\\s*(${alt(lex.headers)})(?![\\w-])`,
      beginCaptures: { '1': { name: 'keyword.control.diagram.mermaid' } },
      // A cell holds one diagram: its keywords apply to the end.
      end: '(?!)',
      patterns,
    };
    diagrams.push({ include: `#${key}` });
  });
  const grammar = {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Mermaid',
    scopeName: 'source.mermaid',
    comment: `Generated by syntaxes/mermaid.generate.ts from mermaid's keyword lists (${lexicons.length} diagram grammars); do not edit.`,
    patterns: [{ include: '#front-matter' }, { include: '#comment' }, { include: '#directive' }, ...diagrams, { include: '#string' }],
    repository,
  };
  const injection = {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    scopeName: 'markdown.mermaid.codeblock',
    comment: 'Highlights ```mermaid fences in markdown (cells and files) with source.mermaid.',
    injectionSelector: 'L:text.html.markdown',
    patterns: [{ include: '#mermaid-fence' }],
    repository: {
      'mermaid-fence': {
        begin: '(^|\\G)(\\s*)(`{3,}|~{3,})\\s*(?i:(mermaid)(\\s+[^`~]*)?$)',
        beginCaptures: {
          '3': { name: 'punctuation.definition.markdown' },
          '4': { name: 'fenced_code.block.language.markdown' },
          '5': { name: 'fenced_code.block.language.attributes.markdown' },
        },
        end: '(^|\\G)(\\2|\\s{0,3})(\\3)\\s*$',
        endCaptures: { '3': { name: 'punctuation.definition.markdown' } },
        name: 'markup.fenced_code.block.markdown',
        patterns: [
          {
            begin: '(^|\\G)(\\s*)(.*)',
            while: '(^|\\G)(?!\\s*([`~]{3,})\\s*$)',
            contentName: 'meta.embedded.block.mermaid',
            patterns: [{ include: 'source.mermaid' }],
          },
        ],
      },
    },
  };
  return { grammar, injection };
}

if (process.argv[1]?.endsWith('mermaid.generate.ts')) {
  const { grammar, injection } = mermaidGrammar();
  writeFileSync('syntaxes/mermaid.tmLanguage.json', JSON.stringify(grammar, null, 2) + '\n');
  writeFileSync('syntaxes/mermaid.injection.tmLanguage.json', JSON.stringify(injection, null, 2) + '\n');
}
