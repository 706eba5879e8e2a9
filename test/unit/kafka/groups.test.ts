// Groups as they are: members listed with their own ids, subscriptions, static instance ids and owned
// partitions, so the inputs of Kafka's assignor tests can be posed as cells; and static members that
// come back under their instance id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaKernel, runKafkaModel } from '../../../src/kernels/kafka';
import { emptyScope } from '../../../src/kernels/model';

const pctx = { cellIndex: 0, scope: emptyScope };
function run(src: string) {
  const p = kafkaKernel.parse(src, pctx);
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return runKafkaModel(p.parsed!.model, { seed: 7, budget: { maxEvents: 1e7, maxWallMs: 60_000 }, isCancelled: () => false }).result;
}
const assignment = (g: { assignment: { member: string; partitions: string[] }[] }) =>
  Object.fromEntries(g.assignment.map((a) => [a.member, [...a.partitions].sort()]));

test('AbstractStickyAssignorTest ...ClaimedByMultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer, posed as a cell: topic-0 claimed twice is withheld, then goes to consumer3 in the follow-up', () => {
  const r = run(`duration: 3 s
topics:
  - { name: topic, partitions: 3 }
consumer_groups:
  - name: g
    topics: [topic]
    assignor: cooperative-sticky
    members:
      - { id: consumer1, owns: [topic-0, topic-1] }
      - { id: consumer2, owns: [topic-0, topic-2] }
      - { id: consumer3 }
`);
  const g = r.groups[0];
  // Kafka: consumer1 [topic-1], consumer2 [topic-2], consumer3 [] ("cant be assigned until both have revoked it").
  assert.deepEqual(g.rebalances.map((x) => [x.generation, x.withheld, x.reason]), [[1, 1, 'group created'], [2, 0, 'follow-up: partitions revoked in the previous round']]);
  assert.deepEqual(assignment(g), { consumer1: ['topic-1'], consumer2: ['topic-2'], consumer3: ['topic-0'] });
});

test('RangeAssignorTest.testMultipleConsumersMixedTopics, posed with per-member subscriptions: c1 topic1-0; c2 topic1-1 topic2-0 topic2-1; c3 topic1-2', () => {
  const r = run(`duration: 2 s
topics:
  - { name: topic1, partitions: 3 }
  - { name: topic2, partitions: 2 }
consumer_groups:
  - name: g
    topics: [topic1]
    members:
      - { id: consumer1 }
      - { id: consumer2, topics: [topic1, topic2] }
      - { id: consumer3 }
`);
  assert.deepEqual(assignment(r.groups[0]), { consumer1: ['topic1-0'], consumer2: ['topic1-1', 'topic2-0', 'topic2-1'], consumer3: ['topic1-2'] });
});

const ids = 'T1-A4s3VTwiI5CTbEp6POw', T2 = 'T2-B4s3VTwiI5YHbPp6YUe';

test('UniformHomogeneousAssignmentBuilderTest.testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithThreeMembersTwoTopics, posed with the test\'s topic ids: A T1[0] T2[0,2]; B T1[1,2] T2[1]', () => {
  const r = run(`kafka_version: "4.0"
duration: 2 s
topics:
  - { name: topic1, id: ${ids}, partitions: 3 }
  - { name: topic2, id: ${T2}, partitions: 3 }
consumer_groups:
  - name: g
    topics: [topic1, topic2]
    protocol: consumer
    members:
      - { id: A, owns: [topic1-0, topic2-0] }
      - { id: B, owns: [topic1-1, topic2-1] }
`);
  assert.deepEqual(assignment(r.groups[0]), { A: ['topic1-0', 'topic2-0', 'topic2-2'], B: ['topic1-1', 'topic1-2', 'topic2-1'] });
});

test('UniformHeterogeneousAssignmentBuilderTest.testReassignmentWhenOneMemberAddedAndPartitionsAddedTwoMembersTwoTopics, posed as a cell: A T1[0,2,3,4,5]; B T1[1] T2[1,2,6]; C T2[0,3,4,5]', () => {
  const r = run(`kafka_version: "4.0"
duration: 12 s
topics:
  - { name: topic1, id: ${ids}, partitions: 6 }
  - { name: topic2, id: ${T2}, partitions: 7 }
consumer_groups:
  - name: g
    topics: [topic1, topic2]
    protocol: consumer
    members:
      - { id: A, topics: [topic1], owns: [topic1-0, topic1-2, topic2-0] }
      - { id: B, owns: [topic1-1, topic2-1, topic2-2] }
      - { id: C }
`);
  const g = r.groups[0];
  assert.deepEqual(assignment(g), {
    A: ['topic1-0', 'topic1-2', 'topic1-3', 'topic1-4', 'topic1-5'],
    B: ['topic1-1', 'topic2-1', 'topic2-2', 'topic2-6'],
    C: ['topic2-0', 'topic2-3', 'topic2-4', 'topic2-5'],
  });
  // One target at the start; of the 8 partitions going to new owners only topic2-0 was held (by A, which no longer subscribes).
  assert.deepEqual(g.rebalances.map((x) => [x.timeS, x.generation, x.moved, x.withheld]), [[0, 1, 8, 1]]);
  // A revokes it at its first heartbeat and acknowledges at 0.1 s; C, which took its free partitions at 0 s,
  // acknowledges at 0.1 s too, just after, and gets topic2-0 then: it is never unread at a poll.
  assert.equal(g.lagByPartition.find((x) => x.topic === 'topic2' && x.partition === 0)!.unreadS, 0);
});

test('a static member back under its instance id within the session keeps its partitions without a rebalance (classic and consumer protocols)', () => {
  for (const protocol of ['classic', 'consumer']) {
    const r = run(`kafka_version: "4.0"
duration: 20 s
topics:
  - { name: t, partitions: 4 }
consumer_groups:
  - { name: g, topics: [t], consumers: 2, static: true, protocol: ${protocol}, session_timeout: 10 s }
timeline:
  - { at: 5 s, kill_consumer: g, member: g-instance-2 }
  - { at: 8 s, restart_consumer: g, member: g-instance-2 }
`);
    const g = r.groups[0];
    assert.equal(g.rebalances.length, 1, `${protocol}: only the initial assignment`);
    assert.deepEqual(g.assignment.map((a) => a.partitions.length), [2, 2], protocol);
    assert.match(r.events.find((e) => e.event === 'restart consumer g-consumer-2')!.effect, /keeps its (partitions|assignment)/);
    // Its two partitions went unread while it was down: 3 s.
    assert.deepEqual(g.lagByPartition.map((x) => x.unreadS).sort(), [0, 0, 3, 3], protocol);
  }
});

test('a dynamic member restarted comes back as a new member: a rebalance', () => {
  const r = run('duration: 10 s\ntopics:\n  - { name: t, partitions: 4 }\nconsumer_groups:\n  - { name: g, topics: [t], consumers: 2, session_timeout: 3 s }\ntimeline:\n  - { at: 2 s, kill_consumer: g }\n  - { at: 4 s, restart_consumer: g }\n');
  assert.match(r.events.find((e) => e.event === 'restart consumer g-consumer-2')!.effect, /^comes back as g-consumer-3: g-consumer-3 joins: rebalance$/);
});

test('validation: owned partitions name existing partitions; consumers and members are not both set; the consumer protocol cannot start with a partition owned twice', () => {
  const cases: [string, string, RegExp, number][] = [
    ['topics:\n  - { name: t, partitions: 2 }\nconsumer_groups:\n  - name: g\n    topics: [t]\n    members:\n      - { owns: [t-5] }\n', 'bad-partition', /partition 5 does not exist: `t` has 2/, 6],
    ['topics:\n  - { name: t, partitions: 2 }\nconsumer_groups:\n  - name: g\n    topics: [t]\n    members:\n      - { owns: [t] }\n', 'bad-partition', /`t` is not a partition/, 6],
    ['topics:\n  - { name: t, partitions: 2 }\nconsumer_groups:\n  - name: g\n    topics: [t]\n    consumers: 2\n    members:\n      - { id: a }\n', 'members-twice', /both set/, 5],
    ['kafka_version: "4.0"\ntopics:\n  - { name: t, partitions: 2 }\nconsumer_groups:\n  - name: g\n    topics: [t]\n    protocol: consumer\n    members:\n      - { owns: [t-0] }\n      - { owns: [t-0] }\n', 'owned-twice', /owned by two members/, 9],
  ];
  for (const [src, code, re, line] of cases) {
    const d = kafkaKernel.parse(src, pctx).diagnostics.find((x) => x.code === code);
    assert.ok(d, `${code}: ${JSON.stringify(kafkaKernel.parse(src, pctx).diagnostics.map((x) => x.message))}`);
    assert.match(d!.message, re);
    assert.equal(d!.range.start.line, line, code);
  }
});
