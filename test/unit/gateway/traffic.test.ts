// Traffic a designer describes: an exact trace of arrival times, step changes of the rate, a daily
// cycle, and bursts that queue a few requests without being called an overload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayKernel, runGateway } from '../../../src/kernels/gateway';
import { expectedArrivals, ratePieces } from '../../../src/kernels/gateway/config';
import { emptyScope } from '../../../src/kernels/model';
import { ExecContext, MARKDOWN_MIME } from '../../../src/kernels/types';

const ctx = { cellIndex: 0, scope: emptyScope };
const exec = (): ExecContext => ({
  ...ctx,
  seed: 1,
  budget: { maxEvents: 1e8, maxWallMs: 30_000 },
  isCancelled: () => false,
  notebook: {},
});
function model(src: string) {
  const p = gatewayKernel.parse(src, ctx);
  assert.deepEqual(
    p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
    src,
  );
  return p.parsed!.model;
}
const run = (src: string) => runGateway(model(src), 1, { maxEvents: 1e8, maxWallMs: 30_000 }).total;
const report = (src: string) =>
  (gatewayKernel.execute(gatewayKernel.parse(src, ctx).parsed!, exec()) as any).outputs[0].items[MARKDOWN_MIME] as string;

const service = `replications: 1
gateway: { overhead: 0 }
services:
  s: { latency: { dist: constant, mean: 5 ms } }
routes:
  - { path: /x, service: s }
`;

test('an arrival trace: exact arrivals, exact queueing, a run that ends after the last one', () => {
  // Three at once, then one at 10 ms and one at 20 ms, one server of 5 ms: served 0–5, 5–10, 10–15,
  // 15–20 (waited from 10 ms) and 20–25 ms.
  const src = service + 'traffic:\n  arrivals: [0, 0, 0, 10 ms, 20 ms]\n';
  const m = model(src);
  assert.deepEqual([m.arrivals, m.durationUs], [[0, 0, 0, 10_000, 20_000], 20_001]);
  const t = run(src);
  assert.deepEqual([t.requests, t.latency.min, t.latency.max, t.latency.sum], [5, 5000, 15_000, 45_000]);
  // A duration given runs the trace in it: the same requests, a longer window.
  const longer = run(service + 'traffic:\n  duration: 1 s\n  arrivals: [20 ms, 0, 10 ms, 0, 0]\n');
  assert.deepEqual([longer.requests, longer.latency.sum], [5, 45_000]);
  // Errors: neither rate nor arrivals, both, an arrival past the end; a warning for a shape a trace ignores.
  const cases: [string, string, 'error' | 'warning'][] = [
    ['traffic:\n  duration: 1 s\n', 'no-rate', 'error'],
    ['traffic:\n  rate: 5\n  arrivals: [0]\n', 'rate-and-arrivals', 'error'],
    ['traffic:\n  duration: 1 s\n  arrivals: [0, 1 s]\n', 'after-end', 'error'],
    ['traffic:\n  arrivals: [0]\n  steps: [{ at: 1 s, rate: 5 }]\n', 'ignored-with-trace', 'warning'],
  ];
  for (const [traffic, code, severity] of cases) {
    const d = gatewayKernel.parse(service + traffic, ctx).diagnostics;
    assert.deepEqual(
      d.map((x) => [x.code, x.severity]),
      [[code, severity]],
      traffic,
    );
  }
});

test('seven requests at once are a burst, not "ρ ≥ 1, no steady state"', () => {
  const md = report(service + 'traffic:\n  arrivals: [0, 0, 0, 0, 0, 0, 0]\n');
  assert.doesNotMatch(md, /no steady state/);
  assert.doesNotMatch(md, /overloaded/);
  assert.match(md, /✓ stable: a burst that drains \(busiest: s, 100\.0%\)/);
  assert.match(md, /\| Arrivals \(a trace\) \| 7 \|/);
  assert.match(
    md,
    /A burst, not an overload: s is offered ρ = [\d,]+ at its peak, but only about 7\.0 calls arrive beyond what it serves in that time; they wait and drain\./,
  );
  // The same service offered 300 req/s for a minute is overloaded.
  assert.match(report(service + 'traffic:\n  rate: 300\n  duration: 60 s\n'), /no steady state/);
});

test('the rate over time: steps and a spike as pieces, and their expected arrivals', () => {
  const m = model(
    service +
      'traffic:\n  rate: 100\n  duration: 20 s\n  steps: [{ at: 10 s, rate: 300 }, { at: 5 s, rate: 0 }]\n  spike: { at: 12 s, duration: 1 s, factor: 10 }\n',
  );
  assert.deepEqual(ratePieces(m), [
    { startUs: 0, endUs: 5e6, rate: 100 },
    { startUs: 5e6, endUs: 10e6, rate: 0 },
    { startUs: 10e6, endUs: 12e6, rate: 300 },
    { startUs: 12e6, endUs: 13e6, rate: 3000 },
    { startUs: 13e6, endUs: Infinity, rate: 300 },
  ]);
  // 100·5 + 0·5 + 300·2 + 3000·1 + 300·7
  assert.equal(expectedArrivals(m), 6200);
  assert.equal(expectedArrivals({ ...m, diurnal: { amplitude: 0.5, periodUs: 1, peakUs: 0 } }), 9300); // the cycle's peak: an upper bound
});

test('steps change the Poisson rate; a daily cycle puts more arrivals around its peak', () => {
  const within = (x: number, mean: number, what: string) => assert.ok(Math.abs(x - mean) < 4 * Math.sqrt(mean), `${what}: ${x} vs ${mean}`);
  const halves = (src: string) => {
    const t = run(src);
    const rows = t.series.rows(20e6);
    const first = rows.filter((r) => r.start < 10e6).reduce((a, r) => a + r.values[0], 0);
    return [first, t.requests - first];
  };
  const [a, b] = halves(
    service.replace('constant, mean: 5 ms', 'constant, mean: 0.1 ms') +
      'traffic:\n  rate: 100\n  duration: 20 s\n  steps: [{ at: 10 s, rate: 300 }]\n',
  );
  within(a, 1000, 'before the step');
  within(b, 3000, 'after the step');
  // 100 req/s swinging ±50% over a 20 s period that peaks at 5 s: ∫₀¹⁰ = 1000 + 1000/π, ∫₁₀²⁰ = 1000 − 1000/π.
  const [c, d] = halves(
    service.replace('constant, mean: 5 ms', 'constant, mean: 0.1 ms') +
      'traffic:\n  rate: 100\n  duration: 20 s\n  diurnal: { amplitude: 0.5, period: 20 s, peak: 5 s }\n',
  );
  within(c, 1000 + 1000 / Math.PI, 'the half around the peak');
  within(d, 1000 - 1000 / Math.PI, 'the half around the trough');
  assert.equal(
    gatewayKernel.parse(service + 'traffic:\n  rate: 5\n  pattern: constant\n  steps: [{ at: 1 s, rate: 10 }]\n', ctx).diagnostics[0].code,
    'constant-and-shape',
  );
});

test('a spike above capacity is an overload at its peak, with the calls that pile up', () => {
  // 100 req/s on a 5 ms server (ρ = 0.5), ×4 for 2 s (ρ = 2): about (400 − 200) × 2 = 400 calls pile up.
  const md = report(service + 'traffic:\n  rate: 100\n  duration: 20 s\n  spike: { at: 5 s, duration: 2 s, factor: 4 }\n');
  assert.match(
    md,
    /s is offered up to 400 calls\/s between 5 s and 7 s against a capacity of 200 calls\/s \(ρ = 2\.00 ≥ 1\): about 400 calls pile up there, to drain when the rate falls/,
  );
});

test('a service a cache shields is not called overloaded: a note says what it would be offered without the cache', () => {
  // 400 req/s offered to a 5 ms server (capacity 200 req/s, ρ = 2), but a 30 s cache over 10 keys
  // (starting empty) answers all but the first request per key, so the service is almost idle.
  const src =
    'services:\n  s:\n    latency: { mean: 5 ms }\nroutes:\n  - path: /r/{key}\n    service: s\n    cache: { ttl: 30 s, warm: false }\ntraffic:\n  rate: 400\n  duration: 5 s\n  keys: { count: 10 }\n  requests:\n    - path: /r/{key}\n';
  const md = report(src);
  assert.doesNotMatch(md, /overloaded/);
  assert.match(
    md,
    /s would be offered ρ = 2\.00 \(400 calls\/s against a capacity of 200\), but the gateway's caching and limits take enough off that it is 1\.2% busy: without them it would overload\./,
  );
  // Without the cache the same load is an overload.
  assert.match(report(src.replace('    cache: { ttl: 30 s, warm: false }\n', '')), /overloaded: s offered ρ = 2\.00/);
});
