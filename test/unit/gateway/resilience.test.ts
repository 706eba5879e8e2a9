// Resilience as the real systems do it: tables of exact cases from Envoy's source (back-off, retry
// budget, outlier detection), gRPC's retry throttling (proposal A6), "The Tail at Scale" (hedging), and
// whole-model traces: per-try and overall timeouts, retries, circuit breakers, bulkheads, and the
// retry storm a budget prevents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayKernel, runGateway } from '../../../src/kernels/gateway';
import { OutlierDetector, RetryThrottle, nextInterval, retryBudgetMax } from '../../../src/kernels/gateway/resilience';

import { ctx, model } from './helpers';
const run = (src: string, seed = 1) => runGateway(model(src), seed, { maxEvents: 1e8, maxWallMs: 60_000 }).total;

test('Envoy back-off: the interval doubles from base while below max / 2, then stays at max (backoff_strategy.cc)', () => {
  const cases: [number, number, number[]][] = [
    [25, 250, [25, 50, 100, 200, 250, 250]], // Envoy's defaults: base 25 ms, max 10 × base
    [10, 35, [10, 20, 35, 35]], // 20 is not below 35 / 2 = 17 (integer division): the next is max
    [100, 100, [100, 100, 100]],
    [1, 1000, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 1000]],
  ];
  for (const [base, max, expected] of cases) {
    const seq = [base];
    while (seq.length < expected.length) seq.push(nextInterval(seq[seq.length - 1], max));
    assert.deepEqual(seq, expected, `${base}/${max}`);
  }
});

test('Envoy retry budget: max(budget_percent × (active + pending), min_retry_concurrency), truncated (resource_manager_impl.h)', () => {
  const cases: [number, number, number, number][] = [
    // active + pending, budget_percent, min_retry_concurrency → retries allowed at once
    [100, 20, 3, 20],
    [10, 20, 3, 3],
    [14, 25, 3, 3], // 3.5 truncates to 3
    [16, 25, 3, 4],
    [0, 20, 3, 3],
    [1000, 0, 0, 0],
    [7, 100, 0, 7],
  ];
  for (const [active, pct, min, max] of cases) assert.equal(retryBudgetMax(active, pct, min), max, `${active} ${pct} ${min}`);
});

test('gRPC retry throttling (A6): a failure takes a token, a success gives token_ratio back; retries while tokens > max / 2', () => {
  const t = new RetryThrottle(10, 0.1);
  const trace: [string, number, boolean][] = [];
  const step = (what: 'fail' | 'ok') => {
    if (what === 'fail') t.failure();
    else t.success();
    trace.push([what, t.tokens, t.allows]);
  };
  for (let i = 0; i < 5; i++) step('fail');
  step('ok');
  step('ok');
  step('fail');
  assert.deepEqual(trace, [
    ['fail', 9, true],
    ['fail', 8, true],
    ['fail', 7, true],
    ['fail', 6, true],
    ['fail', 5, false], // 5 is not above the threshold 5
    ['ok', 5.1, true],
    ['ok', 5.2, true],
    ['fail', 4.2, false],
  ]);
  // Tokens never go below 0 nor above max_tokens.
  const u = new RetryThrottle(3, 1);
  for (let i = 0; i < 10; i++) u.failure();
  assert.equal(u.tokens, 0);
  for (let i = 0; i < 10; i++) u.success();
  assert.equal(u.tokens, 3);
});

test('Envoy outlier detection: consecutive 5xx, max_ejection_percent, ejection time × back-off, returns at sweeps (outlier_detection_impl.cc)', () => {
  const s = 1e6; // µs per second
  const d = new OutlierDetector(10, {
    consecutive: 5,
    baseUs: 30 * s,
    maxUs: 300 * s,
    intervalUs: 10 * s,
    maxPercent: 10,
    alwaysEjectOne: false,
  });
  const fail = (h: number, at: number, n = 1) => {
    let e = false;
    for (let i = 0; i < n; i++) e = d.result(h, true, at * s) || e;
    return e;
  };
  // host 0: the fifth consecutive failure ejects it (1 of 10 = 10% ≤ 10%)
  assert.equal(fail(0, 1, 4), false);
  assert.equal(fail(0, 5), true);
  assert.deepEqual([d.active, d.multiplier(0)], [1, 1]);
  // host 1: a success restarts its count; then five failures, but a second ejection would be 20%
  fail(1, 5, 4);
  d.result(1, false, 5 * s);
  assert.equal(fail(1, 6, 4), false);
  assert.equal(fail(1, 6), false);
  assert.deepEqual([d.ejected[1], d.overflow], [0, 1]);
  // sweeps: host 0 returns at the first sweep at least 30 s × 1 after its ejection (at 5 s): 40 s
  const sweeps: [number, number][] = [];
  for (let t = 10; t <= 40; t += 10) {
    d.sweep(t * s);
    sweeps.push([t, d.ejected[0]]);
  }
  assert.deepEqual(sweeps, [
    [10, 1],
    [20, 1],
    [30, 1],
    [40, 0],
  ]);
  // ejected again at 41 s: now for 60 s (back-off 2), so it returns at the sweep at 110 s, not 100 s
  assert.equal(fail(0, 41, 5), true);
  assert.equal(d.multiplier(0), 2);
  d.sweep(100 * s);
  assert.equal(d.ejected[0], 1);
  d.sweep(110 * s);
  assert.equal(d.ejected[0], 0);
  // in service for a whole interval at each later sweep: the back-off falls by one each time
  d.sweep(120 * s);
  assert.equal(d.multiplier(0), 1);
  d.sweep(130 * s);
  assert.equal(d.multiplier(0), 0);

  // The back-off grows while base × back-off < max + base: at most 11 here, and an ejection lasts at most max.
  const e = new OutlierDetector(1, { consecutive: 1, baseUs: 30, maxUs: 300, intervalUs: 1, maxPercent: 100, alwaysEjectOne: false });
  const multipliers: number[] = [];
  for (let i = 0; i < 13; i++) {
    e.result(0, true, 0);
    multipliers.push(e.multiplier(0));
    e.uneject(0, 0);
  }
  assert.deepEqual(multipliers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11, 11]);

  // Three hosts: one is 33% > 10%, so the default ejects none; always_eject_one_host ejects the first only.
  for (const [always, expected] of [
    [false, [0, 0, 0]],
    [true, [1, 0, 0]],
  ] as const) {
    const x = new OutlierDetector(3, { consecutive: 1, baseUs: 30, maxUs: 300, intervalUs: 10, maxPercent: 10, alwaysEjectOne: always });
    [0, 1, 2].forEach((h) => x.result(h, true, 0));
    assert.deepEqual(Array.from(x.ejected), expected);
  }
});

/** A service answering in a constant time, one request every `gap` ms. */
const cell = (service: string, route: string, gapMs: number, duration = '1 s', extra = '') => `replications: 1
gateway: { overhead: 0 }
services:
  s: ${service}
routes:
  - path: /x
    service: s
${route}
traffic:
  rate: 1 / (${gapMs} ms)
  pattern: constant
  duration: ${duration}
  keys: { count: 1 }
${extra}`;

test('per-try and overall timeouts: tries every 60 ms until the route timeout at 250 ms; the instance finishes every try', () => {
  // One request; a 100 ms service, per-try timeout 60 ms, no back-off, five retries, route timeout 250 ms:
  // tries at 0, 60, 120, 180 and 240 ms, then the route's timeout answers 504 at 250 ms.
  const t = run(
    cell(
      '{ latency: { dist: constant, mean: 100 ms }, concurrency: 10 }',
      '    timeout: 250 ms\n    retry: { attempts: 5, per_try_timeout: 60 ms, backoff: { base: 0 } }',
      1000,
      '1 ms',
    ),
  );
  assert.deepEqual([t.requests, t.status[504], t.latency.max], [1, 1, 250_000]);
  assert.deepEqual([t.svcArrivals[0], t.svcRetries[0], t.svcTryTimeouts[0], t.svcCallTimeouts[0]], [5, 4, 4, 1]);
  assert.equal(t.svcCalls[0], 5); // every try ran to the end at the instance: wasted work
  // Without a per-try timeout the only try takes 100 ms: within a 250 ms route timeout, a 200.
  const one = run(cell('{ latency: { dist: constant, mean: 100 ms } }', '    timeout: 250 ms\n    retry: { attempts: 5 }', 1000, '1 ms'));
  assert.deepEqual([one.status[200], one.latency.max, one.svcArrivals[0]], [1, 100_000, 1]);
});

test('retries: a dead instance is retried on the next one (connect-failure); 5xx only when retry_on says so', () => {
  const svc = '{ instances: 2, latency: { dist: constant, mean: 10 ms }, concurrency: 10 }';
  const dead = 'faults:\n  - { at: 0 s, kill: s/1 }\n';
  // Round robin alternates s/0, s/1, …, and s/1 is dead (the kill at 0 s runs after the first arrival):
  // without retries every other request fails. Without back-off a retry goes at once to the next
  // instance in the round robin, s/0, and the next first try to s/1 again: every request is answered.
  const cases: [string, number, number][] = [
    // retry policy → 200s, 503s out of 100 requests
    ['', 50, 50],
    ['    retry: { attempts: 1, backoff: { base: 0 } }', 100, 0],
    ['    retry: { attempts: 1, on: [connect-failure], backoff: { base: 0 } }', 100, 0],
    ['    retry: { attempts: 1, on: [retriable-4xx], backoff: { base: 0 } }', 50, 50],
  ];
  for (const [route, ok, failed] of cases) {
    const t = run(cell(svc, route, 10, '1 s', dead));
    assert.deepEqual([t.status[200], t.status[503]], [ok, failed], route);
  }
  // An instance answering 500: retried under `5xx`, not under `gateway-error` (502, 503, 504 only).
  const err = '{ latency: { dist: constant, mean: 1 ms }, concurrency: 10, error_rate: 1 }';
  const r5 = run(cell(err, '    retry: { attempts: 2, on: [5xx], backoff: { base: 0 } }', 10));
  const rg = run(cell(err, '    retry: { attempts: 2, on: [gateway-error], backoff: { base: 0 } }', 10));
  assert.deepEqual([r5.svcArrivals[0], r5.status[500]], [300, 100]);
  assert.deepEqual([rg.svcArrivals[0], rg.status[500]], [100, 100]);
});

test('circuit breaker: past max_requests a call fails at once with 503, and is not retried', () => {
  // Ten requests at once (a burst: 10,000/s for 1 ms), a 100 ms service; max_requests 4.
  const src = cell(
    '{ latency: { dist: constant, mean: 100 ms }, concurrency: 10, circuit_breaker: { max_requests: 4 } }',
    '    retry: { attempts: 3 }',
    0.1,
    '1 ms',
  );
  const t = run(src);
  assert.deepEqual([t.requests, t.status[200], t.status[503], t.svcBreakerOpen[0], t.svcRetries[0]], [10, 4, 6, 6, 0]);
  assert.equal(t.latency.min, 0); // the refused ones answer at once
});

test('bulkhead: a route with max_in_flight sheds what does not fit, at once', () => {
  const t = run(cell('{ latency: { dist: constant, mean: 100 ms }, concurrency: 10 }', '    max_in_flight: 3', 0.1, '1 ms'));
  assert.deepEqual([t.status[200], t.status[503], t.routeShed[0], t.svcArrivals[0]], [3, 7, 7, 3]);
});

test('retry storm: with retries and no budget a slow backend multiplies its own load; a retry budget stops it', () => {
  // A backend at ρ = 0.75 (4 servers, 10 ms exponential, 300 req/s). Now and then queueing pushes a try
  // past its 50 ms per-try timeout; it is retried while the instance still does the abandoned work, so
  // the load rises, more tries time out, and the backend ends up doing almost nothing but abandoned
  // tries: every request spends all four. Envoy's retry budget (20% of the calls in flight, at least 3)
  // keeps retries a small share and the backend at its load.
  const base = (budget: string) => `replications: 3
gateway: { overhead: 0 }
services:
  slow:
    concurrency: 4
    latency: { mean: 10 ms }
    queue_limit: 1000
${budget}
routes:
  - path: /x
    service: slow
    timeout: 2 s
    retry: { attempts: 3, per_try_timeout: 50 ms }
traffic:
  rate: 300
  duration: 30 s
`;
  const storm = run(base(''));
  const budget = run(base('    retry_budget: { budget_percent: 20, min_retry_concurrency: 3 }'));
  const perRequest = (t: typeof storm) => t.svcArrivals[0] / t.requests;
  const busy = (t: typeof storm) => t.instBusy[0] / 3 / 4;
  assert.ok(perRequest(storm) > 3.8, `no budget: ${perRequest(storm)} tries per request`);
  assert.ok(busy(storm) > 0.99, `no budget: ${busy(storm)} busy`);
  assert.ok(storm.status[200] / storm.requests < 0.05, `no budget: ${storm.status[200]} of ${storm.requests} answered 200`);
  assert.ok(perRequest(budget) < 1.05, `budget: ${perRequest(budget)} tries per request`);
  assert.ok(busy(budget) < 0.8, `budget: ${busy(budget)} busy`);
  assert.ok(budget.status[200] / budget.requests > 0.95, `budget: ${budget.status[200]} of ${budget.requests} answered 200`);
  assert.ok(budget.svcRetryOverflow[0] > 0, 'the budget refused retries');
});

test('hedged requests (The Tail at Scale): a hedge after 10 ms cuts p99.9 from the slow mode to about 10 ms plus a fast answer, for 2% more requests', () => {
  // Calls take 5 ms, or 1,800 ms with probability 2%. Unhedged, p99.9 is the slow mode. Hedged after 10 ms
  // (no back-off), a request is slow only when both tries are: 0.04% < 0.1%, so p99.9 is 10 + 5 ms; 2% of
  // requests send a second try.
  const src = (hedge: string) => `replications: 4
gateway: { overhead: 0 }
services:
  leaf: { concurrency: 1000, latency: { dist: constant, mean: 5 ms, slow: { probability: 0.02, latency: 1800 ms } } }
routes:
  - path: /x
    service: leaf
${hedge}
traffic:
  rate: 2000
  duration: 20 s
`;
  const plain = run(src(''));
  const hedged = run(src('    retry: { attempts: 1, per_try_timeout: 10 ms, hedge: true, backoff: { base: 0 } }'));
  // Read from the log histogram: within its relative error (0.4%) of the exact value.
  const near = (x: number, exact: number) => Math.abs(x - exact) <= plain.latency.relativeError * exact;
  assert.ok(near(plain.latency.percentile(99.9), 1_800_000), `${plain.latency.percentile(99.9)}`);
  assert.ok(near(hedged.latency.percentile(99.9), 15_000), `${hedged.latency.percentile(99.9)}`);
  const extra = hedged.svcArrivals[0] / hedged.requests - 1;
  const n = hedged.requests;
  assert.ok(Math.abs(extra - 0.02) < 4 * Math.sqrt((0.02 * 0.98) / n), `extra requests ${extra}`);
  assert.equal(hedged.svcHedges[0], hedged.svcArrivals[0] - n);
});

test('gRPC retry throttling in a run: once failures drain the tokens, retries stop', () => {
  const t = run(
    cell(
      '{ latency: { dist: constant, mean: 1 ms }, concurrency: 10, error_rate: 1, retry_throttling: { max_tokens: 10, token_ratio: 0.1 } }',
      '    retry: { attempts: 3, backoff: { base: 0 } }',
      10,
    ),
  );
  // The first request's four tries take the tokens 10 → 6 (each retry allowed while tokens > 5); the
  // second request's failure takes them to 5, no longer above half: no request is retried again.
  assert.deepEqual([t.svcRetries[0], t.svcThrottled[0], t.svcArrivals[0]], [3, 99, 103]);
});

test('retry policy errors and warnings point at their keys', () => {
  const base = (retry: string) =>
    `services:\n  s: {}\nroutes:\n  - path: /x\n    service: s\n    timeout: 1 s\n    retry: ${retry}\ntraffic:\n  rate: 1\n`;
  const cases: [string, string, 'error' | 'warning'][] = [
    ['{ hedge: true }', 'hedge-needs-per-try', 'error'],
    ['{ per_try_timeout: 2 s }', 'per-try-not-shorter', 'warning'],
    ['{ backoff: { base: 50 ms, max: 10 ms } }', 'bad-range', 'error'],
  ];
  for (const [retry, code, severity] of cases) {
    const d = gatewayKernel.parse(base(retry), ctx).diagnostics;
    assert.deepEqual(
      d.map((x) => [x.code, x.severity, x.range.start.line]),
      [[code, severity, 6]],
      retry,
    );
  }
});
