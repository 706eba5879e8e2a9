// The kernel as the notebook drives it: the Twitter worked example, names across cells,
// the evaluator other kernels call, and the language services.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellNames, estimateKernel, evaluateExpression, namesOf, toUnit } from '../../../src/kernels/estimate';
import type { Definition } from '../../../src/kernels/types';
import { ctxFor, runCell, runNotebook, scopeOf, tableRows } from './helpers';

const DAY = 86400;
const YEAR = 365.25 * DAY;

test('Twitter: 300M MAU, 50% daily, 2 tweets/user/day, 10% with 1 MB media, 5 years', () => {
  const r = runCell(
    [
      'mau = 300M users',
      'dau = mau * 50%',
      'tweets = dau * 2 tweets/user/day',
      'qps = tweets -> tweets/s',
      'peak = 2 * qps',
      'media = tweets * 10% * 1 MB/tweet -> TB/day',
      'storage = media * 5 years -> PB',
    ].join('\n'),
  );
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  const v = Object.fromEntries(r.definitions!.map((d) => [d.name, d.quantity.value]));
  assert.equal(v.dau, 150e6);
  assert.ok(Math.abs(v.qps - 300e6 / DAY) < 1e-9); // 3,472.2 tweets/s ≈ 3,500
  assert.ok(Math.abs(v.peak - 600e6 / DAY) < 1e-9); // ≈ 7,000
  assert.ok(Math.abs(v.media - 30e12 / DAY) < 1e-3); // 30 TB/day in bytes per second
  assert.ok(Math.abs(v.storage / (30e12 * 5 * 365.25) - 1) < 1e-12); // ≈ 55 PB
  assert.deepEqual(
    tableRows(r).map((row) => [row[0], row[1]]),
    [
      ['mau', '300M users'],
      ['dau', '150M users'],
      ['tweets', '3,472 tweets/s'],
      ['qps', '3,472 tweets/s'],
      ['peak', '6,944 tweets/s'],
      ['media', '30 TB/day'],
      ['storage', '54.79 PB'],
    ],
  );
});

test('definitions carry cellIndex, the name range and the expression; reads list scope names', () => {
  const [first, second] = runNotebook(['dau = 100M users', '\n  qps = dau * 20 req/user/day -> req/s']);
  assert.deepEqual(first.reads, []);
  assert.deepEqual(second.reads, ['dau']);
  const q = second.definitions![0];
  assert.deepEqual({ ...q, quantity: { ...q.quantity, value: Math.round(q.quantity.value) } }, {
    name: 'qps',
    cellIndex: 1,
    range: { start: { line: 1, column: 2 }, end: { line: 1, column: 5 } },
    expression: 'dau * 20 req/user/day -> req/s',
    quantity: { value: 23148, dims: { req: 1, time: -1 }, display: '23,150 req/s' },
  } satisfies Definition);
});

test('a name defined in this cell shadows the scope from that line on', () => {
  const [, before, after] = runNotebook(['dau = 100M users', 'x = dau * 2\ndau = 5 users\ny = dau * 2', 'z = dau']);
  assert.deepEqual(before.reads, ['dau']);
  const vals = Object.fromEntries(before.definitions!.map((d) => [d.name, d.quantity.value]));
  assert.deepEqual(vals, { x: 2e8, dau: 5, y: 10 });
  // the later cell sees the redefinition
  assert.equal(after.definitions![0].quantity.value, 5);
  const local = runNotebook(['dau = 100M users', 'dau = 7 users\nw = dau'])[1];
  assert.deepEqual(local.reads, []);
});

test('countable units declared in one cell are units in later cells', () => {
  const [, second] = runNotebook([
    'unit photo_upload\nuploads = 2M photo_uploads/day',
    'size = 3 MB/photo_upload\nstorage = uploads * size * 1 year -> PB',
  ]);
  assert.equal(second.ok, true);
  const s = second.definitions!.find((d) => d.name === 'storage')!;
  assert.ok(Math.abs(s.quantity.value - (2e6 * 3e6 * YEAR) / DAY) < 1);
  assert.equal(s.quantity.display, '2.191 PB');
  assert.deepEqual([...(second.reads ?? [])].sort(), ['photo_upload', 'uploads']);
});

test('parse checks names from earlier cells; execute re-checks when the scope changed', () => {
  const scopeA = scopeOf([
    {
      name: 'qps',
      quantity: { value: 10, dims: { req: 1, time: -1 } },
      cellIndex: 0,
      range: { start: { line: 0, column: 0 }, end: { line: 0, column: 3 } },
      expression: '10 req/s',
    },
  ]);
  const scopeB = scopeOf([
    {
      name: 'qps',
      quantity: { value: 10, dims: { req: 1 } },
      cellIndex: 0,
      range: { start: { line: 0, column: 0 }, end: { line: 0, column: 3 } },
      expression: '10 req',
    },
  ]);
  const p = estimateKernel.parse('daily = qps * 1 day', ctxFor(1, scopeA));
  assert.deepEqual(p.diagnostics, []);
  const r = estimateKernel.execute(p.parsed!, ctxFor(1, scopeB)) as ReturnType<typeof runCell>;
  assert.equal(r.ok, true);
  assert.deepEqual(r.definitions![0].quantity.dims, { req: 1, time: 1 });
  const bad = estimateKernel.parse('x = qps + 1 req', ctxFor(1, scopeA));
  assert.equal(bad.diagnostics[0].code, 'dimension-mismatch');
});

test('evaluateExpression: scalar expressions against a scope, errors with a column', () => {
  const [, second] = runNotebook(['dau = 100M users', 'peak_qps = 3 * dau * 20 req/user/day']);
  const scope = scopeOf([...runNotebook(['dau = 100M users'])[0].definitions!, ...second.definitions!]);
  const p = evaluateExpression('peak_qps', scope);
  assert.ok(p.ok);
  assert.deepEqual(toUnit(p.quantity, 'req/s'), { ok: true, value: (3 * 2e9) / DAY });
  const t = evaluateExpression('30 s', scope);
  assert.deepEqual(t, { ok: true, quantity: { value: 30, dims: { time: 1 }, display: '30 s' } });
  const r = evaluateExpression('2 * dau / 1 day', scope);
  assert.ok(r.ok && Math.abs(r.quantity.value - 2e8 / DAY) < 1e-9 && r.quantity.dims.user === 1);
  assert.deepEqual(evaluateExpression('dau +', scope), {
    ok: false,
    message: 'expected a number, a name or `(`, but the line ends here',
    column: 5,
  });
  assert.deepEqual(evaluateExpression('dau + 1 s', scope), {
    ok: false,
    message:
      'incompatible dimensions in addition (`+`): left hand side `dau` is User (defined in cell 1, line 1), right hand side `1 s` is Time.',
    column: 4,
  });
  assert.deepEqual(evaluateExpression('x = 3', scope), { ok: false, message: 'expected an expression, not a definition', column: 0 });
});

test('cellNames lists what a cell defines and reads without a scope', () => {
  assert.deepEqual(cellNames('unit photo\nx = dau * 2 photos  # comment\ny = x + z + l1_ref * 0\nz = 3\nx = 4'), {
    defines: ['photo', 'x', 'y', 'z'],
    reads: ['dau', 'z'],
  });
  assert.deepEqual(cellNames('broken = (\nok = peak / 2'), { defines: ['ok'], reads: ['peak'] });
  // a name in the exponent of a power before units; `$` and `QPS` are units, not reads
  assert.deepEqual(cellNames('mem = 2^depth B\ncost = $5/month * n\nrate = 3 QPS'), {
    defines: ['mem', 'cost', 'rate'],
    reads: ['depth', 'n'],
  });
  // a requirement's limit reads names too
  assert.deepEqual(cellNames('require NFR1: api.p99 <= budget'), { defines: [], reads: ['api.p99', 'budget'] });
  const p = estimateKernel.parse(
    'a1 = dau * 2\nb1 = a1',
    ctxFor(
      1,
      scopeOf([
        {
          name: 'dau',
          quantity: { value: 1, dims: {} },
          cellIndex: 0,
          range: { start: { line: 0, column: 0 }, end: { line: 0, column: 3 } },
          expression: '1',
        },
      ]),
    ),
  );
  assert.deepEqual(namesOf(p.parsed!), { defines: ['a1', 'b1'], reads: ['dau'] });
});

test('hover: full precision, unit, dimension and where the name was defined', () => {
  const defs = runNotebook(['dau = 100M users'])[0].definitions!;
  const ctx = ctxFor(1, scopeOf(defs));
  const src = 'qps = dau * 20 req/user/day -> req/s\nyear_bytes = 1 GB/day * 1 year';
  const h = estimateKernel.hover!(src, { line: 0, column: 1 }, ctx)!;
  assert.deepEqual(h.range, { start: { line: 0, column: 0 }, end: { line: 0, column: 3 } });
  assert.equal(
    h.markdown,
    '**qps** = 23148.1481481481 req/s\n\n- shown as: 23,150 req/s\n- dimension: Req × Time⁻¹\n- defined: line 1 (this cell): `dau * 20 req/user/day -> req/s`',
  );
  const d = estimateKernel.hover!(src, { line: 0, column: 7 }, ctx)!;
  assert.equal(
    d.markdown,
    '**dau** = 100000000 users\n\n- shown as: 100M users\n- dimension: User\n- defined: cell 1, line 1: `100M users`',
  );
  const y = estimateKernel.hover!(src, { line: 1, column: 29 }, ctx)!;
  assert.match(y.markdown, /^\*\*year\*\*: year = 365\.25 days/);
  assert.match(y.markdown, /1 year = 31557600 s/);
  const l = estimateKernel.hover!('rtt_dc * 2', { line: 0, column: 2 }, ctx)!;
  assert.match(l.markdown, /\*\*rtt_dc\*\* = 500 µs \(500 µs\)/);
  assert.equal(estimateKernel.hover!(src, { line: 5, column: 0 }, ctx), undefined);
});

test('completion offers names in scope and above the cursor, units, built-ins', () => {
  const defs = runNotebook(['dau = 100M users'])[0].definitions!;
  const items = estimateKernel.complete!('peak = 3 * dau\n\nlater = 1', { line: 1, column: 0 }, ctxFor(1, scopeOf(defs)));
  const by = new Map(items.map((c) => [c.label, c]));
  assert.equal(by.get('peak')?.kind, 'variable');
  assert.equal(by.get('peak')?.detail, '300M users');
  assert.equal(by.get('dau')?.kind, 'variable');
  assert.equal(by.get('later'), undefined);
  assert.equal(by.get('GB')?.kind, 'unit');
  assert.equal(by.get('req')?.kind, 'unit');
  assert.equal(by.get('ceil')?.kind, 'function');
  assert.equal(by.get('rtt_ca_nl')?.kind, 'constant');
  assert.equal(by.get('to')?.kind, 'keyword');
});

test('warnings become notices under the table', () => {
  const r = runCell('unit user\nx = 3 users');
  assert.equal(r.ok, true);
  assert.match(String(r.outputs[0].items['text/markdown']), /> \*\*warning:\*\* line 1: `user` is already a unit/);
});

test('display hints survive across cells: IEC stays IEC, bits stay bits', () => {
  const [, second] = runNotebook(['disk = 2 TiB\nlink = 10 Gbps\nplain = 1500 GB', 'a = disk * 2\nb = link * 2\nc = plain * 2']);
  assert.deepEqual(
    tableRows(second).map((r) => r[1]),
    ['4 TiB', '20 Gbps', '3 TB'],
  );
});
