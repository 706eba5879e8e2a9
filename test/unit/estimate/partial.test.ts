// One broken line does not stop a cell: every line that neither has an error nor reads a name whose
// line has one is evaluated and defines its name for later cells. The cell still fails (ok: false);
// its error output lists the errors once, and its table says for each other line what it reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../../src/kernels/all';
import { estimateKernel } from '../../../src/kernels/estimate';
import { runCells } from '../../../src/runtime/session';
import { reviewNotebook } from '../../../src/review';
import { NotebookAnalysis } from '../../../src/analysis/analysis';
import { parseNotebook } from '../../../src/format/sdnb';
import { DEFAULT_BUDGET } from '../../../src/kernels/types';
import { ctxFor, errorData, runCell, runNotebook, scopeOf, tableRows } from './helpers';

interface Case {
  what: string;
  source: string[];
  /** The names defined afterwards, with how they are shown. */
  defines: [string, string][];
  /** [line, code] of every error, in order. */
  errors: [number, string][];
  /** Name (or —) and Value column of every row. */
  rows: [string, string][];
}

const CASES: Case[] = [
  {
    what: 'a dimension error; a direct and an indirect reader; an independent line',
    source: ['alpha = 1 s + 1 B', 'beta = alpha * 2', 'gamma = beta + 1 GB', 'delta = 2 GB', 'delta * 3'],
    defines: [['delta', '2 GB']],
    errors: [[0, 'dimension-mismatch']],
    rows: [
      ['alpha', 'error (line 1)'],
      ['beta', 'not evaluated: `alpha` (line 1) has an error'],
      ['gamma', 'not evaluated: `beta` depends on the error on line 1'],
      ['delta', '2 GB'],
      ['—', '6 GB'],
    ],
  },
  {
    what: 'a line that does not parse: its readers depend on it, not on an unknown name',
    source: ['peak = (30k req/s', 'servers = ceil(peak / 2k req/s)', 'storage = 91 TB'],
    defines: [['storage', '91 TB']],
    errors: [[0, 'syntax']],
    rows: [
      ['peak', 'error (line 1)'],
      ['servers', 'not evaluated: `peak` (line 1) has an error'],
      ['storage', '91 TB'],
    ],
  },
  {
    what: 'a line with a character the scanner rejects binds its name too',
    source: ['x = 3 @ 4', 'y = x * 2', 'z = 1'],
    defines: [['z', '1']],
    errors: [[0, 'syntax']],
    rows: [
      ['x', 'error (line 1)'],
      ['y', 'not evaluated: `x` (line 1) has an error'],
      ['z', '1'],
    ],
  },
  {
    what: 'a runtime error blocks its readers the same way',
    source: ['zero = 0 s', 'x = 1 GB / zero', 'y = x * 2', 'z = zero + 1 s'],
    defines: [
      ['zero', '0 s'],
      ['z', '1 s'],
    ],
    errors: [[1, 'evaluation']],
    rows: [
      ['zero', '0 s'],
      ['x', 'error (line 2)'],
      ['y', 'not evaluated: `x` (line 2) has an error'],
      ['z', '1 s'],
    ],
  },
  {
    what: 'an unknown name; the lines above it are evaluated too',
    source: ['dau = 100M users', 'qps = dau * 20 req/user/day -> req/s', 'peak = 3 * qsp', 'ratio = peak / qps'],
    defines: [
      ['dau', '100M users'],
      ['qps', '23,150 req/s'],
    ],
    errors: [[2, 'unknown-name']],
    rows: [
      ['dau', '100M users'],
      ['qps', '23,150 req/s'],
      ['peak', 'error (line 3)'],
      ['ratio', 'not evaluated: `peak` (line 3) has an error'],
    ],
  },
  {
    what: 'a broken redefinition: the name is not defined for later cells, and its readers wait',
    source: ['x = 1 GB', 'x = 1 s + 1 B', 'y = x', 'k = 2'],
    defines: [['k', '2']],
    errors: [[1, 'dimension-mismatch']],
    rows: [
      ['x', '1 GB'],
      ['x', 'error (line 2)'],
      ['y', 'not evaluated: `x` (line 2) has an error'],
      ['k', '2'],
    ],
  },
  {
    what: 'a good redefinition after a broken one: readers below it use the good one',
    source: ['x = 1 s + 1 B', 'x = 2 GB', 'y = x * 2'],
    defines: [
      ['x', '2 GB'],
      ['y', '4 GB'],
    ],
    errors: [[0, 'dimension-mismatch']],
    rows: [
      ['x', 'error (line 1)'],
      ['x', '2 GB'],
      ['y', '4 GB'],
    ],
  },
  {
    what: 'an unnamed broken line blocks nothing; a reader with its own error reports that error',
    source: ['a = 5 GB', 'a + 1 s', 'b = a * 2', 'c = 1 s + 1 B', 'd = c + nope'],
    defines: [
      ['a', '5 GB'],
      ['b', '10 GB'],
    ],
    errors: [
      [1, 'dimension-mismatch'],
      [3, 'dimension-mismatch'],
      [4, 'unknown-name'],
    ],
    rows: [
      ['a', '5 GB'],
      ['—', 'error (line 2)'],
      ['b', '10 GB'],
      ['c', 'error (line 4)'],
      ['d', 'error (line 5)'],
    ],
  },
  {
    what: 'function arguments, conversions and declared units',
    source: [
      'unit widget',
      'bad = 3 widgets + 1 s',
      'm = max(bad, 2 widgets)',
      'rate = 5 widgets/s -> widgets/min',
      'cost = $0.34/hour * 10 -> USD/month',
    ],
    defines: [
      ['widget', '1 widget'],
      ['rate', '300 widgets/min'],
      ['cost', '2,484 USD/month'],
    ],
    errors: [[1, 'dimension-mismatch']],
    rows: [
      ['bad', 'error (line 2)'],
      ['m', 'not evaluated: `bad` (line 2) has an error'],
      ['rate', '300 widgets/min'],
      ['cost', '2,484 USD/month'],
    ],
  },
];

for (const c of CASES) {
  test(`partial: ${c.what}`, () => {
    const r = runCell(c.source.join('\n'));
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.definitions!.map((d) => [d.name, d.quantity.display]),
      c.defines,
    );
    for (const d of r.definitions!) assert.ok(Number.isFinite(d.quantity.value), d.name);
    // The errors are listed once, in the editor and in the output, with nothing added for readers.
    const errors = errorData(r).diagnostics!.filter((d) => d.severity === 'error');
    assert.deepEqual(
      errors.map((d) => [d.range.start.line, d.code]),
      c.errors,
    );
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.range.start.line, d.code]),
      c.errors.filter(([, code]) => code !== 'evaluation'),
    );
    assert.equal(errorData(r).title, 'The cell has errors');
    assert.deepEqual(
      tableRows({ ...r, outputs: r.outputs.slice(1) }).map((row) => [row[0], row[1]]),
      c.rows,
    );
  });
}

test('a cell whose every line is broken shows the errors only, as the session did', () => {
  const r = runCell('bad = 1 req + 1 s');
  assert.equal(r.ok, false);
  assert.equal(r.outputs.length, 1);
  assert.deepEqual(r.definitions, []);
  assert.equal(errorData(r).message, 'Fix the problems below (also shown in the editor) and run the cell again.');
  const partial = runCell('bad = 1 req + 1 s\ngood = 1 req');
  assert.equal(
    errorData(partial).message,
    'Fix the problems below (also shown in the editor) and run the cell again. The lines that do not depend on them were evaluated (table below).',
  );
  const runtime = runCell('x = 1 / 0');
  assert.equal(errorData(runtime).message, 'Fix the problems below and run the cell again.');
});

test('later cells read what a partly broken cell defined', () => {
  const [first, second] = runNotebook([
    'dau = 100M users\npeak = dau * oops\nstorage = 2 TB',
    'daily = dau * 2 req/user/day\ntotal = storage * 3',
  ]);
  assert.equal(first.ok, false);
  assert.equal(second.ok, true, JSON.stringify(second.outputs));
  assert.deepEqual(
    second.definitions!.map((d) => [d.name, d.quantity.display]),
    [
      ['daily', '2,315 req/s'],
      ['total', '6 TB'],
    ],
  );
  assert.deepEqual(second.reads, ['dau', 'storage']);
});

test('hover says why a name has no value, pointing at the broken line', () => {
  const src = 'alpha = 1 s + 1 B\nbeta = alpha * 2\ngamma = 3 GB\nx = beta + gamma';
  const ctx = ctxFor(0, scopeOf([]));
  const hover = (line: number, column: number) => estimateKernel.hover!(src, { line, column }, ctx)!.markdown.split('\n')[0];
  assert.equal(hover(1, 1), '**beta** = not evaluated: `alpha` (line 1) has an error');
  assert.equal(hover(0, 1), '**alpha** = error (line 1)');
  assert.equal(hover(2, 1), '**gamma** = 3 GB');
  assert.equal(hover(3, 1), '**x** = not evaluated: `beta` depends on the error on line 1');
  const items = new Map(estimateKernel.complete!(src + '\n', { line: 4, column: 0 }, ctx).map((c) => [c.label, c]));
  assert.equal(items.get('gamma')?.detail, '3 GB');
  assert.equal(items.get('beta')?.detail, 'this cell');
});

test('the session runs a broken estimate cell and the cells below see its good names', async () => {
  const cells = [
    { kind: 'code' as const, language: 'sdnb-estimate', source: 'dau = 100M users\nbroken = dau + 1 s' },
    { kind: 'code' as const, language: 'sdnb-estimate', source: 'qps = dau * 10 req/user/day -> req/s' },
  ];
  const runs = await runCells(cells, [0, 1], { seed: 1, budget: DEFAULT_BUDGET, isCancelled: () => false, notebook: {} });
  assert.deepEqual(
    runs.map((r) => [r.ok, r.definitions.map((d) => d.name)]),
    [
      [false, ['dau']],
      [true, ['qps']],
    ],
  );
  assert.equal(tableRows(runs[1])[0][1], '11,570 req/s');
});

test('the analysis and the review see the names a partly broken cell defines', () => {
  const nb = parseNotebook('# T\n\n```estimate\npeak = 30k req/s\ntypo = peak + 1 s\nstorage = 91 TB\n```\n');
  assert.deepEqual(
    new NotebookAnalysis()
      .update(nb.cells)
      .definitions()
      .map((d) => d.name),
    ['peak', 'storage'],
  );
  const codes = reviewNotebook(nb).map((f) => f.code);
  assert.ok(!codes.includes('no-qps-estimate') && !codes.includes('no-storage-estimate'), codes.join(', '));
});
