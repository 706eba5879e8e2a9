// The KIP-848 group coordinator's assignors (uniform and range) against Kafka's own tests: every case
// of OptimizedUniformAssignmentBuilderTest (UniformHomogeneousAssignmentBuilderTest from 4.1),
// UniformHeterogeneousAssignmentBuilderTest and the group coordinator's RangeAssignorTest, as of
// apache/kafka trunk 2024-10-25 (1eb7644, the 4.0 code line), with their exact expected assignments.
// The inputs are built as the tests build them: members in a TreeMap, subscriptions as sets, owned
// partitions as HashMaps (mkAssignment) or LinkedHashMaps (mkOrderedAssignment) of HashSets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyPartitionSet, copyUuidSet, GroupAssignment, GroupSpec, invertedTargetAssignment, JavaLinkedHashMap, MemberSubscriptionAndAssignment,
  newLinkedUuidMap, newUuidMap, PartitionAssignorException, PartitionSet, randomUuid, ServerRangeAssignor, SubscriptionType, UniformAssignor, Uuid, uuidFromString,
  uuidHash, compareUuids, ConsumerGroupPartitionAssignor,
} from '../../../src/kernels/kafka/assignors/server';
import { Rng } from '../../../src/kernels/sim';

const TOPICS: Record<string, Uuid> = {
  T1: uuidFromString('T1-A4s3VTwiI5CTbEp6POw'),
  T2: uuidFromString('T2-B4s3VTwiI5YHbPp6YUe'),
  T3: uuidFromString('T3-CU8fVTLCz5YMkLoDQsa'),
  T4: uuidFromString('T4-Tw9fVTLCz5HbPp6YQsa'),
};
const nameOf = new Map(Object.entries(TOPICS).map(([n, u]) => [u.text, n]));

type Owns = Record<string, number[]>;
interface MemberCase { id: string; subs: string[]; owns: Owns; ordered?: boolean; instance?: string }
type Case = [name: string, topics: Record<string, number>, members: MemberCase[], expected: Record<string, Owns>];

function spec(members: MemberCase[], type: SubscriptionType): GroupSpec {
  // TreeMap<String, …>: members in key order.
  const map = new JavaLinkedHashMap<string, MemberSubscriptionAndAssignment>((s) => s);
  for (const m of [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const partitions = m.ordered ? newLinkedUuidMap<PartitionSet>() : newUuidMap<PartitionSet>();
    for (const [t, ps] of Object.entries(m.owns)) partitions.put(TOPICS[t], copyPartitionSet(ps));
    map.put(m.id, { instanceId: m.instance, subscribedTopicIds: copyUuidSet(m.subs.map((t) => TOPICS[t])), partitions });
  }
  return { members: map, subscriptionType: type, invertedTargetAssignment: invertedTargetAssignment(map) };
}

const describer = (topics: Record<string, number>) => ({ numPartitions: (u: Uuid) => topics[nameOf.get(u.text) ?? ''] ?? -1 });

/** GroupAssignment as the tests' expectations write it: member -> topic -> partitions (ascending). */
function plain(a: GroupAssignment): Record<string, Owns> {
  const out: Record<string, Owns> = {};
  for (const [member, topics] of a) {
    out[member] = {};
    for (const [t, ps] of topics.entries()) out[member][nameOf.get(t.text)!] = [...ps].sort((x, y) => x - y);
  }
  return out;
}

function runCases(label: string, assignor: ConsumerGroupPartitionAssignor, type: (c: Case) => SubscriptionType, cases: Case[]): void {
  for (const c of cases) {
    test(`${label}.${c[0]}`, () => {
      assert.deepEqual(plain(assignor.assign(spec(c[2], type(c)), describer(c[1]))), c[3]);
    });
  }
}

const homogeneousCases: Case[] = [
  ['testFirstAssignmentTwoMembersTwoTopicsNoMemberRacks', { T1: 3, T3: 2 }, [
    { id: 'A', subs: ['T1', 'T3'], owns: {} },
    { id: 'B', subs: ['T1', 'T3'], owns: {} }],
    { A: { T1: [0], T3: [0, 1] }, B: { T1: [1, 2] } }],
  ['testFirstAssignmentNumMembersGreaterThanTotalNumPartitions', { T3: 2 }, [
    { id: 'A', subs: ['T3'], owns: {} },
    { id: 'B', subs: ['T3'], owns: {} },
    { id: 'C', subs: ['T3'], owns: {} }],
    { A: { T3: [0] }, B: { T3: [1] }, C: {} }],
  ['testReassignmentForTwoMembersTwoTopicsGivenUnbalancedPrevAssignment', { T1: 3, T2: 3 }, [
    { id: 'A', subs: ['T1', 'T2'], owns: { T1: [0, 1], T2: [0, 1] }, ordered: true },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [2], T2: [2] }, ordered: true }],
    { A: { T1: [0, 1], T2: [0] }, B: { T1: [2], T2: [1, 2] } }],
  ['testReassignmentWhenPartitionsAreAddedForTwoMembersTwoTopics', { T1: 6, T2: 5 }, [
    { id: 'A', subs: ['T1', 'T2'], owns: { T1: [0, 2], T2: [0] }, ordered: true },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [1], T2: [1, 2] }, ordered: true }],
    { A: { T1: [0, 2, 3], T2: [0, 3, 4] }, B: { T1: [1, 4, 5], T2: [1, 2] } }],
  ['testReassignmentWhenOneMemberAddedAfterInitialAssignmentWithTwoMembersTwoTopics', { T1: 3, T2: 3 }, [
    { id: 'A', subs: ['T1', 'T2'], owns: { T1: [0, 2], T2: [0] }, ordered: true },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [1], T2: [1, 2] }, ordered: true },
    { id: 'C', subs: ['T1', 'T2'], owns: {} }],
    { A: { T1: [0, 2] }, B: { T1: [1], T2: [1] }, C: { T2: [0, 2] } }],
  ['testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithThreeMembersTwoTopics', { T1: 3, T2: 3 }, [
    { id: 'A', subs: ['T1', 'T2'], owns: { T1: [0], T2: [0] } },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [1], T2: [1] } }],
    { A: { T1: [0], T2: [0, 2] }, B: { T1: [1, 2], T2: [1] } }],
  ['testReassignmentWhenOneSubscriptionRemovedAfterInitialAssignmentWithTwoMembersTwoTopics', { T1: 2, T2: 2 }, [
    { id: 'A', subs: ['T2'], owns: { T1: [0], T2: [0] } },
    { id: 'B', subs: ['T2'], owns: { T1: [1], T2: [1] } }],
    { A: { T2: [0] }, B: { T2: [1] } }],
];
runCases('UniformHomogeneousAssignmentBuilderTest', new UniformAssignor(), () => 'HOMOGENEOUS', homogeneousCases);

const heterogeneousCases: Case[] = [
  ['testFirstAssignmentTwoMembersTwoTopics', { T1: 3, T3: 6 }, [
    { id: 'A', subs: ['T1', 'T3'], owns: {} },
    { id: 'B', subs: ['T3'], owns: {} }],
    { A: { T1: [0, 1, 2], T3: [4] }, B: { T3: [0, 1, 2, 3, 5] } }],
  ['testFirstAssignmentNumMembersGreaterThanTotalNumPartitions', { T3: 1, T1: 2 }, [
    { id: 'A', subs: ['T3'], owns: {} },
    { id: 'B', subs: ['T3'], owns: {} },
    { id: 'C', subs: ['T1'], owns: {} }],
    { A: { T3: [0] }, B: {}, C: { T1: [0, 1] } }],
  ['testReassignmentForTwoMembersThreeTopicsGivenUnbalancedPrevAssignment', { T1: 6, T2: 4, T3: 4 }, [
    { id: 'A', subs: ['T1'], owns: { T1: [0, 1, 2] } },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [3], T2: [0] } },
    { id: 'C', subs: ['T1', 'T2', 'T3'], owns: { T1: [4, 5], T2: [1, 2, 3], T3: [0, 1, 2, 3] } }],
    { A: { T1: [0, 1, 2, 5] }, B: { T1: [3], T2: [0, 1, 2, 3] }, C: { T1: [4], T3: [0, 1, 2, 3] } }],
  ['testReassignmentWhenPartitionsAreAddedForTwoMembers', { T1: 6, T2: 5, T3: 3, T4: 3 }, [
    { id: 'A', subs: ['T1', 'T3'], owns: { T1: [0, 1, 2, 3], T3: [0, 1] } },
    { id: 'B', subs: ['T1', 'T2', 'T3', 'T4'], owns: { T2: [0, 1, 2], T4: [0, 1, 2] } }],
    { A: { T1: [0, 1, 2, 3, 4, 5], T3: [0, 1, 2] }, B: { T2: [0, 1, 2, 3, 4], T4: [0, 1, 2] } }],
  ['testReassignmentWhenOneMemberAddedAndPartitionsAddedTwoMembersTwoTopics', { T1: 6, T2: 7 }, [
    { id: 'A', subs: ['T1'], owns: { T1: [0, 2], T2: [0] } },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [1], T2: [1, 2] } },
    { id: 'C', subs: ['T1', 'T2'], owns: {} }],
    { A: { T1: [0, 2, 3, 4, 5] }, B: { T1: [1], T2: [1, 2, 6] }, C: { T2: [0, 3, 4, 5] } }],
  ['testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithThreeMembersThreeTopics', { T1: 3, T2: 8, T3: 3 }, [
    { id: 'A', subs: ['T1', 'T3'], owns: { T1: [0, 1, 2], T3: [0, 1] } },
    { id: 'B', subs: ['T2'], owns: { T2: [3, 4, 5, 6] } }],
    { A: { T1: [0, 1, 2], T3: [0, 1, 2] }, B: { T2: [0, 1, 2, 3, 4, 5, 6, 7] } }],
  ['testReassignmentWhenOneSubscriptionRemovedAfterInitialAssignmentWithTwoMembersTwoTopics', { T1: 3, T2: 5 }, [
    { id: 'A', subs: ['T1'], owns: { T1: [0, 2], T2: [1, 3] } },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [1], T2: [0, 2, 4] } }],
    { A: { T1: [0, 1, 2] }, B: { T2: [0, 1, 2, 3, 4] } }],
  ['testReassignmentWhenTopicPartitionsRunOutAndMembersHaveNoPartitions', { T1: 2, T2: 2, T3: 2 }, [
    { id: 'A', subs: ['T1', 'T2', 'T3'], owns: { T1: [0, 1], T2: [0, 1], T3: [0, 1] } },
    { id: 'B', subs: ['T1', 'T2', 'T3'], owns: {} }],
    { A: { T2: [0], T3: [0, 1] }, B: { T1: [0, 1], T2: [1] } }],
  ['testFirstAssignmentWithTwoMembersIncludingOneWithoutSubscriptions', { T1: 3 }, [
    { id: 'A', subs: ['T1'], owns: {} },
    { id: 'B', subs: [], owns: {} }],
    { A: { T1: [0, 1, 2] }, B: {} }],
];
runCases('UniformHeterogeneousAssignmentBuilderTest', new UniformAssignor(), () => 'HETEROGENEOUS', heterogeneousCases);

// The range tests mark the groups whose members subscribe to different topics HETEROGENEOUS.
const rangeHeterogeneous = new Set(['testFirstAssignmentThreeMembersThreeTopicsDifferentSubscriptions', 'testReassignmentWhenOneMemberAddedAndOnePartitionAfterInitialAssignmentWithTwoMembersTwoTopics', 'testReassignmentWhenMultipleSubscriptionsRemovedAfterInitialAssignmentWithThreeMembersTwoTopics']);
const rangeCases: Case[] = [
  ['testFirstAssignmentTwoMembersTwoTopicsSameSubscriptions', { T1: 3, T3: 2 }, [
    { id: 'A', subs: ['T1', 'T3'], owns: {} },
    { id: 'B', subs: ['T1', 'T3'], owns: {} }],
    { A: { T1: [0, 1], T3: [0] }, B: { T1: [2], T3: [1] } }],
  ['testFirstAssignmentThreeMembersThreeTopicsDifferentSubscriptions', { T1: 3, T2: 3, T3: 2 }, [
    { id: 'A', subs: ['T1', 'T2'], owns: {} },
    { id: 'B', subs: ['T3'], owns: {} },
    { id: 'C', subs: ['T2', 'T3'], owns: {} }],
    { A: { T1: [0, 1, 2], T2: [0, 1] }, B: { T3: [0] }, C: { T2: [2], T3: [1] } }],
  ['testFirstAssignmentNumMembersGreaterThanNumPartitions', { T1: 3, T3: 2 }, [
    { id: 'A', subs: ['T1', 'T3'], owns: {} },
    { id: 'B', subs: ['T1', 'T3'], owns: {} },
    { id: 'C', subs: ['T1', 'T3'], owns: {} }],
    { A: { T1: [0], T3: [0] }, B: { T1: [1], T3: [1] }, C: { T1: [2] } }],
  ['testReassignmentNumMembersGreaterThanNumPartitionsWhenOneMemberAdded', { T1: 2, T2: 2 }, [
    { id: 'A', subs: ['T1', 'T2'], owns: { T1: [0], T2: [0] } },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [1], T2: [1] } },
    { id: 'C', subs: ['T1', 'T2'], owns: {} }],
    { A: { T1: [0], T2: [0] }, B: { T1: [1], T2: [1] }, C: {} }],
  ['testReassignmentWhenOnePartitionAddedForTwoMembersTwoTopics', { T1: 4, T2: 4 }, [
    { id: 'A', subs: ['T1', 'T2'], owns: { T1: [0, 1], T2: [0, 1] } },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [2], T2: [2] } }],
    { A: { T1: [0, 1], T2: [0, 1] }, B: { T1: [2, 3], T2: [2, 3] } }],
  ['testReassignmentWhenOneMemberAddedAfterInitialAssignmentWithTwoMembersTwoTopics', { T1: 3, T2: 3 }, [
    { id: 'A', subs: ['T1', 'T2'], owns: { T1: [0, 1], T2: [0, 1] } },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [2], T2: [2] } },
    { id: 'C', subs: ['T1', 'T2'], owns: {} }],
    { A: { T1: [0], T2: [0] }, B: { T1: [1], T2: [1] }, C: { T1: [2], T2: [2] } }],
  ['testReassignmentWhenOneMemberAddedAndOnePartitionAfterInitialAssignmentWithTwoMembersTwoTopics', { T1: 4, T2: 3 }, [
    { id: 'A', subs: ['T1', 'T2'], owns: { T1: [0, 1], T2: [0, 1] } },
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [2], T2: [2] } },
    { id: 'C', subs: ['T1'], owns: {} }],
    { A: { T1: [0, 1], T2: [0, 1] }, B: { T1: [2], T2: [2] }, C: { T1: [3] } }],
  ['testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithTwoMembersTwoTopics', { T1: 3, T2: 3 }, [
    { id: 'B', subs: ['T1', 'T2'], owns: { T1: [2], T2: [2] } }],
    { B: { T1: [0, 1, 2], T2: [0, 1, 2] } }],
  ['testReassignmentWhenMultipleSubscriptionsRemovedAfterInitialAssignmentWithThreeMembersTwoTopics', { T1: 3, T2: 3, T3: 2 }, [
    { id: 'A', subs: ['T1'], owns: { T1: [0, 1, 2], T2: [0] } },
    { id: 'B', subs: ['T1', 'T2', 'T3'], owns: { T2: [1] } },
    { id: 'C', subs: ['T2'], owns: { T2: [2], T3: [0, 1] } }],
    { A: { T1: [0, 1] }, B: { T1: [2], T2: [0, 1], T3: [0, 1] }, C: { T2: [2] } }],
];
runCases('RangeAssignorTest', new ServerRangeAssignor(), (c) => (rangeHeterogeneous.has(c[0]) ? 'HETEROGENEOUS' : 'HOMOGENEOUS'), rangeCases);

test('no topics: the uniform assignor returns no members (testOneMemberNoTopicSubscription, testTwoMembersNoTopicSubscription); range returns each member empty (testOneMemberNoTopic)', () => {
  assert.deepEqual(plain(new UniformAssignor().assign(spec([{ id: 'A', subs: [], owns: {} }], 'HOMOGENEOUS'), describer({ T1: 3 }))), {});
  assert.deepEqual(plain(new UniformAssignor().assign(spec([{ id: 'A', subs: [], owns: {} }, { id: 'B', subs: [], owns: {} }], 'HETEROGENEOUS'), describer({ T1: 3 }))), {});
  assert.deepEqual(plain(new ServerRangeAssignor().assign(spec([{ id: 'A', subs: [], owns: {} }], 'HOMOGENEOUS'), describer({ T1: 3 }))), { A: {} });
});

test('a topic that does not exist throws PartitionAssignorException (testOneMemberSubscribedToNonexistentTopic, testTwoMembersSubscribedToNonexistentTopics, testOneMemberSubscribedToNonExistentTopic)', () => {
  const topics = describer({ T1: 3 });
  assert.throws(() => new UniformAssignor().assign(spec([{ id: 'A', subs: ['T2'], owns: {} }], 'HOMOGENEOUS'), topics), PartitionAssignorException);
  assert.throws(() => new UniformAssignor().assign(spec([{ id: 'A', subs: ['T3'], owns: {} }, { id: 'B', subs: ['T2'], owns: {} }], 'HETEROGENEOUS'), topics), PartitionAssignorException);
  assert.throws(() => new ServerRangeAssignor().assign(spec([{ id: 'A', subs: ['T2'], owns: {} }], 'HOMOGENEOUS'), topics), PartitionAssignorException);
});

test('RangeAssignorTest.testStaticMembership and testMixedStaticMembership: a static member back under a new member id keeps its ranges', () => {
  const range = new ServerRangeAssignor();
  const one = { T1: 3 };
  const before = plain(range.assign(spec([{ id: 'A', subs: ['T1'], owns: {}, instance: 'instanceA' }, { id: 'B', subs: ['T1'], owns: {}, instance: 'instanceB' }], 'HOMOGENEOUS'), describer(one)));
  const after = plain(range.assign(spec([{ id: 'memberA1', subs: ['T1'], owns: {}, instance: 'instanceA' }, { id: 'B', subs: ['T1'], owns: {}, instance: 'instanceB' }], 'HOMOGENEOUS'), describer(one)));
  assert.deepEqual([after.memberA1, after.B], [before.A, before.B]);
  const five = { T1: 5 };
  const mixed = plain(range.assign(spec([{ id: 'A', subs: ['T1'], owns: {}, instance: 'instanceA' }, { id: 'C', subs: ['T1'], owns: {}, instance: 'instanceC' }, { id: 'B', subs: ['T1'], owns: {} }], 'HOMOGENEOUS'), describer(five)));
  const mixedAfter = plain(range.assign(spec([{ id: 'memberA1', subs: ['T1'], owns: {}, instance: 'instanceA' }, { id: 'C', subs: ['T1'], owns: {}, instance: 'instanceC' }, { id: 'B', subs: ['T1'], owns: {} }], 'HOMOGENEOUS'), describer(five)));
  assert.deepEqual([mixedAfter.memberA1, mixedAfter.B, mixedAfter.C], [mixed.A, mixed.B, mixed.C]);
  // Static members first, by instance id, then the dynamic one: A, C, B.
  assert.deepEqual(mixed, { A: { T1: [0, 1] }, C: { T1: [2, 3] }, B: { T1: [4] } });
});

test('OptimizedUniformAssignmentBuilderTest.testValidityAndBalanceForLargeSampleSet: 99 topics of 3 partitions, 49 members; valid and balanced', () => {
  const rng = new Rng(1, 'uuids');
  const ids = Array.from({ length: 99 }, () => randomUuid(rng));
  const counts = new Map(ids.map((u) => [u.text, 3]));
  const map = new JavaLinkedHashMap<string, MemberSubscriptionAndAssignment>((s) => s);
  const names = Array.from({ length: 49 }, (_, i) => `member${i + 1}`).sort();
  for (const n of names) map.put(n, { subscribedTopicIds: copyUuidSet(ids), partitions: newUuidMap<PartitionSet>() });
  const out = new UniformAssignor().assign({ members: map, subscriptionType: 'HOMOGENEOUS', invertedTargetAssignment: new Map() }, { numPartitions: (u) => counts.get(u.text) ?? -1 });
  const owner = new Map<string, string>();
  const sizes: number[] = [];
  for (const [member, topics] of out) {
    let n = 0;
    for (const [t, ps] of topics.entries()) for (const p of ps) {
      assert.equal(owner.get(`${t.text}-${p}`), undefined, 'each partition once');
      owner.set(`${t.text}-${p}`, member);
      n++;
    }
    sizes.push(n);
  }
  assert.equal(owner.size, 297);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, sizes.join(','));
});

test('Uuid: fromString, hashCode and compareTo as Kafka computes them', () => {
  // The fixture ids decode to these halves (Java longs), whose xor folds to the hash.
  assert.deepEqual([TOPICS.T1.msb, TOPICS.T1.lsb], [5719431763388092168n, -8582694466532503749n]);
  assert.equal(uuidHash(TOPICS.T1), 418407434);
  assert.ok(compareUuids(TOPICS.T1, TOPICS.T2) < 0 && compareUuids(TOPICS.T4, TOPICS.T3) > 0 && compareUuids(TOPICS.T2, TOPICS.T2) === 0);
});
