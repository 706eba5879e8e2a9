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
  /** Names the cell still defines: the lines without an error (none unless listed). */
  defines?: string[];
}

const CASES: Case[] = [
  {
    source: 'qps = 100 req/s\nqps + 100 req',
    defines: ['qps'],
    expect: [
      1,
      4,
      5,
      'dimension-mismatch',
      'incompatible dimensions in addition (`+`): left hand side `qps` is Req × Time⁻¹, right hand side `100 req` is Req. Suggested fix: divide the right hand side by a Time (e.g. `/ 1 s`).',
    ],
  },
  {
    source: 'total = 5 GB - 3 s',
    expect: [
      0,
      13,
      14,
      'dimension-mismatch',
      'incompatible dimensions in subtraction (`-`): left hand side `5 GB` is Information, right hand side `3 s` is Time.',
    ],
  },
  {
    source: 'daily = 1 TB/day\ndaily + 3 TB',
    defines: ['daily'],
    expect: [
      1,
      6,
      7,
      'dimension-mismatch',
      'incompatible dimensions in addition (`+`): left hand side `daily` is Information × Time⁻¹  [= Bandwidth], right hand side `3 TB` is Information. Suggested fix: divide the right hand side by a Time (e.g. `/ 1 s`).',
    ],
  },
  {
    source: 'qps = 100 req/s\nqps -> req',
    defines: ['qps'],
    expect: [
      1,
      4,
      10,
      'dimension-mismatch',
      'cannot convert to `req`: specified dimension: Req, actual dimension: Req × Time⁻¹ (of `qps`). Suggested fix: multiply the expression by a Time (e.g. `* 1 s`).',
    ],
  },
  {
    source: 'x = 1 TB / 1 Gbps -> GB',
    expect: [
      0,
      18,
      23,
      'dimension-mismatch',
      'cannot convert to `GB`: specified dimension: Information, actual dimension: Time (of `1 TB / 1 Gbps`).',
    ],
  },
  {
    source: 'per_user = 2 KB\nper_user -> KB/user',
    defines: ['per_user'],
    expect: [
      1,
      9,
      19,
      'dimension-mismatch',
      'cannot convert to `KB/user`: specified dimension: Information × User⁻¹, actual dimension: Information (of `per_user`). Suggested fix: divide the expression by a User (e.g. `/ 1 user`).',
    ],
  },
  {
    source: 'servers = ceil(3 GB)',
    expect: [
      0,
      10,
      20,
      'argument-dimension',
      '`ceil` takes plain numbers; divide by a unit first, e.g. `ceil(x / 1 GB)` (argument type: Information)',
    ],
  },
  {
    source: 'max(1 s, 1 B)',
    expect: [
      0,
      0,
      13,
      'argument-dimension',
      'all arguments of `max` must have the same dimension (argument 2 differs from argument 1) (argument type: Time, Information)',
    ],
  },
  {
    source: 'x = 20 s%',
    expect: [0, 4, 9, 'percent', '`%` applies to plain numbers, but `20 s` is Time'],
  },
  {
    source: 'users = 5B users',
    expect: [
      0,
      8,
      16,
      'ambiguous-B',
      '`5B users` is ambiguous: it reads as 5 bytes × users (Information × User), but you may mean 5 billion users. Write `5 bn users` (or `5 billion users`) for billions, or `5 B/user` for bytes per user; `B` is always the byte',
    ],
  },
  {
    source: 'x = 5 B users',
    expect: [
      0,
      4,
      13,
      'ambiguous-B',
      '`5 B users` is ambiguous: it reads as 5 bytes × users (Information × User), but you may mean 5 billion users. Write `5 bn users` (or `5 billion users`) for billions, or `5 B/user` for bytes per user; `B` is always the byte',
    ],
  },
  {
    source: 'rate = 100kreq/s',
    expect: [
      0,
      10,
      14,
      'unknown-unit',
      'unknown unit `kreq`; did you mean `100k req`? Magnitudes (k, M, bn) go on the number, units after a space',
    ],
  },
  {
    source: 'unit time',
    expect: [0, 5, 9, 'unit-clash', '`time` names a base dimension; pick another unit name'],
  },
  {
    source: 'x = 3\nunit x',
    defines: ['x'],
    expect: [1, 5, 6, 'unit-clash', '`x` is already a name; pick another unit name'],
  },
  {
    source: 'dau = 100M usres',
    expect: [
      0,
      11,
      16,
      'unknown-unit',
      'unknown unit `usres`; did you mean `users`? To count a new kind of thing, declare it on a line above: `unit usres`',
    ],
  },
  {
    source: 'dau = 10m users',
    expect: [0, 8, 9, 'unknown-unit', '`m` is not a unit: write `M` for millions (`10M`), `min` for minutes or `ms` for milliseconds'],
  },
  {
    source: 'x = 3 zzyzx',
    expect: [0, 6, 11, 'unknown-unit', 'unknown unit `zzyzx`. To count a new kind of thing, declare it on a line above: `unit zzyzx`'],
  },
  {
    source: 'daily_active = 5\nx = 2 * daily_actve',
    defines: ['daily_active'],
    expect: [1, 8, 19, 'unknown-name', 'unknown name `daily_actve`; did you mean `daily_active`?'],
  },
  {
    source: 'x = 3\ny = 2 x',
    defines: ['x'],
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
    source: 'budget = $1,200/month',
    expect: [
      0,
      11,
      12,
      'syntax',
      'expected an operator or the end of the line, found `,` (group digits with `_`, as in `1_200`; `,` only separates function arguments)',
    ],
  },
  {
    source: 'ratio = 1,5',
    expect: [0, 9, 10, 'syntax', 'expected an operator or the end of the line, found `,` (write decimals with a point, as in `1.5`)'],
  },
  {
    source: 'x = (1 + 2',
    expect: [0, 10, 10, 'syntax', 'expected `)`, but the line ends here'],
  },
  {
    source: 'x = 3 @ 4',
    expect: [0, 6, 7, 'syntax', 'unexpected character `@`'],
  },
  {
    // `2 ^ 3 s` is (2^3) s; a quantity in the exponent needs parentheses, and is still wrong.
    source: 'a = 2^(3 s)',
    expect: [0, 6, 11, 'dimension-mismatch', 'the exponent must be a plain number, but `(3 s)` is Time'],
  },
  {
    source: 'y = 2^10 x\nx = 3',
    expect: [
      0,
      9,
      10,
      'unknown-unit',
      'unknown unit `x`; did you mean `s`? To count a new kind of thing, declare it on a line above: `unit x`',
    ],
    defines: ['x'],
  },
  {
    source: 'x = 3\ny = 2^10 x',
    expect: [1, 9, 10, 'not-a-unit', '`x` is a variable, not a unit: write `*` to multiply (e.g. `2^10 * x`)'],
    defines: ['x'],
  },
  // Money: each currency is a dimension of its own, never converted into another.
  {
    source: 'total = 1 USD + 1 EUR',
    expect: [
      0,
      14,
      15,
      'dimension-mismatch',
      'incompatible dimensions in addition (`+`): left hand side `1 USD` is USD, right hand side `1 EUR` is EUR. USD and EUR are different currencies and are never converted into each other: declare an exchange rate in `USD/EUR` and multiply by it.',
    ],
  },
  {
    source: 'total = 1 USD + 1 s',
    expect: [
      0,
      14,
      15,
      'dimension-mismatch',
      'incompatible dimensions in addition (`+`): left hand side `1 USD` is USD, right hand side `1 s` is Time.',
    ],
  },
  {
    source: 'budget = $1.2M\nbudget -> EUR',
    expect: [
      1,
      7,
      13,
      'dimension-mismatch',
      'cannot convert to `EUR`: specified dimension: EUR, actual dimension: USD (of `budget`). USD and EUR are different currencies and are never converted into each other: declare an exchange rate in `EUR/USD` and multiply by it.',
    ],
    defines: ['budget'],
  },
  {
    source: 'fee = £2/month - €1/month',
    expect: [
      0,
      15,
      16,
      'dimension-mismatch',
      'incompatible dimensions in subtraction (`-`): left hand side `£2/month` is GBP × Time⁻¹, right hand side `€1/month` is EUR × Time⁻¹. EUR and GBP are different currencies and are never converted into each other: declare an exchange rate in `GBP/EUR` and multiply by it.',
    ],
  },
  {
    source: 'cost = 10 servers * 0.34 USD/hour -> USD/month',
    expect: [
      0,
      34,
      46,
      'dimension-mismatch',
      'cannot convert to `USD/month`: specified dimension: USD × Time⁻¹, actual dimension: USD × Server × Time⁻¹ (of `10 servers * 0.34 USD/hour`). Suggested fix: give the price per server (`USD/server`), or divide the expression by a Server (e.g. `/ 1 server`).',
    ],
  },
  {
    source: 'cost = 5 USD/month + 20 USD',
    expect: [
      0,
      19,
      20,
      'dimension-mismatch',
      'incompatible dimensions in addition (`+`): left hand side `5 USD/month` is USD × Time⁻¹, right hand side `20 USD` is USD. Suggested fix: divide the right hand side by a Time (e.g. `/ 1 month`).',
    ],
  },
  {
    source: 'price = $5 USD',
    expect: [0, 8, 14, 'currency-twice', '`$5 USD` names a currency twice: write `$5` or `5 USD`'],
  },
  {
    source: '$ = 5',
    expect: [0, 0, 1, 'syntax', '`$` is the USD currency symbol and cannot be a name'],
  },
  // QPS, RPS and TPS count requests.
  {
    source: 'tweets = 3472 tweets/s\ntweets -> QPS',
    expect: [
      1,
      7,
      13,
      'dimension-mismatch',
      'cannot convert to `QPS`: specified dimension: Req × Time⁻¹, actual dimension: Tweet × Time⁻¹ (of `tweets`). Suggested fix: if each tweet is one req, multiply the expression by `1 req/tweet`.',
    ],
    defines: ['tweets'],
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
    assert.deepEqual(errors[0], {
      range: { start: { line, column: start }, end: { line, column: end } },
      severity: 'error',
      message,
      code,
    });
    // Execution fails and lists the same diagnostic; only the lines without an error define names.
    const r = runCell(c.source);
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.definitions?.map((d) => d.name),
      c.defines ?? [],
    );
    assert.deepEqual(
      errorData(r).diagnostics?.filter((d) => d.severity === 'error'),
      errors,
    );
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
