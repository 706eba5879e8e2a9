// Dimension and name errors are found before evaluation, with exact messages and positions
// (zero-based line/column, as in types.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateKernel } from '../../../src/kernels/estimate';
import { ctxFor, errorData, runCell, runNotebook } from './helpers';

interface Case {
  source: string;
  /** [line, startColumn, endColumn, code, message] */
  expect: [number, number, number, string, string];
}

const CASES: Case[] = [
  {
    source: 'qps = 100 req/s\nqps + 100 req',
    expect: [1, 4, 5, 'dimension-mismatch', 'incompatible dimensions in addition (`+`): left hand side `qps` is Req × Time⁻¹, right hand side `100 req` is Req. Suggested fix: divide the right hand side by a Time (e.g. `/ 1 s`).'],
  },
  {
    source: 'total = 5 GB - 3 s',
    expect: [0, 13, 14, 'dimension-mismatch', 'incompatible dimensions in subtraction (`-`): left hand side `5 GB` is Information, right hand side `3 s` is Time.'],
  },
  {
    source: 'daily = 1 TB/day\ndaily + 3 TB',
    expect: [1, 6, 7, 'dimension-mismatch', 'incompatible dimensions in addition (`+`): left hand side `daily` is Information × Time⁻¹  [= Bandwidth], right hand side `3 TB` is Information. Suggested fix: divide the right hand side by a Time (e.g. `/ 1 s`).'],
  },
  {
    source: 'qps = 100 req/s\nqps -> req',
    expect: [1, 4, 10, 'dimension-mismatch', 'cannot convert to `req`: specified dimension: Req, actual dimension: Req × Time⁻¹ (of `qps`). Suggested fix: multiply the expression by a Time (e.g. `* 1 s`).'],
  },
  {
    source: 'x = 1 TB / 1 Gbps -> GB',
    expect: [0, 18, 23, 'dimension-mismatch', 'cannot convert to `GB`: specified dimension: Information, actual dimension: Time (of `1 TB / 1 Gbps`).'],
  },
  {
    source: 'per_user = 2 KB\nper_user -> KB/user',
    expect: [1, 9, 19, 'dimension-mismatch', 'cannot convert to `KB/user`: specified dimension: Information × User⁻¹, actual dimension: Information (of `per_user`). Suggested fix: divide the expression by a User (e.g. `/ 1 user`).'],
  },
  {
    source: 'servers = ceil(3 GB)',
    expect: [0, 10, 20, 'argument-dimension', '`ceil` takes plain numbers; divide by a unit first, e.g. `ceil(x / 1 GB)` (argument type: Information)'],
  },
  {
    source: 'max(1 s, 1 B)',
    expect: [0, 0, 13, 'argument-dimension', 'all arguments of `max` must have the same dimension (argument 2 differs from argument 1) (argument type: Time, Information)'],
  },
  {
    source: 'x = 20 s%',
    expect: [0, 4, 9, 'percent', '`%` applies to plain numbers, but `20 s` is Time'],
  },
  {
    source: 'users = 5B users',
    expect: [0, 8, 16, 'ambiguous-B', '`5B users` is ambiguous: it reads as 5 bytes × users (Information × User), but you may mean 5 billion users. Write `5 bn users` (or `5 billion users`) for billions, or `5 B/user` for bytes per user; `B` is always the byte'],
  },
  {
    source: 'x = 5 B users',
    expect: [0, 4, 13, 'ambiguous-B', '`5 B users` is ambiguous: it reads as 5 bytes × users (Information × User), but you may mean 5 billion users. Write `5 bn users` (or `5 billion users`) for billions, or `5 B/user` for bytes per user; `B` is always the byte'],
  },
  {
    source: 'rate = 100kreq/s',
    expect: [0, 10, 14, 'unknown-unit', 'unknown unit `kreq`; did you mean `100k req`? Magnitudes (k, M, bn) go on the number, units after a space'],
  },
  {
    source: 'unit time',
    expect: [0, 5, 9, 'unit-clash', '`time` names a base dimension; pick another unit name'],
  },
  {
    source: 'x = 3\nunit x',
    expect: [1, 5, 6, 'unit-clash', '`x` is already a name; pick another unit name'],
  },
  {
    source: 'dau = 100M usres',
    expect: [0, 11, 16, 'unknown-unit', 'unknown unit `usres`; did you mean `users`? To count a new kind of thing, declare it on a line above: `unit usres`'],
  },
  {
    source: 'daily_active = 5\nx = 2 * daily_actve',
    expect: [1, 8, 19, 'unknown-name', 'unknown name `daily_actve`; did you mean `daily_active`?'],
  },
  {
    source: 'x = 3\ny = 2 x',
    expect: [1, 6, 7, 'not-a-unit', '`x` is a variable, not a unit: write `*` to multiply (e.g. `2 * x`)'],
  },
  {
    source: 'f = 100 Hz',
    expect: [0, 8, 10, 'unknown-unit', '`Hz` is not supported: write rates per second, e.g. `100 /s` or `100 req/s`'],
  },
  {
    source: 'y = 10 % 3',
    expect: [0, 9, 10, 'syntax', 'expected an operator or the end of the line, found `3` (`%` is percent, not modulo)'],
  },
  {
    source: 'x = (1 + 2',
    expect: [0, 10, 10, 'syntax', 'expected `)`, but the line ends here'],
  },
  {
    source: 'x = 3 $ 4',
    expect: [0, 6, 7, 'syntax', 'unexpected character `$`'],
  },
  {
    source: 'a = 2 ^ 3 s',
    expect: [0, 8, 11, 'dimension-mismatch', 'the exponent must be a plain number, but `3 s` is Time'],
  },
  {
    source: 'flor(2.5)',
    expect: [0, 0, 4, 'unknown-function', 'unknown function `flor`; did you mean `floor`?'],
  },
];

for (const c of CASES) {
  test(`error: ${c.source.replace(/\n/g, ' ⏎ ')}`, () => {
    const p = estimateKernel.parse(c.source, ctxFor(0));
    const errors = p.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    const [line, start, end, code, message] = c.expect;
    assert.deepEqual(errors[0], { range: { start: { line, column: start }, end: { line, column: end } }, severity: 'error', message, code });
    // Execution refuses and lists the same diagnostic; no definitions leak to later cells.
    const r = runCell(c.source);
    assert.equal(r.ok, false);
    assert.equal(r.definitions, undefined);
    assert.deepEqual(errorData(r).diagnostics?.filter((d) => d.severity === 'error'), errors);
  });
}

test('every error of a cell is reported, not just the first', () => {
  const r = runCell('alpha = 1 s + 1 B\nbeta = nope\ngamma = 2 GB');
  assert.equal(r.ok, false);
  assert.deepEqual(
    errorData(r).diagnostics!.map((d) => [d.range.start.line, d.code]),
    [
      [0, 'dimension-mismatch'],
      [1, 'unknown-name'],
    ],
  );
  assert.match(String(r.outputs[0].items['text/markdown']), /\*\*1:13\*\* error: incompatible dimensions in addition/);
});

test('a line that uses a broken name reports only the root cause', () => {
  const p = estimateKernel.parse('alpha = 1 s + 1 B\nbeta = alpha * 2\ngamma = beta + 1 GB', ctxFor(0));
  assert.equal(p.diagnostics.length, 1);
});

test('a dimension error against a name from an earlier cell is found at parse time', () => {
  const [, second] = runNotebook(['qps = 100 req/s', 'total = qps + 5 req']);
  assert.equal(second.ok, false);
  const d = errorData(second).diagnostics![0];
  assert.equal(d.code, 'dimension-mismatch');
  assert.equal(
    d.message,
    'incompatible dimensions in addition (`+`): left hand side `qps` is Req × Time⁻¹ (defined in cell 1, line 1), right hand side `5 req` is Req. Suggested fix: divide the right hand side by a Time (e.g. `/ 1 s`).',
  );
  assert.deepEqual(d.range, { start: { line: 0, column: 12 }, end: { line: 0, column: 13 } });
});

test('runtime problems are errors with positions, never silent Infinity', () => {
  const r = runCell('zero = 0 s\nx = 1 GB / zero');
  assert.equal(r.ok, false);
  const d = errorData(r).diagnostics!.find((x) => x.code === 'evaluation')!;
  assert.equal(d.message, 'division by zero: `/` with a right hand side of 0');
  assert.deepEqual(d.range, { start: { line: 1, column: 9 }, end: { line: 1, column: 10 } });
  const a = runCell('downtime(120%)');
  assert.equal(errorData(a).diagnostics![0].message, '`downtime` needs availabilities between 0% and 100%, got 120%');
});

test('names that hide units or built-ins are flagged as warnings', () => {
  const r = runCell('day = 3\nx = 2 day');
  assert.equal(r.ok, true);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.severity, d.code, d.range.start.column, d.range.end.column]),
    [['warning', 'shadows', 0, 3]],
  );
  // after a number `day` is still the unit
  assert.equal(r.definitions!.find((d) => d.name === 'x')!.quantity.value, 2 * 86400);
  // naming a count after what it counts is fine
  const users = runCell('users = 300M users\nservers = 20 servers\nmore = users * 2');
  assert.deepEqual(users.diagnostics, []);
  assert.equal(users.definitions!.find((d) => d.name === 'more')!.quantity.value, 600e6);
});
