// Property tests: arbitrary input never crashes or hangs the kernel, and every diagnostic points
// inside the cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cellNames, estimateKernel, evaluateExpression } from '../../../src/kernels/estimate';
import type { Diagnostic, ExecResult } from '../../../src/kernels/types';
import { EMPTY, ctxFor, runNotebook, scopeOf } from './helpers';

const TOKENS = [
  'x', 'dau', 'qps', '=', ' ', ' ', '+', '-', '*', '/', '^', '%', '(', ')', ',', '->', 'to', 'in', 'per', 'unit', '#',
  '1', '2.5', '1e6', '1_000', '100M', '5B', '3bn', 'k', 'million', 'B', 'b', 'GB', 'GiB', 'Gbps', 'req', 'users', 's',
  'day', 'year', 'min', 'ceil', 'max', 'nines', 'downtime', 'serial', 'l1_ref', 'photo', '\n', '\r\n', 'µs', '→', '$', '²', '😀',
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
      if (r.ok) for (const def of r.definitions ?? []) assert.ok(Number.isFinite(def.quantity.value) || def.expression.startsWith('unit '));
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
  for (const src of ['('.repeat(20_000), '-'.repeat(20_000) + '1', '1' + ' + 1'.repeat(20_000), '9^9^9^9^9^9', '1 ' + 'GB '.repeat(5000), 'x'.repeat(100_000)]) {
    const p = estimateKernel.parse(src, ctxFor(0, EMPTY));
    estimateKernel.execute(p.parsed!, ctxFor(0, EMPTY));
  }
  assert.ok(performance.now() - t0 < 2000);
});
