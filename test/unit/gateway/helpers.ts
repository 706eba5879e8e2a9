// What the gateway tests share: a model parsed from YAML, with no error (the test fails on one).
import assert from 'node:assert/strict';
import { gatewayKernel } from '../../../src/kernels/gateway';
import { emptyScope } from '../../../src/kernels/model';
import type { Verdict } from '../../../src/kernels/types';

export const ctx = { cellIndex: 0, scope: emptyScope };

/** The model of a gateway cell's source; any error fails the test, naming the source. */
export function model(src: string) {
  const p = gatewayKernel.parse(src, ctx);
  assert.deepEqual(
    p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
    src,
  );
  return p.parsed!.model;
}

/** A met check of requirement `id` in milliseconds (limit 50 ms), as the closed form is asked about. */
export const msVerdict = (check: string, id = 'NFR1'): Verdict => ({
  id,
  check,
  status: 'met',
  message: '',
  cellIndex: 1,
  range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
  reads: [],
  figures: { measured: 0, low: 0, high: 0, limit: 50, unit: 'ms', factor: 1e-3 },
});
