// Front matter: YAML errors and bad seeds are errors with the file's line and column, never a stack
// trace or a silent default; seeds are used exactly (0 to 2^32 - 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotebookReadError, parseNotebook, frontMatterOf } from '../../../src/format/sdnb';
import { DEFAULT_SEED, notebookSeed, SEED_MAX, seedProblem } from '../../../src/format/frontMatter';
import { seedOf } from '../../../src/runtime/session';
import { main } from '../../../src/cli/main';

const seedOfFile = (text: string) => notebookSeed(frontMatterOf(parseNotebook(text)));

test('seed: whole numbers from 0 to 2^32 - 1 are used as written', () => {
  const cases: [string, number][] = [
    ['---\ntitle: t\n---\n', DEFAULT_SEED],
    ['---\nseed: 42\n---\n', 42],
    ['---\nseed: 0\n---\n', 0],
    ['---\nseed: 4294967295\n---\n', 4294967295],
    ['---\nseed: 0x2A\n---\n', 42], // YAML 1.2 core schema integers
    ['---\nseed: 1e3\n---\n', 1000],
    ['# no front matter\n', DEFAULT_SEED],
  ];
  for (const [text, seed] of cases) {
    assert.equal(seedOfFile(text), seed, text);
    assert.equal(seedOf(frontMatterOf(parseNotebook(text))), seed, 'session.seedOf delegates to the format');
  }
  assert.equal(SEED_MAX, 2 ** 32 - 1);
});

const seedErrors: [string, number, number, string][] = [
  ['---\nseed: abc\n---\n', 1, 6, '`seed` must be a whole number from 0 to 4294967295 (here: "abc").'],
  ['---\nseed: 1.5\n---\n', 1, 6, '`seed` must be a whole number from 0 to 4294967295 (here: 1.5).'],
  ['---\nseed: "7"\n---\n', 1, 6, '`seed` must be a whole number from 0 to 4294967295 (here: "7").'],
  ['---\nseed:\n---\n', 1, 5, '`seed` must be a whole number from 0 to 4294967295 (here: nothing).'],
  ['---\nseed: .inf\n---\n', 1, 6, '`seed` must be a whole number from 0 to 4294967295 (here: Infinity).'],
  ['---\ntitle: t\nseed: [1]\n---\n', 2, 6, '`seed` must be a whole number from 0 to 4294967295 (here: [1]).'],
  [
    '---\nseed: 4294967338\n---\n',
    1,
    6,
    '`seed` must be from 0 to 4294967295: the simulations use 32-bit seeds, so 4294967338 would run exactly like 42.',
  ],
  [
    '---\nseed: 4294967296\n---\n',
    1,
    6,
    '`seed` must be from 0 to 4294967295: the simulations use 32-bit seeds, so 4294967296 would run exactly like 0.',
  ],
  [
    '---\nseed: -1\n---\n',
    1,
    6,
    '`seed` must be from 0 to 4294967295: the simulations use 32-bit seeds, so -1 would run exactly like 4294967295.',
  ],
  ['---\nseed: 1e300\n---\n', 1, 6, '`seed` must be from 0 to 4294967295: the simulations use 32-bit seeds.'],
];
for (const [text, line, column, detail] of seedErrors) {
  test(`seed error: ${JSON.stringify(text.split('\n').slice(1, -2).join(' / '))}`, () => {
    assert.throws(
      () => parseNotebook(text),
      (e: unknown) => e instanceof NotebookReadError && e.line === line && e.column === column && e.detail === detail,
    );
  });
}

test('seed: notebookSeed refuses what the reader refuses, and seedProblem names the problem', () => {
  assert.throws(() => notebookSeed({ seed: 4294967338 }), /would run exactly like 42/);
  assert.throws(() => notebookSeed({ seed: 'abc' }), /here: "abc"/);
  assert.equal(seedProblem(7), undefined);
});

test("front matter: a YAML error names one position, the file's", () => {
  const cases: [string, number, number, RegExp][] = [
    ['---\ntitle: x\nlist: [a\n---\n', 3, 0, /Flow sequence in block collection must be sufficiently indented and end with a \]\.$/],
    ['---\ntitle: a\ntitle: b\n---\n', 2, 0, /Map keys must be unique\.$/],
    ['---\nx: "unterminated\n---\n', 2, 0, /Missing closing "quote\.$/],
  ];
  for (const [text, line, column, message] of cases) {
    assert.throws(
      () => parseNotebook(text),
      (e: unknown) =>
        e instanceof NotebookReadError &&
        e.line === line &&
        e.column === column &&
        message.test(e.detail) &&
        (e.message.match(/line \d/g) ?? []).length === 1,
      text,
    );
  }
});

const row = (name: string, ref: string) => `${name}: &${name} [${Array(10).fill(ref).join(',')}]`;
const ALIAS_BOMB = [
  '---',
  'title: t',
  row('a', 'x'),
  row('b', '*a'),
  row('c', '*b'),
  row('d', '*c'),
  row('e', '*d'),
  '---',
  'prose',
  '',
].join('\n');

test('front matter: an alias bomb is a positioned error, quickly', () => {
  const started = Date.now();
  assert.throws(
    () => parseNotebook(ALIAS_BOMB),
    (e: unknown) =>
      e instanceof NotebookReadError && e.line === 4 && e.column === 0 && /aliases may be used at most 100 times/.test(e.detail),
  );
  assert.ok(Date.now() - started < 10_000);
});

test('front matter: nesting too deep for the parser is a positioned error', () => {
  assert.throws(
    () => parseNotebook('---\na: ' + '['.repeat(5000) + '\n---\n'),
    (e: unknown) => e instanceof NotebookReadError && e.line === 1,
  );
});

test('sdnb check reports front matter errors as FILE:LINE:COL, without a stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sdnb-fm-'));
  const cases: [string, string][] = [
    [ALIAS_BOMB, ':5:1: the front matter cannot be read: Excessive alias count'],
    ['---\nseed: abc\n---\n', ':2:7: `seed` must be a whole number'],
    ['---\nseed: 4294967338\n---\n', ':2:7: `seed` must be from 0 to 4294967295'],
  ];
  for (const [text, expected] of cases) {
    const file = join(dir, 'n.sdnb');
    writeFileSync(file, text);
    const err: string[] = [];
    const code = await main(['check', file], { out: () => {}, err: (s) => err.push(s) });
    assert.equal(code, 2);
    assert.equal(err.length, 1);
    assert.ok(err[0].startsWith(file + expected), err[0]);
  }
});
