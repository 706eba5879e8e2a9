// Every percentile a gateway report shows is a named result (`checkout.p95`, `checkout.p999` for
// 99.9), declared before the run so a check on it type-checks, and published with its interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../../src/kernels/all';
import { runGateway } from '../../../src/kernels/gateway';
import { gatewayResultSpecs, gatewayResultValues, percentileKey, publishedPercentiles } from '../../../src/kernels/gateway/results';
import { measuredResults } from '../../../src/kernels/model';
import { meanCI95 } from '../../../src/kernels/sim/ci';
import { mmcResponseQuantile } from '../../../src/kernels/sim/capacity';
import { closedForm } from '../../../src/kernels/gateway/whatif';
import { NotebookAnalysis } from '../../../src/analysis/analysis';
import { parseNotebook } from '../../../src/format/sdnb';

import { model, msVerdict } from './helpers';

test('a percentile is published as p and its digits without the point (docs/verdicts.md: p999 for 99.9)', () => {
  const cases: [number, string | undefined][] = [
    [50, 'p50'],
    [95, 'p95'],
    [99, 'p99'],
    [99.9, 'p999'],
    [99.99, 'p9999'],
    [99.5, 'p995'],
    [0.5, 'p05'],
    [100, 'p100'],
    [1e-7, undefined], // no digits to name it by
  ];
  for (const [p, key] of cases) assert.equal(percentileKey(p), key, String(p));
});

test("the published percentiles: p50, p90, p99, p999, then the model's own (once each)", () => {
  const cases: [number[], string[]][] = [
    [
      [50, 99],
      ['p50', 'p90', 'p99', 'p999'],
    ],
    [
      [50, 95],
      ['p50', 'p90', 'p99', 'p999', 'p95'],
    ],
    [
      [95, 99.9, 99.99, 75],
      ['p50', 'p90', 'p99', 'p999', 'p95', 'p9999', 'p75'],
    ],
    [
      [12.5, 1.25],
      ['p50', 'p90', 'p99', 'p999', 'p125'],
    ], // both are `p125`: the first wins
  ];
  for (const [percentiles, keys] of cases)
    assert.deepEqual(
      publishedPercentiles({ percentiles }).map(([k]) => k),
      keys,
      percentiles.join(','),
    );
  assert.deepEqual(publishedPercentiles({ percentiles: [95, 21, 99.9] }).slice(4), [
    ['p95', 95, '95th-percentile latency of every measured request'],
    ['p21', 21, '21st-percentile latency of every measured request'],
  ]);
});

const checkout = (extra = '') => `\`\`\`gateway
name: checkout
replications: 3
percentiles: [50, 95]
services:
  orders: { instances: 2, concurrency: 8, latency: { dist: exponential, mean: 10 ms } }
routes:
  - { path: /checkout, service: orders }
traffic:
  rate: 1000
  duration: 2 s
  requests:
    - path: /checkout
\`\`\`
${extra}`;

test('before the run, `checkout.p95` is declared (pending), so `require NFR2: checkout.p95 <= 50 ms` is not an unknown name', () => {
  const nb = parseNotebook(`# T\n\n${checkout('\n```estimate\nrequire NFR2: checkout.p95 <= 50 ms\n```\n')}`);
  const a = new NotebookAnalysis().update(nb.cells);
  const p95 = a.cell(1)!.defines.find((d) => d.name === 'checkout.p95');
  assert.deepEqual([p95?.quantity.dims, p95?.pending], [{ time: 1 }, 'run the `checkout` model (cell 2)']);
  assert.deepEqual(
    a.cell(2)!.verdicts.map((v) => v.status),
    ['pending'],
  );
  assert.deepEqual(
    a.cell(2)!.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
});

test('after the run, p95 is the pooled nearest-rank percentile with the 95% interval of the replications', () => {
  const m = model(checkout().replace(/```\w*\n?/g, ''));
  const run = runGateway(m, 7, { maxEvents: 1e8, maxWallMs: 60_000 });
  const defs = measuredResults('checkout', gatewayResultSpecs(m), gatewayResultValues(m, run), 0, {
    start: { line: 0, column: 0 },
    end: { line: 0, column: 0 },
  });
  const p95 = defs.find((d) => d.name === 'checkout.p95')!;
  assert.equal(p95.quantity.value, run.total.latency.percentile(95) / 1e6);
  const perRep = run.repFigures.map((f) => f.get('p95')!);
  assert.equal(perRep.length, 3);
  const hw = meanCI95(perRep).halfWidth;
  assert.deepEqual(p95.quantity.ci, { low: p95.quantity.value - hw, high: p95.quantity.value + hw });
  // Each replication's p95 is read from its own histogram, as the report's table reads it.
  run.reps.forEach((r, i) => assert.ok(Math.abs(r.percentilesMs[1] / 1000 - perRep[i]) < 1e-15));
  assert.ok(hw > 0);
});

test('a trace of 20 simultaneous requests at one 5 ms server: p95 is the 19th latency, p50 the 10th (nearest rank)', () => {
  const m = model(`name: t
replications: 1
percentiles: [50, 95]
services:
  s: { instances: 1, concurrency: 1, latency: { dist: constant, mean: 5 ms } }
routes:
  - { path: /o, service: s }
traffic:
  arrivals: [${Array(20).fill(0).join(', ')}]
  requests:
    - path: /o
`);
  const run = runGateway(m, 1, { maxEvents: 1e8, maxWallMs: 60_000 });
  const v = gatewayResultValues(m, run);
  // The k-th request in line answers after k × 5 ms, plus the gateway's overhead; the histogram
  // reads a value to within 2^-8 of it (its bucket's midpoint, clamped to the observed range).
  const cases: [string, number][] = [
    ['p50', 10],
    ['p95', 19],
    ['p99', 20],
    ['p999', 20],
  ];
  for (const [key, k] of cases) {
    const exact = (k * 5000 + m.overheadUs) / 1e6;
    const got = v.get(key)!.value;
    assert.ok(Math.abs(got - exact) <= exact / 256, `${key}: ${got} vs ${exact}`);
  }
  assert.notEqual(v.get('p95')!.value, v.get('p99')!.value);
});

test("the M/M/c curve beside a sweep's points reads any published percentile (p95, with `percentiles: [50, 95]`) as it reads p99", () => {
  const m = model(checkout().replace(/```\w*\n?/g, ''));
  const verdict = (check: string) => msVerdict(check, 'NFR2');
  const checks = ['checkout.p95 <= 50 ms', 'checkout.p99 <= 50 ms', 'checkout.p75 <= 50 ms'];
  const curve = closedForm(m, checks.map(verdict))!;
  // Each instance is an M/M/8 queue at 500 req/s, μ = 100/s; the gateway's overhead is added.
  const cases: [string, number | undefined][] = [
    ['NFR2|checkout.p95 <= 50 ms', (mmcResponseQuantile(500, 100, 8, 0.95)! + m.overheadUs / 1e6) / 1e-3],
    ['NFR2|checkout.p99 <= 50 ms', (mmcResponseQuantile(500, 100, 8, 0.99)! + m.overheadUs / 1e6) / 1e-3],
    ['NFR2|checkout.p75 <= 50 ms', undefined], // not published: no curve
  ];
  assert.equal(curve.name, 'M/M/c');
  for (const [key, want] of cases) assert.equal(curve.values.get(key), want, key);
});
