// The language: numbers and suffixes, units and plurals, display rules and the percent rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateExpression } from '../../../src/kernels/estimate';
import { EMPTY, runCell, tableRows } from './helpers';

function value(expr: string): number {
  const r = evaluateExpression(expr, EMPTY);
  assert.ok(r.ok, `${expr}: ${JSON.stringify(r)}`);
  return r.quantity.value;
}

function shown(expr: string): string {
  const r = evaluateExpression(expr, EMPTY);
  assert.ok(r.ok, `${expr}: ${JSON.stringify(r)}`);
  return r.quantity.display!;
}

const NUMBERS: [string, number][] = [
  ['1_000', 1000],
  ['1_000_000', 1e6],
  ['1e6', 1e6],
  ['2.5', 2.5],
  ['.5', 0.5],
  ['1.5e-3', 0.0015],
  ['100k', 1e5],
  ['100K', 1e5],
  ['100M', 1e8],
  ['2bn', 2e9],
  ['2 bn', 2e9],
  ['3 thousand', 3e3],
  ['3 million', 3e6],
  ['3 billion', 3e9],
  ['3 trillion', 3e12],
  ['2 * million', 2e6],
  ['2^10', 1024],
  ['pow2(20)', 1048576],
  ['kibi * mebi', 2 ** 30],
  ['-3 + 5', 2],
  ['2 ** 3', 8],
  ['ceil(2.1)', 3],
  ['floor(2.9)', 2],
  ['round(2.5)', 3],
  ['min(3, 1, 2)', 1],
  ['max(3, 1, 2)', 3],
  ['log2(1024)', 10],
  ['sqrt(16)', 4],
];

for (const [expr, v] of NUMBERS) test(`number: ${expr} = ${v}`, () => assert.equal(value(expr), v));

test('B is the byte and never a billion; bn and billion are billions', () => {
  assert.equal(value('5B'), 5);
  const five = evaluateExpression('5B', EMPTY);
  assert.ok(five.ok);
  assert.deepEqual(five.quantity.dims, { information: 1 });
  assert.equal(value('5 bn users'), 5e9);
  assert.equal(value('5 billion users'), 5e9);
  assert.equal(value('500 B/user * 2 users'), 1000);
});

test('bits and bytes: b is the bit, B the byte, prefixes are decimal, Ki/Mi binary', () => {
  assert.equal(value('8 b'), 1);
  assert.equal(value('1 Mb'), 125000);
  assert.equal(value('1 MB'), 1e6);
  assert.equal(value('1 KB'), value('1 kB'));
  assert.equal(value('1 KiB'), 1024);
  assert.equal(value('1 Gbps'), 1.25e8);
  assert.equal(value('1 Gbit/s'), 1.25e8);
});

test('plural spellings are the same unit', () => {
  assert.equal(value('3 users + 2 user -> users'), 5);
  assert.equal(value('2 requests + 1 req -> req'), 3);
  assert.equal(value('2 queries + 1 query -> query'), 3);
  assert.equal(value('1 days + 1 day -> h'), 48 * 3600);
  assert.equal(value('10 msg per day * 1 day -> messages'), 10);
});

test('number+unit binds tighter than /', () => {
  assert.equal(value('1 TB / 1 Gbps'), 8000);
  assert.equal(value('1 TB / 1 Gbit/s'), 8000);
  assert.equal(value('1 TB / (1 Gbps)'), 8000);
  assert.equal(value('20 req/user/day * 1 user'), value('20 req/day'));
  assert.equal(value('1 GB / 1 GB/s'), 1);
});

test('to and in convert like ->', () => {
  assert.equal(value('1 GB to MB'), value('1 GB -> MB'));
  assert.equal(shown('1 GB in MB'), '1,000 MB');
  assert.equal(shown('1 GB → MB'), '1,000 MB');
});

const DISPLAY: [string, string][] = [
  ['100M users', '100M users'],
  ['1 user', '1 user'],
  ['1 TB / 1 Gbps', '2.222 h'],
  ['1500 GB', '1.5 TB'],
  ['999.99 kB', '1 MB'],
  ['2048 MB', '2.048 GB'],
  ['2 GiB * 3', '6 GiB'],
  ['1024 MiB', '1 GiB'],
  ['10 Gbps', '10 Gbps'],
  ['10 Gbps + 1 GB/s', '2.25 GB/s'],
  ['3 TB/day', '34.72 MB/s'],
  ['100M/day', '1,157 /s'],
  ['300 msg per day', '0.003472 msg/s'],
  ['100 req/s * 1 day', '8.64M req'],
  ['100M users * 20 req/user/day', '23,150 req/s'],
  ['2 KB/user', '2 kB/user'],
  ['5 years', '5 years'],
  ['1 year', '1 year'],
  ['90 min', '1.5 h'],
  ['0 s', '0 s'],
  ['36 h', '1.5 days'],
  ['l1_ref', '0.5 ns'],
  ['rtt_dc', '500 µs'],
  ['rtt_ca_nl', '150 ms'],
  ['1_000 * 1e6', '1bn'],
  ['3 trillion', '3 trillion'],
  ['12345.678', '12,350'],
  ['0.0000123456', '1.235e-5'],
  ['50%', '50%'],
  ['nines(4)', '99.99%'],
  ['nines(5)', '99.999%'],
  ['serial(99.9%, 99.9%)', '99.8001%'],
  ['parallel(99%, 99%)', '99.99%'],
  ['downtime(99.99%)', '52.6 min/year'],
  ['downtime(99.9%)', '8.766 h/year'],
  ['downtime(99.99%) -> min/month', '4.383 min/month'],
  ['1 TB + 20%', '1.2 TB'],
  ['3472.2 req/s -> req/day', '300M req/day'],
  ['nines(4) -> %', '99.99%'],
  ['2.5 -> %', '250%'],
  ['1 TB / 1 Gbps -> min', '133.3 min'],
];

for (const [expr, text] of DISPLAY) test(`display: ${expr} → ${text}`, () => assert.equal(shown(expr), text));

test('rates are never shown as Hz', () => {
  for (const e of ['100/s', '100M/day', '5 req/s', '1 /ms']) assert.doesNotMatch(shown(e), /Hz/);
});

// Percent rule (Soulver/qalc camp B): `p%` is p/100; `x + p%` and `x - p%` scale x by (1 ± p/100),
// whatever x is; any other use of `p%` is the plain fraction.
const PERCENT: [string, number][] = [
  ['20%', 0.2],
  ['1 TB + 20%', 1.2e12],
  ['1 TB - 20%', 0.8e12],
  ['1 TB * 20%', 0.2e12],
  ['200 + 5%', 210],
  ['200 - 5%', 190],
  ['200 * 5%', 10],
  ['200 + 5/100', 200.05],
  ['1 TB + 20% + 20%', 1.44e12],
  ['50% + 10%', 0.55],
  ['(1 + 20%) * 10', 12],
  ['300M users * 50% -> users', 150e6],
  ['1 TB + -5%', 0.95e12],
  ['1 TB - -5%', 1.05e12],
  ['1 TB + (5%)', 1.05e12],
  ['200 + (-5%)', 190],
  ['200 * -5%', -10],
];
for (const [expr, v] of PERCENT)
  test(`percent: ${expr} = ${v}`, () => assert.ok(Math.abs(value(expr) - v) < 1e-9 * Math.max(1, Math.abs(v)), `${value(expr)}`));

test('the output table has one row per valued line, — for unnamed ones, and the expression text', () => {
  const r = runCell('# a comment\ndau = 100M users   # trailing comment\n\ndau / 1 day\nunit photo\n');
  assert.equal(r.ok, true);
  assert.deepEqual(tableRows(r), [
    ['dau', '100M users', '100M users'],
    ['—', '1,157 users/s', 'dau / 1 day'],
  ]);
  assert.match(String(r.outputs[0].items['text/markdown']), /\| dau \| 100M users \| 100M users \|/);
});

test('a unit declaration makes a new countable dimension; plurals follow', () => {
  const r = runCell('unit widget\nmade = 3 widgets/day\nmade * 2 day -> widget');
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  // rates stay per second, even slow ones
  assert.deepEqual(
    tableRows(r).map((x) => x[1]),
    ['3.472e-5 widgets/s', '6 widget'],
  );
  assert.deepEqual(
    r.definitions!.map((d) => [d.name, d.expression, d.quantity.dims]),
    [
      ['widget', 'unit widget', { widget: 1 }],
      ['made', '3 widgets/day', { time: -1, widget: 1 }],
    ],
  );
  const bad = runCell('unit widget\nx = 3 widgets + 2 req');
  assert.equal(bad.ok, false);
});

test('QPS, RPS and TPS are request rates and do not clash with names', () => {
  const r = runCell(
    ['qps = 100 QPS', 'rps = 2 * qps -> RPS', 'tps = 1M req/day -> TPS', 'peak = 3 * qps', 'peak -> QPS', 'QPS = 5'].join('\n'),
  );
  assert.equal(r.ok, true);
  assert.deepEqual(
    tableRows(r).map((x) => [x[0], x[1]]),
    [
      ['qps', '100 req/s'],
      ['rps', '200 RPS'],
      ['tps', '11.57 TPS'],
      ['peak', '300 req/s'],
      ['—', '300 QPS'],
      ['QPS', '5'],
    ],
  );
  assert.deepEqual(r.definitions!.find((d) => d.name === 'qps')!.quantity.dims, { req: 1, time: -1 });
  // `qps` (lower case) is a name, as before; `QPS` the unit, so naming a value `QPS` is flagged
  assert.deepEqual(
    r.diagnostics.map((d) => [d.severity, d.range.start.line, d.message]),
    [['warning', 5, '`QPS` hides the unit `QPS` in expressions below (after a number it still means the unit)']],
  );
});
