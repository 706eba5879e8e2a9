// Property tests: arbitrary input never crashes or hangs the kernel, and every diagnostic points
// inside the cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cellNames, estimateKernel, evaluateExpression } from '../../../src/kernels/estimate';
import type { Diagnostic, ExecResult } from '../../../src/kernels/types';
import { scanLine } from '../../../src/kernels/estimate/tokenizer';
import { fmtNumber } from '../../../src/kernels/estimate/format';
import { EMPTY, ctxFor, runNotebook, scopeOf } from './helpers';

const TOKENS = [
  'x',
  'dau',
  'qps',
  '=',
  ' ',
  ' ',
  '+',
  '-',
  '*',
  '/',
  '^',
  '%',
  '(',
  ')',
  ',',
  '->',
  'to',
  'in',
  'per',
  'unit',
  '#',
  '1',
  '2.5',
  '1e6',
  '1_000',
  '100M',
  '5B',
  '3bn',
  'k',
  'million',
  'B',
  'b',
  'GB',
  'GiB',
  'Gbps',
  'req',
  'users',
  's',
  'day',
  'year',
  'min',
  'ceil',
  'max',
  'nines',
  'downtime',
  'serial',
  'l1_ref',
  'photo',
  '\n',
  '\r\n',
  'µs',
  '→',
  '$',
  '²',
  '😀',
  '€',
  '£',
  'USD',
  'EUR',
  'QPS',
  '2^',
  '^-',
  '0',
];

const cellText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join('')),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join(' ')),
);

function inside(source: string, d: Diagnostic): boolean {
  const lines = source.split(/\r\n|\r|\n/);
  const { start, end } = d.range;
  if (start.line < 0 || start.line >= lines.length || end.line < start.line || end.line >= lines.length) return false;
  if (start.column < 0 || start.column > lines[start.line].length) return false;
  if (end.column < 0 || end.column > lines[end.line].length) return false;
  return end.line > start.line || end.column >= start.column;
}

test('fuzz: parse, execute, hover and complete never throw; diagnostics lie inside the cell', () => {
  const scope = scopeOf(runNotebook(['dau = 100M users\nqps = 3 req/s\nunit photo'])[0].definitions!);
  fc.assert(
    fc.property(cellText, fc.nat(10), fc.nat(90), (src, line, column) => {
      const ctx = ctxFor(1, scope);
      const p = estimateKernel.parse(src, ctx);
      for (const d of p.diagnostics) assert.ok(inside(src, d), `${JSON.stringify(src)}: ${JSON.stringify(d)}`);
      const r = estimateKernel.execute(p.parsed!, ctx) as ExecResult;
      assert.equal(typeof r.ok, 'boolean');
      const errs = (r.outputs[0].items['application/vnd.sdnb.error+json'] as { diagnostics?: Diagnostic[] } | undefined)?.diagnostics ?? [];
      for (const d of errs) assert.ok(inside(src, d), `${JSON.stringify(src)}: ${JSON.stringify(d)}`);
      // A cell with errors still defines what it could evaluate: never NaN or Infinity.
      for (const def of r.definitions ?? []) assert.ok(Number.isFinite(def.quantity.value) || def.expression.startsWith('unit '));
      estimateKernel.hover!(src, { line, column }, ctx);
      estimateKernel.complete!(src, { line, column }, ctx);
      cellNames(src);
      const e = evaluateExpression(src, scope);
      if (!e.ok) assert.ok(e.column >= 0 && e.column <= src.length);
    }),
    { numRuns: 1500, seed: 20261127 },
  );
});

test('fuzz: pathological input finishes quickly', () => {
  const t0 = performance.now();
  for (const src of [
    '('.repeat(20_000),
    '-'.repeat(20_000) + '1',
    '1' + ' + 1'.repeat(20_000),
    '9^9^9^9^9^9',
    '1 ' + 'GB '.repeat(5000),
    'x'.repeat(100_000),
  ]) {
    const p = estimateKernel.parse(src, ctxFor(0, EMPTY));
    estimateKernel.execute(p.parsed!, ctxFor(0, EMPTY));
  }
  assert.ok(performance.now() - t0 < 2000);
});

test('fuzz: the scanner reads numbers exactly as Number() does', () => {
  const same = (text: string) => {
    const { tokens, error } = scanLine(text);
    assert.equal(error, undefined);
    assert.equal(tokens[0].t, 'num');
    assert.ok(Object.is(tokens[0].v, Number(text.replace(/_/g, ''))), `${text}: ${tokens[0].v}`);
    assert.equal(tokens[0].e, text.length);
  };
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }), (d) => same(String(d))),
    { numRuns: 3000, seed: 7 },
  );
  fc.assert(
    fc.property(fc.nat(99_999_999), fc.nat(9_999_999), fc.integer({ min: -40, max: 40 }), (a, b, e) => same(`${a}.${b}e${e}`)),
    { numRuns: 3000, seed: 8 },
  );
  for (const t of ['1_000_000', '0.000_1', '9007199254740993', '123456789012345678', '1e-400', '1e400', '00012.50']) same(t);
});

test('fuzz: four significant digits agree with toPrecision(4) away from exact ties', () => {
  fc.assert(
    fc.property(fc.double({ min: 1e-4, max: 999.9, noNaN: true }), (x) => {
      const ref = x.toPrecision(4);
      assert.equal(fmtNumber(x), ref.includes('.') ? ref.replace(/\.?0+$/, '') : ref);
    }),
    { numRuns: 5000, seed: 9 },
  );
});
