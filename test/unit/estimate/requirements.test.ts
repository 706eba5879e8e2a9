// Requirements that check themselves: `require NFR2: checkout.p99 <= 50 ms` in an estimate cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge } from '../../../src/kernels/estimate/analysis';
import { estimateKernel } from '../../../src/kernels/estimate';
import type { Definition, ParseContext } from '../../../src/kernels/types';
import { ctxFor, runCell, scopeOf, tableRows } from './helpers';
import { richMime } from '../../../src/kernels/types';
import type { Report } from '../../../src/kernels/report';

const iv = (value: number, low = value, high = value) => ({ value, low, high });

test('judge: met only when the whole interval is inside the limit, marginal when it straddles it', () => {
  // [op, measured (value, low, high), limit, verdict]
  const cases: [Parameters<typeof judge>[0], [number, number, number], number, string][] = [
    ['<=', [40, 40, 40], 50, 'met'],
    ['<=', [50, 50, 50], 50, 'met'],
    ['<', [50, 50, 50], 50, 'not met'],
    ['<=', [60, 60, 60], 50, 'not met'],
    ['<=', [41, 39, 43], 50, 'met'],
    ['<=', [41, 39, 50], 50, 'met'],
    ['<', [41, 39, 50], 50, 'marginal'],
    ['<=', [49, 45, 52], 50, 'marginal'],
    ['<=', [51, 48, 55], 50, 'marginal'],
    ['<=', [55, 50.5, 60], 50, 'not met'],
    ['>=', [0.999, 0.998, 0.9995], 0.99, 'met'],
    ['>=', [0.991, 0.985, 0.995], 0.99, 'marginal'],
    ['>=', [0.98, 0.97, 0.989], 0.99, 'not met'],
    ['>', [0.99, 0.99, 0.995], 0.99, 'marginal'],
    ['>', [0.99, 0.99, 0.99], 0.99, 'not met'],
  ];
  for (const [op, [v, lo, hi], limit, want] of cases)
    assert.equal(judge(op, iv(v, lo, hi), iv(limit)), want, `${v} [${lo}, ${hi}] ${op} ${limit}`);
});

test('judge: a limit with an interval of its own counts against the measured one', () => {
  assert.equal(judge('<=', iv(40, 38, 42), iv(45, 41, 49)), 'marginal');
  assert.equal(judge('<=', iv(40, 38, 40), iv(45, 41, 49)), 'met');
  assert.equal(judge('<=', iv(60, 55, 65), iv(45, 41, 49)), 'not met');
});

const def = (
  name: string,
  value: number,
  dims: Record<string, number>,
  extra: Partial<Definition> & { ci?: { low: number; high: number } } = {},
): Definition => ({
  name,
  quantity: { value, dims, display: String(value), ...(extra.ci ? { ci: extra.ci } : {}) },
  cellIndex: 1,
  range: { start: { line: 0, column: 0 }, end: { line: 0, column: 4 } },
  expression: name,
  ...(extra.pending ? { pending: extra.pending } : {}),
});
const P99 = def('checkout.p99', 0.0412, { time: 1 }, { ci: { low: 0.039, high: 0.0431 } });
const ERRORS = def('checkout.error_rate', 0.002, {}, { ci: { low: 0.0015, high: 0.0026 } });
const PENDING = def('orders.p99', 0, { time: 1 }, { pending: 'run the `orders` model (cell 5)' });
const scope = scopeOf([P99, ERRORS, PENDING]);

const requirementRows = (source: string) => {
  const r = runCell(source, 3, scope);
  const rep = r.outputs[0].items[richMime('estimate')] as Report;
  const t = rep.blocks.find((b) => b.type === 'table' && b.title === 'Requirements');
  assert.ok(t && t.type === 'table', 'a Requirements table');
  return { ok: r.ok, rows: t.rows };
};

test('a cell shows each check with what was measured, the limit, the margin and the verdict', () => {
  const r = requirementRows(
    [
      'require NFR2: checkout.p99 <= 50 ms',
      'require NFR3: checkout.p99 <= 42 ms',
      'require NFR4: checkout.p99 < 30 ms',
      'require NFR5: checkout.error_rate <= 0.1%',
      'require NFR6: 1 - checkout.error_rate >= 99.5%',
    ].join('\n'),
  );
  assert.deepEqual(r.rows, [
    ['NFR2', 'checkout.p99 <= 50 ms', '41.2 ms (95% CI 39–43.1 ms)', '50 ms', '8.8 ms under the limit (18%)', '✔ met'],
    ['NFR3', 'checkout.p99 <= 42 ms', '41.2 ms (95% CI 39–43.1 ms)', '42 ms', '0.8 ms under the limit (1.9%)', '≈ marginal'],
    ['NFR4', 'checkout.p99 < 30 ms', '41.2 ms (95% CI 39–43.1 ms)', '30 ms', '11.2 ms over the limit (37%)', '✘ not met'],
    ['NFR5', 'checkout.error_rate <= 0.1%', '0.2% (95% CI 0.15–0.26%)', '0.1%', '0.1% over the limit (100%)', '✘ not met'],
    ['NFR6', '1 - checkout.error_rate >= 99.5%', '99.8% (95% CI 99.74–99.85%)', '99.5%', '0.3% over the limit (0.3%)', '✔ met'],
  ]);
  assert.equal(r.ok, false, 'a requirement that is not met fails the cell');
});

test('a check reads through names of its own cell, and the interval follows the arithmetic', () => {
  const r = runCell('budget = 2 * checkout.p99\ninverse = 1 / checkout.p99\nrequire NFR1: budget <= 100 ms', 3, scope);
  const rows = tableRows(r);
  assert.deepEqual(
    rows.map((x) => x.slice(0, 2)),
    [
      ['budget', '82.4 ms (95% CI 78–86.2 ms)'],
      ['inverse', '24.27 /s (95% CI 23.2–25.64 /s)'],
    ],
  );
  const defs = new Map(r.definitions!.map((d) => [d.name, d.quantity.ci]));
  assert.deepEqual(defs.get('budget'), { low: 0.078, high: 0.0862 });
  assert.ok(Math.abs(defs.get('inverse')!.low - 1 / 0.0431) < 1e-9 && Math.abs(defs.get('inverse')!.high - 1 / 0.039) < 1e-9);
  assert.equal(r.ok, true);
});

test('a check that reads a model that has not run is pending, and so is every name computed from it', () => {
  const r = runCell('require NFR7: orders.p99 <= 1 s\ntwice = orders.p99 * 2\nrequire NFR8: twice <= 1 s', 3, scope);
  assert.equal(r.ok, true, 'pending is not a failure');
  assert.deepEqual(tableRows(r), [['twice', 'pending: run the `orders` model (cell 5)', 'orders.p99 * 2']]);
  const twice = r.definitions!.find((d) => d.name === 'twice')!;
  assert.equal(twice.pending, 'run the `orders` model (cell 5)');
  assert.deepEqual(twice.quantity.dims, { time: 1 });
  const p = estimateKernel.parse('require NFR7: orders.p99 <= 1 s', ctxFor(3, scope) as ParseContext);
  const d = estimateKernel.define!(p.parsed!, ctxFor(3, scope));
  assert.deepEqual(
    d.diagnostics!.map((x) => [x.severity, x.message]),
    [['hint', 'NFR7 is not checked yet: run the `orders` model (cell 5).']],
  );
});

test('verdicts are diagnostics at the requirement: an error when not met, a warning when marginal, nothing when met', () => {
  const src = 'require NFR2: checkout.p99 <= 50 ms\nrequire NFR3: checkout.p99 <= 42 ms\nrequire NFR4: checkout.p99 < 30 ms';
  const p = estimateKernel.parse(src, ctxFor(3, scope) as ParseContext);
  const d = estimateKernel.define!(p.parsed!, ctxFor(3, scope));
  assert.deepEqual(
    d.diagnostics!.map((x) => [x.severity, x.range.start.line, x.range.start.column, x.range.end.column, x.code]),
    [
      ['warning', 1, 8, 35, 'requirement'],
      ['error', 2, 8, 34, 'requirement'],
    ],
  );
  assert.equal(
    d.diagnostics![1].message,
    'NFR4 not met: checkout.p99 = 41.2 ms (95% CI 39–43.1 ms), required < 30 ms: 11.2 ms over the limit (37%).',
  );
});

test('requirement syntax errors say what is expected, with a position', () => {
  const cases: [string, number, RegExp][] = [
    ['require: x <= 1 s', 7, /expected the requirement's id after `require`/],
    ['require NFR1 x <= 1 s', 13, /expected `:` after `require NFR1`/],
    ['require NFR1: 1 s', 17, /expected a comparison \(`<=`, `<`, `>=` or `>`\)/],
    [
      'require NFR1: 1 s <= 1 GB',
      18,
      /`<=` compares quantities of one dimension: left hand side `1 s` is Time, right hand side `1 GB` is Information/,
    ],
    ['require NFR1: 1 s <= 2 s )', 25, /expected the end of the line after the limit, found `\)`/],
    ['require = 5', 8, /`require` is a keyword and cannot be a name|expected the requirement's id/],
  ];
  for (const [src, column, message] of cases) {
    const r = runCell(src);
    const e = r.diagnostics.find((d) => d.severity === 'error');
    assert.ok(e, src);
    assert.match(e.message, message, src);
    assert.equal(e.range.start.column, column, `${src}: ${e.message}`);
  }
});

test('≤ and ≥ read as <= and >=; a dotted name is one name', () => {
  const r = runCell('require NFR2: checkout.p99 ≤ 50 ms\nrequire NFR5: checkout.error_rate ≥ 0.1%', 3, scope);
  assert.deepEqual(r.definitions, []);
  const p = estimateKernel.parse('x = checkout.p99 + 1 ms', ctxFor(3, scope) as ParseContext);
  assert.deepEqual(p.reads, ['checkout.p99']);
  assert.deepEqual(
    p.uses!.map((u) => [u.name, u.role, u.range.start.column, u.range.end.column]),
    [
      ['checkout.p99', 'read', 4, 16],
      ['x', 'define', 0, 1],
    ],
  );
});

test('a verdict names what it reads, through the names of its own cell, and follows the scope it is judged in', () => {
  const src = 'limit = 45 ms\nlatency = checkout.p99 + 1 ms\nrequire NFR2: latency <= limit';
  const verdictIn = (sc: typeof scope) => {
    const p = estimateKernel.parse(src, ctxFor(3, sc) as ParseContext);
    return estimateKernel.define!(p.parsed!, ctxFor(3, sc)).verdicts![0];
  };
  const v = verdictIn(scope);
  assert.deepEqual([v.id, v.status, v.reads, v.range.start.line], ['NFR2', 'met', ['checkout.p99'], 2]);
  const slower = scopeOf([def('checkout.p99', 0.06, { time: 1 }, { ci: { low: 0.058, high: 0.062 } })]);
  const w = verdictIn(slower);
  assert.equal(w.status, 'not met');
  assert.equal(w.measured, '61 ms (95% CI 59–63 ms)');
});
