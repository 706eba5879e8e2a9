// Cluster state a cell sets and the report shows: replicas, leader, ISR and each replica's log end at
// the start, and offsets a group has committed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaKernel, runKafkaModel } from '../../../src/kernels/kafka';
import { emptyScope } from '../../../src/kernels/model';
import { walkBlocks } from '../../../src/kernels/report';

const pctx = { cellIndex: 0, scope: emptyScope };
function run(src: string) {
  const p = kafkaKernel.parse(src, pctx);
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return runKafkaModel(p.parsed!.model, { seed: 7, budget: { maxEvents: 1e8, maxWallMs: 60_000 }, isCancelled: () => false });
}

test('a lagging follower outside the ISR, then an unclean election: exactly the records it lacked are lost', () => {
  const { result, report } = run(`duration: 10 s
cluster: { brokers: 3, unclean_leader_election: true, broker_session_timeout: 2 s }
topics:
  - name: t
    partitions: 1
    min_insync_replicas: 1
    state:
      - { partition: 0, replicas: [1, 2, 3], leader: 1, isr: [1], leos: [1000, 1000, 400] }
timeline:
  - { at: 0 s, kill_broker: 2 }
  - { at: 0 s, kill_broker: 1 }
`);
  const [before] = result.before;
  assert.deepEqual([before.replicas, before.leader, before.isr, before.replicaLeos, before.logEndOffset, before.highWatermark], [[1, 2, 3], 1, [1], [1000, 1000, 400], 1000, 1000]);
  const fence = result.events.find((e) => e.event === 'broker 1 fenced')!;
  assert.equal(fence.effect, 't-0: leader 1 → 3 (UNCLEAN), ISR [3], truncated to 400: offsets 400–999 gone (600 records; 600 committed, i.e. below the old HW 1000; 0 acknowledged to producers)');
  // The report shows each replica's log end.
  const table = [...walkBlocks(report.blocks)].find((b) => b.type === 'table' && b.title === 'Partitions before events');
  assert.ok(table && table.type === 'table');
  assert.equal(table.rows[0][table.columns.indexOf('Replica LEOs')], '1: 1,000, 2: 1,000, 3: 400');
  // The partial batch keeps its share of the bytes: 400 of 1,000 records.
  assert.equal(result.after[0].sizeBytes, Math.round((result.before[0].sizeBytes * 400) / 1000));
});

test('the HW is the least log end over the ISR; a follower in the ISR catches up at its first fetch', () => {
  const { result } = run(`duration: 1 s
cluster: { brokers: 3 }
topics:
  - name: t
    partitions: 1
    state:
      - { partition: 0, isr: [1, 2], leos: [1000, 700, 300] }
`);
  assert.equal(result.before[0].highWatermark, 700);
  assert.equal(result.after[0].highWatermark, 1000);
  assert.deepEqual(result.after[0].isr, [1, 2, 3], 'broker 3 caught up and rejoined');
});

test('a committed offset placed by hand: the group starts there', () => {
  const { result } = run(`duration: 2 s
topics:
  - name: t
    partitions: 2
    state:
      - { partition: 0, leos: [1000, 1000, 1000] }
      - { partition: 1, leos: [500, 500, 500] }
consumer_groups:
  - { name: g, topics: [t], committed: { t-0: 900, t-1: 0 } }
`);
  const g = result.groups[0];
  assert.equal(g.consumed, 100 + 500);
  assert.deepEqual(g.lagByPartition.map((x) => x.position), [1000, 500]);
});

test('validation: a state that cannot be', () => {
  const cases: [string, string, RegExp][] = [
    ['{ partition: 0, replicas: [1, 2] }', 'bad-replicas', /2 replicas, but replication_factor is 3/],
    ['{ partition: 0, replicas: [1, 2, 9] }', 'bad-broker', /broker 9 does not exist/],
    ['{ partition: 0, replicas: [1, 2, 3], leader: 4 }', 'bad-leader', /not a replica/],
    ['{ partition: 0, leader: 1, isr: [2, 3] }', 'bad-isr', /does not include the leader/],
    ['{ partition: 0, leos: [1, 2] }', 'bad-leos', /2 log end offsets for 3 replicas/],
    ['{ partition: 5 }', 'bad-partition', /partition 5 does not exist/],
  ];
  for (const [state, code, re] of cases) {
    const d = kafkaKernel.parse(`topics:\n  - name: t\n    partitions: 1\n    state:\n      - ${state}\n`, pctx).diagnostics.find((x) => x.code === code);
    assert.ok(d, `${code}: ${state}`);
    assert.match(d!.message, re);
    assert.equal(d!.range.start.line, 4, code);
  }
  const bad = kafkaKernel.parse('topics:\n  - name: t\nconsumer_groups:\n  - { name: g, topics: [t], committed: { t-7: 1 } }\n', pctx).diagnostics.find((x) => x.code === 'bad-partition');
  assert.match(bad!.message, /partition 7 does not exist/);
});
