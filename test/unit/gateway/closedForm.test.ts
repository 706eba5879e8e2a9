// The closed-form curve a sweep draws beside a latency check (src/kernels/gateway/whatif.ts
// `closedForm`): exact M/M/c for exponential service, the Allen–Cunneen M/G/c approximation for
// constant, uniform and lognormal service, named by its formula; nothing where the model is not one
// plain queue. And the approximation against the simulation it is drawn beside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runGateway } from '../../../src/kernels/gateway';
import { gatewayResultValues } from '../../../src/kernels/gateway/results';
import { closedForm } from '../../../src/kernels/gateway/whatif';
import { mgcResponseQuantile, mmcResponseQuantile } from '../../../src/kernels/sim/capacity';
import type { Verdict } from '../../../src/kernels/types';

import { model, msVerdict } from './helpers';

const verdict = (check: string) => msVerdict(check);
const P99 = verdict('q.p99 <= 50 ms');

/** One service behind one route; `edit` rewrites the source. The gateway's default overhead (0.2 ms) stays. */
const cell = (service: string, edit: (s: string) => string = (s) => s) =>
  model(
    edit(`name: q
services:
  svc: ${service}
routes:
  - { path: /x, service: svc }
traffic:
  rate: 2800
  requests:
    - { path: /x }
`),
  );

test('the curve is exact M/M/c for exponential service and Allen–Cunneen M/G/c for the others, named so', () => {
  const ms = (q: number | undefined) => (q! + 0.2e-3) / 1e-3;
  const cases: [string, string, number][] = [
    ['{ instances: 1, concurrency: 4, latency: { dist: exponential, mean: 1 ms } }', 'M/M/c', ms(mmcResponseQuantile(2800, 1000, 4, 0.99))],
    [
      '{ instances: 1, concurrency: 4, latency: { dist: constant, mean: 1 ms } }',
      'M/D/c (approx.)',
      ms(mgcResponseQuantile(2800, { dist: 'constant', mean: 1e-3 }, 4, 0.99)),
    ],
    [
      '{ instances: 1, concurrency: 4, latency: { dist: lognormal, mean: 1 ms, cv: 2 } }',
      'M/G/c (approx.)',
      ms(mgcResponseQuantile(2800, { dist: 'lognormal', mean: 1e-3, cv: 2 }, 4, 0.99)),
    ],
    // The simulation draws a uniform on [min, max] and does not read `mean`: neither does the curve.
    [
      '{ instances: 1, concurrency: 4, latency: { dist: uniform, mean: 10 ms, min: 0.5 ms, max: 1.5 ms } }',
      'M/G/c (approx.)',
      ms(mgcResponseQuantile(2800, { dist: 'uniform', min: 0.5e-3, max: 1.5e-3 }, 4, 0.99)),
    ],
    // `queue: shared`: one queue of 2 × 2 servers at the whole rate; otherwise each instance is its own at half.
    [
      '{ instances: 2, concurrency: 2, queue: shared, latency: { dist: constant, mean: 1 ms } }',
      'M/D/c (approx.)',
      ms(mgcResponseQuantile(2800, { dist: 'constant', mean: 1e-3 }, 4, 0.99)),
    ],
    [
      '{ instances: 2, concurrency: 2, latency: { dist: constant, mean: 1 ms } }',
      'M/D/c (approx.)',
      ms(mgcResponseQuantile(1400, { dist: 'constant', mean: 1e-3 }, 2, 0.99)),
    ],
  ];
  for (const [service, name, want] of cases) {
    const curve = closedForm(cell(service), [P99]);
    assert.equal(curve?.name, name, service);
    assert.ok(
      Math.abs(curve!.values.get('NFR1|q.p99 <= 50 ms')! - want) <= 1e-12 * want,
      `${service}: ${curve!.values.get('NFR1|q.p99 <= 50 ms')} vs ${want}`,
    );
  }
});

test('no curve where the model is not one plain queue', () => {
  const base = '{ instances: 1, concurrency: 4, latency: { dist: lognormal, mean: 1 ms, cv: 1 } }';
  const cases: [string, string, ((s: string) => string) | undefined, Verdict?][] = [
    ['no name: nothing published to check', base, (s) => s.replace('name: q\n', '')],
    ['a gateway cache', base, (s) => s.replace('service: svc }', 'service: svc, cache: { ttl: 30 s } }')],
    ['a rate limit', base, (s) => s.replace('service: svc }', 'service: svc, rate_limit: { rate: 200, burst: 50 } }')],
    [
      'a slow mode (a tail the formula does not know)',
      base.replace('cv: 1', 'cv: 1, slow: { probability: 0.01, latency: 100 ms }'),
      undefined,
    ],
    ['errors', base.replace(/ }$/, ', error_rate: 0.01 }'), undefined],
    [
      'two services',
      base,
      (s) =>
        s
          .replace('routes:', '  other: { latency: { dist: constant, mean: 1 ms } }\nroutes:')
          .replace('requests:', 'requests:\n    - { path: /y }'),
    ],
    ['an aggregate route (of the one service)', base, (s) => s.replace('service: svc }', 'aggregate: [svc] }')],
    ['evenly spaced arrivals (not Poisson)', base, (s) => s.replace('rate: 2800', 'rate: 2800\n  pattern: constant')],
    ['ρ ≥ 1: no steady state', base, (s) => s.replace('rate: 2800', 'rate: 4000')],
    ['a service time of 0', '{ instances: 1, concurrency: 4, latency: { dist: constant, mean: 0 ms } }', undefined],
    ['a uniform on [0, 0]', '{ instances: 1, concurrency: 4, latency: { dist: uniform, min: 0 ms, max: 0 ms } }', undefined],
    ['a percentile the model does not publish', base, undefined, verdict('q.p75 <= 50 ms')],
    ['a check on another figure', base, undefined, verdict('q.error_rate <= 1%')],
  ];
  // The base model has a curve: each case removes it by one change.
  assert.equal(closedForm(cell(base), [P99])?.name, 'M/G/c (approx.)');
  for (const [why, service, edit, v] of cases) assert.equal(closedForm(cell(service, edit), [v ?? P99]), undefined, why);
});

test("the approximation against the simulation's p99 at ρ = 0.7 (M/D/1, M/D/4, lognormal and uniform on 4 servers)", () => {
  // Tolerance 10%: the approximation's own error at ρ = 0.7 plus the simulation's sampling error.
  // The wait is exponential only approximately: for M/D/1 Erlang's exact waiting-time distribution
  // puts the p99 response at 7.4855 d (mpmath, 40 digits), the approximation at 8.0808 d (+8%; +7.7%
  // with the 0.2 ms gateway overhead added to both); for the others 4-million-customer FCFS runs put it
  // within 4% (M/D/4 +3.3%, lognormal cv 1 on 4 servers −0.7%, uniform on 4 servers +1.5%). The
  // simulated p99 over 280,000 requests moves by about 2% between seeds, its histogram by 0.4%.
  const cases: [string, number, number][] = [
    ['{ dist: constant, mean: 1 ms }', 1, 7.6855],
    ['{ dist: constant, mean: 1 ms }', 4, NaN],
    ['{ dist: lognormal, mean: 1 ms, cv: 1 }', 4, NaN],
    ['{ dist: uniform, min: 0 ms, max: 2 ms }', 4, NaN],
  ];
  for (const [latency, c, exact] of cases) {
    const rate = 700 * c;
    const m = model(`name: q
replications: 5
services:
  svc: { instances: 1, concurrency: ${c}, latency: ${latency} }
routes:
  - { path: /x, service: svc }
traffic:
  rate: ${rate}
  duration: ${56_000 / rate} s
  warmup: 2 s
  requests:
    - { path: /x }
`);
    const approx = closedForm(m, [P99])!.values.get('NFR1|q.p99 <= 50 ms')!;
    const run = runGateway(m, 1, { maxEvents: 1e9, maxWallMs: 120_000 });
    const sim = gatewayResultValues(m, run).get('p99')!.value / 1e-3;
    assert.ok(Math.abs(sim - approx) <= 0.1 * approx, `${latency} on ${c}: simulated p99 ${sim} ms, approximation ${approx} ms`);
    // M/D/1: the simulation is the exact queue (within its sampling error); the gap is the approximation's.
    if (exact === exact) assert.ok(Math.abs(sim - exact) <= 0.03 * exact, `M/D/1: simulated p99 ${sim} ms, exact ${exact} ms`);
  }
});
