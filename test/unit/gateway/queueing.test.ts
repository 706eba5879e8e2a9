// The gateway's service queue against closed forms: M/M/c (Erlang C) and M/D/1 (Pollaczek–Khinchine),
// each checked to lie inside the 95% t-interval of 20 replications, and Little's law in every run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayKernel, runGateway, serviceFigures } from '../../../src/kernels/gateway';
import { emptyScope } from '../../../src/kernels/model';
import {
  contains,
  erlangC,
  md1,
  meanCI95,
  mmcQueueLength,
  mmcStateProbability,
  mmcWaitQuantile,
  mmcWaitTail,
} from '../../../src/kernels/sim';
import { simulateMmc } from '../../../src/kernels/gateway/mmc';

// One fixed seed for every case. A 95% interval misses the true value 5% of the time by design, so
// another seed can fail a case now and then; a bias shows as misses across many seeds (checked by hand
// over 3 seeds × 20 longer replications for M/M/4 while writing this).
const SEED = 2024;

const ctx = { cellIndex: 0, scope: emptyScope };

function queueCell(lambda: number, meanMs: number, c: number, dist: string, duration: number, warmup: number): string {
  return `replications: 20
gateway: { overhead: 0, auth_latency: 0 }
services:
  svc:
    instances: ${c}
    queue: shared
    latency: { dist: ${dist}, mean: ${meanMs} ms }
routes:
  - { path: /x, service: svc }
traffic:
  rate: ${lambda}
  duration: ${duration} s
  warmup: ${warmup} s
  requests:
    - { path: /x }
`;
}

function simulate(src: string, seed: number) {
  const p = gatewayKernel.parse(src, ctx);
  assert.deepEqual(
    p.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const model = p.parsed!.model;
  const run = runGateway(model, seed, { maxEvents: 1e9, maxWallMs: 60_000 }, { keepReplications: true });
  const per = run.perRep.map((s) => serviceFigures(model, s, 1)[0]);
  return { model, run, per };
}

// (λ per second, mean service ms, c): utilisation 0.5 to 0.9.
const MMC: [number, number, number][] = [
  [50, 10, 1],
  [90, 10, 1],
  [180, 10, 2],
  [300, 10, 4],
  [720, 10, 8],
];

for (const [lambda, meanMs, c] of MMC) {
  test(`M/M/${c} at λ=${lambda}/s, 1/μ=${meanMs} ms matches Erlang C within the 95% CI`, () => {
    const mu = 1000 / meanMs;
    const theory = erlangC(lambda, mu, c)!;
    // about 12k measured customers per replication; longer at ρ = 0.9 where the queue relaxes slowly
    const duration = Math.ceil((theory.rho >= 0.85 ? 24_000 : 12_000) / lambda);
    const { per, run } = simulate(queueCell(lambda, meanMs, c, 'exponential', duration, duration / 10), SEED);
    assert.equal(run.outcomes.length, 20);
    const wq = meanCI95(per.map((f) => f.wq));
    const w = meanCI95(per.map((f) => f.w));
    assert.ok(contains(wq, theory.wq), `Wq ${wq.mean} ± ${wq.halfWidth} vs Erlang C ${theory.wq}`);
    assert.ok(contains(w, theory.w), `W ${w.mean} ± ${w.halfWidth} vs Erlang C ${theory.w}`);
    // Little's law in every replication: time-average number in system = λ·W.
    for (const f of per) assert.ok(Math.abs(f.L - f.littleLambdaW) / f.L < 0.01, `L ${f.L} vs λW ${f.littleLambdaW}`);
  });
}

test('M/D/1 at ρ = 0.5 and 0.9 matches Pollaczek–Khinchine within the 95% CI', () => {
  for (const lambda of [50, 90]) {
    const theory = md1(lambda, 100)!;
    const duration = Math.ceil(15_000 / lambda);
    const { per } = simulate(queueCell(lambda, 10, 1, 'constant', duration, duration / 10), SEED);
    const wq = meanCI95(per.map((f) => f.wq));
    assert.ok(contains(wq, theory.wq), `Wq ${wq.mean} ± ${wq.halfWidth} vs P-K ${theory.wq}`);
    // M/D/1 waits half as long as M/M/1.
    assert.ok(Math.abs(theory.wq - erlangC(lambda, 100, 1)!.wq / 2) < 1e-12);
    for (const f of per) assert.ok(Math.abs(f.L - f.littleLambdaW) / f.L < 0.01);
  }
});

test('a service with ρ ≥ 1 is reported as having no steady state', () => {
  const p = gatewayKernel.parse(queueCell(120, 10, 1, 'exponential', 5, 0).replace('replications: 20', 'replications: 2'), ctx);
  const out = gatewayKernel.execute(p.parsed!, {
    ...ctx,
    seed: 1,
    budget: { maxEvents: 1e7, maxWallMs: 10_000 },
    isCancelled: () => false,
    notebook: {},
  }) as any;
  assert.match(out.outputs[0].items['text/markdown'], /no steady state/);
});

test('the bare M/M/c model used by the benchmark agrees with Erlang C and with itself', () => {
  const ws: number[] = [],
    wqs: number[] = [];
  for (let r = 0; r < 20; r++) {
    const m = simulateMmc(150, 100, 2, 10_000, SEED + r);
    assert.equal(m.served, 10_000);
    ws.push(m.meanResponseS);
    wqs.push(m.meanWaitS);
  }
  const theory = erlangC(150, 100, 2)!;
  assert.ok(contains(meanCI95(ws), theory.w), `W ${meanCI95(ws).mean} vs ${theory.w}`);
  assert.ok(contains(meanCI95(wqs), theory.wq), `Wq ${meanCI95(wqs).mean} vs ${theory.wq}`);
  const same = () => {
    const m = simulateMmc(150, 100, 2, 1000, 3);
    return [m.served, m.meanWaitS, m.meanResponseS, m.outcome.events];
  };
  assert.deepEqual(same(), same());
  // constant service, one server, arrivals slower than service: nobody waits
  assert.equal(simulateMmc(1, 1000, 1, 1, 1, true).meanWaitS, 0);
});

test('M/M/c queue-length and waiting-time distributions: exact values (Gross & Harris, Fundamentals of Queueing Theory §2.3)', () => {
  const close = (x: number | undefined, y: number, what: string) =>
    assert.ok(x !== undefined && Math.abs(x - y) < 1e-12, `${what}: ${x} vs ${y}`);
  // M/M/1 at ρ = 1/2: P(n) = (1 − ρ)ρⁿ; C = ρ; Lq = ρ²/(1 − ρ); P(Wq > t) = ρe^(−(μ−λ)t).
  for (const [n, p] of [
    [0, 0.5],
    [1, 0.25],
    [2, 0.125],
    [5, 1 / 64],
  ] as const)
    close(mmcStateProbability(1, 2, 1, n), p, `M/M/1 P(${n})`);
  close(mmcQueueLength(1, 2, 1), 0.5, 'M/M/1 Lq');
  close(mmcWaitTail(1, 2, 1, 1), 0.5 * Math.exp(-1), 'M/M/1 P(Wq > 1)');
  // M/M/2 with a = λ/μ = 1 (ρ = 1/2): P0 = 1/3, P1 = 1/3, P2 = 1/6, P3 = 1/12; C = 1/3; Lq = 1/3.
  for (const [n, p] of [
    [0, 1 / 3],
    [1, 1 / 3],
    [2, 1 / 6],
    [3, 1 / 12],
    [4, 1 / 24],
  ] as const)
    close(mmcStateProbability(1, 1, 2, n), p, `M/M/2 P(${n})`);
  close(mmcQueueLength(1, 1, 2), 1 / 3, 'M/M/2 Lq');
  // P(Wq > t) = (1/3)e^(−t): no wait below the 2/3 quantile, then t = ln(C / (1 − p)).
  close(mmcWaitQuantile(1, 1, 2, 0.5), 0, 'M/M/2 median wait');
  close(mmcWaitQuantile(1, 1, 2, 0.9), Math.log(10 / 3), 'M/M/2 p90 wait');
  close(mmcWaitQuantile(1, 1, 2, 0.99), Math.log(100 / 3), 'M/M/2 p99 wait');
  // The distribution sums to 1, and P(N ≥ c) is Erlang C.
  let sum = 0,
    atLeastC = 0;
  for (let n = 0; n < 400; n++) {
    const p = mmcStateProbability(7, 1, 8, n)!;
    sum += p;
    if (n >= 8) atLeastC += p;
  }
  close(sum, 1, 'M/M/8 Σ P(n)');
  assert.ok(Math.abs(atLeastC - erlangC(7, 1, 8)!.pWait) < 1e-12);
  assert.equal(mmcStateProbability(2, 1, 2, 0), undefined); // ρ = 1: no steady state
});

test("the gateway's shared queue measures P(wait), Lq and the waiting-time and queue-length distributions of M/M/2", () => {
  // λ = 150/s, 1/μ = 10 ms, c = 2 (ρ = 0.75), 20 replications.
  const lambda = 150,
    mu = 100,
    c = 2;
  const { run } = simulate(queueCell(lambda, 10, c, 'exponential', 80, 8), SEED);
  const reps = run.reps;
  const inside = (xs: number[], exact: number, what: string) => {
    const ci = meanCI95(xs);
    assert.ok(contains(ci, exact), `${what} ${ci.mean} ± ${ci.halfWidth} vs ${exact}`);
  };
  inside(
    reps.map((r) => r.pWait[0]),
    erlangC(lambda, mu, c)!.pWait,
    'P(wait)',
  );
  inside(
    reps.map((r) => r.lq[0]),
    mmcQueueLength(lambda, mu, c)!,
    'Lq',
  );
  inside(
    reps.map((r) => r.wqMs[0] / 1000),
    erlangC(lambda, mu, c)!.wq,
    'Wq',
  );
  // Pooled: the wait's p90 and p99, and the time share at each queue length, within 5% (relative) of M/M/2.
  const h = run.total.svcWait[0];
  for (const p of [90, 99]) {
    const exact = mmcWaitQuantile(lambda, mu, c, p / 100)! * 1e6;
    assert.ok(Math.abs(h.percentile(p) - exact) / exact < 0.05, `Wq p${p} ${h.percentile(p)} vs ${exact} µs`);
  }
  const times = run.total.svcLevelTime.subarray(0, 64);
  const sum = times.reduce((a, b) => a + b, 0);
  for (let n = 0; n <= 6; n++) {
    const exact = mmcStateProbability(lambda, mu, c, n)!;
    assert.ok(Math.abs(times[n] / sum - exact) / exact < 0.05, `P(N = ${n}) ${times[n] / sum} vs ${exact}`);
  }
});
