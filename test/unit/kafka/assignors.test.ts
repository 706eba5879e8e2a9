import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CooperativeStickyAssignor,
  javaHashMapOrder,
  javaStringHash,
  PartitionAssignor,
  RangeAssignor,
  RoundRobinAssignor,
  StickyAssignor,
  Subscription,
  TopicPartition,
} from '../../../src/kernels/kafka/assignors';

// Notation from docs/model-notes: "1-0" = topic1 partition 0; a bare number is a partition of `topic`.
function parts(spec: string): TopicPartition[] {
  if (!spec.trim()) return [];
  return spec
    .trim()
    .split(/\s+/)
    .map((s) => {
      const m = /^(\d)-(\d+)$/.exec(s);
      return m ? { topic: `topic${m[1]}`, partition: Number(m[2]) } : { topic: 'topic', partition: Number(s) };
    });
}
const show = (l: TopicPartition[] | undefined) => (l ?? []).map((t) => `${t.topic}-${t.partition}`).join(' ');
const ppt = (counts: Record<string, number>) => new Map(Object.entries(counts));
interface M {
  id: string;
  topics: string[];
  owned?: string;
  gen?: number;
  instance?: string;
}
const subsOf = (ms: M[]) =>
  new Map<string, Subscription>(
    ms.map((m) => [
      m.id,
      { topics: m.topics, ownedPartitions: m.owned ? parts(m.owned) : [], generation: m.gen, groupInstanceId: m.instance },
    ]),
  );

function check(a: PartitionAssignor, counts: Record<string, number>, ms: M[], expected: Record<string, string>) {
  const out = a.assign(ppt(counts), subsOf(ms));
  for (const [id, spec] of Object.entries(expected)) assert.equal(show(out.get(id)), show(parts(spec)), `member ${id}`);
}

/** Re-assigns with each member owning its last result until nothing is withheld (CooperativeStickyAssignorTest.verifyValidityAndBalance). */
function cooperativeUntilStable(counts: Record<string, number>, ms: M[], rounds = 4) {
  const a = new CooperativeStickyAssignor();
  let members = ms;
  let out = a.assign(ppt(counts), subsOf(members));
  const history = [new Map(out)];
  const withheld = [new Map(a.lastWithheld)];
  for (let r = 1; r < rounds && a.lastWithheld.size > 0; r++) {
    members = members.map((m) => ({
      ...m,
      owned: show(out.get(m.id))
        .replace(/topic(\d)-/g, '$1-')
        .replace(/topic-/g, ''),
      gen: (m.gen ?? 1) + r,
    }));
    out = a.assign(ppt(counts), subsOf(members));
    history.push(new Map(out));
    withheld.push(new Map(a.lastWithheld));
  }
  return { out, history, withheld };
}

const both = ['topic1', 'topic2'];
const t1 = ['topic1'];

// ---- RangeAssignorTest
const rangeCases: [string, Record<string, number>, M[], Record<string, string>][] = [
  ['testOneConsumerMultipleTopics', { topic1: 1, topic2: 2 }, [{ id: 'consumer1', topics: both }], { consumer1: '1-0 2-0 2-1' }],
  [
    'testTwoConsumersOneTopicOnePartition',
    { topic1: 1 },
    [
      { id: 'consumer1', topics: t1 },
      { id: 'consumer2', topics: t1 },
    ],
    { consumer1: '1-0', consumer2: '' },
  ],
  [
    'testMultipleConsumersMixedTopics',
    { topic1: 3, topic2: 2 },
    [
      { id: 'consumer1', topics: t1 },
      { id: 'consumer2', topics: both },
      { id: 'consumer3', topics: t1 },
    ],
    { consumer1: '1-0', consumer2: '1-1 2-0 2-1', consumer3: '1-2' },
  ],
  [
    'testTwoConsumersTwoTopicsSixPartitions',
    { topic1: 3, topic2: 3 },
    [
      { id: 'consumer1', topics: both },
      { id: 'consumer2', topics: both },
    ],
    { consumer1: '1-0 1-1 2-0 2-1', consumer2: '1-2 2-2' },
  ],
  [
    'testTwoStaticConsumersTwoTopicsSixPartitions',
    { topic1: 3, topic2: 3 },
    [
      { id: 'consumer-a', topics: both, instance: 'instance2' },
      { id: 'consumer-b', topics: both, instance: 'instance1' },
    ],
    { 'consumer-b': '1-0 1-1 2-0 2-1', 'consumer-a': '1-2 2-2' },
  ],
  [
    'testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions',
    { topic1: 3, topic2: 3 },
    [
      { id: 'consumer-a', topics: both },
      { id: 'consumer-b', topics: both, instance: 'instance1' },
    ],
    { 'consumer-b': '1-0 1-1 2-0 2-1', 'consumer-a': '1-2 2-2' },
  ],
  [
    'testStaticMemberRangeAssignmentPersistent',
    { topic1: 5, topic2: 4 },
    [
      { id: 'consumer1', topics: both, instance: 'instance1' },
      { id: 'consumer2', topics: both, instance: 'instance2' },
      { id: 'consumer3', topics: both, instance: 'instance3' },
      { id: 'consumer4', topics: both },
    ],
    { consumer1: '1-0 1-1 2-0', consumer2: '1-2 2-1', consumer3: '1-3 2-2', consumer4: '1-4 2-3' },
  ],
  [
    'testStaticMemberRangeAssignmentPersistent (c4 replaced by c5)',
    { topic1: 5, topic2: 4 },
    [
      { id: 'consumer1', topics: both, instance: 'instance1' },
      { id: 'consumer2', topics: both, instance: 'instance2' },
      { id: 'consumer3', topics: both, instance: 'instance3' },
      { id: 'consumer5', topics: both },
    ],
    { consumer5: '1-4 2-3' },
  ],
];
for (const [name, counts, ms, exp] of rangeCases) test(`Range ${name}`, () => check(new RangeAssignor(), counts, ms, exp));

// ---- RoundRobinAssignorTest
const rrCases: [string, Record<string, number>, M[], Record<string, string>][] = [
  [
    'testMultipleConsumersMixedTopics',
    { topic1: 3, topic2: 2 },
    [
      { id: 'consumer1', topics: t1 },
      { id: 'consumer2', topics: both },
      { id: 'consumer3', topics: t1 },
    ],
    { consumer1: '1-0', consumer2: '1-1 2-0 2-1', consumer3: '1-2' },
  ],
  [
    'testTwoDynamicConsumersTwoTopicsSixPartitions',
    { topic1: 3, topic2: 3 },
    [
      { id: 'consumer1', topics: both },
      { id: 'consumer2', topics: both },
    ],
    { consumer1: '1-0 1-2 2-1', consumer2: '1-1 2-0 2-2' },
  ],
  [
    'testTwoStaticConsumersTwoTopicsSixPartitions',
    { topic1: 3, topic2: 3 },
    [
      { id: 'consumer-a', topics: both, instance: 'instance2' },
      { id: 'consumer-b', topics: both, instance: 'instance1' },
    ],
    { 'consumer-b': '1-0 1-2 2-1', 'consumer-a': '1-1 2-0 2-2' },
  ],
  [
    'testStaticMemberRoundRobinAssignmentPersistent',
    { topic1: 3, topic2: 3 },
    [
      { id: 'consumer1', topics: both, instance: 'instance1' },
      { id: 'consumer2', topics: both, instance: 'instance2' },
      { id: 'consumer3', topics: both, instance: 'instance3' },
      { id: 'consumer4', topics: both },
    ],
    { consumer1: '1-0 2-1', consumer2: '1-1 2-2', consumer3: '1-2', consumer4: '2-0' },
  ],
  [
    'testStaticMemberRoundRobinAssignmentPersistent (c4 replaced by c5)',
    { topic1: 3, topic2: 3 },
    [
      { id: 'consumer1', topics: both, instance: 'instance1' },
      { id: 'consumer2', topics: both, instance: 'instance2' },
      { id: 'consumer3', topics: both, instance: 'instance3' },
      { id: 'consumer5', topics: both },
    ],
    { consumer5: '2-0' },
  ],
  [
    'testStaticMemberRoundRobinAssignmentPersistentAfterMemberIdChanges',
    { topic1: 5, topic2: 5 },
    [
      { id: 'member-x', topics: both, instance: 'instance1' },
      { id: 'member-a', topics: both, instance: 'instance2' },
      { id: 'member-m', topics: both, instance: 'instance3' },
    ],
    { 'member-x': '1-0 1-3 2-1 2-4', 'member-a': '1-1 1-4 2-2', 'member-m': '1-2 2-0 2-3' },
  ],
];
for (const [name, counts, ms, exp] of rrCases) test(`RoundRobin ${name}`, () => check(new RoundRobinAssignor(), counts, ms, exp));

// ---- AbstractStickyAssignorTest (final states; both sticky assignors)
const stickyCases: [string, Record<string, number>, M[], Record<string, string>][] = [
  [
    'testTwoConsumersTwoTopicsSixPartitions',
    { topic1: 3, topic2: 3 },
    [
      { id: 'consumer1', topics: both },
      { id: 'consumer2', topics: both },
    ],
    { consumer1: '1-0 1-2 2-1', consumer2: '1-1 2-0 2-2' },
  ],
  [
    'testMultipleConsumersMixedTopicSubscriptions',
    { topic1: 3, topic2: 2 },
    [
      { id: 'consumer1', topics: t1 },
      { id: 'consumer2', topics: both },
      { id: 'consumer3', topics: t1 },
    ],
    { consumer1: '1-0 1-2', consumer2: '2-0 2-1', consumer3: '1-1' },
  ],
  [
    'testConsumerOwningMinQuotaExpectedMaxQuota',
    { topic1: 2, topic2: 3 },
    [
      { id: 'consumer1', topics: both, owned: '1-0 2-1', gen: 1 },
      { id: 'consumer2', topics: both, owned: '1-1 2-2', gen: 1 },
    ],
    { consumer1: '1-0 2-1 2-0', consumer2: '1-1 2-2' },
  ],
  [
    'testAllConsumersAreUnderMinQuota',
    { topic1: 2, topic2: 3 },
    [
      { id: 'consumer1', topics: both, owned: '1-0', gen: 1 },
      { id: 'consumer2', topics: both, owned: '1-1', gen: 1 },
      { id: 'consumer3', topics: both, gen: 1 },
    ],
    { consumer1: '1-0 2-1', consumer2: '1-1 2-2', consumer3: '2-0' },
  ],
];
for (const [name, counts, ms, exp] of stickyCases) {
  test(`Sticky ${name}`, () => check(new StickyAssignor(), counts, ms, exp));
  test(`CooperativeSticky ${name} (final state)`, () => {
    const { out } = cooperativeUntilStable(counts, ms);
    for (const [id, spec] of Object.entries(exp)) assert.equal(show(out.get(id)), show(parts(spec)), id);
  });
}

test('Sticky testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers: transfers 2-0 to c3', () => {
  const a = new StickyAssignor();
  const out = a.assign(
    ppt({ topic1: 2, topic2: 2 }),
    subsOf([
      { id: 'consumer1', topics: both, owned: '1-0 2-0', gen: 1 },
      { id: 'consumer2', topics: both, owned: '1-1 2-1', gen: 1 },
      { id: 'consumer3', topics: both, gen: 1 },
    ]),
  );
  assert.equal(show(out.get('consumer1')), 'topic1-0');
  assert.equal(show(out.get('consumer2')), 'topic1-1 topic2-1');
  assert.equal(show(out.get('consumer3')), 'topic2-0');
  assert.deepEqual([...a.partitionsTransferringOwnership!], [['topic2-0', 'consumer3']]);
});

test('CooperativeSticky testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers: withholds 2-0 one round', () => {
  const { history } = cooperativeUntilStable({ topic1: 2, topic2: 2 }, [
    { id: 'consumer1', topics: both, owned: '1-0 2-0', gen: 1 },
    { id: 'consumer2', topics: both, owned: '1-1 2-1', gen: 1 },
    { id: 'consumer3', topics: both, gen: 1 },
  ]);
  assert.equal(history.length, 2, 'two rebalances');
  assert.equal(show(history[0].get('consumer3')), '');
  assert.equal(show(history[1].get('consumer3')), 'topic2-0');
});

test('Sticky and CooperativeSticky testAddRemoveConsumerOneTopic', () => {
  const counts = { topic: 3 };
  check(new StickyAssignor(), counts, [{ id: 'consumer1', topics: ['topic'] }], { consumer1: '0 1 2' });
  const a = new StickyAssignor();
  const out = a.assign(
    ppt(counts),
    subsOf([
      { id: 'consumer1', topics: ['topic'], owned: '0 1 2', gen: 1 },
      { id: 'consumer2', topics: ['topic'], gen: 1 },
    ]),
  );
  assert.equal(show(out.get('consumer1')), 'topic-0 topic-1');
  assert.equal(show(out.get('consumer2')), 'topic-2');
  assert.deepEqual([...a.partitionsTransferringOwnership!], [['topic-2', 'consumer2']]);
  const coop = cooperativeUntilStable(counts, [
    { id: 'consumer1', topics: ['topic'], owned: '0 1 2', gen: 1 },
    { id: 'consumer2', topics: ['topic'], gen: 1 },
  ]);
  assert.equal(show(coop.history[0].get('consumer2')), '', 'cooperative withholds partition 2 in the first rebalance');
  assert.equal(show(coop.out.get('consumer2')), 'topic-2');
  // c1 leaves: c2 keeps what it owns first, then takes the rest in order.
  check(new StickyAssignor(), counts, [{ id: 'consumer2', topics: ['topic'], owned: '2', gen: 2 }], { consumer2: '2 0 1' });
});

for (const [label, p, c1owned, expC1] of [
  ['Equal', 3, '0 1', '1'],
  ['Unequal', 4, '0 1 3', '1 3'],
] as const) {
  const ms: M[] = [
    { id: 'consumer1', topics: ['topic'], owned: c1owned, gen: 1 },
    { id: 'consumer2', topics: ['topic'], owned: '0 2', gen: 1 },
    { id: 'consumer3', topics: ['topic'], gen: 1 },
  ];
  test(`testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWith${label}PartitionsPerConsumer`, () => {
    const coop = new CooperativeStickyAssignor().assign(ppt({ topic: p }), subsOf(ms));
    assert.equal(show(coop.get('consumer1')), show(parts(expC1)));
    assert.equal(show(coop.get('consumer2')), 'topic-2');
    assert.equal(show(coop.get('consumer3')), '', 'cooperative: cannot be assigned until both have revoked it');
    const eager = new StickyAssignor().assign(ppt({ topic: p }), subsOf(ms));
    assert.equal(show(eager.get('consumer3')), 'topic-0', 'eager sticky gives partition 0 to c3 at once');
  });
}

test('Java String.hashCode and HashMap order', () => {
  assert.equal(javaStringHash('a'), 97);
  assert.equal(javaStringHash('ab'), 97 * 31 + 98);
  assert.equal(javaStringHash('polygenelubricants'), -2147483648);
  // "Aa" and "BB" collide (2112): same bucket, insertion order kept.
  assert.deepEqual(javaHashMapOrder(['BB', 'Aa']), ['BB', 'Aa']);
  assert.deepEqual(javaHashMapOrder(['Aa', 'BB']), ['Aa', 'BB']);
  // single chars: bucket = code & 15 -> 'q'(113)=1, 'b'(98)=2, 'a'(97)=1
  assert.deepEqual(javaHashMapOrder(['b', 'q', 'a']), ['q', 'a', 'b']);
});
