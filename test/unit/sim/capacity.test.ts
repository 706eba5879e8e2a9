import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  erlangB,
  erlangCWait,
  kafkaPartitions,
  meetsWaitTarget,
  mmcResponseQuantile,
  smallestServers,
} from '../../../src/kernels/sim/capacity';
import { erlangC } from '../../../src/kernels/sim/queueing';

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
