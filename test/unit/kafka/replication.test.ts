import { test } from 'node:test';
import assert from 'node:assert/strict';
import { electLeader, ElectionType } from '../../../src/kernels/kafka/replication/election';
import { ReplicatedPartition } from '../../../src/kernels/kafka/replication/replicatedPartition';
import { kafkaKernel as kernelForCells, runKafkaModel as runCell } from '../../../src/kernels/kafka';
import { emptyScope as noScope } from '../../../src/kernels/model';

// PartitionChangeBuilderTest.testElectLeader fixtures
const notThree = (b: number) => b !== 3;
const electionCases: [string, { replicas: number[]; isr: number[]; leader: number }, ElectionType, (b: number) => boolean, number, boolean][] = [
  ['FOO PREFERRED', { replicas: [2, 1, 3], isr: [2, 1, 3], leader: 1 }, 'PREFERRED', notThree, 2, false],
  ['FOO ONLINE', { replicas: [2, 1, 3], isr: [2, 1, 3], leader: 1 }, 'ONLINE', notThree, 1, false],
  ['FOO UNCLEAN', { replicas: [2, 1, 3], isr: [2, 1, 3], leader: 1 }, 'UNCLEAN', notThree, 1, false],
  ['FOO ISR [1,3] ONLINE', { replicas: [2, 1, 3], isr: [1, 3], leader: 1 }, 'ONLINE', notThree, 1, false],
  ['FOO ISR [1,3] UNCLEAN', { replicas: [2, 1, 3], isr: [1, 3], leader: 1 }, 'UNCLEAN', notThree, 1, false],
  ['FOO ISR [3] ONLINE', { replicas: [2, 1, 3], isr: [3], leader: 1 }, 'ONLINE', notThree, -1, false],
  ['FOO ISR [3] UNCLEAN', { replicas: [2, 1, 3], isr: [3], leader: 1 }, 'UNCLEAN', notThree, 2, true],
  ['FOO ISR [4] replicas [2,1,3,4] UNCLEAN', { replicas: [2, 1, 3, 4], isr: [4], leader: 1 }, 'UNCLEAN', notThree, 4, false],
  ['BAZ PREFERRED', { replicas: [2, 1, 3], isr: [1, 3], leader: 3 }, 'PREFERRED', () => true, 3, false],
  ['BAZ ONLINE', { replicas: [2, 1, 3], isr: [1, 3], leader: 3 }, 'ONLINE', () => true, 3, false],
  ['BAZ UNCLEAN', { replicas: [2, 1, 3], isr: [1, 3], leader: 3 }, 'UNCLEAN', () => true, 3, false],
];
for (const [name, p, type, ok, leader, unclean] of electionCases) {
  test(`electLeader ${name} -> ${leader}${unclean ? ' (unclean)' : ''}`, () => {
    const r = electLeader(p, type, ok);
    assert.equal(r.leader, leader);
    assert.equal(r.unclean, unclean);
    if (unclean) assert.deepEqual(r.isr, [leader], 'an unclean leader is the whole ISR');
  });
}

function rf3(cfg: Partial<ConstructorParameters<typeof ReplicatedPartition>[1]> = {}) {
  return new ReplicatedPartition([1, 2, 3], cfg);
}
const fetchAll = (p: ReplicatedPartition, t: number) => { p.fetch(2, t); p.fetch(3, t); };

test('HW = min LEO the leader knows over the ISR, one fetch behind; acks=all completes when HW passes the batch', () => {
  const p = rf3({ minInsyncReplicas: 2 });
  const r = p.append(10, 'all');
  assert.deepEqual(r, { error: 'NONE', baseOffset: 0, lastOffset: 9 });
  assert.equal(p.checkAcksAll(10), 'pending');
  fetchAll(p, 1);
  assert.equal(p.highWatermark, 0, 'the leader learns follower LEOs on the next fetch');
  fetchAll(p, 2);
  assert.equal(p.highWatermark, 10);
  assert.equal(p.checkAcksAll(10), 'NONE');
});

test('acks=all with ISR < min.insync.replicas: NOT_ENOUGH_REPLICAS before the append, nothing written', () => {
  const p = rf3({ minInsyncReplicas: 2 });
  p.brokerFenced(2, 0);
  p.brokerFenced(3, 0);
  assert.deepEqual(p.isr, [1]);
  assert.equal(p.append(5, 'all').error, 'NOT_ENOUGH_REPLICAS');
  assert.equal(p.logEndOffset, 0);
  const weak = p.append(5, 1);
  assert.equal(weak.error, 'NONE', 'acks=1 is still acknowledged');
  assert.equal(p.highWatermark, 0, '3.7+: but stays invisible (HW frozen under min ISR)');
});

test('pre-3.7: under min ISR the HW still advances, so acks=1 data becomes visible', () => {
  const p = rf3({ minInsyncReplicas: 2, freezeHwUnderMinIsr: false });
  p.brokerFenced(2, 0);
  p.brokerFenced(3, 0);
  p.append(5, 1);
  assert.equal(p.highWatermark, 5);
});

test('ISR shrinks while waiting: NOT_ENOUGH_REPLICAS_AFTER_APPEND (pre-3.7); 3.7+ keeps the HW frozen so the request waits', () => {
  for (const freeze of [false, true]) {
    const p = rf3({ minInsyncReplicas: 2, freezeHwUnderMinIsr: freeze });
    p.append(5, 'all');
    p.brokerFenced(2, 0);
    p.brokerFenced(3, 0);
    assert.equal(p.logEndOffset, 5, 'the records are in the leader log');
    assert.equal(p.checkAcksAll(5), freeze ? 'pending' : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND');
  }
});

test('a lagging follower leaves the ISR after replica.lag.time.max.ms and rejoins once caught up to the HW', () => {
  const p = rf3({ replicaLagTimeMaxMs: 30000 });
  p.append(10, 1);
  p.fetch(2, 0); p.fetch(2, 1);
  assert.deepEqual(p.maybeShrinkIsr(30000), [], 'exactly at the limit is still in sync');
  assert.deepEqual(p.maybeShrinkIsr(30001), [3]);
  assert.deepEqual(p.isr, [1, 2]);
  assert.equal(p.highWatermark, 10);
  p.fetch(3, 30002); // fetch offset 0 < HW: stays out, gets data
  assert.deepEqual(p.isr, [1, 2]);
  p.fetch(3, 30003); // fetch offset 10 >= HW: joins
  assert.deepEqual(p.isr, [1, 2, 3]);
});

test('clean election: a new leader from the ISR; acks=1 records it lacked are lost', () => {
  const p = rf3();
  p.append(10, 'all');
  fetchAll(p, 1); fetchAll(p, 2);
  assert.equal(p.highWatermark, 10);
  p.append(5, 1); // only on leader 1
  const change = p.brokerFenced(1, 3)!;
  assert.equal(change.newLeader, 2, 'first ISR member in assignment order');
  assert.equal(change.unclean, false);
  assert.equal(change.truncateTo, 10);
  assert.equal(change.oldLogEnd, 15, 'offsets 10..14 (acknowledged with acks=1) are gone');
  assert.equal(change.oldHighWatermark, 10, 'nothing committed was lost');
});

test('unclean election loses committed records; without it the partition goes offline', () => {
  for (const unclean of [false, true]) {
    const p = rf3({ uncleanLeaderElectionEnable: unclean, replicaLagTimeMaxMs: 100 });
    p.append(3, 'all');
    fetchAll(p, 1); fetchAll(p, 2); // followers at 3, HW 3
    p.append(7, 'all');
    p.fetch(2, 3);
    p.fetch(3, 3); // followers now have 10 but the leader knows 3
    p.brokerFenced(2, 4);
    p.brokerFenced(3, 4);
    assert.deepEqual(p.isr, [1]);
    assert.equal(p.append(5, 'all').error, 'NONE', 'min.insync.replicas=1: acks=all accepted with the leader alone');
    assert.equal(p.highWatermark, 15, 'and committed at once');
    const change = p.brokerFenced(1, 10)!;
    assert.equal(change.newLeader, -1, 'no live ISR member');
    const back = p.brokerUnfenced(3, 20);
    if (!unclean) {
      assert.equal(back, undefined);
      assert.equal(p.leader, -1, 'offline until an ISR member returns');
    } else {
      assert.equal(back!.newLeader, 3);
      assert.equal(back!.unclean, true);
      assert.equal(back!.truncateTo, 10);
      assert.equal(back!.oldLogEnd, 15);
      assert.equal(back!.oldHighWatermark, 15, 'offsets 10..14 were committed and acknowledged: lost');
      assert.deepEqual(p.isr, [3]);
      assert.equal(p.highWatermark, 10);
    }
  }
});

// ---------------------------------------------------------------- preferred leaders


function simulate(src: string) {
  const p = kernelForCells.parse(src, { cellIndex: 0, scope: noScope });
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return runCell(p.parsed!.model, { seed: 7, budget: { maxEvents: 1e8, maxWallMs: 60_000 }, isCancelled: () => false }).result;
}
const restartCell = (cluster: string, timeline = '') => `duration: 60 s
cluster: { brokers: 3, broker_session_timeout: 1 s, ${cluster} }
topics:
  - { name: t, partitions: 3 }
producers:
  - { name: p, topic: t, rate: 300, keys: 30 }
timeline:
  - { at: 2 s, kill_broker: 1 }
  - { at: 10 s, restart_broker: 1 }
${timeline}`;

test('auto.leader.rebalance.enable: leader.imbalance.check.interval after leaders left their preferred replicas, a PREFERRED election moves them back', () => {
  const r = simulate(restartCell('leader_imbalance_check_interval: 20 s'));
  // Broker 1, preferred leader of t-0, is fenced at 3 s: leader 1 → 2; the check follows 20 s later.
  const balance = r.events.find((e) => e.event === 'auto leader rebalance')!;
  assert.equal(balance.timeS, 23);
  assert.equal(balance.effect, 't-0: leader 2 → 1, ISR [1,2,3]');
  assert.deepEqual(r.after.map((p) => p.leader), r.after.map((p) => p.replicas[0]));
  const off = simulate(restartCell('auto_leader_rebalance: false'));
  assert.equal(off.after[0].leader, 2, 'without it broker 2 keeps t-0');
});

test('elect_preferred in the timeline runs the election at once; a preferred replica out of the ISR is left alone', () => {
  const r = simulate(restartCell('auto_leader_rebalance: false', '  - { at: 5 s, elect_preferred: t }\n  - { at: 30 s, elect_preferred: all }\n'));
  const [early, late] = r.events.filter((e) => /^preferred leader election/.test(e.event));
  assert.match(early.effect, /no partition moved/);
  assert.match(late.effect, /t-0: leader 2 → 1/);
  assert.equal(r.after[0].leader, 1);
});

test('reassignment: the new replicas copy the log at the throttle, join the ISR, then the old ones leave and the leadership moves to the first new replica', () => {
  const cell = (throttle: string) => `duration: 20 s
cluster: { brokers: 6, reassignment_throttle: ${throttle} }
topics:
  - { name: t, partitions: 1 }
producers:
  - { name: p, topic: t, rate: 1000, keys: 10, record_size: 1000 }
timeline:
  - { at: 5 s, reassign: t-0, replicas: [4, 5, 6] }
`;
  const r = simulate(cell('1 MB/s'));
  const started = r.events.find((e) => e.event === 'reassign t-0')!;
  const copied = Number(/\(([\d,]+) B at/.exec(started.effect)![1].replace(/,/g, ''));
  const done = r.events.find((e) => e.event === 'reassignment of t-0 complete')!;
  // Copying takes size / throttle; the new replicas then join the ISR within a few fetch rounds.
  const copyS = copied / 1e6;
  assert.ok(done.timeS >= 5 + copyS && done.timeS < 5 + copyS + 0.01, `${done.timeS} vs ${5 + copyS}`);
  assert.match(done.effect, /^t-0: leader 1 → 4, ISR \[4,5,6\].*replicas \[4,5,6\], ISR \[4,5,6\]; 1, 2, 3 removed$/);
  assert.deepEqual([r.after[0].replicas, r.after[0].leader], [[4, 5, 6], 4]);
  assert.equal(r.producers[0].ackedLost, 0);
  const fast = simulate(cell('0'));
  assert.ok(fast.events.find((e) => e.event === 'reassignment of t-0 complete')!.timeS < 5.01);
});
