// The route cache's capacity (LRU on `max_entries` / `max_size`): exact traces, the simulator against a
// plain reference LRU on the same key sequence, the hit ratio under Zipf popularity against Che's
// approximation, and a capacity that holds every key giving the unbounded cache's results exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewaySim, gatewayKernel, runGateway } from '../../../src/kernels/gateway';
import { RouteCache } from '../../../src/kernels/gateway/cache';
import { emptyScope } from '../../../src/kernels/model';
import { evaluateExpression } from '../../../src/kernels/estimate';
import { Rng, Zipf, meanCI95 } from '../../../src/kernels/sim';
import { Scope } from '../../../src/kernels/types';

const ctx = { cellIndex: 0, scope: emptyScope };

function model(src: string, c = ctx) {
  const p = gatewayKernel.parse(src, c);
  assert.deepEqual(
    p.diagnostics.filter((d) => d.severity === 'error'),
    [],
    src,
  );
  return p.parsed!.model;
}

// One GET route over `{key}`, one client; the service answers in `latencyMs` (constant).
const keyed = (
  cache: string,
  o: { keys: number; zipf: number; rate: number; duration: number; warmup?: number; reps?: number; latencyMs?: number; pattern?: string },
) => `replications: ${o.reps ?? 1}
gateway: { overhead: 0, auth_latency: 0, cache_latency: 0 }
services:
  s: { latency: { dist: constant, mean: ${o.latencyMs ?? 0} ms }, concurrency: 100 }
routes:
  - path: "/items/{id}"
    service: s
    cache: ${cache}
traffic:
  rate: ${o.rate}
  pattern: ${o.pattern ?? 'constant'}
  duration: ${o.duration} s
  warmup: ${o.warmup ?? 0} s
  keys: { count: ${o.keys}, zipf: ${o.zipf} }
  requests:
    - { path: "/items/{key}" }
`;

const FOREVER = 1e15;

/** Drives a cache the way the simulator does with zero upstream latency: a miss stores at once. */
function drive(c: RouteCache, keys: number[], ttl = FOREVER, bytes = (_k: number) => 1) {
  let hits = 0,
    misses = 0,
    evictions = 0;
  keys.forEach((k, t) => {
    if (c.lookup(k, t)) hits++;
    else {
      misses++;
      evictions += c.store(k, t + ttl, bytes(k));
    }
  });
  return { hits, misses, evictions };
}

test('LRU trace: the textbook reference string with 3 frames gives 12 misses', () => {
  // Silberschatz, Galvin & Gagne, Operating System Concepts, "LRU page replacement": the reference
  // string 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 with three frames has 12 faults (FIFO 15, OPT 9).
  const ref = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];
  const c = new RouteCache(8, 3);
  // the first three misses fill the frames; every later miss evicts one
  assert.deepEqual(drive(c, ref), { hits: 8, misses: 12, evictions: 9 });
  assert.deepEqual(c.order(), [7, 0, 1]); // least to most recently used
  assert.equal(c.entries, 3);
  // the same string with 4 frames: 8 faults (by hand; LRU is a stack algorithm, so more frames never fault more)
  assert.deepEqual(drive(new RouteCache(8, 4), ref), { hits: 12, misses: 8, evictions: 4 });
  // capacity at least the distinct keys (7, 0, 1, 2, 3, 4): only the 6 compulsory misses
  assert.deepEqual(drive(new RouteCache(8, 6), ref), { hits: 14, misses: 6, evictions: 0 });
  assert.deepEqual(drive(new RouteCache(8), ref), { hits: 14, misses: 6, evictions: 0 });
});

test('LRU trace: a hit refreshes recency; max_size evicts as many entries as it takes', () => {
  // entries 1: a b a c b → c evicts b (a was refreshed), b evicts a
  const c1 = new RouteCache(4, 2);
  assert.deepEqual(drive(c1, [0, 1, 0, 2]), { hits: 1, misses: 3, evictions: 1 });
  assert.deepEqual(c1.order(), [0, 2]);
  // bytes: 1000 B with entries of 400, 300, 300, 600, 1200 B
  const size = [400, 300, 300, 600, 1200];
  const c = new RouteCache(8, Infinity, 1000);
  assert.equal(c.store(0, FOREVER, size[0]), 0);
  assert.equal(c.store(1, FOREVER, size[1]), 0);
  assert.equal(c.store(2, FOREVER, size[2]), 0);
  assert.equal(c.bytes, 1000); // exactly full is allowed
  assert.ok(c.lookup(0, 1)); // 0 is now the most recent: order 1, 2, 0
  assert.equal(c.store(3, FOREVER, size[3]), 2); // 1000 + 600: drop 1 (1300 > 1000), then 2 (1000)
  assert.deepEqual(c.order(), [0, 3]);
  assert.equal(c.bytes, 1000);
  assert.equal(c.store(4, FOREVER, size[4]), 0); // larger than the whole cache: not stored, nothing dropped
  assert.deepEqual([c.order(), c.bytes, c.lookup(4, 2)], [[0, 3], 1000, false]);
  // both limits: 2 entries and 1000 B; whichever binds evicts
  const b = new RouteCache(8, 2, 1000);
  assert.deepEqual(
    drive(b, [0, 1, 2], FOREVER, () => 100),
    { hits: 0, misses: 3, evictions: 1 },
  ); // entry limit
  assert.deepEqual(
    drive(b, [3], FOREVER, () => 950),
    { hits: 0, misses: 1, evictions: 2 },
  ); // 200 + 950 B: the byte limit drops both
  assert.deepEqual([b.order(), b.entries, b.bytes], [[3], 1, 950]);
});

test('LRU trace: an expired entry is a miss, keeps its place, and is replaced without an eviction', () => {
  const c = new RouteCache(4, 2);
  c.store(0, 10, 1); // a: stored at 0, ttl 10
  c.store(1, 11, 1); // b: stored at 1
  assert.equal(c.lookup(0, 9), true); // fresh while now < stored + ttl; order b, a
  assert.equal(c.lookup(0, 10), false); // at stored + ttl: expired, a miss
  assert.deepEqual(c.order(), [1, 0]); // …which does not refresh it
  assert.equal(c.store(0, 20, 1), 0); // its response replaces it: no eviction, now most recent
  assert.deepEqual(c.order(), [1, 0]);
  assert.equal(c.lookup(1, 11), false); // b expired at 11
  assert.equal(c.store(2, 30, 1), 1); // c evicts the least recently used: the stale b
  assert.deepEqual(c.order(), [0, 2]);
  // two misses in flight for one key store twice: the second replaces the first
  assert.equal(c.store(2, 31, 1), 0);
  assert.deepEqual([c.order(), c.entries], [[0, 2], 2]);
});

/** A textbook LRU (array, least recent first) with TTL, for the simulator's key sequence. */
function referenceLru(keys: number[], times: number[], cap: number, ttl: number) {
  const lru: { k: number; exp: number }[] = [];
  let hits = 0,
    misses = 0,
    evictions = 0;
  keys.forEach((k, i) => {
    const t = times[i];
    const j = lru.findIndex((e) => e.k === k);
    if (j >= 0 && lru[j].exp > t) {
      hits++;
      lru.push(lru.splice(j, 1)[0]);
      return;
    }
    misses++;
    if (j >= 0) lru.splice(j, 1);
    else if (lru.length === cap) {
      lru.shift();
      evictions++;
    }
    lru.push({ k, exp: t + ttl });
  });
  return { hits, misses, evictions };
}

test('the simulator matches a reference LRU on the same key sequence, exactly', () => {
  // 100 req/s evenly spaced for 60 s, 50 keys (Zipf 0.8), zero upstream latency: request i arrives at
  // i·10 ms and a miss is stored at once. With one client and one request kind the request-mix stream
  // draws only keys, so the sequence can be replayed.
  for (const [cap, ttlS] of [
    [5, 1000],
    [10, 1000],
    [10, 3],
    [1, 1000],
    [50, 1000],
  ] as const) {
    const m = model(keyed(`{ ttl: ${ttlS} s, max_entries: ${cap} }`, { keys: 50, zipf: 0.8, rate: 100, duration: 60 }));
    const seed = 12345;
    const st = new GatewaySim(m, seed).run().stats;
    const mix = new Rng(seed, 'gateway').fork('mix'),
      zipf = new Zipf(50, 0.8);
    const keys = Array.from({ length: 6000 }, () => zipf.sample(mix));
    const ref = referenceLru(
      keys,
      keys.map((_, i) => i * 10_000),
      cap,
      ttlS * 1e6,
    );
    assert.equal(st.requests, 6000);
    assert.deepEqual(
      { hits: st.routeCacheHits[0], misses: st.routeCacheMisses[0], evictions: st.routeCacheEvictions[0] },
      ref,
      `cap ${cap}, ttl ${ttlS} s`,
    );
    if (cap === 50) assert.equal(ref.evictions, 0);
    else assert.ok(ref.evictions > 0);
  }
});

/** Che's approximation: T_C solves Σ (1 − e^(−p_i T)) = C; hit ratio = Σ p_i (1 − e^(−p_i T)). */
function che(n: number, s: number, cap: number): { tc: number; hit: number } {
  const p = Array.from({ length: n }, (_, i) => (i + 1) ** -s);
  const sum = p.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) p[i] /= sum;
  const occupancy = (t: number) => p.reduce((a, q) => a + 1 - Math.exp(-q * t), 0);
  let lo = 0,
    hi = 1;
  while (occupancy(hi) < cap) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (occupancy(mid) < cap) lo = mid;
    else hi = mid;
  }
  const tc = (lo + hi) / 2;
  return { tc, hit: p.reduce((a, q) => a + q * (1 - Math.exp(-q * tc)), 0) };
}

test("LRU hit ratio under Zipf popularity agrees with Che's approximation", () => {
  // Independent requests (IRM), N = 1000 keys, no expiry, zero upstream latency. Che's approximation is
  // known to be very accurate here (Che, Tung & Wang, IEEE JSAC 2002; Fricker, Robert & Roberts, ITC
  // 2012); against a plain LRU over 5 M requests per case it was within 0.0005 in all six cases.
  // Run length: 20 replications × 20,000 measured requests after a 2 s warm-up (2,000 requests, more
  // than 4·T_C, so the cache is full and in steady state). Hits are mildly correlated: over 200 blocks
  // of 20,000 requests of a plain LRU the standard deviation was 1.1–1.3× the binomial √(h(1−h)/n), at
  // most 0.0045 per block; so the mean of 20 has a standard error of at most 0.001, and the tolerance
  // 0.005 is 4 of those plus the approximation's own 0.0005. The replications' 95% interval is checked
  // to be of that size, so the tolerance does not hide a noisier estimate than assumed.
  const expected: Record<string, number> = {}; // for the failure message
  for (const s of [0.8, 1.0]) {
    for (const cap of [50, 100, 200]) {
      const { hit, tc } = che(1000, s, cap);
      expected[`${s}/${cap}`] = hit;
      assert.ok(4 * tc < 2000, `T_C = ${tc} requests fits in the warm-up`);
      const m = model(
        keyed(`{ ttl: 100000 s, max_entries: ${cap} }`, { keys: 1000, zipf: s, rate: 1000, duration: 22, warmup: 2, reps: 20 }),
      );
      const run = runGateway(m, 2024, { maxEvents: 1e9, maxWallMs: 60_000 }, { keepReplications: true });
      const ratios = run.perRep.map((st) => st.routeCacheHits[0] / (st.routeCacheHits[0] + st.routeCacheMisses[0]));
      const ci = meanCI95(ratios);
      assert.equal(run.total.routeCacheHits[0] + run.total.routeCacheMisses[0], 400_000);
      assert.ok(ci.halfWidth < 0.003, `95% CI half-width ${ci.halfWidth}`);
      assert.ok(
        Math.abs(ci.mean - hit) < 0.005,
        `s=${s}, C=${cap}: simulated ${ci.mean.toFixed(4)} ± ${ci.halfWidth.toFixed(4)} vs Che ${hit.toFixed(4)}`,
      );
      // after the warm-up the cache is full, so every miss (stored at once) evicts exactly one entry
      assert.equal(run.total.routeCacheEvictions[0], run.total.routeCacheMisses[0]);
    }
  }
  // Che's values themselves (independent of the simulation), to 4 decimals
  assert.deepEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, +v.toFixed(4)])), {
    '0.8/50': 0.2616,
    '0.8/100': 0.3778,
    '0.8/200': 0.5224,
    '1/50': 0.461,
    '1/100': 0.5765,
    '1/200': 0.6974,
  });
});

test('a warm cache starts in its steady state: from the first request, the hit ratio renewal theory gives', () => {
  // A TTL cache (expiry counted from the store) under independent Poisson lookups: key k, looked up at
  // λ_k = rate·p_k, is fresh for T after each miss and then waits Exp(λ_k) for the next lookup, so a
  // lookup finds it fresh with probability λ_k·T / (1 + λ_k·T) (PASTA), and the hit ratio is
  // H = Σ p_k·λ_k·T / (1 + λ_k·T). Measured from t = 0 (no warm-up) over 20 replications × 2 s at
  // 1,000 req/s: the tolerance 0.01 is about 4 standard errors of the mean of 20. An empty cache over
  // the same 2 s misses far more: the warm start is what makes the difference.
  for (const [zipf, ttl] of [
    [0.8, 1],
    [0.8, 5],
    [1.0, 1],
    [1.0, 5],
  ]) {
    const z = Zipf.of(1000, zipf);
    let H = 0;
    for (let k = 0; k < 1000; k++) {
      const x = 1000 * z.probability(k) * ttl;
      H += (z.probability(k) * x) / (1 + x);
    }
    const ratio = (cache: string) => {
      const m = model(keyed(cache, { keys: 1000, zipf, rate: 1000, duration: 2, reps: 20, pattern: 'poisson' }));
      const run = runGateway(m, 7, { maxEvents: 1e9, maxWallMs: 60_000 }, { keepReplications: true });
      return meanCI95(run.perRep.map((st) => st.routeCacheHits[0] / (st.routeCacheHits[0] + st.routeCacheMisses[0])));
    };
    const warm = ratio(`{ ttl: ${ttl} s }`);
    const cold = ratio(`{ ttl: ${ttl} s, warm: false }`);
    const at = `zipf ${zipf}, ttl ${ttl} s: H = ${H.toFixed(4)}, warm ${warm.mean.toFixed(4)} ± ${warm.halfWidth.toFixed(4)}, cold ${cold.mean.toFixed(4)}`;
    assert.ok(warm.halfWidth < 0.006, at);
    assert.ok(Math.abs(warm.mean - H) < 0.01, at);
    assert.ok(cold.mean + cold.halfWidth < warm.mean - warm.halfWidth, at); // the intervals do not meet
  }
});

test("a capacity that holds every key gives the unbounded cache's results exactly", () => {
  // Poisson arrivals, 5 ms service, misses in flight for the same key, two clients varying on the
  // token (key space = 2 classes × 300 keys = 600 entries), 2 KiB responses halved by shaping (1024 B).
  const cell = (cache: string) => `replications: 3
services:
  s: { latency: { mean: 5 ms }, concurrency: 20, response_size: 2 KiB }
routes:
  - path: "/items/{id}"
    service: s
    auth: { type: jwt }
    transform: { response_size_factor: 0.5 }
    cache: ${cache}
clients:
  - { name: a, weight: 2, jwt: {} }
  - { name: b, weight: 1, jwt: {} }
traffic:
  rate: 2000
  duration: 10 s
  warmup: 1 s
  keys: { count: 300, zipf: 0.9 }
  requests:
    - { path: "/items/{key}" }
`;
  const run = (cache: string) => runGateway(model(cell(cache)), 99, { maxEvents: 1e9, maxWallMs: 60_000 });
  // ttl 2 s: entries expire and are stored again; ttl 1000 s: nothing expires within the run
  for (const ttl of ['2 s', '1000 s']) {
    // A cache with a capacity starts empty: so must the unbounded one it is compared with.
    const unbounded = run(`{ ttl: ${ttl}, vary: [authorization], warm: false }`);
    const byEntries = run(`{ ttl: ${ttl}, vary: [authorization], max_entries: 600 }`);
    const bySize = run(`{ ttl: ${ttl}, vary: [authorization], max_size: 614400 }`); // 600 × 1024 B
    const both = run(`{ ttl: ${ttl}, vary: [authorization], max_entries: 600, max_size: 600 KiB }`);
    assert.ok(unbounded.total.routeCacheHits[0] > 0 && unbounded.total.routeCacheMisses[0] > 0);
    for (const r of [byEntries, bySize, both]) {
      assert.deepEqual(r.total, unbounded.total); // every statistic, every replication pooled
      assert.deepEqual(r.reps, unbounded.reps);
      assert.equal(r.total.routeCacheEvictions[0], 0);
    }
    if (ttl !== '1000 s') continue;
    // one entry or one response's worth of bytes less, and entries still wanted get evicted
    for (const r of [
      run(`{ ttl: ${ttl}, vary: [authorization], max_entries: 599 }`),
      run(`{ ttl: ${ttl}, vary: [authorization], max_size: 613376 }`),
    ]) {
      assert.ok(r.total.routeCacheEvictions[0] > 0);
      assert.ok(r.total.routeCacheHits[0] < unbounded.total.routeCacheHits[0]);
    }
  }
});

test('max_entries and max_size: units, estimate expressions, errors at their position, hover and completion', () => {
  const def = (name: string, expression: string) => ({
    name,
    quantity: (evaluateExpression(expression, emptyScope) as any).quantity,
    cellIndex: 0,
    range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
    expression,
  });
  const defs = [def('hot_keys', '0.2 * 1000'), def('cache_mem', '512 MB')];
  const scope: Scope = { get: (n) => defs.find((d) => d.name === n), names: () => defs.map((d) => d.name) };
  const c2 = { cellIndex: 1, scope };
  const src = (cache: string) => keyed(cache, { keys: 1000, zipf: 1, rate: 10, duration: 1 });
  const m = model(src('{ ttl: 30 s, max_entries: hot_keys, max_size: cache_mem }'), c2).routes[0].cache!;
  assert.deepEqual([m.maxEntries, m.maxBytes], [200, 512e6]);
  assert.deepEqual(gatewayKernel.parse(src('{ max_entries: hot_keys }'), c2).reads, ['hot_keys']);
  assert.equal(model(src('{ max_size: 2 KiB }')).routes[0].cache!.maxBytes, 2048);
  assert.equal(model(src('{ max_size: 4096 }')).routes[0].cache!.maxBytes, 4096); // plain numbers in B
  assert.deepEqual(
    [model(src('{ ttl: 1 s }')).routes[0].cache!.maxEntries, model(src('{ ttl: 1 s }')).routes[0].cache!.maxBytes],
    [Infinity, Infinity],
  );

  const diag = (cache: string) => {
    const text = src(cache);
    const line = text.split('\n').findIndex((l) => l.includes('cache:'));
    return gatewayKernel
      .parse(text, ctx)
      .diagnostics.map((d) => [d.range.start.line - line, d.range.start.column, d.severity, d.code, d.message]);
  };
  const col = (cache: string, at: string) => '    cache: '.length + cache.indexOf(at);
  let c = '{ max_entries: 0 }';
  assert.deepEqual(diag(c), [[0, col(c, '0 }'), 'error', 'out-of-range', '`routes[0].cache.max_entries` should be >= 1, got 0']]);
  c = '{ max_entries: 2.5 }';
  assert.deepEqual(diag(c), [
    [0, col(c, '2.5'), 'error', 'not-integer', '`routes[0].cache.max_entries` should be a whole number, got 2.5'],
  ]);
  c = '{ max_size: 0 }';
  assert.deepEqual(diag(c), [[0, col(c, '0 }'), 'error', 'out-of-range', '`routes[0].cache.max_size` should be > 0 B, got 0 B']]);
  c = '{ max_size: 30 s }';
  assert.deepEqual(
    diag(c).map((d) => d.slice(0, 4)),
    [[0, col(c, '30 s'), 'error', 'dimension-mismatch']],
  );
  c = '{ max_size: 1000 }'; // the default response is 1024 B
  assert.deepEqual(diag(c), [
    [0, col(c, '1000'), 'warning', 'cache-too-small', '`max_size` (1000 B) is smaller than one response (1024 B): nothing is cached'],
  ]);

  const yaml = 'routes:\n  - path: /x\n    cache:\n      max_entries: 100\n      ma\n';
  const h = gatewayKernel.hover!(yaml, { line: 3, column: 9 }, ctx)!;
  assert.match(h.markdown, /least recently used/);
  const keys = gatewayKernel.complete!(yaml, { line: 4, column: 8 }, ctx).map((x) => x.label);
  assert.ok(keys.includes('max_size') && keys.includes('ttl'), `${keys}`);
  const hs = gatewayKernel.hover!('routes:\n  - path: /x\n    cache:\n      max_size: 512 MB\n', { line: 3, column: 9 }, ctx)!;
  assert.match(hs.markdown, /size \(plain numbers in B\)/);
});

test('the report counts evictions per route only when a cache has a capacity', () => {
  const exec = { ...ctx, seed: 1, budget: { maxEvents: 1e7, maxWallMs: 20_000 }, isCancelled: () => false, notebook: {} };
  const report = (cache: string) => {
    const p = gatewayKernel.parse(keyed(cache, { keys: 100, zipf: 1, rate: 100, duration: 10 }), ctx);
    return (gatewayKernel.execute(p.parsed!, exec) as any).outputs[0].items['text/markdown'] as string;
  };
  const bounded = report('{ ttl: 100 s, max_entries: 10 }');
  assert.match(bounded, /\| Cache hits \| Evictions \|/);
  assert.match(bounded, /cache key: method, path \(LRU, at most 10 entries\)/);
  assert.doesNotMatch(report('{ ttl: 100 s }'), /Evictions/);
});
