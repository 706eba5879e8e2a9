// `sdnb check` and `sdnb run` parse diagrams with mermaid's own parser (in Node), so a diagram that
// would not draw in the editor fails the gate in CI, at its line and column in the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { diagramError } from '../../../src/cli/mermaidParse';

async function sdnb(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// Diagrams and where mermaid 12.3 says they break (zero-based line and column in the cell), through
// the position mapping the editor uses (webview/shared/errorPosition.ts).
const cases: [string, string, { line: number; column: number; message: RegExp } | undefined][] = [
  ['a flowchart', 'flowchart LR\n  a[A] --> b[(B)]\n', undefined],
  ['a sequence diagram', 'sequenceDiagram\n  A->>B: hi\n', undefined],
  ['an ER diagram', 'erDiagram\n  USER ||--o{ POST : writes\n', undefined],
  ['an architecture diagram (a Langium parser)', 'architecture-beta\n  service a(server)[A]\n', undefined],
  // Jison: one-based line and zero-based column in `hash.loc`.
  ['a message with no target', 'sequenceDiagram\n  A->>: hi\n', { line: 1, column: 3, message: /^Parse error on line 2:\n/ }],
  // Front matter is stripped before mermaid parses: the position still counts it.
  [
    'an arrow to nowhere after front matter',
    '---\ntitle: T\n---\nsequenceDiagram\n  A->>: hi\n',
    { line: 4, column: 3, message: /^Parse error on line 5:\n/ },
  ],
  // Langium: one-based line and column in the parser error's token.
  [
    'a stray word in an architecture diagram',
    'architecture-beta\n  service a(server)[A]\n  bad bad\n',
    { line: 2, column: 6, message: /Expecting token of type ':' but found `bad`/ },
  ],
];

for (const [what, source, want] of cases)
  test(`mermaid's parser in Node: ${what}`, async () => {
    const e = await diagramError(source);
    if (!want) return assert.equal(e, undefined, JSON.stringify(e));
    assert.ok(e, 'an error');
    assert.deepEqual([e.line, e.column], [want.line, want.column], e.message);
    assert.match(e.message, want.message);
  });

const dir = mkdtempSync(join(tmpdir(), 'sdnb-diagrams-'));
const file = join(dir, 'd.sdnb');
// prettier-ignore
writeFileSync(file, [
  '# D',                // 1
  '',                   // 2
  '```mermaid',         // 3
  'flowchart LR',       // 4
  '  a[A] --> b[B]',    // 5
  '```',                // 6
  '',                   // 7
  '```mermaid',         // 8
  'sequenceDiagram',    // 9
  '  A->>: hi',         // 10: the error at column 4
  '```',                // 11
  '',
].join('\n'));
const MESSAGE = "Parse error: Expecting 'link', '+', '-', '()', 'ACTOR', got 'TXT'";

test('check: a diagram mermaid cannot parse is an error at its file position, in every format; exit 1', async () => {
  const text = await sdnb('check', file);
  assert.equal(text.code, 1);
  assert.deepEqual(
    text.out.split('\n').filter((l) => l.includes(': error: ')),
    [`${file}:10:4: error: ${MESSAGE}`],
  );
  const github = await sdnb('check', file, '--format', 'github');
  assert.ok(github.out.split('\n').includes(`::error file=${file},line=10,col=4,title=System Design Notebook::${MESSAGE}`), github.out);
  const json = JSON.parse((await sdnb('check', file, '--json')).out);
  assert.deepEqual(
    json.findings.filter((f: { severity: string }) => f.severity === 'error'),
    [{ line: 10, column: 4, severity: 'error', message: MESSAGE, code: 'mermaid-parse', source: 'cell' }],
  );
});

test('run: the diagram fails its cell (the one that parses does not); exit 1', async () => {
  const r = await sdnb('run', file, '--json');
  assert.equal(r.code, 1);
  const report = JSON.parse(r.out);
  assert.deepEqual(
    report.cells.map((c: { index: number; status: string }) => [c.index, c.status]),
    [
      [1, 'ok'],
      [2, 'error'],
    ],
  );
  assert.deepEqual(report.findings, [{ line: 10, column: 4, severity: 'error', message: MESSAGE, code: 'mermaid-parse', source: 'cell' }]);
});

test('a notebook whose diagrams all parse checks clean', async () => {
  writeFileSync(join(dir, 'ok.sdnb'), '# D\n\n```mermaid\nflowchart LR\n  a --> b\n```\n');
  const r = await sdnb('check', join(dir, 'ok.sdnb'), '--json');
  assert.deepEqual(
    JSON.parse(r.out).findings.filter((f: { severity: string }) => f.severity === 'error'),
    [],
  );
});
