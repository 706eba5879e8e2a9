import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CellData,
  Flavour,
  NotebookData,
  NotebookReadError,
  parseNotebook,
  readNotebook,
  serializeNotebook,
  userMetadata,
  writeNotebook,
} from '../../../src/format/sdnb';

const md = (source: string, metadata?: Record<string, unknown>): CellData => ({
  kind: 'markdown',
  language: 'markdown',
  source,
  ...(metadata ? { metadata } : {}),
});
const code = (language: string, source: string, metadata?: Record<string, unknown>): CellData => ({
  kind: 'code',
  language,
  source,
  ...(metadata ? { metadata } : {}),
});

/** Cells without their layout entry: what a user sees. */
const view = (nb: NotebookData) => ({
  frontMatter: nb.metadata?.frontMatter,
  cells: nb.cells.map((c) => ({ kind: c.kind, language: c.language, source: c.source, meta: userMetadata(c) })),
});

const cases: { name: string; text: string; cells: CellData[]; frontMatter?: string }[] = [
  { name: 'empty file', text: '', cells: [] },
  { name: 'prose only', text: '# Title\n\nSome prose.\n', cells: [md('# Title\n\nSome prose.')] },
  {
    name: 'prose and an estimate cell',
    text: '# Scale\n\n```estimate\ndau = 100M users\n```\n',
    cells: [md('# Scale'), code('sdnb-estimate', 'dau = 100M users')],
  },
  {
    name: 'every cell kind',
    text: '```estimate\nx = 1\n```\n\n```mermaid\nflowchart LR\n  a --> b\n```\n\n```gateway\nroutes: []\n```\n\n```kafka\ntopics: []\n```\n',
    cells: [
      code('sdnb-estimate', 'x = 1'),
      code('mermaid', 'flowchart LR\n  a --> b'),
      code('sdnb-gateway', 'routes: []'),
      code('sdnb-kafka', 'topics: []'),
    ],
  },
  {
    name: 'front matter',
    text: '---\ntitle: URL shortener\nseed: 7\n---\n\n# Intro\n',
    frontMatter: 'title: URL shortener\nseed: 7\n',
    cells: [md('# Intro')],
  },
  {
    name: 'adjacent markdown cells are separated by a marker',
    text: 'one\n\n<!-- cell -->\ntwo\n',
    cells: [md('one'), md('two')],
  },
  {
    name: 'cell metadata in a marker',
    text: '<!-- cell {"phase":"scope"} -->\n## Scope\n\n<!-- cell {"phase":"estimates"} -->\n```estimate\nqps = 10 req/s\n```\n',
    cells: [md('## Scope', { phase: 'scope' }), code('sdnb-estimate', 'qps = 10 req/s', { phase: 'estimates' })],
  },
  {
    name: 'a code block inside markdown stays markdown',
    text: 'Example:\n\n```js\nconsole.log(1)\n```\n',
    cells: [md('Example:\n\n```js\nconsole.log(1)\n```')],
  },
  {
    name: 'a cell fence shown inside a longer markdown fence stays markdown',
    text: '````markdown\n```estimate\nx = 1\n```\n````\n',
    cells: [md('````markdown\n```estimate\nx = 1\n```\n````')],
  },
  {
    name: 'an indented cell fence is markdown',
    text: 'List:\n\n   ```estimate\n   x\n   ```\n',
    cells: [md('List:\n\n   ```estimate\n   x\n   ```')],
  },
  {
    name: 'a code cell holding a fence gets a longer fence',
    text: '````estimate\n# ```\n```\n````\n',
    cells: [code('sdnb-estimate', '# ```\n```')],
  },
  {
    name: 'empty code cell',
    text: '```kafka\n```\n',
    cells: [code('sdnb-kafka', '')],
  },
  {
    name: 'markdown that would read as a cell fence is written with its line count',
    text: '<!-- cell {"lines":3} -->\n```estimate\nx = 1\nnot closed\n',
    cells: [md('```estimate\nx = 1\nnot closed')],
  },
  {
    name: 'a code cell of another language keeps it',
    text: '<!-- cell {"language":"python"} -->\n```python\nprint(1)\n```\n',
    cells: [code('python', 'print(1)')],
  },
];

for (const c of cases) {
  test(`format: ${c.name}`, () => {
    const nb = parseNotebook(c.text);
    assert.deepEqual(
      view(nb).cells,
      c.cells.map((x) => ({ kind: x.kind, language: x.language, source: x.source, meta: x.metadata ?? {} })),
    );
    assert.equal(nb.metadata?.frontMatter, c.frontMatter);
    assert.equal(serializeNotebook(nb), c.text, 'read then write gives the same text');
    assert.equal(
      serializeNotebook({ cells: c.cells, ...(c.frontMatter !== undefined ? { metadata: { frontMatter: c.frontMatter } } : {}) }),
      c.text,
      'the cells write as the canonical text',
    );
  });
}

const layoutCases: { name: string; text: string }[] = [
  { name: 'extra blank lines', text: '# A\n\n\n\n```estimate\nx = 1\n```\n\n\n' },
  { name: 'no final newline', text: '# A\n\n```estimate\nx = 1\n```' },
  { name: 'CRLF line endings', text: '# A\r\n\r\n```estimate\r\nx = 1\r\n```\r\n' },
  { name: 'tilde fences and extra info', text: '~~~~estimate title\nx = 1\n~~~~~\n' },
  { name: 'a marker that was not needed, spaced oddly', text: '```estimate\nx\n```\n<!--   cell   -->\nprose\n' },
  { name: 'marker JSON spaced', text: '<!-- cell {"phase": "scope"} -->\nprose\n' },
  { name: 'front matter closed by dots', text: '---\ntitle: x\n...\nprose\n' },
  { name: 'whitespace-only gap lines', text: 'a\n  \n\t\n```mermaid\nflowchart LR\n```\n' },
];
for (const c of layoutCases) {
  test(`format keeps layout: ${c.name}`, () => {
    assert.equal(serializeNotebook(parseNotebook(c.text)), c.text);
  });
}

test('format: a byte order mark survives', () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('hi\n')]);
  const nb = readNotebook(bytes);
  assert.equal(nb.cells[0].source, 'hi');
  assert.deepEqual(writeNotebook(nb), bytes);
});

const errorCases: { name: string; input: string | Uint8Array; line: number; match: RegExp }[] = [
  {
    name: 'invalid UTF-8',
    input: new Uint8Array([0x61, 0x0a, 0x62, 0xff, 0x63]),
    line: 1,
    match: /not valid UTF-8 \(byte offset 3, value 0xff\)/,
  },
  { name: 'truncated UTF-8 sequence', input: new Uint8Array([0x61, 0xe2, 0x82]), line: 0, match: /byte offset 1/ },
  { name: 'UTF-16 surrogate encoded in UTF-8', input: new Uint8Array([0xed, 0xa0, 0x80]), line: 0, match: /byte offset 0/ },
  {
    name: 'unclosed cell fence',
    input: 'a\n\n```estimate\nx = 1\n',
    line: 2,
    match: /never closed. Add a closing line \x60\x60\x60 where the cell ends/,
  },
  { name: 'unclosed front matter', input: '---\ntitle: x\n', line: 0, match: /front matter opened here is never closed/ },
  { name: 'front matter that is not YAML', input: '---\ntitle: [x\n---\n', line: 2, match: /front matter is not valid YAML/ },
  { name: 'front matter that is a list', input: '---\n- a\n---\n', line: 1, match: /must be a YAML mapping/ },
  { name: 'marker with bad JSON', input: '<!-- cell {phase: 1} -->\nx\n', line: 0, match: /not valid JSON/ },
  { name: 'marker at the end', input: 'x\n\n<!-- cell -->\n', line: 2, match: /not followed by a cell/ },
  { name: 'marker followed by blank lines only', input: 'x\n<!-- cell -->\n\n\n', line: 1, match: /not followed by a cell/ },
  { name: 'marker with a bad line count', input: '<!-- cell {"lines": 5} -->\nx\n', line: 0, match: /"lines" must be a whole number/ },
];
for (const c of errorCases) {
  test(`format error: ${c.name}`, () => {
    const bytes = typeof c.input === 'string' ? new TextEncoder().encode(c.input) : c.input;
    assert.throws(
      () => readNotebook(bytes),
      (e: unknown) => e instanceof NotebookReadError && e.line === c.line && c.match.test(e.message),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Properties

const alphabet = [
  'a',
  'b',
  ' ',
  '\n',
  '`',
  '```',
  '````',
  '~~~',
  '```estimate',
  '```js',
  '<!-- cell -->',
  '---',
  '#',
  '\t',
  'é',
  '{',
  '"',
  '-->',
];
const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }).map((parts) => parts.join(''));
const languages = ['sdnb-estimate', 'mermaid', 'sdnb-gateway', 'sdnb-kafka', 'python'];
const metadata = fc.option(fc.record({ phase: fc.constantFrom('scope', 'estimates', 'api', 'diagram', 'data', 'deep-dive', 'wrap-up') }), {
  nil: undefined,
});
const cell: fc.Arbitrary<CellData> = fc
  .oneof(
    fc.record({ kind: fc.constant('markdown' as const), language: fc.constant('markdown'), source: text, metadata }),
    fc.record({ kind: fc.constant('code' as const), language: fc.constantFrom(...languages), source: text, metadata }),
  )
  .map((c) => (c.metadata === undefined ? { kind: c.kind, language: c.language, source: c.source } : c));
const notebook: fc.Arbitrary<NotebookData> = fc
  .record({
    cells: fc.array(cell, { maxLength: 8 }),
    frontMatter: fc.option(fc.constantFrom('', 'title: T\n', 'title: T\nseed: 3\n'), { nil: undefined }),
  })
  .map(({ cells, frontMatter }) => (frontMatter === undefined ? { cells } : { cells, metadata: { frontMatter } }));

test('property: notebook data -> text -> the same data', () => {
  fc.assert(
    fc.property(notebook, (nb) => {
      const back = parseNotebook(serializeNotebook(nb));
      assert.deepEqual(view(back), view(nb));
    }),
    { numRuns: 3000 },
  );
});

test('property: canonical text -> the same text', () => {
  fc.assert(
    fc.property(notebook, (nb) => {
      const canonical = serializeNotebook(nb);
      assert.equal(serializeNotebook(parseNotebook(canonical)), canonical);
    }),
    { numRuns: 3000 },
  );
});

const lineParts = [
  '',
  ' ',
  'text',
  '# h',
  '```',
  '````',
  '```estimate',
  '```mermaid',
  '~~~kafka',
  '```js',
  '```yaml',
  '<!-- cell -->',
  '<!--cell {"phase":"x"}-->',
  '<!-- cell {"lines":1} -->',
  '<!-- cell {"language":"python"} -->',
  '<!-- cell {"language":"sdnb-gateway","phase":"x"} -->',
  '<!-- cell {"layout":{"before":5}} -->',
  '<!-- cell {"sdnb.layout":1,"lines$":2} -->',
  '<!-- cell phone numbers -->',
  '---',
  '...',
  'title: x',
  'seed: 7',
  '  ```',
];
const anyText = fc
  .tuple(fc.array(fc.constantFrom(...lineParts), { maxLength: 16 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, final]) => lines.join(eol) + (final && lines.length ? eol : ''));

test('property: any file that opens is written back byte for byte, in either flavour', () => {
  fc.assert(
    fc.property(anyText, fc.constantFrom<Flavour>('sdnb', 'github'), (t, flavour) => {
      let nb: NotebookData;
      try {
        nb = parseNotebook(t, { flavour });
      } catch (e) {
        assert.ok(e instanceof NotebookReadError, String(e));
        return;
      }
      assert.equal(serializeNotebook(nb), t);
    }),
    { numRuns: Number(process.env.SDNB_PROPERTY_RUNS ?? 5000) },
  );
});

test('fuzz: 100k generated inputs never crash or hang the reader', () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    anyText.map((t) => new TextEncoder().encode(t)),
    fc.string({ unit: 'binary', maxLength: 64 }).map((t) => new TextEncoder().encode(t)),
  );
  const started = Date.now();
  fc.assert(
    fc.property(bytes, (b) => {
      try {
        const nb = readNotebook(b);
        // Whatever opens must save without losing cells.
        assert.equal(parseNotebook(serializeNotebook(nb)).cells.length, nb.cells.length);
      } catch (e) {
        if (!(e instanceof NotebookReadError)) throw e;
        assert.ok(e.line >= 0 && e.column >= 0);
      }
    }),
    { numRuns: 100_000 },
  );
  assert.ok(Date.now() - started < 60_000);
});
