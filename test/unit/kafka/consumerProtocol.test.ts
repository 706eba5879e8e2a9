// KIP-848's consumer group protocol in the simulation: target assignments at group epochs, members
// reconciling at their own heartbeats (revoke first, take once released), no global barrier; and the
// same failure under the classic protocol for comparison.
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
const cell = (group: string, timeline = '', duration = 30) => `kafka_version: "4.0"
duration: ${duration} s
topics:
  - { name: t, partitions: 6 }
producers:
  - { name: p, topic: t, rate: 600, keys: 60 }
consumer_groups:
  - ${group}
${timeline ? `timeline:\n${timeline}` : ''}`;

test('the members at the start form one group epoch: each takes its share at its first heartbeat, nothing goes unread', () => {
  const g = run(cell('{ name: g, topics: [t], consumers: 2, protocol: consumer }')).groups[0];
  assert.deepEqual(g.rebalances.map((x) => [x.timeS, x.generation, x.moved, x.withheld, x.reason]), [[0, 1, 6, 0, 'group created']]);
  assert.deepEqual(g.assignment.map((a) => [a.member, a.state, a.partitions]), [['g-consumer-1', 'STABLE, epoch 1', ['t-0', 't-1', 't-2']], ['g-consumer-2', 'STABLE, epoch 1', ['t-3', 't-4', 't-5']]]);
  assert.equal(g.idlePartitionSeconds, 0);
});

test('a member joining: the owners revoke at their next heartbeat; it takes the partitions at its own next heartbeat', () => {
  const g = run(cell('{ name: g, topics: [t], consumers: 2, protocol: consumer }', '  - { at: 10 s, add_consumer: g }')).groups[0];
  // The join computes the target at once: two partitions move, both still held by their owners.
  assert.deepEqual(g.rebalances.map((x) => [x.timeS, x.generation, x.moved, x.withheld]), [[0, 1, 6, 0], [10, 2, 2, 2]]);
  // The owners heartbeat at 0, 0.1 (acknowledging), then every 5 s: at 10.1 they learn and revoke; the
  // newcomer heartbeats again at 15 s and takes them: t-2 and t-5 unread for 4.9 s.
  assert.deepEqual(g.lagByPartition.map((x) => x.unreadS), [0, 0, 4.9, 0, 0, 4.9]);
  assert.deepEqual(g.assignment.map((a) => [a.member, a.partitions]), [['g-consumer-1', ['t-0', 't-1']], ['g-consumer-2', ['t-3', 't-4']], ['g-consumer-3', ['t-2', 't-5']]]);
});

test('a member that leaves: its partitions wait for the others\' next heartbeats; nobody else stops (no global barrier)', () => {
  const g = run(cell('{ name: g, topics: [t], consumers: 2, protocol: consumer }', '  - { at: 12 s, remove_consumer: g, member: g-consumer-1 }')).groups[0];
  // consumer-2 heartbeats at 0, 0.1, 5.1, 10.1, 15.1: the target without consumer-1 is computed at 15.1.
  assert.deepEqual(g.rebalances.map((x) => [x.timeS, x.generation, x.moved, x.withheld]), [[0, 1, 6, 0], [15.1, 2, 3, 0]]);
  assert.deepEqual(g.departed.map((d) => [d.member, d.timeS, d.generation]), [['g-consumer-1', 12, 2]]);
  assert.deepEqual(g.lagByPartition.map((x) => x.unreadS), [3.1, 3.1, 3.1, 0, 0, 0]);
});

test('the same crash under each protocol: eager range stops every partition for the round, cooperative-sticky and the consumer protocol only the dead member\'s', () => {
  const groups = [
    '{ name: g, topics: [t], consumers: 3, protocol: consumer, session_timeout: 10 s }',
    '{ name: g, topics: [t], consumers: 3, assignor: cooperative-sticky, session_timeout: 10 s }',
    '{ name: g, topics: [t], consumers: 3, assignor: range, session_timeout: 10 s }',
  ];
  const crash = '  - { at: 20 s, kill_consumer: g, member: g-consumer-3 }';
  const stopped = groups.map((grp) => {
    const calm = run(cell(grp, '', 40)).groups[0];
    const hit = run(cell(grp, crash, 40)).groups[0];
    // Partitions whose unread time grew because of the crash.
    return hit.lagByPartition.filter((x, i) => x.unreadS > calm.lagByPartition[i].unreadS + 1e-9).map((x) => x.partition);
  });
  const [consumer, cooperative, eager] = stopped;
  assert.equal(consumer.length, 2, `consumer protocol: ${consumer}`);
  assert.equal(cooperative.length, 2, `cooperative: ${cooperative}`);
  assert.deepEqual(eager, [0, 1, 2, 3, 4, 5]);
});

test('validation: the consumer protocol needs 4.0 and a server-side assignor; uniform needs the consumer protocol', () => {
  const cases: [string, string, RegExp][] = [
    ['kafka_version: "3.9"\ntopics:\n  - name: t\nconsumer_groups:\n  - { name: g, topics: [t], protocol: consumer }\n', 'protocol-version', /from Kafka 4\.0/],
    ['kafka_version: "4.0"\ntopics:\n  - name: t\nconsumer_groups:\n  - { name: g, topics: [t], protocol: consumer, assignor: sticky }\n', 'server-assignor', /uniform or range, not sticky/],
    ['kafka_version: "4.0"\ntopics:\n  - name: t\nconsumer_groups:\n  - { name: g, topics: [t], assignor: uniform }\n', 'server-assignor', /set `protocol: consumer`/],
  ];
  for (const [src, code, re] of cases) {
    const d = kafkaKernel.parse(src, pctx).diagnostics.find((x) => x.code === code);
    assert.ok(d, `${code}: ${src}`);
    assert.match(d!.message, re);
    assert.equal(d!.range.start.line, 4);
  }
});

test('kafka_version 4.0: linger.ms defaults to 5 ms (KIP-1030), 0 before', () => {
  const model = (v: string) => kafkaKernel.parse(`kafka_version: "${v}"\ntopics:\n  - name: t\nproducers:\n  - { name: p, topic: t, rate: 10 }\n`, pctx).parsed!.model.producers[0].lingerS;
  assert.equal(model('4.0'), 0.005);
  assert.equal(model('3.9'), 0);
});
