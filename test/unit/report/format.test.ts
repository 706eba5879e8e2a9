// Numbers in reports never use exponent notation, at any magnitude.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { significant } from '../../../src/kernels/sim/ci';

test('significant: fixed digits, thousands separators, no exponent at any magnitude', () => {
  const cases: [number, number, string][] = [
    [2000, 3, '2,000'],
    [1040, 3, '1,040'],
    [14.04, 3, '14.0'],
    [0.3, 3, '0.300'],
    [0, 3, '0.00'],
    [0.0753, 2, '0.075'],
    [65.4, 2, '65'],
    [0.000034, 3, '0.0000340'],
    [-0.00123, 2, '-0.0012'],
    [1e21, 3, '1,000,000,000,000,000,000,000'],
    [Infinity, 3, 'Infinity'],
  ];
  for (const [x, d, want] of cases) assert.equal(significant(x, d), want, `significant(${x}, ${d})`);
});
