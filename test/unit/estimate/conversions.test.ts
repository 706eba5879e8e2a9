// Conversions, prefixes, rates, bandwidth, availability and percent, checked against GNU units.
// Each row: our expression, the unit we ask for, the exact expected number, and the GNU units
// command (`units -1 -t '<from>' '<to>'`) that gave it. GNU units has no countable units, so
// counts appear there as plain numbers; its `year` is tropical, so rows use `julianyear`
// (365.25 days, our `year`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { evaluateExpression, toUnit } from '../../../src/kernels/estimate';
import { EMPTY, close } from './helpers';

interface Row {
  ours: string;
  to: string;
  expected: number;
  units: [string, string];
  /** Relative tolerance where `1 − 0.9999` loses digits in binary floating point. */
  rel?: number;
}

const ROWS: Row[] = [
  // precedence: number+unit binds tighter than `/`
  { ours: '1 TB / 1 Gbps', to: 's', expected: 8000, units: ['1 TB/(1 Gbit/s)', 's'] }, // 8000
  { ours: '1 TB / 1 Gbit/s', to: 's', expected: 8000, units: ['1 TB/(1 Gbit/s)', 's'] }, // 8000
  { ours: '1 PB / 10 Gbps', to: 'days', expected: 1e15 / 1.25e9 / 86400, units: ['1 PB / (10 Gbit/s)', 'days'] }, // 9.2592593
  { ours: '1 TB / 1 GB/s', to: 'min', expected: 1000 / 60, units: ['1 TB/(1 GB/s)', 'min'] }, // 16.666667
  { ours: '1 GB / 100 MB/s', to: 's', expected: 10, units: ['1 GB / (100 MB/s)', 's'] }, // 10
  // bandwidth: bits ↔ bytes
  { ours: '10 Gbps', to: 'GB/s', expected: 1.25, units: ['10 Gbit/s', 'GB/s'] }, // 1.25
  { ours: '100 Mbps', to: 'MB/s', expected: 12.5, units: ['100 Mbit/s', 'MB/s'] }, // 12.5
  { ours: '1 Gbps * 1 h', to: 'GB', expected: 450, units: ['1 Gbit/s * 1 hour', 'GB'] }, // 450
  { ours: '5 Mbps * 1 min', to: 'MB', expected: 37.5, units: ['5 Mbit/s * 1 min', 'MB'] }, // 37.5
  { ours: '3 TB/day', to: 'MB/s', expected: 3e6 / 86400, units: ['3 TB/day', 'MB/s'] }, // 34.722222
  // prefixes: decimal SI, KB = kB, binary IEC
  { ours: '1 kB', to: 'B', expected: 1000, units: ['1 kB', 'B'] }, // 1000
  { ours: '1 KB', to: 'B', expected: 1000, units: ['1 kB', 'B'] }, // 1000 (GNU units has no KB; KB = kB here)
  { ours: '1 KiB', to: 'B', expected: 1024, units: ['1 KiB', 'B'] }, // 1024
  { ours: '1 MiB', to: 'KiB', expected: 1024, units: ['1 MiB', 'KiB'] }, // 1024
  { ours: '1 GiB', to: 'MB', expected: 1073.741824, units: ['1 GiB', 'MB'] }, // 1073.7418
  { ours: '1 TiB', to: 'TB', expected: 1.099511627776, units: ['1 TiB', 'TB'] }, // 1.0995116
  { ours: '1 Gbit', to: 'MiB', expected: 1e9 / 8 / 2 ** 20, units: ['1 Gbit', 'MiB'] }, // 119.20929
  { ours: '8 bit', to: 'B', expected: 1, units: ['8 bit', 'B'] }, // 1
  { ours: '1 EB', to: 'PB', expected: 1000, units: ['1 EB', 'PB'] }, // 1000
  // time: year = 365.25 days, month = year / 12
  { ours: '1 year', to: 'days', expected: 365.25, units: ['1 julianyear', 'days'] }, // 365.25
  { ours: '1 month', to: 'days', expected: 30.4375, units: ['julianyear/12', 'days'] }, // 30.4375
  { ours: 'l1_ref * 1M', to: 'ms', expected: 0.5, units: ['0.5 ns * 1e6', 'ms'] }, // 0.5
  { ours: 'rtt_ca_nl / rtt_dc', to: '%', expected: 30000, units: ['150 ms / 500 microsecond', 'percent'] }, // 30000
  // rates: counts per time
  { ours: '100M users * 20 req/user/day', to: 'req/s', expected: 2e9 / 86400, units: ['20*100e6/day', '1/s'] }, // 23148.148
  { ours: '100M/day', to: '/s', expected: 1e8 / 86400, units: ['100e6/day', '1/s'] }, // 1157.4074
  { ours: '500 B * 100M/day * 5 years', to: 'TB', expected: 91.3125, units: ['500 B * 100e6/day * 5 julianyear', 'TB'] }, // 91.3125
  // request rates: QPS, RPS and TPS are req/s
  { ours: '100 QPS', to: 'req/s', expected: 100, units: ['100/s', '1/s'] }, // 100
  { ours: '5k RPS * 1 day', to: 'req', expected: 4.32e8, units: ['5000/s * 1 day', '1'] }, // 4.32e+08
  { ours: '100M users * 20 req/user/day', to: 'QPS', expected: 2e9 / 86400, units: ['20*100e6/day', '1/s'] }, // 23148.148
  { ours: '1M req/day', to: 'TPS', expected: 1e6 / 86400, units: ['1e6/day', '1/s'] }, // 11.574074
  { ours: '3 * 1500 TPS', to: 'req/min', expected: 270_000, units: ['3 * 1500/s', '1/min'] }, // 270000
  // availability
  { ours: 'downtime(99.99%)', to: 'min/year', expected: 52.596, units: ['(1-0.9999) julianyear', 'min'], rel: 1e-9 }, // 52.596
  { ours: 'downtime(99.9%)', to: 'h/year', expected: 8.766, units: ['(1-0.999) julianyear', 'hour'], rel: 1e-9 }, // 8.766
  { ours: 'downtime(nines(5))', to: 'min/year', expected: 5.2596, units: ['(1-0.99999) julianyear', 'min'], rel: 1e-9 }, // 5.2596
  { ours: 'nines(3)', to: '%', expected: 99.9, units: ['0.999', 'percent'] }, // 99.9
  { ours: 'serial(99.9%, 99.9%)', to: '%', expected: 99.8001, units: ['0.999 * 0.999', 'percent'] }, // 99.8001
  { ours: 'parallel(99%, 99%)', to: '%', expected: 99.99, units: ['1-(1-0.99)^2', 'percent'] }, // 99.99
  // percent: `x + p%` is x·(1 + p/100)
  { ours: '1 TB + 20%', to: 'GB', expected: 1200, units: ['1 TB * 1.2', 'GB'] }, // 1200
  { ours: '1 TB - 20%', to: 'GB', expected: 800, units: ['1 TB * 0.8', 'GB'] }, // 800
  { ours: '1 TB * 20%', to: 'GB', expected: 200, units: ['1 TB * 20 percent', 'GB'] }, // 200
  // powers of two
  { ours: '2^10', to: '%', expected: 102400, units: ['2^10', 'percent'] }, // 102400
  { ours: 'pow2(20) * 1 B', to: 'MiB', expected: 1, units: ['2^20 B', 'MiB'] }, // 1
];

for (const row of ROWS) {
  test(`${row.ours} -> ${row.to} = ${row.expected}`, () => {
    const viaArrow = evaluateExpression(`${row.ours} -> ${row.to}`, EMPTY);
    assert.ok(viaArrow.ok, JSON.stringify(viaArrow));
    const plain = evaluateExpression(row.ours, EMPTY);
    assert.ok(plain.ok, JSON.stringify(plain));
    const conv = toUnit(plain.quantity, row.to);
    assert.ok(conv.ok, JSON.stringify(conv));
    assert.ok(close(conv.value, row.expected, row.rel), `${conv.value} ≠ ${row.expected}`);
    assert.equal(viaArrow.quantity.value, plain.quantity.value);
  });
}

test('the table agrees with GNU units, live', { skip: !existsSync('/usr/bin/units') && 'GNU units is not installed' }, () => {
  for (const row of ROWS) {
    const out = execFileSync('/usr/bin/units', ['-1', '-t', row.units[0], row.units[1]], { encoding: 'utf8' }).trim();
    const live = Number(out);
    assert.ok(Number.isFinite(live), `units said ${out} for ${row.units.join(' → ')}`);
    // `units -1 -t` prints 8 significant digits.
    assert.ok(close(row.expected, live, 1e-7), `${row.ours}: table ${row.expected}, GNU units ${live}`);
  }
});

test('toUnit explains a dimension mismatch instead of returning a number', () => {
  const q = evaluateExpression('3472 req/s', EMPTY);
  assert.ok(q.ok);
  assert.deepEqual(toUnit(q.quantity, 'req/s'), { ok: true, value: 3472 });
  assert.deepEqual(toUnit(q.quantity, 'req'), { ok: false, message: 'expected Req (`req`), got Req × Time⁻¹ (3,472 req/s)' });
  assert.deepEqual(toUnit(q.quantity, 'furlong'), { ok: false, message: 'unknown unit `furlong`' });
});
