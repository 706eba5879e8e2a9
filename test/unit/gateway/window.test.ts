// The measured window: time averages (busy, L) cover the traffic's duration after the warm-up, up to
// when the last request's work drained, never the idle tail a pending timeout timer would add.
// Reference: constant arrivals and constant service with no waiting (at most S·λ = 6 of c = 8 servers
// ever busy), so the busy fraction is exact: every request holds one server for S, and
//   busy = (busy time inside the window) / (c × window),  window = [warm-up, last arrival + S].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runGateway } from '../../../src/kernels/gateway';
import { gatewayFigures } from '../../../src/kernels/gateway/results';
import { buildReport } from '../../../src/kernels/gateway/report';

import { model } from './helpers';

const LAMBDA = 200, // req/s
  S = 0.03, // s held per request
  C = 8;

/** The exact busy fraction over [warmup, last arrival + S] for arrivals at k / λ, k = 0, 1, … while < duration. */
function expectedBusy(durationS: number, warmupS: number): number {
  const n = Math.ceil(durationS * LAMBDA);
  const lastArrival = (n - 1) / LAMBDA;
  let busy = 0;
  for (let k = 0; k < n; k++) {
    const a = k / LAMBDA;
    busy += Math.max(0, a + S - Math.max(a, warmupS)); // the part of its service after the warm-up
  }
  return busy / (C * (lastArrival + S - warmupS));
}

const src = (retry: boolean, durationS: number, timeoutS: number, warmupS = 0) => `replications: 2
services:
  s: { instances: 1, concurrency: ${C}, queue: shared, latency: { dist: constant, mean: ${S * 1000} ms } }
routes:
  - { path: /a, service: s, timeout: ${timeoutS} s${retry ? ', retry: { attempts: 0, per_try_timeout: 200 ms }' : ''} }
traffic:
  rate: ${LAMBDA}
  pattern: constant
  duration: ${durationS} s
  warmup: ${warmupS} s
  requests:
    - path: /a
`;

test('busy, L and the published utilisation cover the traffic and its drain, not a pending timeout (retry or not, 20/60 s, 1/15 s timeout)', () => {
  const cases: [boolean, number, number, number][] = [
    // retry, duration s, route timeout s, warm-up s
    [false, 20, 1, 0],
    [false, 20, 15, 0],
    [true, 20, 1, 0],
    [true, 20, 15, 0], // was 42.9% = 75% × 20 / (20 + 15)
    [false, 60, 1, 0],
    [false, 60, 15, 0],
    [true, 60, 1, 0],
    [true, 60, 15, 0], // was 60 / 75 of it
    [true, 20, 15, 2],
  ];
  for (const [retry, dur, timeout, warmup] of cases) {
    const label = `retry ${retry}, ${dur} s, timeout ${timeout} s, warm-up ${warmup} s`;
    const m = model(src(retry, dur, timeout, warmup));
    const r = runGateway(m, 1, { maxEvents: 1e8, maxWallMs: 60_000 });
    const want = expectedBusy(dur, warmup);
    // 20 s: 4,000 × 30 ms / (8 × 20.025 s) = 0.749064; 60 s: 0.749688; warm-up 2 s: 108.075 / (8 × 18.025) = 0.749480.
    assert.ok(Math.abs(want - 0.75) < 0.001, label);
    for (const rep of r.reps) {
      // Integer-µs clock: the only error is the floating-point sum of the time average's areas.
      assert.ok(Math.abs(rep.busy[0] - want) < 1e-12, `${label}: busy ${rep.busy[0]}, want ${want}`);
      assert.ok(Math.abs(rep.L[0] - C * want) < 1e-9, `${label}: L ${rep.L[0]}`);
      assert.equal(rep.lq[0], 0, label);
    }
    const published = gatewayFigures(m, r.total, r.outcomes.length).get('s.utilisation')!;
    assert.ok(Math.abs(published - want) < 1e-12, `${label}: published ${published}`);
    // The window ends when the last request's work drained: last arrival + 30 ms, per replication.
    assert.equal(r.total.windowUs, r.outcomes.length * Math.round((Math.ceil(dur * LAMBDA) - 1) * 5000 + 30_000 - warmup * 1e6), label);
    for (const o of r.outcomes) assert.equal(o.reason, 'drained', label);
  }
});

test('at 262 req/s (ρ = 0.98) behind a retry policy the report says the service is near capacity', () => {
  const m = model(src(true, 20, 15).replace(`rate: ${LAMBDA}`, 'rate: 262'));
  const r = runGateway(m, 1, { maxEvents: 1e8, maxWallMs: 60_000 });
  // 5,240 arrivals at round(k × 10^6 / 262) µs, the last at 19,996,183 µs; each holds a server 30 ms.
  const want = (5240 * 30_000) / (C * (19_996_183 + 30_000));
  for (const rep of r.reps) assert.ok(Math.abs(rep.busy[0] - want) < 1e-12, `${rep.busy[0]} vs ${want}`);
  assert.equal(want.toFixed(3), '0.981');
  const text = JSON.stringify(buildReport(m, r.total, r.reps, r.outcomes, 1, m.replications));
  assert.match(text, /near capacity: s 98\.1% busy/);
  assert.match(text, /s is 98\.1% busy \(ρ offered 0\.98\)/);
});

/** The headline's items and findings of a model's report. */
function headline(text: string) {
  const m = model(text);
  const r = runGateway(m, 1, { maxEvents: 1e8, maxWallMs: 60_000 });
  const h = buildReport(m, r.total, r.reps, r.outcomes, 1, m.replications).blocks.find((b) => b.type === 'headline');
  assert.ok(h && h.type === 'headline');
  return { items: h.items.map((i) => [i.label, i.value]), findings: h.verdict?.items?.map((i) => i.text) ?? [] };
}

test('answered per second: a trace counts over the measured window (a burst of 7 at t = 0 at one 5 ms server answers 200/s, was 7,000,000/s); a run over its duration', () => {
  const burst = (n: number, concurrency: number) => `replications: 2
services:
  s: { instances: 1, concurrency: ${concurrency}, latency: { dist: constant, mean: 5 ms } }
routes:
  - { path: /o, service: s }
traffic:
  arrivals: [${Array(n).fill(0).join(', ')}]
  requests:
    - path: /o
`;
  // [arrivals, servers, answered label]: n answers over the ceil(n / c) × 5 ms the queue takes to drain.
  const cases: [number, number, string][] = [
    [7, 1, 'Answered 2xx/3xx (200 req/s)'], // 7 / 35 ms
    [7, 7, 'Answered 2xx/3xx (1,400 req/s)'], // 7 / 5 ms
    [8, 4, 'Answered 2xx/3xx (800 req/s)'], // 8 / 10 ms
  ];
  for (const [n, c, label] of cases) assert.deepEqual(headline(burst(n, c)).items[1], [label, '100%'], `${n} on ${c}`);
  // A run with a duration counts its answers over the duration, as its offered load, not over the
  // drain: 10 requests in 1 s at a 2 s service answer 10 per second of traffic (not 10 / 2.9 s).
  const slow = src(false, 1, 15).replace('rate: 200', 'rate: 10').replace('mean: 30 ms', 'mean: 2 s');
  assert.deepEqual(headline(slow).items[1], ['Answered 2xx/3xx (10.0 req/s)', '100%']);
});

test("a timeout finding names the route's per-try timeout beside its overall timeout", () => {
  const cases: [string, string][] = [
    ['retry: { attempts: 0, per_try_timeout: 20 ms }', '100% of /a (timeout 15 s, the default; per try 20 ms)'],
    ['timeout: 1 s, retry: { attempts: 1, per_try_timeout: 20 ms }', '100% of /a (timeout 1 s; per try 20 ms)'],
    ['timeout: 20 ms', '100% of /a (timeout 20 ms)'],
  ];
  for (const [policy, says] of cases) {
    const text = `replications: 1
services:
  s: { instances: 1, concurrency: 8, queue: shared, latency: { dist: constant, mean: 30 ms } }
routes:
  - { path: /a, service: s, ${policy} }
traffic:
  rate: 100
  pattern: constant
  duration: 1 s
  requests:
    - path: /a
`;
    const f = headline(text).findings.find((x) => x.startsWith('A timeout struck'));
    assert.ok(f?.includes(`: ${says}.`), `${policy}: ${f}`);
  }
});
