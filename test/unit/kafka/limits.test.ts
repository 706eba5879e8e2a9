// Hostile Kafka models: too large for one machine is refused at parse time with the key's position and
// the limit; everything else ends within the run's budget (setup, fetch rounds and events spend from it)
// or at the memory ceiling, and says so. Figures and limits are docs/limits.md's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaKernel, runKafkaModel } from '../../../src/kernels/kafka';
import { buildRecordLogs } from '../../../src/kernels/kafka/report';
import { LIMITS } from '../../../src/kernels/kafka/cell/schema';
import { emptyScope } from '../../../src/kernels/model';
import { ExecResult, MARKDOWN_MIME, ParseContext } from '../../../src/kernels/types';

const pctx: ParseContext = { cellIndex: 0, scope: emptyScope };
const parse = (src: string) => kafkaKernel.parse(src, pctx);
const run = (src: string, maxEvents: number, isCancelled = () => false) =>
  runKafkaModel(parse(src).parsed!.model, { seed: 7, budget: { maxEvents, maxWallMs: 30_000 }, isCancelled });
const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

test('models too large for one machine are refused at the value, with the limit and why', () => {
  const cases: [string, [number, number], string, string][] = [
    [
      'topics:\n  - { name: t, partitions: 6 }\nproducers:\n  - { name: p, topic: t, rate: 100, keys: 1e12 }\n',
      [3, 42],
      'too-large',
      '`producers[0].keys: 1e12` — at most 1,000,000 distinct keys per producer (each key is hashed at setup)',
    ],
    [
      'topics:\n  - { name: t, partitions: 6 }\nconsumer_groups:\n  - { name: g, topics: [t], consumers: 1e9 }\n',
      [3, 39],
      'too-large',
      '`consumer_groups[0].consumers: 1e9` — at most 10,000 members per group (each rebalance assigns every one of them)',
    ],
    [
      'cluster: { brokers: 1000 }\ntopics:\n  - { name: t, partitions: 10000, replication_factor: 100, min_insync_replicas: 2 }\n',
      [2, 54],
      'too-large',
      '`topics[0]`: 10,000 partitions × replication factor 100, 1,000,000 partition replicas with the topics above — at most 200,000 in a model: brokers visit every replica they hold once per replica_fetch_interval (here 1.0e9 visits per simulated second), and Kafka itself advises about 4,000 replicas per broker',
    ],
    [
      'cluster: { brokers: 100 }\ntopics:\n  - { name: a, partitions: 10000 }\n  - { name: b, partitions: 10000 }\n  - { name: c, partitions: 10 }\n',
      [4, 27],
      'too-large',
      '`topics[2].partitions`: the topics have 20,010 partitions in all — at most 20,000 in a model; a model this large would need about 120 MB of memory',
    ],
    ['duration: .nan\ntopics:\n  - { name: t }\n', [0, 10], 'not-finite', '`duration` should be a finite number, got `.nan`'],
    ['duration: .inf\ntopics:\n  - { name: t }\n', [0, 10], 'not-finite', '`duration` should be a finite number, got `.inf`'],
    [
      'topics:\n  - { name: t, segment_bytes: 3e9 }\n',
      [1, 30],
      'out-of-range',
      '`topics[0].segment_bytes` should be <= 2,147,483,647 B, got 3,000,000,000 B',
    ],
    [
      `topics:\n  - { name: t, partitions: 10000 }\nproducers:\n${lines(11, (i) => `  - { name: p${i}, topic: t, rate: 1 }`)}\n`,
      [13, 4],
      'too-large',
      '`producers[10]`: a keyed producer writes one batch stream per partition of its topic: 110,000 streams with the producers above — at most 100,000 in a model; a model this large would need about 44 MB of memory',
    ],
    [
      `topics:\n  - { name: t, partitions: 10000 }\nproducers:\n${lines(200, (i) => `  - { name: p${i}, topic: t, rate: 1, keys: 0 }`)}\nconsumer_groups:\n${lines(6, (i) => `  - { name: g${i}, topics: [t] }`)}\n`,
      [209, 16],
      'too-large',
      '`consumer_groups[5]`: order tracking keeps one slot per partition and producer, 12,000,000 with the groups above — at most 10,000,000 in a model; a model this large would need about 96 MB of memory',
    ],
    [
      `topics:\n  - { name: t }\nconsumer_groups:\n${lines(3, (i) => `  - { name: g${i}, topics: [t], consumers: 4000 }`)}\n`,
      [5, 40],
      'too-large',
      '`consumer_groups[2].consumers`: 12,000 members with the groups above — at most 10,000 in a model (each rebalance assigns every member)',
    ],
    [
      'duration: 1000 s\nsample_interval: 1 ms\ntopics:\n  - { name: t }\n',
      [1, 17],
      'too-large',
      '`sample_interval`: 1,000,000 lag and throughput samples — at most 100,000 in a run (duration / sample_interval)',
    ],
    [
      'duration: 1e8 s\ncluster: { replica_fetch_interval: 1 µs }\ntopics:\n  - { name: t, partitions: 100 }\n',
      [1, 35],
      'too-much-work',
      '`cluster.replica_fetch_interval`: about 3.0e16 steps (replica fetches: duration / replica_fetch_interval × partition replicas, and producer batches) — at most 1e12 in a run: even at ten million steps a second it could not finish in a day',
    ],
    [
      `topics:\n  - name: t\n    records:\n${lines(10_001, (i) => `      - { key: k${i} }`)}\n`,
      [3, 6],
      'too-large',
      '`topics[0].records` has 10,001 items — at most 10,000 records (each is a row in the report); a model this large would need about 80 MB of memory',
    ],
    [
      'topics:\n  - { name: t }\n#' + 'x'.repeat(600_000) + '\n',
      [2, 524_264],
      'too-large',
      'the cell is 600,026 characters — at most 524,288 in a model cell; a model this large would need about 120 MB of memory to parse',
    ],
  ];
  for (const [src, [line, column], code, message] of cases) {
    const p = parse(src);
    assert.equal(p.parsed, undefined, src.slice(0, 200));
    const errors = p.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(
      errors.map((d) => [d.range.start.line, d.range.start.column, d.code, d.message]),
      [[line, column, code, message]],
      src.slice(0, 200),
    );
  }
});

test('parts each within their limit are refused together past 256 MB, at the largest part', () => {
  const src = `topics:\n  - { name: a, partitions: 10000 }\n  - name: b\n    partitions: 10000\n    records:\n${lines(10_000, (i) => `      - { key: k${i} }`)}\nproducers:\n${lines(40, (i) => `  - { name: p${i}, topic: a, rate: 1, keys: 0 }`)}\nconsumer_groups:\n${lines(9, (i) => `  - { name: g${i}, topics: [a], consumers: ${i ? 0 : 9992} }`)}\n`;
  const errors = parse(src).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => [d.range.start.line, d.range.start.column, d.code, d.message]),
    [
      [
        1,
        27,
        'too-large',
        '`topics[0].partitions`: the model would need about 277 MB of memory (partitions 120 MB, records 80 MB, order tracking 57.6 MB) — at most 256 MB per cell; the largest part is here',
      ],
    ],
  );
  // four groups fewer: 251 MB
  assert.deepEqual(
    parse(src.replace(/  - \{ name: g[5-8],[^\n]*\n/g, '')).diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
});

test('at the limits the model parses', () => {
  for (const src of [
    `cluster: { brokers: 1000 }\ntopics:\n  - { name: t, partitions: 2000, replication_factor: 100 }\n`,
    `topics:\n  - { name: a, partitions: 10000 }\n  - { name: b, partitions: 10000 }\n`,
    `topics:\n  - { name: t }\nproducers:\n  - { name: p, topic: t, rate: 1, keys: ${LIMITS.keys} }\nconsumer_groups:\n  - { name: g, topics: [t], consumers: ${LIMITS.consumers} }\n`,
  ])
    assert.deepEqual(
      parse(src).diagnostics.filter((d) => d.severity === 'error'),
      [],
      src,
    );
});

test('hashing a million keys at setup spends from the budget and stops with it', () => {
  const src = `duration: 10 s\ntopics:\n  - { name: t, partitions: 12 }\nproducers:\n  - { name: p, topic: t, rate: 1000, keys: ${LIMITS.keys} }\n`;
  const t = Date.now();
  const { result } = run(src, 100_000);
  assert.ok(Date.now() - t < 5000);
  assert.deepEqual([result.outcome.reason, result.outcome.events, result.simulatedS], ['max-events', 0, 0]);
  assert.ok(result.outcome.steps >= 100_000 && result.outcome.steps < 110_000, `${result.outcome.steps}`);
  // Stop pressed: the setup loop polls it every 4,096 steps
  let polls = 0;
  const c = run(src, 1e9, () => ++polls > 1).result;
  assert.equal(c.outcome.reason, 'cancelled');
  assert.ok(c.outcome.steps < 20_000, `${c.outcome.steps}`);
});

test('fetch rounds spend a step per partition replica (and one per 8 replicas): 200,000 replicas stop within the budget, in time', () => {
  const src =
    'duration: 60 s\ncluster: { brokers: 1000 }\ntopics:\n  - { name: t, partitions: 2000, replication_factor: 100, min_insync_replicas: 1 }\nproducers:\n  - { name: p, topic: t, rate: 1000 }\n';
  const t = Date.now();
  const { result, report } = run(src, 2_000_000);
  const ms = Date.now() - t;
  assert.equal(result.outcome.reason, 'max-events');
  // each 1 ms round of the 1,000 brokers visits all 200,000 replicas at 1 + 100 / 8 = 13 steps: 2.6M steps
  // a round, so the budget ends inside the first (setup placed the replicas: 200,000 steps)
  assert.ok(result.simulatedS >= 0.001 && result.simulatedS < 0.002, `${result.simulatedS} s`);
  assert.ok(ms < 20_000, `${ms} ms`);
  assert.ok(report.blocks.some((b) => b.type === 'notice' && /stopped early: reached the event budget/.test(b.text)));
});

test('produce requests that cannot be written stop the run at the memory ceiling', () => {
  // one broker, killed at once: every batch waits (delivery timeout far away), one per produce event
  const src =
    'duration: 100 s\ncluster: { brokers: 1 }\ntopics:\n  - { name: t, partitions: 1, replication_factor: 1, min_insync_replicas: 1 }\nproducers:\n  - { name: p, topic: t, rate: 1000000, keys: 0, batch_size: 100, delivery_timeout: 1e6 s, acks: 1 }\ntimeline:\n  - { at: 0 s, kill_broker: 1 }\n';
  const { result, report } = run(src, 1e8);
  assert.equal(result.outcome.reason, 'memory');
  assert.equal(
    result.outcome.detail,
    'more than 4,000,000 batches kept in the partition logs, or 1,000,000 produce requests waiting, at once: shorten retention or lower the rates',
  );
  assert.ok(result.producers[0].pending > 1_000_000 - 10, `${result.producers[0].pending}`);
  assert.ok(report.blocks.some((b) => b.type === 'notice' && /stopped early: reached the memory ceiling/.test(b.text)));
});

test('explicit records are placed in linear time; each row is where locate finds it', () => {
  const src = `topics:\n  - name: t\n    partitions: 3\n    segment_bytes: 2000\n    cleanup_policy: compact\n    records:\n${lines(LIMITS.records, (i) => `      - { key: k${i % 500}, value: v${i} }`)}\n`;
  const p = parse(src);
  assert.deepEqual(
    p.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const topic = p.parsed!.model.topics[0];
  const t = Date.now();
  const built = buildRecordLogs(topic, 7)!;
  // Quadratic placement took 9.4 s for 10,000 records, so minutes for these; linear takes well under a
  // second here. The bound leaves a loaded machine room.
  assert.ok(Date.now() - t < 20_000, `${Date.now() - t} ms`);
  assert.equal(built.written.length, LIMITS.records);
  // Batches of batch.size fill one 2000-byte segment each.
  assert.ok(
    built.logs.every((l) => l.segments.length > 1),
    built.logs.map((l) => l.segments.length).join(','),
  );
  for (const { partition, offset, segment, position } of built.written.filter((_, i) => i % 97 === 0)) {
    const loc = built.logs[partition].locate(offset)!;
    assert.deepEqual([segment, position], [loc.segmentBaseOffset, loc.batchPosition], `${partition}/${offset}`);
  }
  const exec = kafkaKernel.execute(p.parsed!, {
    ...pctx,
    seed: 7,
    budget: { maxEvents: 2e6, maxWallMs: 30_000 },
    isCancelled: () => false,
    notebook: {},
  }) as ExecResult;
  assert.equal(exec.ok, true);
  assert.doesNotMatch(exec.outputs[0].items[MARKDOWN_MIME] as string, /NaN|Infinity/);
});
