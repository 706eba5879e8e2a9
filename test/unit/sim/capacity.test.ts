import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  erfc,
  erlangB,
  erlangCWait,
  kafkaPartitions,
  meetsWaitTarget,
  mgcResponseQuantile,
  mgcWait,
  mmcResponseQuantile,
  smallestServers,
  type ServiceTime,
} from '../../../src/kernels/sim/capacity';
import { erlangC, md1 } from '../../../src/kernels/sim/queueing';

test('Erlang C against published examples', () => {
  // Call centre: 100 calls per half hour, 180 s handling time, a = 10 erlangs. Published P(wait):
  // 68.21% with 11 agents, 44.94% with 12, 28.53% with 13. The service level (answered within
  // 20 s) is 1 − P(wait)·e^{−(c − a)·20/180}: 38.96%, 64.02%, 79.56%, 88.84% with 11 to 14 agents.
  const lambda = 100 / 1800,
    mu = 1 / 180;
  const rows: [number, number, number][] = [
    [11, 0.6821, 0.3896],
    [12, 0.4494, 0.6402],
    [13, 0.2853, 0.7956],
    [14, 0.1741, 0.8884],
  ];
  for (const [c, pw, sl] of rows) {
    assert.equal(+erlangCWait(lambda / mu, c).toFixed(4), pw, `P(wait) with ${c} agents`);
    const level = 1 - erlangCWait(10, c) * Math.exp(-(c * mu - lambda) * 20);
    assert.equal(+level.toFixed(4), sl, `service level with ${c} agents`);
  }
  // 80% within 20 s needs 14: 13 agents reach 79.56%.
  assert.equal(smallestServers(lambda, mu, { within: 20, fraction: 0.8 }), 14);
  // A textbook exercise: 120 customers an hour, 3 minutes each, 10 assistants: "the probability of waiting is about 0.10".
  assert.equal(+erlangCWait(6, 10).toFixed(2), 0.1);
  // A support desk: 30 calls an hour, 5 minutes each, at least 90% of calls not delayed: 6 people (5 leave 13.04% waiting).
  assert.equal(smallestServers(30 / 3600, 1 / 300, { pWait: 0.1 }), 6);
  assert.equal(+erlangCWait(2.5, 5).toFixed(4), 0.1304);
});

test('smallest servers for a mean-wait target: the answer meets it and one fewer does not', () => {
  // [λ, μ, target Wq (s), answer]; Wq checked by the direct Erlang C sum, an independent computation.
  const cases: [number, number, number, number][] = [
    [10, 1, 0.1, 13],
    [100, 10, 0.01, 13],
    [533, 1 / 0.03, 0.001, 22],
    [0.5, 1, 0.5, 2],
    [3000, 50, 0.002, 65],
  ];
  for (const [lambda, mu, target, want] of cases) {
    const c = smallestServers(lambda, mu, { meanWait: target });
    assert.equal(c, want, `λ=${lambda} μ=${mu} Wq ≤ ${target}`);
    const wq = (k: number) => erlangC(lambda, mu, k)?.wq ?? Infinity;
    assert.ok(wq(want) <= target && wq(want - 1) > target, `Wq(${want}) = ${wq(want)}, Wq(${want - 1}) = ${wq(want - 1)}`);
  }
});

test('the stable recurrence agrees with the direct sum, and stays finite where the sum overflows', () => {
  for (const [a, c] of [
    [2, 3],
    [10, 12],
    [47.5, 55],
    [300, 320],
  ] as const) {
    const direct = erlangC(a, 1, c)!.pWait;
    assert.ok(Math.abs(erlangCWait(a, c) - direct) < 1e-9, `a=${a} c=${c}`);
  }
  assert.ok(erlangB(50_000, 50_500) > 0 && erlangCWait(50_000, 50_500) < 1);
  assert.equal(meetsWaitTarget(10, 1, 10, { pWait: 1 }), false, 'ρ = 1 never meets a target');
  // Far beyond the direct sum: Halfin–Whitt's square-root staffing, c ≈ a + β√a with
  // P(wait) ≈ 1 / (1 + βΦ(β)/φ(β)), puts 20,000 erlangs at P(wait) 0.2 within a server of the exact answer.
  const phi = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  const Phi = (x: number) => {
    const n = 16000,
      h = (x + 8) / n;
    let s = 0;
    for (let k = 0; k < n; k++) s += phi(-8 + (k + 0.5) * h) * h;
    return s;
  };
  let lo = 0,
    hi = 5;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (1 / (1 + (mid * Phi(mid)) / phi(mid)) > 0.2) lo = mid;
    else hi = mid;
  }
  const c = smallestServers(20_000, 1, { pWait: 0.2 })!;
  assert.ok(Math.abs(c - (20_000 + lo * Math.sqrt(20_000))) <= 2, `${c} vs ${20_000 + lo * Math.sqrt(20_000)}`);
});

test('M/M/c response-time quantiles: M/M/1 exactly, and the tail bound for c > 1', () => {
  // M/M/1: T ~ Exp(μ − λ), so the p-quantile is −ln(1 − p)/(μ − λ).
  for (const [lambda, mu, p] of [
    [8, 10, 0.99],
    [1, 4, 0.5],
    [90, 100, 0.999],
  ] as const)
    assert.ok(Math.abs(mmcResponseQuantile(lambda, mu, 1, p)! - -Math.log(1 - p) / (mu - lambda)) < 1e-9);
  // With no one waiting, the response time is the service time: the p99 of Exp(μ) as λ → 0.
  assert.ok(Math.abs(mmcResponseQuantile(1e-9, 1, 8, 0.99)! - Math.log(100)) < 1e-6);
  assert.equal(mmcResponseQuantile(10, 1, 10, 0.99), undefined);
});

test('erfc to 1e-12 relative, into the far tail (reference values: mpmath erfc at 30 digits)', () => {
  const cases: [number, number][] = [
    [0, 1],
    [0.1, 0.8875370839817151016],
    [0.5, 0.47950012218695346232],
    [1, 0.15729920705028513066],
    [1.5, 0.033894853524689272933],
    [1.999, 0.00469844334862948996632854990613], // just below the switch from the series to the continued fraction
    [2, 0.0046777349810472658379],
    [3, 0.000022090496998585441373],
    [5, 1.5374597944280348502e-12],
    [10, 2.088487583762544757e-45],
    [20, 5.3958656116079009289e-176],
    [-1, 1.84270079294971486934],
  ];
  for (const [x, want] of cases) assert.ok(Math.abs(erfc(x) - want) <= 1e-12 * want, `erfc(${x}) = ${erfc(x)}, want ${want}`);
});

test('M/G/c with exponential service (cs² = 1) is the exact M/M/c response quantile', () => {
  // [λ, μ, c, p]: light to heavy load, one to 10,000 servers, and θ = cμ − λ = μ (M/M/c's special case).
  const cases: [number, number, number, number][] = [
    [8, 10, 1, 0.99],
    [1, 4, 1, 0.5],
    [90, 100, 1, 0.999],
    [100, 100, 2, 0.99],
    [180, 100, 2, 0.95],
    [500, 100, 8, 0.99],
    [700, 100, 8, 0.999],
    [3, 1, 4, 0.9],
    [9500, 1, 10_000, 0.99],
  ];
  for (const [lambda, mu, c, p] of cases) {
    const exact = mmcResponseQuantile(lambda, mu, c, p)!;
    const got = mgcResponseQuantile(lambda, { dist: 'exponential', mean: 1 / mu }, c, p)!;
    assert.ok(Math.abs(got - exact) <= 1e-9 * exact, `λ=${lambda} μ=${mu} c=${c} p=${p}: ${got} vs ${exact}`);
  }
});

test("M/D/1: Allen–Cunneen's mean wait C/θ is Pollaczek–Khinchine's ρ/(2μ(1 − ρ)), and the M/D/c quantile is d + ln(C/(1 − p))/θ", () => {
  for (const [lambda, mu] of [
    [70, 100],
    [1, 4],
    [99, 100],
    [0.5, 1],
  ] as const) {
    const w = mgcWait(lambda, { dist: 'constant', mean: 1 / mu }, 1)!;
    const pk = md1(lambda, mu)!.wq;
    assert.ok(Math.abs(w.pWait / w.theta - pk) <= 1e-15 * pk, `λ=${lambda} μ=${mu}: ${w.pWait / w.theta} vs ${pk}`);
  }
  // [λ, d, c, p, quantile by hand]:
  // M/D/1, ρ = 0.7: C = 0.7, θ = 2(100 − 70) = 60: 0.01 + ln(0.7/0.01)/60 = 0.01 + ln(70)/60.
  // M/D/1, ρ = 0.5: C = 0.5, θ = 100: 0.01 + ln(500)/100.
  // M/D/2, a = 1.4: C = (1.96/0.6)/(1 + 1.4 + 1.96/0.6) = 49/85, θ = 2(200 − 140) = 120: 0.01 + ln(4900/85)/120.
  // M/D/4, a = 1: C = (1/18)/(8/3 + 1/18) = 1/49 < 1 − p = 0.05: no wait at the 95th percentile, just d.
  const cases: [number, number, number, number, number][] = [
    [70, 0.01, 1, 0.99, 0.08080825403415598],
    [50, 0.01, 1, 0.999, 0.07214608098422192],
    [140, 0.01, 2, 0.99, 0.04378616023007001],
    [100, 0.01, 4, 0.95, 0.01],
  ];
  for (const [lambda, d, c, p, want] of cases) {
    const got = mgcResponseQuantile(lambda, { dist: 'constant', mean: d }, c, p)!;
    assert.ok(Math.abs(got - want) <= 1e-14, `λ=${lambda} c=${c} p=${p}: ${got} vs ${want}`);
  }
  // A lognormal with cv 0 and a uniform of zero width are the same constant.
  assert.equal(
    mgcResponseQuantile(70, { dist: 'lognormal', mean: 0.01, cv: 0 }, 1, 0.99),
    mgcResponseQuantile(70, { dist: 'constant', mean: 0.01 }, 1, 0.99),
  );
  assert.equal(
    mgcResponseQuantile(70, { dist: 'uniform', min: 0.01, max: 0.01 }, 1, 0.99),
    mgcResponseQuantile(70, { dist: 'constant', mean: 0.01 }, 1, 0.99),
  );
});

/**
 * P(T > q) of the Allen–Cunneen response time, worked out another way than `mgcResponseQuantile`:
 * from the service's density, P(T > q) = ∫ f(s)·K(s) ds with K(s) = 1 for s > q (the call alone takes
 * longer) and C·e^(−θ(q−s)) below (it waits, and longer than q − s), by Simpson's rule on each side of q.
 */
function referenceTail(s: ServiceTime, C: number, theta: number, q: number): number {
  const simpson = (f: (x: number) => number, a: number, b: number, n = 20_000) => {
    if (!(b > a)) return 0;
    const h = (b - a) / n;
    let sum = f(a) + f(b);
    for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * f(a + i * h);
    return (sum * h) / 3;
  };
  if (s.dist === 'uniform') {
    const w = s.max - s.min;
    return (
      simpson(() => 1 / w, Math.max(q, s.min), s.max) + simpson((x) => (C * Math.exp(-theta * (q - x))) / w, s.min, Math.min(q, s.max))
    );
  }
  if (s.dist !== 'lognormal') throw new Error(s.dist);
  // S = e^(m + σz), z standard normal: integrate φ(z) over z in [−12, 12], split at z(q).
  const s2 = Math.log(1 + s.cv * s.cv),
    m = Math.log(s.mean) - s2 / 2,
    sigma = Math.sqrt(s2);
  const phi = (z: number) => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  const zq = (Math.log(q) - m) / sigma;
  return simpson(phi, zq, 12) + simpson((z) => phi(z) * C * Math.exp(-theta * (q - Math.exp(m + sigma * z))), -12, zq);
}

test('M/G/c quantiles of uniform and lognormal service: the tail there is 1 − p, worked out from the density', () => {
  const cases: [number, ServiceTime, number, number][] = [
    [70, { dist: 'uniform', min: 0, max: 0.02 }, 1, 0.99],
    [2800, { dist: 'uniform', min: 0.0005, max: 0.0015 }, 4, 0.999],
    [50, { dist: 'uniform', min: 0.005, max: 0.015 }, 2, 0.5],
    [70, { dist: 'lognormal', mean: 0.01, cv: 1 }, 1, 0.99],
    [280, { dist: 'lognormal', mean: 0.01, cv: 0.5 }, 4, 0.999],
    [2800, { dist: 'lognormal', mean: 0.01, cv: 0.3 }, 40, 0.99],
    [5, { dist: 'lognormal', mean: 0.01, cv: 3 }, 1, 0.9],
  ];
  for (const [lambda, s, c, p] of cases) {
    const q = mgcResponseQuantile(lambda, s, c, p)!;
    const { pWait, theta } = mgcWait(lambda, s, c)!;
    const tail = referenceTail(s, pWait, theta, q);
    assert.ok(Math.abs(tail - (1 - p)) <= 1e-9 * (1 - p), `${JSON.stringify(s)} λ=${lambda} c=${c} p=${p}: tail at ${q} is ${tail}`);
  }
  // Undefined past saturation and outside (0, 1).
  assert.equal(mgcResponseQuantile(100, { dist: 'lognormal', mean: 0.01, cv: 1 }, 1, 0.99), undefined);
  assert.equal(mgcResponseQuantile(50, { dist: 'uniform', min: 0, max: 0.02 }, 1, 1), undefined);
  assert.equal(mgcResponseQuantile(50, { dist: 'constant', mean: 0 }, 1, 0.99), undefined);
});

test('Kafka partitions: max(t/p, t/c), rounded up', () => {
  // [target, producer per partition, consumer per partition, partitions] (MB/s)
  const cases: [number, number, number, number][] = [
    [100, 10, 20, 10],
    [100, 20, 10, 10],
    [1000, 25, 50, 40],
    [30, 10, 10, 3],
    [31, 10, 10, 4],
    [1, 10, 10, 1],
  ];
  for (const [t, p, c, want] of cases) assert.equal(kafkaPartitions(t, p, c), want, `t=${t} p=${p} c=${c}`);
});
