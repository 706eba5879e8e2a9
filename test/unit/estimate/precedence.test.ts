// Powers bind before the units written after them: `2^33 B` is (2^33) bytes, as GNU units and numbat
// read it (numbat: exponentiation > implicit multiplication > unary minus). A leading minus applies
// to the whole quantity: `-2^2 B` is -(2^2 B) = -4 B, as in GNU units. Each row has the GNU units
// command that gives the same number (`units -1 -t -- '<from>' '<to>'`).
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
  dims: Record<string, number>;
}

const ROWS: Row[] = [
  { ours: '2^33 B', to: 'B', expected: 8589934592, units: ['2^33 B', 'B'], dims: { information: 1 } },
  { ours: '2^33B', to: 'GiB', expected: 8, units: ['2^33 B', 'GiB'], dims: { information: 1 } },
  { ours: '10^6 users', to: 'users', expected: 1e6, units: ['10^6', '1'], dims: { user: 1 } },
  { ours: '2^10 KiB', to: 'MiB', expected: 1, units: ['2^10 KiB', 'MiB'], dims: { information: 1 } },
  { ours: '-2^2 B', to: 'B', expected: -4, units: ['-2^2 B', 'B'], dims: { information: 1 } },
  { ours: '2^-1 B', to: 'B', expected: 0.5, units: ['2^-1 B', 'B'], dims: { information: 1 } },
  { ours: '2^3^2 B', to: 'B', expected: 512, units: ['2^3^2 B', 'B'], dims: { information: 1 } },
  { ours: '2 ^ 3 s', to: 's', expected: 8, units: ['2 ^ 3 s', 's'], dims: { time: 1 } },
  { ours: '2**10 KiB', to: 'MiB', expected: 1, units: ['2^10 KiB', 'MiB'], dims: { information: 1 } },
  { ours: '1 TB / 2^10 s', to: 'B/s', expected: 976562500, units: ['1 TB / 2^10 s', 'B/s'], dims: { information: 1, time: -1 } },
  { ours: '2^10 KiB / 1 s', to: 'MiB/s', expected: 1, units: ['2^10 KiB / 1 s', 'MiB/s'], dims: { information: 1, time: -1 } },
  { ours: '2^20 req/day', to: 'req/s', expected: 2 ** 20 / 86400, units: ['2^20 / day', '1/s'], dims: { req: 1, time: -1 } },
  { ours: '3 * 2^30 B', to: 'GiB', expected: 3, units: ['3 * 2^30 B', 'GiB'], dims: { information: 1 } },
  { ours: '(2 s)^2', to: 's^2', expected: 4, units: ['(2 s)^2', 's^2'], dims: { time: 2 } },
  { ours: '2 s^2', to: 's^2', expected: 2, units: ['2 s^2', 's^2'], dims: { time: 2 } },
  { ours: '62^7', to: '%', expected: 62 ** 7 * 100, units: ['62^7', 'percent'], dims: {} },
  { ours: '2^50%', to: '%', expected: Math.SQRT2 * 100, units: ['2^0.5', 'percent'], dims: {} },
];

for (const row of ROWS) {
  test(`precedence: ${row.ours} = ${row.expected} ${row.to}`, () => {
    const r = evaluateExpression(row.ours, EMPTY);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.quantity.dims, row.dims);
    const conv = toUnit(r.quantity, row.to);
    assert.ok(conv.ok, JSON.stringify(conv));
    assert.ok(close(conv.value, row.expected, 1e-12), `${conv.value} ≠ ${row.expected}`);
  });
}

test('the precedence table agrees with GNU units, live', { skip: !existsSync('/usr/bin/units') && 'GNU units is not installed' }, () => {
  for (const row of ROWS) {
    const out = execFileSync('/usr/bin/units', ['-1', '-t', '--', row.units[0], row.units[1]], { encoding: 'utf8' }).trim();
    const live = Number(out);
    assert.ok(Number.isFinite(live), `units said ${out} for ${row.units.join(' → ')}`);
    assert.ok(close(row.expected, live, 1e-7), `${row.ours}: table ${row.expected}, GNU units ${live}`);
  }
});

test('a power with units is shown like any quantity and keeps its display hints', () => {
  const shown = (e: string) => {
    const r = evaluateExpression(e, EMPTY);
    assert.ok(r.ok, JSON.stringify(r));
    return r.quantity.display;
  };
  assert.equal(shown('2^33 B'), '8.59 GB');
  assert.equal(shown('2^10 KiB'), '1 MiB');
  assert.equal(shown('10^6 users'), '1M users');
  assert.equal(shown('-2^2 B'), '-4 B');
  assert.equal(shown('2^30 bit'), '1.074 Gbit'); // bits, decimal: the input used no IEC unit
});
