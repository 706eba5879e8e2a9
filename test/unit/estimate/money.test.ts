// Money: USD, EUR and GBP are base dimensions of their own, never converted into each other; `$`, `€`
// and `£` are shorthands. A month is year / 12 = 730.5 h (year = 365.25 days), so `0.34 USD/hour` is
// 248.37 USD/month. Each row of the arithmetic table has the GNU units command that gives the same
// number (`units -1 -t '<from>' '<to>'`, with `julianyear/12` for our month); GNU units knows USD, EUR
// and GBP and has no countable units, so counts appear there as plain numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { estimateKernel, evaluateExpression, toUnit } from '../../../src/kernels/estimate';
import { fmtMoney } from '../../../src/kernels/estimate/format';
import { EMPTY, close, ctxFor, runCell, runNotebook, scopeOf, tableRows } from './helpers';

const MONTH = (365.25 * 86400) / 12;

interface Row {
  ours: string;
  to: string;
  expected: number;
  units: [string, string];
}

const ROWS: Row[] = [
  // a solved capacity (a plain number) times an hourly price
  { ours: '10 * 0.34 USD/hour', to: 'USD/month', expected: 2483.7, units: ['10 * 0.34 USD/hour', 'USD/(julianyear/12)'] },
  { ours: '10 servers * 0.34 USD/server/hour', to: 'USD/month', expected: 2483.7, units: ['10 * 0.34 USD/hour', 'USD/(julianyear/12)'] },
  { ours: '$0.34/hour * 10', to: '$/month', expected: 2483.7, units: ['0.34 USD/hour * 10', 'USD/(julianyear/12)'] },
  { ours: '0.34 $/hour * 10', to: 'USD/month', expected: 2483.7, units: ['0.34 USD/hour * 10', 'USD/(julianyear/12)'] },
  { ours: '$0.34/hour', to: 'USD/month', expected: 248.37, units: ['0.34 USD/hour', 'USD/(julianyear/12)'] },
  { ours: '$0.34/hour', to: 'USD/year', expected: 2980.44, units: ['0.34 USD/hour', 'USD/julianyear'] },
  // per-unit prices
  {
    ours: '0.023 USD/GB/month * 91 TB',
    to: 'USD/month',
    expected: 2093,
    units: ['0.023 USD/GB/(julianyear/12) * 91 TB', 'USD/(julianyear/12)'],
  },
  {
    ours: '0.09 USD/GB * 50 MB/s',
    to: 'USD/month',
    expected: 0.09 * 0.05 * MONTH,
    units: ['0.09 USD/GB * 50 MB/s', 'USD/(julianyear/12)'],
  },
  { ours: '0.20 USD / 1M req * 5k req/s', to: 'USD/month', expected: 2629.8, units: ['0.20 USD / 1e6 * 5000/s', 'USD/(julianyear/12)'] },
  { ours: '2.5 EUR/user/month * 1M users', to: 'EUR/year', expected: 30e6, units: ['2.5 EUR/(julianyear/12) * 1e6', 'EUR/julianyear'] },
  { ours: '£5/day * 30 days', to: 'GBP', expected: 150, units: ['5 GBP/day * 30 days', 'GBP'] },
  { ours: '€40/month', to: 'EUR/day', expected: 40 / 30.4375, units: ['40 EUR/(julianyear/12)', 'EUR/day'] },
  // magnitudes and powers after `$`
  { ours: '$1.2M / 12 months', to: 'USD/month', expected: 100_000, units: ['1.2e6 USD / (12 julianyear/12)', 'USD/(julianyear/12)'] },
  { ours: '$5k/mo', to: 'USD/year', expected: 60_000, units: ['5000 USD/(julianyear/12)', 'USD/julianyear'] },
  { ours: '$2^10', to: 'USD', expected: 1024, units: ['2^10 USD', 'USD'] },
  { ours: '-$3.50 + $1', to: 'USD', expected: -2.5, units: ['-3.50 USD + 1 USD', 'USD'] },
];

for (const row of ROWS) {
  test(`money: ${row.ours} -> ${row.to} = ${row.expected}`, () => {
    const arrow = evaluateExpression(`${row.ours} -> ${row.to}`, EMPTY);
    assert.ok(arrow.ok, JSON.stringify(arrow));
    const conv = toUnit(arrow.quantity, row.to);
    assert.ok(conv.ok, JSON.stringify(conv));
    assert.ok(close(conv.value, row.expected, 1e-12), `${conv.value} ≠ ${row.expected}`);
  });
}

test('the money table agrees with GNU units, live', { skip: !existsSync('/usr/bin/units') && 'GNU units is not installed' }, () => {
  for (const row of ROWS) {
    const out = execFileSync('/usr/bin/units', ['-1', '-t', '--', row.units[0], row.units[1]], { encoding: 'utf8' }).trim();
    const live = Number(out);
    assert.ok(Number.isFinite(live), `units said ${out} for ${row.units.join(' → ')}`);
    assert.ok(close(row.expected, live, 1e-7), `${row.ours}: table ${row.expected}, GNU units ${live}`);
  }
});

test('currencies are dimensions of their own, named by their code', () => {
  const dims = (e: string) => {
    const r = evaluateExpression(e, EMPTY);
    assert.ok(r.ok, JSON.stringify(r));
    return r.quantity.dims;
  };
  assert.deepEqual(dims('$5'), { USD: 1 });
  assert.deepEqual(dims('5 dollars'), { USD: 1 });
  assert.deepEqual(dims('€5'), { EUR: 1 });
  assert.deepEqual(dims('5 euros'), { EUR: 1 });
  assert.deepEqual(dims('£5'), { GBP: 1 });
  assert.deepEqual(dims('0.34 USD/hour'), { USD: 1, time: -1 });
  assert.deepEqual(dims('1.1 USD/EUR'), { USD: 1, EUR: -1 });
  // an exchange rate the user declares is the only way across
  const r = evaluateExpression('100 EUR * 1.1 USD/EUR', EMPTY);
  assert.deepEqual(r, { ok: true, quantity: { value: 110.00000000000001, dims: { USD: 1 }, display: '110.00 USD' } });
});

// One style: the number, a space, the ISO code, then per-units; per month for money over time.
const DISPLAY: [string, string][] = [
  ['$0.34/hour', '248.37 USD/month'],
  ['0.34 USD/hour', '248.37 USD/month'],
  ['10 * 0.34 USD/hour -> USD/month', '2,484 USD/month'],
  ['10 * 0.34 $/hour -> $/month', '2,484 USD/month'],
  ['$0.34/hour -> USD/hour', '0.34 USD/hour'],
  ['$7446.4', '7,446 USD'],
  ['$1.2M', '1.2M USD'],
  ['$2.5bn/year', '208.3M USD/month'],
  ['$3 trillion', '3 trillion USD'],
  ['€3', '3.00 EUR'],
  ['£12.5', '12.50 GBP'],
  ['$0.5', '0.50 USD'],
  ['$0', '0 USD'],
  ['-$3.5', '-3.50 USD'],
  ['$999.996', '1,000 USD'],
  ['0.023 USD/GB/month', '0.023 USD/GB/month'],
  ['5 USD/server/month', '5.00 USD/server/month'],
  ['0.20 USD / 1M req', '0.0000002 USD/req'],
  ['0.20 USD / 1M req -> USD/req', '0.0000002 USD/req'],
  ['$1 * $1', '1.00 USD^2'],
];
for (const [expr, text] of DISPLAY)
  test(`money display: ${expr} → ${text}`, () => {
    const r = evaluateExpression(expr, EMPTY);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.quantity.display, text);
  });

const FMT: [number, string][] = [
  [0, '0'],
  [0.5, '0.50'],
  [0.34, '0.34'],
  [0.023, '0.023'],
  [0.0000125, '0.0000125'],
  [0.123456, '0.1235'],
  [0.994, '0.994'],
  [0.996, '1.00'],
  [1, '1.00'],
  [12.5, '12.50'],
  [248.366, '248.37'],
  [999.994, '999.99'],
  [999.996, '1,000'],
  [7446.4, '7,446'],
  [123456.78, '123,457'],
  [999_999.4, '999,999'],
  [999_999.6, '1M'],
  [1_234_567, '1.235M'],
  [2.5e9, '2.5bn'],
  [3e12, '3 trillion'],
  [4.2e20, '420,000,000 trillion'],
  [-1234.5, '-1,235'],
  [-0.05, '-0.05'],
];
for (const [x, text] of FMT) test(`fmtMoney(${x}) = ${text}`, () => assert.equal(fmtMoney(x), text));

test('money is never shown in exponent notation', () => {
  for (let e = -12; e <= 30; e++) for (const m of [1, 3.7]) assert.doesNotMatch(fmtMoney(m * 10 ** e), /e/i, `${m}e${e}`);
});

test('a solved capacity times a declared price gives the monthly cost', () => {
  const [sizing, cost] = runNotebook([
    'peak = 30k req/s\nservers = ceil(peak / 2k req/s / 70%)',
    [
      'price = 0.192 USD/hour          # m5.xlarge on demand, us-east-1, as listed in 2024',
      'fleet = servers * price -> USD/month',
      'storage = 0.023 USD/GB/month * 91 TB -> $/month',
      'total = fleet + storage',
      'yearly = total -> USD/year',
    ].join('\n'),
  ]);
  assert.equal(sizing.ok, true);
  assert.equal(cost.ok, true, JSON.stringify(cost.outputs));
  assert.deepEqual(
    tableRows(cost).map((r) => [r[0], r[1]]),
    [
      ['price', '140.26 USD/month'],
      ['fleet', '3,086 USD/month'],
      ['storage', '2,093 USD/month'],
      ['total', '5,179 USD/month'],
      ['yearly', '62,144 USD/year'],
    ],
  );
  const fleet = cost.definitions!.find((d) => d.name === 'fleet')!;
  // ceil(30,000 / 2,000 / 0.7) = 22 servers
  assert.ok(close(fleet.quantity.value * MONTH, 22 * 0.192 * 730.5));
  assert.deepEqual(fleet.quantity.dims, { USD: 1, time: -1 });
  assert.deepEqual(toUnit(fleet.quantity, 'USD/month'), { ok: true, value: fleet.quantity.value * MONTH });
  assert.equal(toUnit(fleet.quantity, 'EUR/month').ok, false);
});

test('hover and completion show the currency units', () => {
  const ctx = ctxFor(0, scopeOf([]));
  const src = 'cost = $5/month + 3 EUR/month * 0 + 1 GBP/month';
  assert.equal(
    estimateKernel.hover!('x = $5/month', { line: 0, column: 4 }, ctx)!.markdown,
    '**$**: US dollar (`USD`, `usd`, `dollar`, `dollars`, `$`): a currency, never converted into another\n\n- 1 $ = 1 USD\n- dimension: USD',
  );
  assert.match(
    estimateKernel.hover!(src, { line: 0, column: src.indexOf('EUR') + 1 }, ctx)!.markdown,
    /^\*\*EUR\*\*: euro .*\n\n- 1 EUR = 1 EUR\n- dimension: EUR$/,
  );
  assert.match(estimateKernel.hover!(src, { line: 0, column: src.indexOf('GBP') + 1 }, ctx)!.markdown, /^\*\*GBP\*\*: pound sterling/);
  const items = new Map(estimateKernel.complete!('', { line: 0, column: 0 }, ctx).map((c) => [c.label, c]));
  for (const u of ['USD', 'EUR', 'GBP', '$', '€', '£', 'dollars', 'euros']) assert.equal(items.get(u)?.kind, 'unit', u);
  assert.match(items.get('USD')!.detail!, /US dollar/);
  // a cost defined in a cell shows its money value in completion and hover
  const defs = runCell('cost = 0.34 USD/hour * 10 -> USD/month').definitions!;
  const later = ctxFor(1, scopeOf(defs));
  assert.equal(
    new Map(estimateKernel.complete!('', { line: 0, column: 0 }, later).map((c) => [c.label, c])).get('cost')?.detail,
    '2,484 USD/month',
  );
  assert.equal(estimateKernel.hover!('x = cost', { line: 0, column: 5 }, later)!.markdown.split('\n')[0], '**cost** = 2483.7 USD/month');
});
