// AbstractStickyAssignor (Kafka 3.9, without rack awareness): balance within one, then stickiness.
// Both of Kafka's builders are followed statement for statement, in Java HashMap member order:
// ConstrainedAssignmentBuilder (below) when every member subscribes to the same topics, and
// GeneralAssignmentBuilder (generalAssignmentBuilder.ts) otherwise.
import { DEFAULT_GENERATION, GeneralAssignmentBuilder, MemberData, PartitionMovements } from './generalAssignmentBuilder';
import { javaHashMapCopyOrder, javaHashMapOrder } from './javaHashMap';
import { compareStrings, PartitionAssignor, RebalanceProtocol, Subscription, TopicPartition, tpKey } from './types';

export { DEFAULT_GENERATION };
export type { MemberData };

export abstract class AbstractStickyAssignor implements PartitionAssignor {
  abstract readonly name: string;
  abstract readonly protocol: RebalanceProtocol;

  /** Partitions moving between members in the last constrained assignment; null after the general path. */
  partitionsTransferringOwnership: Map<string, string> | null = new Map();

  /** Highest generation seen by this instance; like Kafka's field, it is never reset between assignments. */
  private maxGeneration = DEFAULT_GENERATION;
  private partitionMovements: PartitionMovements | undefined;

  /** Owned partitions and generation as Kafka's memberData(subscription) reports them. */
  protected memberData(s: Subscription): MemberData {
    return { partitions: s.ownedPartitions ?? [], generation: s.generation };
  }

  /** Kafka's isSticky(): no partition of a topic moved both ways between two members in the last general assignment. */
  isSticky(): boolean {
    return this.partitionMovements?.isSticky() ?? true;
  }

  assign(partitionsPerTopic: Map<string, number>, subscriptions: Map<string, Subscription>): Map<string, TopicPartition[]> {
    // Java iterates the subscriptions HashMap; emulate that order once and use it everywhere.
    const order = javaHashMapOrder([...subscriptions.keys()]);
    const subs = new Map(order.map((id) => [id, subscriptions.get(id)!] as const));
    const owned = new Map<string, TopicPartition[]>();
    const multiplyClaimed = new Set<string>();
    if (this.allSubscriptionsEqual(partitionsPerTopic, subs, owned, multiplyClaimed)) {
      this.partitionsTransferringOwnership = new Map();
      return this.constrainedAssign(partitionsPerTopic, owned, multiplyClaimed);
    }
    // Null tells CooperativeStickyAssignor to work out the transfers from the result.
    this.partitionsTransferringOwnership = null;
    const builder = new GeneralAssignmentBuilder(partitionsPerTopic, subs, owned, (s) => this.memberData(s), this.maxGeneration);
    this.partitionMovements = builder.partitionMovements;
    return builder.build();
  }

  private allSubscriptionsEqual(
    partitionsPerTopic: Map<string, number>,
    subs: Map<string, Subscription>,
    owned: Map<string, TopicPartition[]>,
    multiplyClaimed: Set<string>,
  ): boolean {
    let equal = true;
    let first: Set<string> | undefined;
    const previousOwner = new Map<string, string>();
    for (const [consumer, s] of subs) {
      if (!first || first.size === 0) first = new Set(s.topics);
      else if (equal && !(s.topics.length === first.size && s.topics.every((t) => first!.has(t)))) equal = false;
      const data = this.memberData(s);
      const gen = data.generation ?? DEFAULT_GENERATION;
      this.maxGeneration = Math.max(this.maxGeneration, gen);
      const mine: TopicPartition[] = [];
      owned.set(consumer, mine);
      for (const t of data.partitions) {
        if (!partitionsPerTopic.has(t.topic)) continue;
        const k = tpKey(t);
        const other = previousOwner.get(k);
        if (other === undefined) {
          mine.push(t);
          previousOwner.set(k, consumer);
          continue;
        }
        const otherGen = subs.get(other)!.generation ?? DEFAULT_GENERATION;
        if (gen === otherGen) {
          // Claimed twice in one generation: invalid for both.
          multiplyClaimed.add(k);
          removeTp(owned.get(other)!, t);
          previousOwner.set(k, consumer);
        } else if (gen > otherGen) {
          mine.push(t);
          removeTp(owned.get(other)!, t);
          previousOwner.set(k, consumer);
        }
      }
    }
    return equal;
  }

  private constrainedAssign(
    partitionsPerTopic: Map<string, number>,
    currentAssignment: Map<string, TopicPartition[]>,
    multiplyClaimed: Set<string>,
  ): Map<string, TopicPartition[]> {
    const transferring = this.partitionsTransferringOwnership!;
    const total = [...partitionsPerTopic.values()].reduce((a, b) => a + b, 0);
    const n = currentAssignment.size;
    const minQuota = Math.floor(total / n);
    const maxQuota = Math.ceil(total / n);
    const expectedOverMin = total % n;
    let currentOverMin = 0;
    const revoked = new Set<string>();
    const underMin: string[] = [];
    let exactlyMin: string[] = [];
    // Kafka builds this map with new HashMap<>(map), whose table size (and so key order) differs.
    const assignment = new Map<string, TopicPartition[]>();
    for (const c of javaHashMapCopyOrder([...currentAssignment.keys()])) assignment.set(c, []);
    const assigned = new Set<string>();

    for (const [consumer, ownedList] of currentAssignment) {
      const ownedSorted = ownedList
        .filter((t) => !multiplyClaimed.has(tpKey(t)))
        .sort((a, b) => a.partition - b.partition || compareStrings(a.topic, b.topic));
      const mine = assignment.get(consumer)!;
      if (ownedSorted.length < minQuota) {
        for (const t of ownedSorted) {
          mine.push(t);
          assigned.add(tpKey(t));
        }
        underMin.push(consumer);
      } else if (ownedSorted.length >= maxQuota && currentOverMin < expectedOverMin) {
        currentOverMin++;
        if (currentOverMin === expectedOverMin) exactlyMin = [];
        for (const t of ownedSorted.slice(0, maxQuota)) {
          mine.push(t);
          assigned.add(tpKey(t));
        }
        for (const t of ownedSorted.slice(maxQuota)) revoked.add(tpKey(t));
      } else {
        for (const t of ownedSorted.slice(0, minQuota)) {
          mine.push(t);
          assigned.add(tpKey(t));
        }
        for (const t of ownedSorted.slice(minQuota)) revoked.add(tpKey(t));
        if (currentOverMin < expectedOverMin) exactlyMin.push(consumer);
      }
    }

    const unassigned: TopicPartition[] = [];
    for (const topic of [...partitionsPerTopic.keys()].sort(compareStrings)) {
      for (let p = 0; p < partitionsPerTopic.get(topic)!; p++) {
        if (!assigned.has(`${topic}-${p}`)) unassigned.push({ topic, partition: p });
      }
    }
    underMin.sort(compareStrings);
    exactlyMin.sort(compareStrings);

    // assignRoundRobin, with Java's LinkedList iterator (remove() deletes the element just returned).
    let idx = 0;
    for (const t of unassigned) {
      let consumer: string;
      let fromIter = true;
      if (idx < underMin.length) {
        consumer = underMin[idx++];
      } else if (underMin.length === 0 && exactlyMin.length === 0) {
        throw new Error('No more unfilled consumers to be assigned.');
      } else if (underMin.length === 0) {
        consumer = exactlyMin.shift()!;
        fromIter = false;
      } else {
        idx = 0;
        consumer = underMin[idx++];
      }
      const list = assignment.get(consumer)!;
      list.push(t);
      const k = tpKey(t);
      if (revoked.has(k) || multiplyClaimed.has(k)) transferring.set(k, consumer);
      if (list.length === minQuota) {
        if (fromIter) underMin.splice(--idx, 1);
        exactlyMin.push(consumer);
      } else if (list.length === maxQuota) {
        currentOverMin++;
      }
    }
    return assignment;
  }
}

function removeTp(list: TopicPartition[], t: TopicPartition): void {
  const i = list.findIndex((x) => x.topic === t.topic && x.partition === t.partition);
  if (i >= 0) list.splice(i, 1);
}
