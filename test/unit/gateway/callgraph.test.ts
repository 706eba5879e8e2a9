// Backends that call backends: sequential steps, parallel steps, cache hops (a hit ratio, or a
// modelled cache keyed on the request key), servers held while their calls run, per-hop load and the
// first hop to saturate. Exact cases use constant service times and evenly spaced arrivals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayKernel, hopFigures, runGateway, topology } from '../../../src/kernels/gateway';
import { findCycle, saturationOrder, visitsFrom } from '../../../src/kernels/gateway/callgraph';
import { saturation } from '../../../src/kernels/gateway/whatif';

import { ctx, model } from './helpers';
const run = (src: string) => runGateway(model(src), 1, { maxEvents: 1e8, maxWallMs: 30_000 });

/** One request every `gap`, constant service times, one key. */
const cell = (services: string, gap = '1 s', duration = '10 s', extra = '') => `replications: 1
gateway: { overhead: 0 }
services:
${services}
routes:
  - { path: /a, service: front }
traffic:
  rate: ${gap === '1 s' ? 1 : `1 / (${gap})`}
  pattern: constant
  duration: ${duration}
  keys: { count: 1 }
${extra}`;

const constant = (ms: number, more = '') => `{ latency: { dist: constant, mean: ${ms} ms }, concurrency: 4${more} }`;

test('a chain in sequence adds latencies; a parallel step waits for the slowest', () => {
  const cases: [string, string, number][] = [
    [
      'sequence front → a → b',
      `  front: { latency: { dist: constant, mean: 5 ms }, concurrency: 4, calls: [{ call: a }, { call: b }] }\n  a: ${constant(10)}\n  b: ${constant(20)}`,
      35_000,
    ],
    [
      'nested front → a → b',
      `  front: { latency: { dist: constant, mean: 5 ms }, concurrency: 4, calls: [{ call: a }] }\n  a: { latency: { dist: constant, mean: 10 ms }, concurrency: 4, calls: [{ call: b }] }\n  b: ${constant(20)}`,
      35_000,
    ],
    [
      'parallel [a, b]',
      `  front: { latency: { dist: constant, mean: 5 ms }, concurrency: 4, calls: [{ parallel: [a, b] }] }\n  a: ${constant(10)}\n  b: ${constant(20)}`,
      25_000,
    ],
    [
      'parallel then sequence',
      `  front: { latency: { dist: constant, mean: 1 ms }, concurrency: 4, calls: [{ parallel: [a, b] }, { call: a }] }\n  a: ${constant(10)}\n  b: ${constant(20)}`,
      31_000,
    ],
  ];
  for (const [name, services, latencyUs] of cases) {
    const t = run(cell(services)).total;
    assert.equal(t.requests, 10, name);
    assert.equal(t.latency.min, latencyUs, name);
    assert.equal(t.latency.max, latencyUs, name);
  }
});

test('a service holds its server while its calls run: one server, a 90 ms database, a request every 200 ms is 50% busy', () => {
  const src = cell(
    `  front: { latency: { dist: constant, mean: 10 ms }, calls: [{ call: db }] }\n  db: { kind: database, latency: { dist: constant, mean: 90 ms } }`,
    '200 ms',
    '10 s',
  );
  const r = run(src);
  const m = model(src);
  // busy time / window: 50 requests × 100 ms over 10 s
  assert.equal(r.total.instBusy[0], 0.5);
  assert.equal(r.total.instBusy[1], 0.45);
  // Per-hop load: front holds its server 100 ms (its own 10 ms and the database's 90 ms): capacity 10 calls/s,
  // so it saturates at 10 req/s; the database (90 ms) at 11.1 req/s.
  const hops = hopFigures(m, r.total, 1);
  assert.deepEqual(
    hops.map((h) => [h.callsPerRequest, +h.capacity.toFixed(6), +h.rho.toFixed(6)]),
    [
      [1, 10, 0.5],
      [1, 11.111111, 0.45],
    ],
  );
  assert.deepEqual(
    saturationOrder(hops).map((h) => m.services[h.service].name),
    ['front', 'db'],
  );
  // A sweep or a solve says why with the time front holds its server, not its own 10 ms (100 req/s).
  assert.equal(
    saturation(m, r)?.reason,
    '`front` reaches ρ = 0.50: its 1 × 1 workers serve 1 / 100 ms (its own work and the calls it waits for) = 10 req/s.',
  );
  // Busier at 190 ms a request: still no queue, and front is the first to saturate.
  const drawn = topology(m);
  assert.match(drawn, /s_db\[\("db ×1"\)\]/);
  assert.match(drawn, /s_front --> s_db/);
});

test('a cache hop with a hit ratio: the database sees the misses', () => {
  const src = `replications: 1
services:
  front: { concurrency: 64, latency: { mean: 1 ms }, calls: [{ call: redis, hit_ratio: 0.8, on_miss: [db] }] }
  redis: { kind: cache, concurrency: 64, latency: { dist: constant, mean: 0.3 ms } }
  db: { kind: database, concurrency: 64, latency: { mean: 5 ms } }
routes:
  - { path: /a, service: front }
traffic:
  rate: 2000
  duration: 20 s
`;
  const t = run(src).total;
  const n = t.svcCalls[1];
  assert.equal(n, t.requests);
  const misses = t.svcCalls[2];
  // Binomial(n, 0.2): within four standard deviations
  const sd = Math.sqrt(n * 0.2 * 0.8);
  assert.ok(Math.abs(misses - 0.2 * n) < 4 * sd, `${misses} of ${n}`);
  assert.equal(t.svcHopHits[1] + t.svcHopMisses[1], n);
  assert.equal(t.svcHopMisses[1], misses);
  const drawn = topology(model(src));
  assert.match(drawn, /s_redis\(\["redis ×1"\]\)/);
  assert.match(drawn, /s_front -\.->\|"on miss"\| s_db/);
});

test('a modelled cache: stored when the miss path succeeds, a hit while now < stored + ttl', () => {
  // It starts empty (`warm: false`), so the trace below is exact.
  // Requests at 0, 1, …, 9 s; the miss at 0 s stores at 0.011 s (1 ms lookup, then 10 ms database).
  const at = (ttl: string) =>
    run(
      cell(
        `  front: { latency: { dist: constant, mean: 0 ms }, concurrency: 4, calls: [{ call: c, on_miss: [db] }] }\n  c: { kind: cache, latency: { dist: constant, mean: 1 ms }, cache: { ttl: ${ttl}, warm: false } }\n  db: ${constant(10)}`,
      ),
    ).total;
  // ttl 2.990 s: fresh until exactly 3.001 s, when the next lookup completes: a miss (fresh only while now <
  // stored + ttl), stored again at 3.011, … misses at 0, 3, 6 and 9 s. One more millisecond and the lookups at
  // 3.001 and 7.001 hit: misses at 0, 4 and 8 s.
  const cases: [string, number, number][] = [
    ['2990 ms', 6, 4],
    ['2991 ms', 7, 3],
    ['100 s', 9, 1],
  ];
  for (const [ttl, hits, misses] of cases) {
    const t = at(ttl);
    assert.deepEqual([t.svcHopHits[1], t.svcHopMisses[1], t.svcCalls[2]], [hits, misses, misses], ttl);
  }
});

test('the call graph: visits per request, cycles refused, bad steps pointed at', () => {
  const g = [
    {
      name: 'front',
      steps: [
        { services: [1], miss: [2], hitRatio: 0.9, timeoutUs: Infinity, policy: -1 },
        { services: [3, 3], miss: [], timeoutUs: Infinity, policy: -1 },
      ],
    },
    { name: 'cache', steps: [] },
    { name: 'db', steps: [{ services: [3], miss: [], timeoutUs: Infinity, policy: -1 }] },
    { name: 'leaf', steps: [] },
  ];
  assert.deepEqual(
    Array.from(visitsFrom(g, 0, (s, k) => g[s].steps[k].hitRatio ?? 0)).map((x) => +x.toFixed(12)),
    [1, 1, 0.1, 2.1],
  );
  assert.equal(findCycle(g), undefined);
  const step = (services: number[], miss: number[] = []) => ({ services, miss, timeoutUs: Infinity, policy: -1 });
  const cyc = [
    { name: 'a', steps: [step([1])] },
    { name: 'b', steps: [step([2])] },
    { name: 'c', steps: [step([], [0])] },
  ];
  assert.deepEqual(findCycle(cyc)?.path, [0, 1, 2, 0]);

  const base = (calls: string) =>
    `services:\n  a:\n    calls: ${calls}\n  b: {}\nroutes:\n  - { path: /x, service: a }\ntraffic:\n  rate: 1\n`;
  const cases: [string, string, number, number][] = [
    ['[{ call: b }, { call: a }]', 'call-cycle', 2, 25],
    ['[{ call: zz }]', 'unknown-service', 2, 20],
    ['[{ call: b, parallel: [b] }]', 'bad-step', 2, 12],
    ['[{ parallel: [b], on_miss: [b] }]', 'bad-step', 2, 29],
    ['[{ call: b, on_miss: [b] }]', 'no-hit-ratio', 2, 23],
    ['[{ call: b, hit_ratio: 0.5 }]', 'bad-step', 2, 23],
  ];
  for (const [calls, code, line, column] of cases) {
    const p = gatewayKernel.parse(base(calls), ctx);
    const d = p.diagnostics.find((x) => x.severity === 'error');
    assert.equal(d?.code, code, `${calls}: ${d?.message}`);
    assert.deepEqual([d!.range.start.line, d!.range.start.column], [line, column], `${calls}: ${d!.message}`);
    assert.equal(p.parsed, undefined);
  }
  const cycle = gatewayKernel.parse(base('[{ call: b }, { call: a }]'), ctx).diagnostics[0];
  assert.equal(cycle.message, 'calls go round in a cycle: a → a; a request would never finish');
});
