// Cell metadata is the user's: every key a marker holds comes back as written, and the format's own
// layout entry (kept under LAYOUT_KEY, which no marker can set) can never make a save throw or
// write a file that does not open. The reported reproducers come first, then the property.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CellData,
  LAYOUT_KEY,
  NotebookData,
  NotebookReadError,
  NotebookWriteError,
  parseNotebook,
  serializeNotebook,
  userMetadata,
} from '../../../src/format/sdnb';

const users = (nb: NotebookData) => nb.cells.map(userMetadata);
const reopen = (text: string) => parseNotebook(serializeNotebook(parseNotebook(text)));

/** Files from the bug report and their neighbours: each opens, keeps its metadata and saves byte for byte. */
const reproducers: { name: string; text: string; cells: [CellData['kind'], string, string, Record<string, unknown>][] }[] = [
  {
    name: 'a `layout` key holding a number',
    text: '<!-- cell {"layout":{"before":5}} -->\nprose\n',
    cells: [['markdown', 'markdown', 'prose', { layout: { before: 5 } }]],
  },
  {
    name: 'a `layout` key naming fences',
    text: '<!-- cell {"layout":{"open":"```estimate","close":"not a fence"}} -->\n```estimate\nx = 1\n```\n',
    cells: [['code', 'sdnb-estimate', 'x = 1', { layout: { open: '```estimate', close: 'not a fence' } }]],
  },
  {
    name: 'a `layout` key holding a line of text',
    text: '<!-- cell {"layout":{"before":["INJECTED LINE"]}} -->\nprose\n',
    cells: [['markdown', 'markdown', 'prose', { layout: { before: ['INJECTED LINE'] } }]],
  },
  {
    name: 'a `layout` key next to blank lines the file records',
    text: 'a\n\n\n<!-- cell {"layout":"wide","phase":"api"} -->\n\n\nprose\n',
    cells: [
      ['markdown', 'markdown', 'a', {}],
      ['markdown', 'markdown', 'prose', { layout: 'wide', phase: 'api' }],
    ],
  },
  {
    name: 'the layout entry itself, and its escaped form, in a marker',
    text: `<!-- cell {"${LAYOUT_KEY}":{"before":["x"]},"${LAYOUT_KEY}$":1} -->\nprose\n`,
    cells: [['markdown', 'markdown', 'prose', { [LAYOUT_KEY]: { before: ['x'] }, [`${LAYOUT_KEY}$`]: 1 }]],
  },
  {
    name: 'user keys named like the reserved ones, escaped with `$`',
    text: '<!-- cell {"lines$":3,"language$$":"x"} -->\n```estimate\nx = 1\n```\n',
    cells: [['code', 'sdnb-estimate', 'x = 1', { lines: 3, language$: 'x' }]],
  },
  {
    name: 'a marker naming python above a ```js fence',
    text: '<!-- cell {"language":"python"} -->\n```js\nprint(1)\n```\n',
    cells: [['code', 'python', 'print(1)', {}]],
  },
  {
    name: 'a marker naming a language above a fence of another cell language',
    text: '<!-- cell {"language":"python","phase":"api"} -->\n```estimate\nprint(1)\n```\n',
    cells: [['code', 'python', 'print(1)', { phase: 'api' }]],
  },
  {
    name: 'a marker naming the language its fence names anyway',
    text: '<!-- cell {"language":"sdnb-estimate"} -->\n```estimate\nx = 1\n```\n',
    cells: [['code', 'sdnb-estimate', 'x = 1', {}]],
  },
  {
    name: 'a plain comment that starts with `cell`',
    text: 'Call us.\n\n<!-- cell phone numbers -->\n\n```estimate\nx = 1\n```\n',
    cells: [
      ['markdown', 'markdown', 'Call us.\n\n<!-- cell phone numbers -->', {}],
      ['code', 'sdnb-estimate', 'x = 1', {}],
    ],
  },
  {
    name: 'a comment `cellular` and a marker without a space',
    text: '<!-- cellular -->\n\n<!--cell{"phase":"api"}-->\nprose\n',
    cells: [
      ['markdown', 'markdown', '<!-- cellular -->', {}],
      ['markdown', 'markdown', 'prose', { phase: 'api' }],
    ],
  },
  {
    name: 'metadata holding `-->`',
    text: '<!-- cell {"note":"a --> b"} -->\nprose\n',
    cells: [['markdown', 'markdown', 'prose', { note: 'a --> b' }]],
  },
];

for (const c of reproducers) {
  test(`metadata: ${c.name}`, () => {
    const nb = parseNotebook(c.text);
    assert.deepEqual(
      nb.cells.map((x) => [x.kind, x.language, x.source, userMetadata(x)]),
      c.cells,
    );
    assert.equal(serializeNotebook(nb), c.text, 'saved byte for byte');
    assert.deepEqual(
      users(reopen(c.text)),
      c.cells.map((x) => x[3]),
    );
  });
}

test('metadata: new markers write reserved-looking keys escaped and `-->` as \\u003e', () => {
  const text = serializeNotebook({
    cells: [
      {
        kind: 'markdown',
        language: 'markdown',
        source: 'p',
        metadata: { lines: 2, language: 'x', layout: 1, [`${LAYOUT_KEY}$`]: 'mine', note: 'a --> b --!> c' },
      },
      { kind: 'code', language: 'python', source: 'print(1)', metadata: { [LAYOUT_KEY]: { open: '```js', openLanguage: 'python' } } },
    ],
  });
  assert.equal(
    text,
    `<!-- cell {"lines$":2,"language$":"x","layout":1,"${LAYOUT_KEY}":"mine","note":"a --\\u003e b --!\\u003e c"} -->\np\n\n` +
      '<!-- cell {"language":"python"} -->\n```js\nprint(1)\n```\n',
  );
  const back = parseNotebook(text);
  assert.deepEqual(userMetadata(back.cells[0]), { lines: 2, language: 'x', layout: 1, [LAYOUT_KEY]: 'mine', note: 'a --> b --!> c' });
  assert.equal(back.cells[1].language, 'python');
});

test('metadata: a layout edited into nonsense is ignored, never written', () => {
  const cell = (metadata: Record<string, unknown>): CellData => ({ kind: 'code', language: 'sdnb-estimate', source: 'x = 1', metadata });
  const broken = [
    { before: 5 },
    { before: ['INJECTED LINE'] },
    { before: ['', '\n'] },
    { open: '```estimate', close: 'not a fence' },
    { open: '    ```estimate' },
    { open: '```estimate\n```' },
    { open: 42, close: null },
    { marker: '<!-- cell\n-->' },
    { marker: '<!-- cell {"lines":9} -->' },
    { marker: 'not a marker' },
    { afterMarker: ['text'] },
    { emptyLine: 'yes' },
    'a string',
    ['an', 'array'],
  ];
  for (const layout of broken) {
    const text = serializeNotebook({ cells: [cell({ [LAYOUT_KEY]: layout })] });
    assert.equal(text, '```estimate\nx = 1\n```\n', JSON.stringify(layout));
  }
  const nbLayout = { eol: '\n\n', frontMatterClose: 'not a fence', trailing: ['oops'], noFinalEol: 'yes', bom: 1 };
  assert.equal(
    serializeNotebook({ cells: [cell({})], metadata: { frontMatter: 'title: T\n', layout: nbLayout as never } }),
    '---\ntitle: T\n---\n\n```estimate\nx = 1\n```\n',
  );
});

test('metadata: a recorded fence is dropped once the source would close it', () => {
  const nb = parseNotebook('~~~estimate\nx = 1\n~~~~\n');
  nb.cells[0].source = 'x = 1\n~~~~~';
  assert.equal(serializeNotebook(nb), '```estimate\nx = 1\n~~~~~\n```\n');
});

test('metadata: a cell whose language was changed gets a fence of its new language', () => {
  const cases: [string, string, string][] = [
    ['<!-- cell {"language":"python"} -->\n```js\nx\n```\n', 'ruby', '<!-- cell {"language":"ruby"} -->\n```ruby\nx\n```\n'],
    ['<!-- cell {"language":"python"} -->\n```js\nx\n```\n', 'sdnb-estimate', '```estimate\nx\n```\n'],
    ['~~~mermaid\nx\n~~~\n', 'sdnb-estimate', '```estimate\nx\n```\n'],
    ['~~~mermaid\nx\n~~~\n', 'python', '<!-- cell {"language":"python"} -->\n```python\nx\n```\n'],
    [
      '<!-- cell {"language":"sdnb-kafka"} -->\n```yaml\nx\n```\n',
      'sdnb-gateway',
      '<!-- cell {"language":"sdnb-gateway"} -->\n```yaml\nx\n```\n',
    ],
  ];
  for (const [text, language, expected] of cases) {
    const nb = parseNotebook(text);
    assert.equal(serializeNotebook(nb), text);
    nb.cells[0].language = language;
    assert.equal(serializeNotebook(nb), expected, `${text} as ${language}`);
  }
});

test('metadata: what a file cannot hold is a save error, not a broken file', () => {
  const md: CellData = { kind: 'markdown', language: 'markdown', source: 'p' };
  const cases: [NotebookData, RegExp][] = [
    [{ cells: [md], metadata: { frontMatter: 'title: a\n---\nseed: 2\n' } }, /line 2 of its front matter is `---`/],
    [{ cells: [md], metadata: { frontMatter: 'title: [a\n' } }, /not valid YAML/],
    [{ cells: [md], metadata: { frontMatter: 'seed: 4294967296\n' } }, /`seed` must be from 0 to 4294967295/],
    [{ cells: [md], metadata: { frontMatter: 7 as never } }, /front matter is not text/],
    [{ cells: [{ ...md, metadata: { big: 1n } }] }, /metadata of cell 1 is not JSON/],
  ];
  for (const [nb, message] of cases) {
    assert.throws(
      () => serializeNotebook(nb),
      (e: unknown) => e instanceof NotebookWriteError && message.test(e.message),
    );
  }
});

const readErrors: { name: string; text: string; line: number; column: number; match: RegExp }[] = [
  {
    name: 'a language that is a number',
    text: '<!-- cell {"language":42} -->\n```estimate\nx\n```\n',
    line: 0,
    column: 11,
    match: /"language" must be a string/,
  },
  {
    name: 'a language that is a number, above markdown',
    text: 'a\n\n<!-- cell {"phase":"x","language":42} -->\nprose\n',
    line: 2,
    column: 23,
    match: /"language" must be a string/,
  },
  {
    name: 'both language and lines',
    text: '<!-- cell {"language":"python","lines":1} -->\nx\n',
    line: 0,
    column: 31,
    match: /both "language"/,
  },
];
for (const c of readErrors) {
  test(`metadata error: ${c.name}`, () => {
    assert.throws(
      () => parseNotebook(c.text),
      (e: unknown) => e instanceof NotebookReadError && e.line === c.line && e.column === c.column && c.match.test(e.message),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Property: for every notebook the serializer accepts, save -> open -> save is identical and every
// cell's metadata survives. Layouts are generated as anything at all, as if edited by hand.

const sourceParts = [
  '\r',
  '\r\n',
  'a',
  ' ',
  '\n',
  '`',
  '```',
  '````',
  '~~~',
  '```estimate',
  '```js',
  '```yaml',
  '<!-- cell -->',
  '<!-- cell {"lines":1} -->',
  '---',
  '...',
  '-->',
  '#',
  '\t',
  'é',
];
const source = fc.array(fc.constantFrom(...sourceParts), { maxLength: 16 }).map((p) => p.join(''));
const keys = ['phase', 'layout', 'lines', 'language', 'lines$', 'language$$', LAYOUT_KEY, `${LAYOUT_KEY}$`, '__proto__', 'note'];
const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const userMeta = fc
  .array(fc.tuple(fc.constantFrom(...keys.filter((k) => k !== LAYOUT_KEY)), json), { maxLength: 3 })
  .map((e) => Object.fromEntries(e));
const junkLine = fc.constantFrom(
  '',
  ' ',
  '\t',
  'INJECTED LINE',
  '\n',
  '```',
  '````estimate',
  '~~~estimate',
  '```js',
  '```yaml',
  '   ```estimate',
  'not a fence',
  '---',
  '<!-- cell -->',
  '<!-- cell {"lines":2} -->',
  '<!-- cell {"language":"python"} -->',
  '<!-- cell\n-->',
  '<!-- cell {"phase":"api"} -->',
);
const junk = fc.oneof(junkLine, fc.array(junkLine, { maxLength: 3 }), fc.integer({ min: -2, max: 5 }), fc.boolean(), fc.constant(null));
const languages = ['sdnb-estimate', 'mermaid', 'sdnb-gateway', 'sdnb-kafka', 'python', '', 'a b', 'x`y', 'estimate', 'yaml', 'markdown'];
const cellLayout = fc.option(
  fc.oneof(
    fc.record(
      {
        before: junk,
        afterMarker: junk,
        marker: junk,
        emptyLine: junk,
        open: junk,
        close: junk,
        openLanguage: fc.oneof(fc.constantFrom(...languages), junk),
      },
      { requiredKeys: [] },
    ),
    junk,
  ),
  { nil: undefined },
);
const cell: fc.Arbitrary<CellData> = fc
  .tuple(fc.boolean(), fc.constantFrom(...languages), source, userMeta, cellLayout)
  .map(([markdown, language, src, meta, layout]) => {
    const escaped = Object.fromEntries(Object.entries(meta).map(([k, v]) => [k.startsWith(LAYOUT_KEY) ? k + '$' : k, v]));
    const metadata = layout === undefined ? escaped : { ...escaped, [LAYOUT_KEY]: layout };
    return {
      kind: markdown ? 'markdown' : 'code',
      language: markdown ? 'markdown' : language,
      source: src,
      ...(Object.keys(metadata).length ? { metadata } : {}),
    };
  });
const notebookLayout = fc.record(
  {
    eol: fc.constantFrom('\r\n', '\n', 'x'),
    frontMatterClose: fc.constantFrom('...', '---', 'x'),
    trailing: junk,
    noFinalEol: junk,
    bom: junk,
  },
  { requiredKeys: [] },
);
const notebook: fc.Arbitrary<NotebookData> = fc
  .tuple(
    fc.array(cell, { maxLength: 7 }),
    fc.option(fc.constantFrom('', 'title: T\n', 'title: T\nseed: 3\n', '\n'), { nil: undefined }),
    fc.option(notebookLayout, { nil: undefined }),
    fc.constantFrom(undefined, 'github', 'sdnb', 'other'),
  )
  .map(([cells, frontMatter, layout, flavour]) => ({ cells, metadata: { frontMatter, layout, flavour } as NotebookData['metadata'] }));

// CR characters in cell text survive in a file that mixes line endings; a file where every line
// ends in CR LF reads as a CRLF file, so there only the text without its CRs is compared.
const text = (c: CellData, exact: boolean) => (exact ? c.source : c.source.replace(/\r/g, ''));

test('property: save -> open -> save is identical, and every cell keeps its kind, language, text and metadata', () => {
  fc.assert(
    fc.property(notebook, (nb) => {
      const saved = serializeNotebook(nb);
      const opened = parseNotebook(saved);
      assert.equal(serializeNotebook(opened), saved);
      const exact = !nb.cells.some((c) => c.source.includes('\r'));
      assert.deepEqual(
        opened.cells.map((c) => [c.kind, c.language, text(c, exact), userMetadata(c)]),
        nb.cells.map((c) => [c.kind, c.language, text(c, exact), userMetadata(c)]),
      );
    }),
    { numRuns: Number(process.env.SDNB_PROPERTY_RUNS ?? 5000) },
  );
});
