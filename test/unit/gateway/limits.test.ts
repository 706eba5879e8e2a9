// Hostile gateway models: a model too large for one machine is refused at parse time with the key's
// position and the limit; everything else ends within the run's budget (events, setup and per-event work)
// or at the in-flight ceiling, and says so. Figures and limits are docs/limits.md's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, gatewayKernel, runGateway } from '../../../src/kernels/gateway';
import type { GatewayModel } from '../../../src/kernels/gateway';
import type { GatewayRun } from '../../../src/kernels/gateway';
import { erlangC } from '../../../src/kernels/sim';
import { LIMITS } from '../../../src/kernels/gateway/schema';
import { emptyScope } from '../../../src/kernels/model';
import { ExecContext, MARKDOWN_MIME, richMime } from '../../../src/kernels/types';

const ctx = { cellIndex: 0, scope: emptyScope };
const exec = (budget = { maxEvents: 2e6, maxWallMs: 20_000 }): ExecContext => ({
  ...ctx,
  seed: 1,
  budget,
  isCancelled: () => false,
  notebook: {},
});

const cell = (services: string, traffic = 'rate: 100\n  duration: 10 s', top = '') => `${top}services:
${services}
routes:
  - { path: /a, service: s }
traffic:
  ${traffic}
`;

test('models too large for one machine are refused at the value, with the limit and the memory they would need', () => {
  const twoServices = `services:\n  s: { instances: 60000 }\n  t: { instances: 60000 }\nroutes:\n  - { path: /a, service: s }\ntraffic: { rate: 1 }\n`;
  const cached = `services:\n  s: {}\nroutes:\n  - { path: /a, service: s, cache: { vary: [authorization] } }\nclients:\n${Array.from({ length: 5 }, (_, i) => `  - { name: c${i} }`).join('\n')}\ntraffic:\n  rate: 1\n  keys: { count: 1000000 }\n`;
  const cases: [string, [number, number], string, string][] = [
    [
      cell('  s: { instances: 1e9 }'),
      [1, 18],
      'too-large',
      '`services.s.instances: 1e9` — at most 100,000 instances per service; a model this large would need about 550 GB of memory',
    ],
    [
      cell('  s: { instances: 1e7 }'),
      [1, 18],
      'too-large',
      '`services.s.instances: 1e7` — at most 100,000 instances per service; a model this large would need about 5.5 GB of memory',
    ],
    [cell('  s: { instances: .inf }'), [1, 18], 'not-finite', '`services.s.instances` should be a finite number, got `.inf`'],
    [cell('  s: { latency: { mean: .nan } }'), [1, 24], 'not-finite', '`services.s.latency.mean` should be a finite number, got `.nan`'],
    [
      cell('  s: {}', 'rate: 100\n  keys: { count: 1e9 }'),
      [6, 17],
      'too-large',
      '`traffic.keys.count: 1e9` — at most 1,000,000 distinct keys; a model this large would need about 50 GB of memory',
    ],
    [
      cell('  s: {}', 'rate: 100\n  keys: { count: 1e12 }'),
      [6, 17],
      'too-large',
      '`traffic.keys.count: 1e12` — at most 1,000,000 distinct keys; a model this large would need about 50 TB of memory',
    ],
    [
      cell('  s: {}', 'rate: 100', 'replications: 1e9\n'),
      [0, 14],
      'too-large',
      "`replications: 1e9` — at most 1,000 replications (each is a whole run; 1,000 already narrow the 95% interval to about 6% of one run's spread)",
    ],
    [
      cell('  s: { instances: 2, weights: [1e9, 1], balancer: consistent_hash }'),
      [1, 30],
      'too-large',
      '`services.s.weights`: consistent hashing places 100 ring points per unit of weight: 100,000,000,100 points — at most 1,000,000 per service; a model this large would need about 1.6 TB of memory',
    ],
    [
      cell('  s: { instances: 20000, balancer: consistent_hash }'),
      [1, 18],
      'too-large',
      '`services.s.instances`: consistent hashing places 100 ring points per unit of weight: 2,000,000 points — at most 1,000,000 per service; a model this large would need about 32 MB of memory',
    ],
    [
      twoServices,
      [2, 18],
      'too-large',
      '`services.t.instances`: the services have 120,000 instances in all — at most 100,000 in all services; a model this large would need about 66 MB of memory',
    ],
    [
      cached,
      [3, 28],
      'too-large',
      '`routes[0].cache`: the caches keep one slot per request kind × key × client (here 1 × 1,000,000 × 5), 5,000,000 slots with the routes above — at most 4,000,000 cache slots in a model; a model this large would need about 120 MB of memory',
    ],
    [
      cell('  s: {}', 'rate: 1e9\n  duration: 1e6 s'),
      [5, 8],
      'too-much-work',
      '`traffic`: about 5.0e15 steps (arrivals: rate × duration × replications, with the spike) — at most 1e12 in a run: even at ten million steps a second it could not finish in a day',
    ],
    [
      cell('  s: {}', 'rate: 1e10'),
      [5, 8],
      'too-large',
      '`traffic.rate: 1e10` — at most 1,000,000,000 /s (the clock ticks in microseconds)',
    ],
    [
      cell('  s: {}', 'rate: 1\n  duration: 1e10 s'),
      [6, 12],
      'too-large',
      '`traffic.duration: 1e10 s` — at most 1,000,000,000 s (about 31 years: the simulation clock counts whole microseconds)',
    ],
  ];
  for (const [src, [line, column], code, message] of cases) {
    const p = gatewayKernel.parse(src, ctx);
    assert.equal(p.parsed, undefined, src);
    const errors = p.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(
      errors.map((d) => [d.range.start.line, d.range.start.column, d.code, d.message]),
      [[line, column, code, message]],
      src,
    );
  }
});

test('parts each within their limit are refused together past 256 MB, at the largest part', () => {
  const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');
  const src = `services:\n  s: { instances: 100000 }\nroutes:\n${lines(1000, (i) => `  - { path: /r${i}, service: s${i ? '' : ', cache: { max_entries: 10 }'} }`)}\nclients:\n${lines(1000, (i) => `  - { name: c${i} }`)}\ntraffic:\n  rate: 10\n  keys: { count: 1000000 }\n  requests:\n    - { path: /r0 }\n`;
  const errors = gatewayKernel.parse(src, ctx).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => [d.range.start.line, d.range.start.column, d.code, d.message]),
    [
      [
        1004,
        2,
        'too-large',
        '`clients`: the model would need about 289 MB of memory (route × client tables 100 MB, route statistics 60.1 MB, instances of `s` 55 MB) — at most 256 MB per cell; the largest part is here',
      ],
    ],
  );
  // 600 clients instead of 1,000: 249 MB
  assert.deepEqual(
    gatewayKernel.parse(src.replace(/  - \{ name: c(6\d\d|[7-9]\d\d) \}\n/g, ''), ctx).diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
});

test('at the limits the model parses: 100,000 instances, 1,000,000 keys, 1,000 replications', () => {
  for (const src of [
    cell(`  s: { instances: ${LIMITS.instancesPerService} }`),
    cell('  s: {}', `rate: 100\n  keys: { count: ${LIMITS.keys} }`),
    cell('  s: {}', 'rate: 100', `replications: ${LIMITS.replications}\n`),
    cell('  s: { instances: 10000, balancer: consistent_hash }'),
  ])
    assert.deepEqual(
      gatewayKernel.parse(src, ctx).diagnostics.filter((d) => d.severity === 'error'),
      [],
      src,
    );
});

const markdown = (r: unknown) => (r as { outputs: { items: Record<string, unknown> }[] }).outputs[0].items[MARKDOWN_MIME] as string;
/** The warning a run's report opens with (the report the kernel builds from the same run). */
const notice = (m: GatewayModel, run: GatewayRun) =>
  buildReport(m, run.total, run.reps, run.outcomes, run.seed, m.replications).blocks.find((b) => b.type === 'notice')?.text ?? '';

test('a spike 1e9 times the rate ends at the event budget (arrivals by inversion, each an event)', () => {
  const m = gatewayKernel.parse(
    cell('  s: { instances: 2 }', 'rate: 100\n  duration: 10 s\n  spike: { at: 1 s, duration: 1 s, factor: 1e9 }'),
    ctx,
  ).parsed!;
  const t = Date.now();
  const run = runGateway(m.model, 1, { maxEvents: 2e6, maxWallMs: 20_000 });
  assert.ok(Date.now() - t < 15_000);
  assert.equal(
    notice(m.model, run),
    'The simulation stopped early: reached the event budget (2,000,000 steps; setup and per-event work count as well as events) after 1 of 5 replications; figures cover what ran.',
  );
  // the spike starts at 1 s: about 100 arrivals before it, then arrivals 1e11/s until the budget is spent
  assert.ok(run.total.requests > 400_000, `${run.total.requests}`); // about 4 steps a request (arrival, scan of 2, done)
  assert.equal(run.outcomes[0].reason, 'max-events');
  assert.ok(run.outcomes[0].now >= 1_000_000 && run.outcomes[0].now < 1_000_100, `${run.outcomes[0].now}`);
});

test('a spike multiplies arrivals in its window only, with one draw per arrival', () => {
  // 1,000 req/s for 20 s, ×10 during [5 s, 7 s): 18,000 + 20,000 arrivals expected (Poisson)
  const m = gatewayKernel.parse(
    cell(
      '  s: { concurrency: 1000, latency: { mean: 1 ms } }',
      'rate: 1000\n  duration: 20 s\n  spike: { at: 5 s, duration: 2 s, factor: 10 }',
      'replications: 1\ngateway: { overhead: 0 }\n',
    ),
    ctx,
  ).parsed!;
  const run = runGateway(m.model, 1, { maxEvents: 1e8, maxWallMs: 20_000 });
  const total = run.total.requests;
  assert.ok(Math.abs(total - 38_000) < 4 * Math.sqrt(38_000), `total ${total}`); // within 4 σ
  // factor 0: nobody arrives during the spike
  const quiet = gatewayKernel.parse(
    cell('  s: {}', 'rate: 1000\n  duration: 4 s\n  spike: { at: 1 s, duration: 2 s, factor: 0 }', 'replications: 1\n'),
    ctx,
  ).parsed!;
  const q = runGateway(quiet.model, 1, { maxEvents: 1e8, maxWallMs: 20_000 }).total;
  assert.ok(Math.abs(q.requests - 2000) < 4 * Math.sqrt(2000), `${q.requests}`);
  const slotMs = q.series.width / 1000;
  for (let i = Math.ceil(1000 / slotMs); i < Math.floor(3000 / slotMs); i++)
    assert.equal(q.series.data[i * q.series.series], 0, `bucket ${i}`);
});

test('replications stop at the budget between runs: the last that ran carries the reason', () => {
  const m = gatewayKernel.parse(
    cell('  s: { instances: 2 }', 'rate: 100\n  duration: 10 s', `replications: ${LIMITS.replications}\n`),
    ctx,
  ).parsed!;
  const run = runGateway(m.model, 1, { maxEvents: 50_000, maxWallMs: 20_000 });
  assert.ok(run.outcomes.length > 1 && run.outcomes.length < 50, `${run.outcomes.length}`);
  assert.equal(run.reps.length, run.outcomes.length);
  const last = run.outcomes[run.outcomes.length - 1];
  assert.deepEqual([last.reason, last.stoppedEarly], ['max-events', true]);
  assert.ok(run.outcomes.slice(0, -2).every((o) => o.reason === 'drained'));
  assert.equal(run.perRep.length, 0); // merged as they finish, not kept
  assert.match(
    notice(m.model, run),
    new RegExp(`stopped early: reached the event budget \\(50,000 steps; [^)]*\\) after ${run.outcomes.length} of 1000 replications`),
  );
});

test("each call spends its service's scan: 100,000 instances stop after about maxEvents / 100,000 calls", () => {
  const m = gatewayKernel.parse(
    cell(`  s: { instances: ${LIMITS.instancesPerService} }`, 'rate: 1000\n  duration: 10 s', 'replications: 1\n'),
    ctx,
  ).parsed!;
  const run = runGateway(m.model, 1, { maxEvents: 2e6, maxWallMs: 20_000 });
  const o = run.outcomes[0];
  assert.equal(o.reason, 'max-events');
  // setup spends about 102,000 (instances, keys, statistics); each call then 100,000: 18 calls fit
  assert.ok(o.steps >= 2e6, `${o.steps}`);
  assert.ok(o.events >= 19 && o.events <= 40, `${o.events} events`);
});

test("the key table and each replication's setup spend from the budget before anything runs", () => {
  const m = gatewayKernel.parse(cell('  s: {}', `rate: 100\n  keys: { count: ${LIMITS.keys} }`), ctx).parsed!;
  const run = runGateway(m.model, 1, { maxEvents: 500_000, maxWallMs: 20_000 });
  assert.deepEqual([run.outcomes.length, run.outcomes[0].reason, run.outcomes[0].events], [1, 'max-events', 0]);
  const r = gatewayKernel.execute(m, exec({ maxEvents: 500_000, maxWallMs: 20_000 }));
  const md = markdown(r);
  assert.match(md, /stopped early: reached the event budget/);
  assert.doesNotMatch(md, /NaN|Infinity/);
  assert.doesNotMatch(
    JSON.stringify((r as { outputs: { items: Record<string, unknown> }[] }).outputs[0].items[richMime('gateway')]),
    /null/,
  );
});

test('a queue that grows without bound stops the run at the in-flight ceiling', () => {
  // 1 instance serving 1 request per second, offered 200,000 req/s with a queue that never rejects
  const m = gatewayKernel.parse(
    cell('  s: { latency: { dist: constant, mean: 1 s }, queue_limit: 1e9 }', 'rate: 200000\n  duration: 60 s', 'replications: 1\n'),
    ctx,
  ).parsed!;
  const run = runGateway(m.model, 1, { maxEvents: 1e8, maxWallMs: 60_000 });
  const o = run.outcomes[0];
  assert.equal(o.reason, 'memory');
  assert.equal(o.detail, 'more than 1,048,576 requests or 2,097,152 upstream calls in flight at once: the queues grow without bound');
  assert.ok(o.now > 5e6 && o.now < 6e6, `stopped at ${o.now} µs`); // 2^20 arrivals at 200,000/s ≈ 5.2 s
  assert.match(notice(m.model, run), /stopped early: reached the memory ceiling \(more than 1,048,576 requests/);
});

test('found by fuzzing: a lognormal with mean 0 is the constant 0; routes that all end in /* need traffic.requests', () => {
  const zero = gatewayKernel.parse(
    cell('  s: { latency: { dist: lognormal, mean: 0 } }', 'rate: 100\n  duration: 1 s', 'replications: 1\n'),
    ctx,
  ).parsed!;
  assert.deepEqual([zero.model.services[0].mu, zero.model.services[0].dist], [0, 1]);
  const run = runGateway(zero.model, 1, { maxEvents: 1e6, maxWallMs: 10_000 });
  assert.equal(run.total.svcSojournSum[0], 0);
  const rest = gatewayKernel.parse('services:\n  s: {}\nroutes:\n  - { path: /files/*, service: s }\ntraffic:\n  rate: 10\n', ctx);
  assert.deepEqual(
    rest.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.range.start.line, d.range.start.column, d.code]),
    [[4, 0, 'no-requests']],
  );
});

test('Erlang C for 10^10 servers ends at once and agrees with 10^4 (nobody waits)', () => {
  const t = Date.now();
  const huge = erlangC(100, 1, 1e10)!,
    small = erlangC(100, 1, 1e4)!;
  // A loop over 10^10 servers would take minutes; the bound leaves a loaded machine room.
  assert.ok(Date.now() - t < 1000);
  assert.deepEqual([huge.pWait, huge.wq, huge.w], [small.pWait, small.wq, small.w]);
  assert.equal(huge.pWait, 0);
  // a shared queue of 100,000 instances × 100,000 servers reports without hanging
  const m = gatewayKernel.parse(
    cell('  s: { instances: 100000, concurrency: 100000, queue: shared }', 'rate: 10\n  duration: 1 s', 'replications: 1\n'),
    ctx,
  ).parsed!;
  const t2 = Date.now();
  gatewayKernel.execute(m, exec());
  assert.ok(Date.now() - t2 < 15_000, `${Date.now() - t2} ms`);
});
