// What the gateway tests share: a model parsed from YAML, with no error (the test fails on one).
import assert from 'node:assert/strict';
import { gatewayKernel } from '../../../src/kernels/gateway';
import { emptyScope } from '../../../src/kernels/model';

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
