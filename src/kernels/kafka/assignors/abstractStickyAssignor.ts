// AbstractStickyAssignor (Kafka 3.9, without rack awareness): balance within one, then stickiness.
// Equal subscriptions take the ConstrainedAssignmentBuilder path, followed statement for statement,
// including Java HashMap member order. Unequal subscriptions take a GeneralAssignmentBuilder path:
// keep owned partitions, then give each unassigned partition (topics with fewer potential members
// first) to the least loaded eligible member, then move partitions while that improves balance.
// That last step is a simplification of Kafka's performReassignments search (see docs/kafka.md).
import { javaHashMapOrder } from './javaHashMap';
import {
  compareStrings,
  compareTopicThenPartition,
  PartitionAssignor,
  RebalanceProtocol,
  Subscription,
  TopicPartition,
  tpKey,
} from './types';

export const DEFAULT_GENERATION = -1;

export abstract class AbstractStickyAssignor implements PartitionAssignor {
  abstract readonly name: string;
  abstract readonly protocol: RebalanceProtocol;

  /** Partitions moving between members in the last constrained assignment; null after the general path. */
  partitionsTransferringOwnership: Map<string, string> | null = new Map();

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
    this.partitionsTransferringOwnership = null;
    return this.generalAssign(partitionsPerTopic, subs, owned);
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
      const gen = s.generation ?? DEFAULT_GENERATION;
      const mine: TopicPartition[] = [];
      owned.set(consumer, mine);
      for (const t of s.ownedPartitions ?? []) {
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
    let underMin: string[] = [];
    let exactlyMin: string[] = [];
    const assignment = new Map<string, TopicPartition[]>();
    for (const c of currentAssignment.keys()) assignment.set(c, []);
    const assigned = new Set<string>();

    for (const [consumer, ownedList] of currentAssignment) {
      const ownedSorted = ownedList
        .filter((t) => !multiplyClaimed.has(tpKey(t)))
        .sort((a, b) => a.partition - b.partition || compareStrings(a.topic, b.topic));
      const mine = assignment.get(consumer)!;
      if (ownedSorted.length < minQuota) {
        for (const t of ownedSorted) { mine.push(t); assigned.add(tpKey(t)); }
        underMin.push(consumer);
      } else if (ownedSorted.length >= maxQuota && currentOverMin < expectedOverMin) {
        currentOverMin++;
        if (currentOverMin === expectedOverMin) exactlyMin = [];
        for (const t of ownedSorted.slice(0, maxQuota)) { mine.push(t); assigned.add(tpKey(t)); }
        for (const t of ownedSorted.slice(maxQuota)) revoked.add(tpKey(t));
      } else {
        for (const t of ownedSorted.slice(0, minQuota)) { mine.push(t); assigned.add(tpKey(t)); }
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

  private generalAssign(
    partitionsPerTopic: Map<string, number>,
    subs: Map<string, Subscription>,
    owned: Map<string, TopicPartition[]>,
  ): Map<string, TopicPartition[]> {
    const topicConsumers = new Map<string, string[]>();
    for (const t of partitionsPerTopic.keys()) topicConsumers.set(t, []);
    for (const [c, s] of subs) for (const t of s.topics) topicConsumers.get(t)?.push(c);
    const assignment = new Map<string, TopicPartition[]>();
    const owner = new Map<string, string>();
    for (const [c, s] of subs) {
      const keep = (owned.get(c) ?? []).filter((t) => s.topics.includes(t.topic) && partitionsPerTopic.has(t.topic));
      assignment.set(c, keep);
      for (const t of keep) owner.set(tpKey(t), c);
    }
    // TopicComparator: fewer potential consumers first, then name.
    const sortedTopics = [...topicConsumers.keys()].sort(
      (a, b) => topicConsumers.get(a)!.length - topicConsumers.get(b)!.length || compareStrings(a, b),
    );
    // SubscriptionComparator: fewest assigned first, then member id.
    const bySize = (a: string, b: string) => assignment.get(a)!.length - assignment.get(b)!.length || compareStrings(a, b);
    for (const topic of sortedTopics) {
      const eligible = topicConsumers.get(topic)!;
      if (eligible.length === 0) continue;
      for (let p = 0; p < partitionsPerTopic.get(topic)!; p++) {
        const k = `${topic}-${p}`;
        if (owner.has(k)) continue;
        const c = [...eligible].sort(bySize)[0];
        assignment.get(c)!.push({ topic, partition: p });
        owner.set(k, c);
      }
    }
    // Rebalance: move a partition from a member with 2+ more partitions to an eligible lighter one.
    for (let guard = 0; guard < 10_000; guard++) {
      let moved = false;
      const members = [...assignment.keys()].sort(bySize);
      outer: for (const light of members) {
        const topics = subs.get(light)!.topics;
        for (const heavy of [...members].reverse()) {
          if (assignment.get(heavy)!.length <= assignment.get(light)!.length + 1) break;
          const list = assignment.get(heavy)!;
          const i = list.findIndex((t) => topics.includes(t.topic));
          if (i >= 0) {
            const [t] = list.splice(i, 1);
            assignment.get(light)!.push(t);
            moved = true;
            break outer;
          }
        }
      }
      if (!moved) break;
    }
    for (const list of assignment.values()) list.sort(compareTopicThenPartition);
    return assignment;
  }
}

function removeTp(list: TopicPartition[], t: TopicPartition): void {
  const i = list.findIndex((x) => x.topic === t.topic && x.partition === t.partition);
  if (i >= 0) list.splice(i, 1);
}
