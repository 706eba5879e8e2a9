import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CooperativeStickyAssignor, createAssignor, Subscription, TopicPartition, tpKey } from '../../../src/kernels/kafka/assignors';
import { PartitionLog } from '../../../src/kernels/kafka/log/partitionLog';

const arbGroup = fc.record({
  counts: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 3 }),
  members: fc.integer({ min: 1, max: 7 }),
});

function setup(counts: number[], members: number) {
  const ppt = new Map(counts.map((c, i) => [`topic${i + 1}`, c]));
  const topics = [...ppt.keys()];
  const subs = new Map<string, Subscription>();
  for (let m = 1; m <= members; m++) subs.set(`consumer${m}`, { topics, ownedPartitions: [], generation: 1 });
  return { ppt, subs, total: counts.reduce((a, b) => a + b, 0) };
}

function checkValid(out: Map<string, TopicPartition[]>, total: number, subs: Map<string, Subscription>) {
  const seen = new Set<string>();
  for (const list of out.values()) for (const t of list) { assert.ok(!seen.has(tpKey(t)), `${tpKey(t)} assigned twice`); seen.add(tpKey(t)); }
  assert.equal(seen.size, total);
  assert.deepEqual([...out.keys()].sort(), [...subs.keys()].sort());
}

for (const name of ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const) {
  test(`${name}: every partition goes to exactly one member`, () => {
    fc.assert(fc.property(arbGroup, ({ counts, members }) => {
      const { ppt, subs, total } = setup(counts, members);
      checkValid(createAssignor(name).assign(ppt, subs), total, subs);
    }), { numRuns: 150 });
  });
}

test('sticky: balanced within one, and a member that joins takes only what balance requires', () => {
  fc.assert(fc.property(arbGroup, ({ counts, members }) => {
    const { ppt, subs } = setup(counts, members);
    const a = createAssignor('sticky');
    const first = a.assign(ppt, subs);
    const sizes = [...first.values()].map((l) => l.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    for (const [id, list] of first) subs.get(id)!.ownedPartitions = list;
    subs.set('consumer99', { topics: [...ppt.keys()], ownedPartitions: [], generation: 1 });
    const second = a.assign(ppt, subs);
    let moved = 0;
    for (const [id, list] of first) moved += list.filter((t) => !second.get(id)!.some((x) => tpKey(x) === tpKey(t))).length;
    assert.equal(moved, second.get('consumer99')!.length, 'only partitions for the newcomer move');
  }), { numRuns: 150 });
});

test('cooperative-sticky never hands out a partition another member still owns', () => {
  fc.assert(fc.property(arbGroup, ({ counts, members }) => {
    const { ppt, subs } = setup(counts, members);
    const a = new CooperativeStickyAssignor();
    const first = a.assign(ppt, subs);
    for (const [id, list] of first) subs.get(id)!.ownedPartitions = list;
    subs.set('consumer99', { topics: [...ppt.keys()], ownedPartitions: [], generation: 1 });
    const second = a.assign(ppt, subs);
    const owner = new Map<string, string>();
    for (const [id, list] of first) for (const t of list) owner.set(tpKey(t), id);
    for (const [id, list] of second) for (const t of list) { const o = owner.get(tpKey(t)); assert.ok(o === undefined || o === id, `${tpKey(t)} still owned by ${o}`); }
  }), { numRuns: 150 });
});

test('compaction keeps the last value of every key, in offset order, and never renumbers', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.option(fc.integer({ min: 0, max: 99 }), { nil: null })), { minLength: 1, maxLength: 40 }), (recs) => {
    const log = new PartitionLog({ cleanupPolicy: 'compact', segmentBytes: 300 });
    recs.forEach(([k, v], i) => log.append([{ key: String(k), value: v === null ? null : String(v), timestamp: i }]));
    const before = log.read(0);
    log.roll();
    log.clean(0);
    const after = log.read(0);
    const last = new Map<string, number>();
    for (const r of before) last.set(r.key as string, r.offset);
    assert.deepEqual(after.map((r) => r.offset), [...last.values()].sort((a, b) => a - b));
    for (const r of after) assert.equal(r.value, before.find((x) => x.offset === r.offset)!.value);
  }), { numRuns: 200 });
});
