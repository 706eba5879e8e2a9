import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaKernel, runKafkaModel } from '../../../src/kernels/kafka';
import { mixSeed } from '../../../src/kernels/sim/random';
import { emptyScope } from '../../../src/kernels/model';
import { DEFAULT_BUDGET, Definition, ExecContext, MARKDOWN_MIME, ParseContext, Scope, richMime } from '../../../src/kernels/types';
import { Report, walkBlocks } from '../../../src/kernels/report';
import { figureText } from '../../../src/kernels/sim/ci';

const pctx: ParseContext = { cellIndex: 0, scope: emptyScope };
const ectx = (over: Partial<ExecContext> = {}): ExecContext => ({
  ...pctx,
  seed: 7,
  budget: DEFAULT_BUDGET,
  isCancelled: () => false,
  notebook: {},
  ...over,
});

function model(src: string, ctx = pctx) {
  const p = kafkaKernel.parse(src, ctx);
  assert.deepEqual(
    p.diagnostics.filter((d) => d.severity === 'error'),
    [],
    'no errors',
  );
  return p.parsed!;
}
function run(src: string, over: Partial<ExecContext> = {}) {
  return runKafkaModel(model(src).model, ectx(over)).result;
}

const base = (extra = '', topic = '', producer = '    rate: 3000\n    keys: 30') => `
duration: 10 s
topics:
  - name: t
    partitions: 3
    replication_factor: 3
    min_insync_replicas: 2
${topic}
producers:
  - name: p
    topic: t
${producer}
${extra}`;

// ---------------------------------------------------------------- validation, hover, completion

test('validation points at line and column: unknown key with a suggestion', () => {
  const d = kafkaKernel.parse('topics:\n  - name: t\n    partitons: 3\n', pctx).diagnostics;
  const e = d.find((x) => x.code === 'unknown-key')!;
  assert.deepEqual(e.range.start, { line: 2, column: 4 });
  assert.match(e.message, /did you mean `partitions`/);
});

const errorCases: [string, string, RegExp, number][] = [
  ['rf > brokers', 'cluster:\n  brokers: 2\ntopics:\n  - name: t\n    replication_factor: 3\n', /needs at least 3 brokers/, 4],
  ['unknown topic', 'topics:\n  - name: t\nproducers:\n  - name: p\n    topic: nope\n    rate: 10\n', /unknown topic `nope`/, 4],
  ['two actions', 'topics:\n  - name: t\ntimeline:\n  - at: 1 s\n    kill_broker: 1\n    restart_broker: 1\n', /exactly one action/, 3],
  ['unknown broker', 'topics:\n  - name: t\ntimeline:\n  - at: 1 s\n    kill_broker: 9\n', /broker 9 does not exist/, 4],
  [
    'idempotence needs acks=all',
    'topics:\n  - name: t\nproducers:\n  - name: p\n    topic: t\n    rate: 10\n    acks: 1\n    idempotence: true\n',
    /requires acks=all/,
    7,
  ],
  ['bad enum', 'topics:\n  - name: t\nproducers:\n  - name: p\n    topic: t\n    rate: 10\n    acks: al\n', /did you mean `all`/, 6],
  ['duration dimension', 'duration: 5 MB\ntopics:\n  - name: t\n', /should be a duration/, 0],
];
for (const [name, src, re, line] of errorCases) {
  test(`validation: ${name} (line ${line + 1})`, () => {
    const p = kafkaKernel.parse(src, pctx);
    assert.equal(p.parsed, undefined);
    const e = p.diagnostics.find((d) => re.test(d.message));
    assert.ok(e, `expected ${re}, got ${JSON.stringify(p.diagnostics.map((d) => d.message))}`);
    assert.equal(e!.range.start.line, line);
  });
}

test('warnings: min.insync.replicas equal to the replication factor is flagged', () => {
  const p = kafkaKernel.parse('topics:\n  - name: t\n    replication_factor: 3\n    min_insync_replicas: 3\n', pctx);
  assert.ok(p.parsed);
  assert.ok(p.diagnostics.some((d) => d.severity === 'warning' && d.code === 'min-isr-equals-rf'));
});

test('hover documents a key from the schema; completion offers keys and enum values', () => {
  const src = 'topics:\n  - name: t\nproducers:\n  - name: p\n    topic: t\n    rate: 10\n    acks: all\n';
  const h = kafkaKernel.hover!(src, { line: 6, column: 5 }, pctx);
  assert.match(h!.markdown, /acks/);
  assert.match(h!.markdown, /in-sync/);
  const keys = kafkaKernel.complete!('topics:\n  - name: t\n    ', { line: 2, column: 4 }, pctx).map((c) => c.label);
  assert.ok(keys.includes('min_insync_replicas'), keys.join(','));
  const values = kafkaKernel.complete!(
    'topics:\n  - name: t\nconsumer_groups:\n  - name: g\n    topics: [t]\n    assignor: ',
    { line: 5, column: 14 },
    pctx,
  ).map((c) => c.label);
  assert.deepEqual(values.filter((v) => ['range', 'roundrobin', 'sticky', 'cooperative-sticky'].includes(v)).sort(), [
    'cooperative-sticky',
    'range',
    'roundrobin',
    'sticky',
  ]);
});

test('estimate names in scalars are evaluated and returned as reads', () => {
  const def: Definition = {
    name: 'peak_writes',
    quantity: { value: 500, dims: { time: -1 } },
    cellIndex: 0,
    range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
    expression: '500/s',
  };
  const scope: Scope = { get: (n) => (n === 'peak_writes' ? def : undefined), names: () => ['peak_writes'] };
  const ctx = { ...pctx, scope };
  const p = model('duration: 2 s\ntopics:\n  - name: t\nproducers:\n  - name: p\n    topic: t\n    rate: peak_writes\n', ctx);
  assert.equal(p.model.producers[0].rate, 500);
  const r = kafkaKernel.execute(p, ectx({ scope })) as { reads?: string[]; ok: boolean };
  assert.equal(r.ok, true);
  assert.deepEqual(r.reads, ['peak_writes']);
});

// ---------------------------------------------------------------- execution contract

test('outputs are a kafka report with markdown fallback, chart and mermaid blocks', () => {
  const p = model(base('consumer_groups:\n  - name: g\n    topics: [t]\n    consumers: 2\nsizing:\n  nic_gbps: 1\n'));
  const r = kafkaKernel.execute(p, ectx()) as { outputs: { items: Record<string, unknown> }[]; ok: boolean };
  assert.equal(r.ok, true);
  const rep = r.outputs[0].items[richMime('kafka')] as Report;
  const all = [...walkBlocks(rep.blocks)];
  const types = new Set(all.map((b) => b.type));
  for (const t of ['metrics', 'table', 'chart', 'mermaid']) assert.ok(types.has(t as never), t);
  assert.ok(all.some((b) => b.type === 'table' && /^Sizing/.test(b.title ?? '')));
  assert.match(String(r.outputs[0].items[MARKDOWN_MIME]), /Partitions before events/);
});

test('deterministic for a seed; the cell seed changes null-key placement', () => {
  const src = base('', '', '    rate: 3000\n    keys: 0');
  const a = run(src),
    b = run(src);
  assert.deepEqual(a.after, b.after);
  const other = runKafkaModel(model(src.replace('duration: 10 s', 'duration: 10 s\nseed: 99')).model, ectx()).result;
  assert.notDeepEqual(
    other.after.map((p) => p.logEndOffset),
    a.after.map((p) => p.logEndOffset),
  );
  // The run's seed is the notebook's mixed with the cell's, as every kernel mixes them.
  assert.equal(
    runKafkaModel(model(src.replace('duration: 10 s', 'duration: 10 s\nseed: 99')).model, { ...ectx(), seed: 7 }).seed,
    mixSeed(7, 99),
  );
  assert.equal(runKafkaModel(model(src).model, { ...ectx(), seed: 7 }).seed, 7);
});

test('the event budget stops the run early and the report says so', () => {
  const { result, report } = runKafkaModel(model(base()).model, ectx({ budget: { maxEvents: 500, maxWallMs: 10_000 } }));
  assert.equal(result.outcome.reason, 'max-events');
  assert.ok(result.simulatedS < 10);
  assert.ok(report.blocks.some((b) => b.type === 'notice' && /stopped early/.test(b.text)));
});

test('cancellation stops the run', () => {
  let polls = 0;
  const r = run(base(), { isCancelled: () => ++polls > 1 });
  assert.equal(r.outcome.reason, 'cancelled');
});

// ---------------------------------------------------------------- semantics in the simulation

test('exact offsets: keyed records land where murmur2 puts them, everything written is replicated and committed', () => {
  const r = run(base());
  // 30 keys over 3 partitions, 3000 records/s for 10 s (tail batches in flight aside)
  const total = r.after.reduce((a, p) => a + p.logEndOffset, 0);
  assert.equal(total, r.records);
  assert.ok(total >= 29_900 && total <= 30_000, String(total));
  for (const p of r.after) assert.ok(p.logEndOffset - p.highWatermark < 100, 'HW trails by about a fetch');
  assert.equal(r.producers[0].acked + r.producers[0].pending, r.producers[0].written);
});

test('broker failure: acks=1 loses acknowledged records that were not replicated; acks=all loses none', () => {
  // Slow followers (50 ms fetch rounds) leave the last acks=1 batches on the leader alone.
  const src = base(
    'cluster:\n  replica_fetch_interval: 50 ms\n  broker_session_timeout: 1 s\ntimeline:\n  - at: 3 s\n    kill_broker: 1\n',
    '',
    '    rate: 3000\n    keys: 30\n    acks: all\n  - name: weak\n    topic: t\n    rate: 3000\n    keys: 30\n    acks: 1',
  );
  const r = run(src);
  const [strong, weak] = r.producers;
  assert.equal(strong.ackedLost, 0);
  assert.ok(weak.ackedLost > 0, 'acks=1 records on the dead leader only');
  assert.ok(r.leaderChanges >= 1);
  const p0 = r.after.find((p) => p.partition === 0)!;
  assert.notEqual(p0.leader, 1);
  assert.deepEqual(p0.isr.includes(1), false);
});

test('min.insync.replicas: with two of three brokers down acks=all gets NOT_ENOUGH_REPLICAS; acks=1 data stays invisible from 3.7', () => {
  const events = 'timeline:\n  - at: 1 s\n    kill_broker: 2\n  - at: 1 s\n    kill_broker: 3\n';
  const producers = '    rate: 3000\n    keys: 30\n    acks: all\n  - name: weak\n    topic: t\n    rate: 300\n    keys: 30\n    acks: 1';
  const groups = 'cluster:\n  broker_session_timeout: 1 s\nconsumer_groups:\n  - name: g\n    topics: [t]\n';
  const r39 = run(base(events + groups, '', producers));
  assert.ok(r39.producers[0].notEnoughReplicas > 0);
  assert.ok(r39.producers[1].written > 0);
  const p39 = r39.after.find((p) => p.leader === 1)!;
  assert.ok(p39.highWatermark < p39.logEndOffset, 'HW frozen under min ISR');
  const r36 = run(base(events + groups, '', producers).replace('duration: 10 s', 'duration: 10 s\nkafka_version: 3.6'));
  const p36 = r36.after.find((p) => p.leader === 1)!;
  assert.equal(p36.highWatermark, p36.logEndOffset, 'before 3.7 the leader alone advances the HW');
  assert.ok(r36.groups[0].consumed > r39.groups[0].consumed);
});

test('unclean leader election loses committed, acknowledged records; a clean cluster stays offline instead', () => {
  const src = (unclean: boolean) => `
duration: 40 s
cluster:
  brokers: 2
  unclean_leader_election: ${unclean}
topics:
  - name: t
    partitions: 1
    replication_factor: 2
    min_insync_replicas: 1
producers:
  - name: p
    topic: t
    rate: 1000
    acks: all
timeline:
  - at: 2 s
    kill_broker: 2
  - at: 15 s
    kill_broker: 1
  - at: 30 s
    restart_broker: 2
`;
  const clean = run(src(false));
  assert.equal(clean.after[0].leader, -1);
  assert.equal(clean.producers[0].ackedLost, 0);
  const dirty = run(src(true));
  assert.equal(dirty.after[0].leader, 2);
  assert.deepEqual(dirty.after[0].isr, [2]);
  // Broker 2 stopped at 2 s; everything acknowledged from then until broker 1 died at 15 s is gone.
  assert.ok(dirty.producers[0].ackedLost >= 12_000 && dirty.producers[0].ackedLost <= 13_100, String(dirty.producers[0].ackedLost));
  assert.ok(dirty.events.some((e) => /UNCLEAN/.test(e.effect)));
  // A consumer had read records the unclean election then removed.
  const withReader = run(src(true).replace('timeline:', 'consumer_groups:\n  - name: g\n    topics: [t]\ntimeline:'));
  assert.ok(withReader.groups[0].readThenLost > 12_000, String(withReader.groups[0].readThenLost));
});

test('retries after a leader change: duplicates and per-key order violations without idempotence, none with it', () => {
  const src = (idem: boolean) =>
    base(
      'cluster:\n  broker_session_timeout: 1 s\nconsumer_groups:\n  - name: g\n    topics: [t]\ntimeline:\n  - at: 3 s\n    kill_broker: 1\n',
      '',
      `    keys: 3\n    acks: all\n    idempotence: ${idem}\n    rate: 30000`,
    );
  const plain = run(src(false));
  assert.ok(plain.producers[0].duplicates > 0);
  assert.ok(plain.groups[0].orderViolations > 0);
  assert.match(plain.groups[0].firstViolation!, /key-\d+/);
  const idem = run(src(true));
  assert.equal(idem.producers[0].duplicates, 0);
  assert.equal(idem.groups[0].orderViolations, 0);
});

test('cooperative-sticky moves partitions in two rebalances; eager sticky in one', () => {
  const groups = (assignor: string) =>
    `consumer_groups:\n  - name: g\n    topics: [t]\n    consumers: 1\n    assignor: ${assignor}\ntimeline:\n  - at: 2 s\n    add_consumer: g\n`;
  const coop = run(base(groups('cooperative-sticky')));
  const rb = coop.groups[0].rebalances;
  assert.equal(rb.length, 3, 'initial, join, follow-up');
  assert.equal(rb[1].withheld, 1);
  assert.equal(rb[2].moved, 1);
  const eager = run(base(groups('sticky')));
  assert.equal(eager.groups[0].rebalances.length, 2);
  const a = eager.groups[0].assignment.map((m) => m.partitions.length).sort();
  assert.deepEqual(a, [1, 2]);
});

test('a dead consumer is noticed after session.timeout.ms; its uncommitted records are redelivered', () => {
  const r = run(
    base(
      'consumer_groups:\n  - name: g\n    topics: [t]\n    consumers: 2\n    session_timeout: 3 s\n    auto_commit_interval: 5 s\ntimeline:\n  - at: 6 s\n    kill_consumer: g\n',
    ),
  );
  const rb = r.groups[0].rebalances;
  assert.equal(rb.length, 2);
  assert.ok(Math.abs(rb[1].timeS - 9) < 0.01, String(rb[1].timeS));
  assert.ok(r.groups[0].redelivered > 0);
  assert.equal(r.groups[0].assignment.filter((m) => m.state === 'active').length, 1);
});

test('lag = HW − position: a slow consumer falls behind by the rate difference', () => {
  const r = run(
    base('consumer_groups:\n  - name: g\n    topics: [t]\n    consumers: 1\n    rate: 2000\n    auto_offset_reset: earliest\n'),
  );
  const lag = r.groups[0].lagByPartition.reduce((a, x) => a + x.lag, 0);
  // produces 3000/s, consumes 2000/s for 10 s
  assert.ok(lag > 9_000 && lag < 10_500, String(lag));
  const samples = r.samples.map((s) => s.lag[0]);
  assert.ok(samples[samples.length - 2] > samples[5], 'lag grows over time');
});

test('static members leaving do not trigger a rebalance until the session times out', () => {
  const r = run(
    base(
      'consumer_groups:\n  - name: g\n    topics: [t]\n    consumers: 2\n    static: true\n    session_timeout: 4 s\ntimeline:\n  - at: 2 s\n    remove_consumer: g\n',
    ),
  );
  const rb = r.groups[0].rebalances;
  assert.equal(rb.length, 2);
  // The session runs from the last heartbeat (one every 3 s from 0 s): the one at 0 s, so it expires at 4 s.
  assert.ok(Math.abs(rb[1].timeS - 4) < 0.01, String(rb[1].timeS));
  assert.equal(r.groups[0].assignment[0].instanceId, 'g-instance-1');
  // Heartbeats every second: the last at 2 s, so the session expires at 6 s.
  const often = run(
    base(
      'consumer_groups:\n  - name: g\n    topics: [t]\n    consumers: 2\n    static: true\n    session_timeout: 4 s\n    heartbeat_interval: 1 s\ntimeline:\n  - at: 2 s\n    remove_consumer: g\n',
    ),
  ).groups[0].rebalances;
  assert.ok(Math.abs(often[1].timeS - 6) < 0.01, String(often[1].timeS));
});

// ---------------------------------------------------------------- fixes (deep-dive issue)

test('3.6: acks=all requests waiting when the ISR shrinks to the leader alone complete with NOT_ENOUGH_REPLICAS_AFTER_APPEND; 3.9 freezes the HW and they time out', () => {
  // RF 3, min ISR 2: both followers die at 2 s and are fenced at 11 s; the requests sent meanwhile wait for a HW that cannot move.
  const src = (v: string, duration: number) =>
    `kafka_version: "${v}"\nduration: ${duration} s\ncluster: { brokers: 3 }\ntopics:\n  - { name: t, partitions: 1, replication_factor: 3, min_insync_replicas: 2 }\nproducers:\n  - { name: p, topic: t, rate: 1000, keys: 10, acks: all }\ntimeline:\n  - { at: 2 s, kill_broker: 2 }\n  - { at: 2 s, kill_broker: 3 }\n`;
  const r36 = run(src('3.6', 20));
  const waiting = r36.producers[0];
  assert.ok(waiting.notEnoughReplicasAfterAppend > 0, JSON.stringify(waiting));
  assert.equal(waiting.timedOut, 0);
  assert.equal(r36.after[0].highWatermark, r36.after[0].logEndOffset, 'the leader alone moved the HW at the fence');
  const r39 = run(src('3.9', 40));
  assert.equal(r39.producers[0].notEnoughReplicasAfterAppend, 0);
  assert.ok(r39.producers[0].timedOut > 0, 'request.timeout.ms (30 s) after they were sent');
  assert.ok(r39.after[0].highWatermark < r39.after[0].logEndOffset);
});

test('members that left are listed apart, without their old partitions; a stopped member keeps its partitions until it is removed', () => {
  const r = run(
    base(
      'consumer_groups:\n  - name: g\n    topics: [t]\n    consumers: 3\n    session_timeout: 2 s\n    heartbeat_interval: 1 s\ntimeline:\n  - at: 2 s\n    kill_consumer: g\n  - at: 3 s\n    remove_consumer: g\n  - at: 9 s\n    kill_consumer: g\n',
    ),
  );
  const g = r.groups[0];
  // consumer-3 killed at 2 s; consumer-2 leaves at 3 s, and the rebalance its LeaveGroup starts removes both;
  // consumer-1 killed at 9 s: its session (2 s) runs past the end.
  assert.deepEqual(
    g.departed.map((d) => [d.member, d.why, +d.timeS.toFixed(3)]),
    [
      ['g-consumer-2', 'left (LeaveGroup)', 3],
      ['g-consumer-3', 'killed', 3],
    ],
  );
  assert.deepEqual(
    g.assignment.map((a) => [a.member, a.state, a.partitions]),
    [['g-consumer-1', 'killed; still a member until the coordinator removes it', ['t-0', 't-1', 't-2']]],
  );
  assert.ok(g.lagByPartition.every((x) => x.owner === 'g-consumer-1 (stopped)'));
});

test('restart: a broker outside the ISR of an offline partition says it stays offline, not that it rejoins the ISR', () => {
  const r = run(
    `duration: 30 s\ncluster: { brokers: 2, broker_session_timeout: 1 s }\ntopics:\n  - { name: t, partitions: 1, replication_factor: 2, min_insync_replicas: 1 }\ntimeline:\n  - { at: 2 s, kill_broker: 2 }\n  - { at: 5 s, kill_broker: 1 }\n  - { at: 10 s, restart_broker: 2 }\n  - { at: 15 s, restart_broker: 1 }\n`,
  );
  const effect = (e: string) => r.events.find((x) => x.event === e)!.effect;
  assert.equal(
    effect('restart broker 2'),
    't-0 stays offline: broker 2 is not in its ISR and no ISR member is alive (unclean election is off)',
  );
  assert.equal(effect('restart broker 1'), 't-0: leader none → 1, ISR [1]');
  assert.deepEqual([r.after[0].leader, r.after[0].isr], [1, [1, 2]]);
});

test('kafka_version is read as written: 3.10 is not 3.1, 4.0 is not 4', () => {
  const version = (v: string) => kafkaKernel.parse(`kafka_version: ${v}\ntopics:\n  - name: t\n`, pctx);
  assert.match(version('3.10').diagnostics[0].message, /got `3\.10`/);
  assert.equal(version('3.9').parsed?.model.kafkaVersion, '3.9');
});

test('inspect: where an offset lives (segment, index entry, position)', () => {
  const { report } = runKafkaModel(
    model(
      base(
        'inspect:\n  - topic: t\n    partition: 0\n    offset: 5000\n  - topic: t\n    partition: 0\n    offset: 99999999\n',
        '    segment_bytes: 100 kB\n',
      ),
    ).model,
    ectx(),
  );
  const t = [...walkBlocks(report.blocks)].find((b) => b.type === 'table' && b.title === 'Where records live');
  assert.ok(t && t.type === 'table');
  const [found, missing] = t.rows;
  assert.ok(Number(found[2]) > 0 && Number(found[2]) <= 5000, 'segment base at or below the offset');
  assert.match(String(missing[3]), /outside the log/);
});

test('records: murmur2 placement and compaction through the exact log model', () => {
  const src =
    'duration: 1 s\ntopics:\n  - name: c\n    partitions: 1\n    cleanup_policy: compact\n    records:\n' +
    ['1', '2', '3', '3', '1', '4', '1', '4'].map((k) => `      - key: "${k}"\n        value: v${k}\n`).join('');
  const { report } = runKafkaModel(model(src).model, ectx());
  const after = [...walkBlocks(report.blocks)].find((b) => b.type === 'table' && /after compaction/.test(b.title ?? ''));
  assert.ok(after && after.type === 'table');
  assert.deepEqual(
    after.rows.map((r) => [r[1], r[2]]),
    [
      [1, '"2"'],
      [3, '"3"'],
      [6, '"1"'],
      [7, '"4"'],
    ],
  );
  // Reading from a removed offset returns the next surviving one.
  const { report: withRead } = runKafkaModel(model(src + 'inspect:\n  - topic: c\n    offset: 4\n').model, ectx());
  const where = [...walkBlocks(withRead.blocks)].find((b) => b.type === 'table' && b.title === 'Where records live');
  assert.ok(where && where.type === 'table');
  assert.equal(where.rows[0][7], '6: "1" = "v1", 7: "4" = "v4"');
});

test('figures at full precision: exact counts to the last digit, rates and mean lag (to 6 significant digits) with a 95% interval over 10 batch means', () => {
  const { result, report } = runKafkaModel(model(base('consumer_groups:\n  - name: g\n    topics: [t]\n    rate: 2000\n')).model, ectx());
  const t = [...walkBlocks(report.blocks)].find((b) => b.type === 'table' && b.title === 'Figures at full precision');
  assert.ok(t && t.type === 'table');
  const row = (name: string) => t.rows.find((x) => x[0] === name)!;
  const full = (x: number) => x.toLocaleString('en-US', { maximumSignificantDigits: 17, useGrouping: false });
  const write = row('write throughput (records/s)');
  // The batches: 60 samples' 60 intervals cut into 10 of 6; each batch's rate; a t(9) interval over them.
  const s = result.samples;
  const means = Array.from(
    { length: 10 },
    (_, b) => (s[(b + 1) * 6].produced - s[b * 6].produced) / (s[(b + 1) * 6].timeS - s[b * 6].timeS),
  );
  const mean = means.reduce((a, x) => a + x, 0) / 10;
  const sd = Math.sqrt(means.reduce((a, x) => a + (x - mean) ** 2, 0) / 9);
  const hw = (2.262 * sd) / Math.sqrt(10);
  // Rounded as figureText does (its rule is pinned in results.test.ts): 6 significant digits here.
  const shown = (x: number) => figureText(x, hw);
  assert.equal(write[1], shown(result.records / result.simulatedS));
  assert.equal(write[6], means.map(shown).join(' '));
  assert.equal(write[2], shown(mean));
  assert.equal(write[3], shown(hw));
  assert.ok(hw > 0.01 * mean * 1e-4, 'an interval wide enough for 6 digits');
  assert.equal(write[2], String(+mean.toPrecision(6)));
  assert.equal(row('p: acknowledged')[1], full(result.producers[0].acked));
  assert.equal(row('g: lag at the end (records)')[1], full(result.groups[0].lagByPartition.reduce((a, x) => a + x.lag, 0)));
  assert.ok(
    t.rows.every((r) => r.every((c) => !/e[+-]?\d/.test(String(c)))),
    'never in exponent notation',
  );
});
