// Racks (availability zones): AdminUtils replica placement against Kafka's AdminRackAwareTest,
// fetch-from-follower (KIP-392), zone failures, and the traffic that crosses zones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaKernel, runKafkaModel } from '../../../src/kernels/kafka';
import { assignReplicasToBrokers, BrokerMetadata, getRackAlternatedBrokerList, PlacementError } from '../../../src/kernels/kafka/replication/placement';
import { emptyScope } from '../../../src/kernels/model';
import { walkBlocks } from '../../../src/kernels/report';

const pctx = { cellIndex: 0, scope: emptyScope };
function run(src: string) {
  const p = kafkaKernel.parse(src, pctx);
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return runKafkaModel(p.parsed!.model, { seed: 7, budget: { maxEvents: 1e8, maxWallMs: 60_000 }, isCancelled: () => false });
}
const brokers = (racks: Record<number, string>): BrokerMetadata[] => Object.entries(racks).map(([id, rack]) => ({ id: Number(id), rack })).sort((a, b) => a.id - b.id);

test('AdminRackAwareTest.testGetRackAlternatedBrokerListAndAssignReplicasToBrokers', () => {
  const rackMap: Record<number, string> = { 0: 'rack1', 1: 'rack3', 2: 'rack3', 3: 'rack2', 4: 'rack2', 5: 'rack1' };
  assert.deepEqual(getRackAlternatedBrokerList(new Map(Object.entries(rackMap).map(([k, v]) => [Number(k), v]))), [0, 3, 1, 5, 4, 2]);
  const without5 = Object.fromEntries(Object.entries(rackMap).filter(([k]) => k !== '5'));
  assert.deepEqual(getRackAlternatedBrokerList(new Map(Object.entries(without5).map(([k, v]) => [Number(k), v]))), [0, 3, 1, 4, 2]);
  assert.deepEqual(assignReplicasToBrokers(brokers(rackMap), 7, 3, 0, 0), [[0, 3, 1], [3, 1, 5], [1, 5, 4], [5, 4, 2], [4, 2, 0], [2, 0, 3], [0, 4, 2]]);
});

test('AdminRackAwareTest.testReplicaAssignment: rack-unaware, 5 brokers, 10 partitions, RF 3, start index 0', () => {
  const five = [0, 1, 2, 3, 4].map((id) => ({ id }));
  assert.deepEqual(assignReplicasToBrokers(five, 10, 3, 0, -1), [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1], [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2]]);
  assert.throws(() => assignReplicasToBrokers(five, 10, 0), PlacementError);
  assert.throws(() => assignReplicasToBrokers(five, 10, 6), PlacementError);
  assert.throws(() => assignReplicasToBrokers([{ id: 0, rack: 'a' }, { id: 1 }], 1, 1), /Not all brokers have rack information/);
});

/** RackAwareTest.checkReplicaDistribution: distinct brokers; rack-aware; leaders and replicas even. */
function checkReplicaDistribution(assignment: number[][], racks: Record<number, string>, numBrokers: number, numPartitions: number, rf: number, opts: { rackAware?: boolean; leaders?: boolean; replicas?: boolean } = {}) {
  const { rackAware = true, leaders = true, replicas = true } = opts;
  const leaderCount = new Map<number, number>(), replicaCount = new Map<number, number>();
  assignment.forEach((list) => {
    assert.equal(new Set(list).size, list.length, 'more than one replica on a broker');
    if (rackAware) assert.equal(new Set(list.map((b) => racks[b])).size, rf, `racks of ${list}`);
    leaderCount.set(list[0], (leaderCount.get(list[0]) ?? 0) + 1);
    for (const b of list) replicaCount.set(b, (replicaCount.get(b) ?? 0) + 1);
  });
  if (leaders) assert.deepEqual([...leaderCount.values()], Array(numBrokers).fill(Math.floor(numPartitions / numBrokers)));
  if (replicas) assert.deepEqual([...replicaCount.values()], Array(numBrokers).fill(Math.floor((numPartitions * rf) / numBrokers)));
}

// The tests that draw a random start index are run at every start index.
const six = { 0: 'rack1', 1: 'rack2', 2: 'rack2', 3: 'rack3', 4: 'rack3', 5: 'rack1' };
const cases: [string, Record<number, string>, number, number, number[], Parameters<typeof checkReplicaDistribution>[5]][] = [
  ['testAssignmentWithRackAware', six, 6, 3, [2], {}],
  ['testAssignmentWithRackAwareWithRandomStartIndex', six, 6, 3, [0, 1, 2, 3, 4, 5], {}],
  ['testAssignmentWithRackAwareWithUnevenReplicas', six, 13, 3, [0], { leaders: false, replicas: false }],
  ['testAssignmentWithRackAwareWithUnevenRacks', { 0: 'rack1', 1: 'rack1', 2: 'rack2', 3: 'rack3', 4: 'rack3', 5: 'rack1' }, 12, 3, [0, 1, 2, 3, 4, 5], { replicas: false }],
  ['testAssignmentWith2ReplicasRackAware', six, 12, 2, [0, 1, 2, 3, 4, 5], {}],
  ['testAssignmentWith2ReplicasRackAwareWith6Partitions', six, 6, 2, [0, 1, 2, 3, 4, 5], {}],
  ['testAssignmentWith2ReplicasRackAwareWith6PartitionsAnd3Brokers', { 0: 'rack1', 1: 'rack2', 4: 'rack3' }, 3, 2, [0, 1, 2], {}],
  ['testLargeNumberPartitionsAssignment', { 0: 'rack1', 1: 'rack2', 2: 'rack2', 3: 'rack3', 4: 'rack3', 5: 'rack1', 6: 'rack1', 7: 'rack2', 8: 'rack2', 9: 'rack3', 10: 'rack1', 11: 'rack3' }, 96, 3, [0, 5, 11], {}],
];
for (const [name, racks, partitions, rf, starts, opts] of cases) {
  test(`AdminRackAwareTest.${name}`, () => {
    for (const start of starts) checkReplicaDistribution(assignReplicasToBrokers(brokers(racks), partitions, rf, start, 0), racks, Object.keys(racks).length, partitions, rf, opts);
  });
}

test('AdminRackAwareTest.testMoreReplicasThanRacks, testLessReplicasThanRacks, testSingleRack', () => {
  const five = { 0: 'rack1', 1: 'rack2', 2: 'rack2', 3: 'rack3', 4: 'rack3', 5: 'rack2' };
  for (const start of [0, 1, 2, 3, 4, 5]) {
    for (const list of assignReplicasToBrokers(brokers(five), 6, 5, start)) assert.equal(new Set(list.map((b) => five[b as keyof typeof five])).size, 3);
    for (const list of assignReplicasToBrokers(brokers(five), 6, 2, start)) assert.equal(new Set(list.map((b) => five[b as keyof typeof five])).size, 2);
    const single = { 0: 'rack1', 1: 'rack1', 2: 'rack1', 3: 'rack1', 4: 'rack1', 5: 'rack1' };
    checkReplicaDistribution(assignReplicasToBrokers(brokers(single), 6, 3, start), single, 6, 6, 3, { rackAware: false, replicas: false });
  }
});

const zoned = (extra: string, cluster = 'brokers: 3, racks: [az1, az2, az3]', groups = '  - name: g\n    topics: [t]\n    members:\n      - { rack: az2 }\n') => `duration: 10 s
cluster: { ${cluster} }
topics:
  - { name: t, partitions: 1, replication_factor: 3, min_insync_replicas: 2 }
producers:
  - { name: p, topic: t, rate: 1000, record_size: 1000, keys: 10, rack: az1 }
consumer_groups:
${groups}${extra}`;

test('cross-zone traffic: producer in the leader\'s zone, two followers elsewhere; a consumer in az2 reads from the leader across zones, or from its zone\'s follower with the rack-aware selector', () => {
  const leader = run(zoned('')).result;
  // Partition 0's replicas are 1, 2, 3 (one per zone); the leader, broker 1, is in az1 with the producer.
  assert.deepEqual(leader.before[0].replicas, [1, 2, 3]);
  const t = leader.traffic;
  assert.equal(t.produceSame, leader.bytesWritten);
  assert.equal(t.produceCross, 0);
  assert.equal(t.replicationCross, 2 * leader.bytesWritten);
  assert.equal(t.replicationSame, 0);
  const perRecord = leader.bytesWritten / leader.records;
  assert.ok(Math.abs(t.consumeCross - leader.groups[0].consumed * perRecord) < 1e-6, `${t.consumeCross} vs ${leader.groups[0].consumed * perRecord}`);
  assert.equal(t.consumeSame, 0);
  const fromFollower = run(zoned('', 'brokers: 3, racks: [az1, az2, az3], replica_selector: rack-aware')).result;
  assert.equal(fromFollower.traffic.consumeCross, 0);
  assert.equal(fromFollower.groups[0].readFromFollowers, fromFollower.groups[0].consumed);
});

test('the cost line: cross-zone bytes per month times the price', () => {
  const { result, report } = run(zoned('', 'brokers: 3, racks: [az1, az2, az3], cross_zone_price: 0.02, currency: EUR'));
  const t = result.traffic;
  const perMonth = ((t.produceCross + t.replicationCross + t.consumeCross) / result.simulatedS) * (365.25 * 86400) / 12;
  const notice = [...walkBlocks(report.blocks)].find((b) => b.type === 'notice' && /Cross-zone transfer/.test(b.text));
  assert.ok(notice && notice.type === 'notice');
  const cost = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format((perMonth / 1e9) * 0.02);
  assert.match(notice.text, new RegExp(`= ${cost.replace(/[.,]/g, '\\$&')} EUR/month\\.$`));
});

test('a zone failure: rack-aware placement keeps every partition in sync on two zones; rack-unaware placement over [az1, az1, az2, az2, az3, az3] loses the ISR quorum of the partitions with two replicas in the zone', () => {
  const cell = (aware: boolean) => `duration: 30 s
cluster: { brokers: 6, racks: [az1, az1, az2, az2, az3, az3], rack_aware_placement: ${aware}, broker_session_timeout: 2 s }
topics:
  - { name: t, partitions: 6, replication_factor: 3, min_insync_replicas: 2 }
producers:
  - { name: p, topic: t, rate: 1000, keys: 60 }
timeline:
  - { at: 5 s, kill_zone: az1 }
`;
  const aware = run(cell(true)).result;
  assert.ok(aware.before.every((p) => new Set(p.replicas.map((b) => Math.ceil(b / 2))).size === 3), 'one replica per zone');
  assert.ok(aware.after.every((p) => p.leader > 2 && p.isr.length === 2), JSON.stringify(aware.after.map((p) => [p.leader, p.isr])));
  assert.equal(aware.producers[0].expired + aware.producers[0].notEnoughReplicas, 0);
  const unaware = run(cell(false)).result;
  // Replicas 1,2,3 / 2,3,4 / …: partitions 0 and 5 (1,2,3 and 6,1,2) keep one replica outside az1.
  const underMin = unaware.after.filter((p) => p.isr.length < 2).map((p) => p.partition);
  assert.deepEqual(underMin, [0, 5]);
  assert.ok(unaware.producers[0].notEnoughReplicas > 0);
  const zoneLine = unaware.events.find((e) => e.event === 'zone az1 fails')!;
  assert.equal(zoneLine.effect, 'brokers 1, 2 stop; consumers none die; producers none stop');
});
