// AbstractStickyAssignor.GeneralAssignmentBuilder (Kafka 3.9, without rack awareness), followed
// statement for statement: it runs when members subscribe to different topics. Every order that can
// change the answer is Java's: the subscriptions and currentAssignment HashMaps, the
// sortedCurrentSubscriptions TreeSet (fewest partitions, then member id), topics with fewer potential
// members first, and the first element of the HashSet<TopicPartition>s in PartitionMovements.
// Where Kafka throws (a NullPointerException on an unlikely input), this throws too.
import { JavaHashSet, javaStringHashSet, javaTopicPartitionHash } from './javaHashMap';
import { compareStrings, Subscription, TopicPartition, tpKey } from './types';

export const DEFAULT_GENERATION = -1;

/** The parts of MemberData the builder reads: owned partitions and their generation (absent = unknown). */
export interface MemberData {
  partitions: TopicPartition[];
  generation?: number;
}

interface ConsumerPair {
  src: string;
  dst: string;
}

const pairKey = (src: string, dst: string) => `${src}\u0000${dst}`;

const tpHashSet = () => new JavaHashSet<TopicPartition>((t) => javaTopicPartitionHash(t.topic, t.partition), tpKey);

/** Java would dereference null here; so does this, loudly. */
function npe(what: string): never {
  throw new Error(`Kafka 3.9 GeneralAssignmentBuilder throws NullPointerException here: ${what}`);
}

/** Moves made during one general assignment, per topic and member pair, so a partition can move back. */
export class PartitionMovements {
  private readonly byTopic = new Map<string, Map<string, { pair: ConsumerPair; partitions: JavaHashSet<TopicPartition> }>>();
  private readonly movements = new Map<string, ConsumerPair>();

  private removeRecord(p: TopicPartition): ConsumerPair {
    const pair = this.movements.get(tpKey(p))!;
    this.movements.delete(tpKey(p));
    const forTopic = this.byTopic.get(p.topic)!;
    const k = pairKey(pair.src, pair.dst);
    const entry = forTopic.get(k)!;
    entry.partitions.delete(p);
    if (entry.partitions.size === 0) forTopic.delete(k);
    if (forTopic.size === 0) this.byTopic.delete(p.topic);
    return pair;
  }

  private addRecord(p: TopicPartition, pair: ConsumerPair): void {
    this.movements.set(tpKey(p), pair);
    let forTopic = this.byTopic.get(p.topic);
    if (!forTopic) this.byTopic.set(p.topic, (forTopic = new Map()));
    const k = pairKey(pair.src, pair.dst);
    let entry = forTopic.get(k);
    if (!entry) forTopic.set(k, (entry = { pair, partitions: tpHashSet() }));
    entry.partitions.add(p);
  }

  movePartition(p: TopicPartition, oldConsumer: string, newConsumer: string): void {
    if (this.movements.has(tpKey(p))) {
      // A second move collapses into one from the original owner, or vanishes if it goes back.
      const existing = this.removeRecord(p);
      if (existing.src !== newConsumer) this.addRecord(p, { src: existing.src, dst: newConsumer });
    } else {
      this.addRecord(p, { src: oldConsumer, dst: newConsumer });
    }
  }

  /** If some partition of the topic already moved newConsumer -> oldConsumer, move that one back instead. */
  actualPartitionToBeMoved(p: TopicPartition, oldConsumer: string, newConsumer: string): TopicPartition {
    const forTopic = this.byTopic.get(p.topic);
    if (!forTopic) return p;
    const moved = this.movements.get(tpKey(p));
    if (moved) oldConsumer = moved.src;
    const reverse = forTopic.get(pairKey(newConsumer, oldConsumer));
    if (!reverse) return p;
    return reverse.partitions.first()!;
  }

  /**
   * Kafka's isSticky: false when some topic has movements A->B and B->A. Kafka searches the pair
   * graph for cycles but only reports those of length 2, and a length-2 cycle is always found by
   * its first direct lookup, so this check gives the same answer without the search.
   */
  isSticky(): boolean {
    for (const forTopic of this.byTopic.values()) {
      for (const { pair } of forTopic.values()) if (forTopic.has(pairKey(pair.dst, pair.src))) return false;
    }
    return true;
  }
}

export class GeneralAssignmentBuilder {
  private readonly topic2AllPotentialConsumers = new Map<string, string[]>();
  private readonly consumer2AllPotentialTopics = new Map<string, string[]>();
  private readonly consumerTopicSets = new Map<string, Set<string>>();
  private readonly maxAssignmentSize = new Map<string, number>();
  private readonly currentPartitionConsumer = new Map<string, string>();
  private sortedAllPartitions: TopicPartition[];
  /** TreeSet<String>(SubscriptionComparator), kept as a sorted array. */
  private readonly sortedCurrentSubscriptions: string[] = [];
  /** Key order of the currentAssignment HashMap (the map itself is `current`). */
  private readonly currentOrder = javaStringHashSet();
  private readonly current = new Map<string, TopicPartition[]>();
  private readonly totalPartitionsCount: number;
  private revocationRequired = false;
  /** Bumped on every change to the assignment or the TreeSet; isBalanced() is a pure function of both. */
  private stateVersion = 0;
  private balancedAt = -1;
  private balancedValue = false;
  readonly partitionMovements = new PartitionMovements();

  /**
   * @param subscriptions in Java HashMap iteration order
   * @param currentAssignment each member's valid owned partitions (allSubscriptionsEqual's output), same order
   * @param memberData what Kafka's memberData(subscription) returns for a member
   * @param maxGeneration the assignor's maxGeneration after allSubscriptionsEqual
   */
  constructor(
    private readonly partitionsPerTopic: Map<string, number>,
    private readonly subscriptions: Map<string, Subscription>,
    currentAssignment: Map<string, TopicPartition[]>,
    private readonly memberData: (s: Subscription) => MemberData,
    private readonly maxGeneration: number,
  ) {
    this.totalPartitionsCount = [...partitionsPerTopic.values()].reduce((a, b) => a + b, 0);
    for (const topic of partitionsPerTopic.keys()) this.topic2AllPotentialConsumers.set(topic, []);
    for (const [consumer, s] of subscriptions) {
      // Duplicated topics stay duplicated, as in Kafka's lists (they change list sizes below).
      const topics = s.topics.filter((t) => partitionsPerTopic.has(t));
      this.consumer2AllPotentialTopics.set(consumer, topics);
      this.consumerTopicSets.set(consumer, new Set(topics));
      for (const t of topics) this.topic2AllPotentialConsumers.get(t)!.push(consumer);
      this.maxAssignmentSize.set(consumer, this.getMaxAssignmentSize(topics));
    }
    for (const [consumer, owned] of currentAssignment) {
      this.current.set(consumer, [...owned]);
      this.currentOrder.add(consumer);
    }
    for (const consumer of subscriptions.keys()) {
      if (!this.current.has(consumer)) {
        this.current.set(consumer, []);
        this.currentOrder.add(consumer);
      }
    }
    for (const consumer of this.currentOrder) {
      for (const t of this.current.get(consumer)!) this.currentPartitionConsumer.set(tpKey(t), consumer);
    }
    const sortedAllTopics = [...this.topic2AllPotentialConsumers.keys()].sort((a, b) => this.compareTopics(a, b));
    this.sortedAllPartitions = [];
    for (const topic of sortedAllTopics) {
      for (let p = 0; p < partitionsPerTopic.get(topic)!; p++) this.sortedAllPartitions.push({ topic, partition: p });
    }
  }

  /** The assignment, keyed in Java's currentAssignment iteration order. */
  build(): Map<string, TopicPartition[]> {
    const prevAssignment = new Map<string, { consumer: string; generation: number }>();
    this.prepopulateCurrentAssignments(prevAssignment);
    const assignedPartitions = this.assignOwnedPartitions();
    const unassignedPartitions = this.getUnassignedPartitions(assignedPartitions);
    for (const consumer of this.currentOrder) this.treeAdd(consumer);
    this.balance(prevAssignment, unassignedPartitions);
    const out = new Map<string, TopicPartition[]>();
    for (const consumer of this.currentOrder) out.set(consumer, this.current.get(consumer)!);
    return out;
  }

  // TopicComparator / PartitionComparator: fewer potential consumers first, then name, then partition.
  private compareTopics(a: string, b: string): number {
    return this.topic2AllPotentialConsumers.get(a)!.length - this.topic2AllPotentialConsumers.get(b)!.length || compareStrings(a, b);
  }

  private comparePartitions(a: TopicPartition, b: TopicPartition): number {
    return this.compareTopics(a.topic, b.topic) || a.partition - b.partition;
  }

  private size(consumer: string | undefined): number {
    const list = consumer === undefined ? undefined : this.current.get(consumer);
    if (!list) npe(`currentAssignment.get(${consumer}).size()`);
    return list.length;
  }

  // SubscriptionComparator: fewest assigned partitions first, then member id.
  private compareConsumers(a: string, b: string): number {
    return this.current.get(a)!.length - this.current.get(b)!.length || compareStrings(a, b);
  }

  /** Index of `consumer` in the TreeSet, or -(insertion point) - 1. */
  private treeSearch(consumer: string): number {
    const arr = this.sortedCurrentSubscriptions;
    let lo = 0;
    let hi = arr.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareConsumers(arr[mid], consumer);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  private treeAdd(consumer: string): void {
    this.stateVersion++;
    const i = this.treeSearch(consumer);
    if (i < 0) this.sortedCurrentSubscriptions.splice(-i - 1, 0, consumer);
  }

  private treeRemove(consumer: string): void {
    this.stateVersion++;
    const i = this.treeSearch(consumer);
    if (i >= 0) this.sortedCurrentSubscriptions.splice(i, 1);
  }

  private assignOwnedPartitions(): TopicPartition[] {
    const assigned: TopicPartition[] = [];
    for (const consumer of this.currentOrder) {
      const topics = this.subscriptions.get(consumer)!.topics;
      const kept: TopicPartition[] = [];
      for (const t of this.current.get(consumer)!) {
        if (!this.topic2AllPotentialConsumers.has(t.topic)) {
          this.currentPartitionConsumer.delete(tpKey(t));
        } else if (!topics.includes(t.topic)) {
          // Kafka leaves the stale currentPartitionConsumer entry in place here.
          this.revocationRequired = true;
        } else {
          kept.push(t);
          assigned.push(t);
        }
      }
      this.current.set(consumer, kept);
    }
    return assigned;
  }

  /** Kafka's merge walk over two sorted lists (it assumes every assigned partition still exists). */
  private getUnassignedPartitions(sortedAssigned: TopicPartition[]): TopicPartition[] {
    if (sortedAssigned.length === 0) return this.sortedAllPartitions;
    sortedAssigned.sort((a, b) => this.comparePartitions(a, b));
    const unassigned: TopicPartition[] = [];
    let addDirectly = false;
    let i = 0;
    let next = sortedAssigned[i++];
    for (const t of this.sortedAllPartitions) {
      if (addDirectly || next.topic !== t.topic || next.partition !== t.partition) {
        unassigned.push(t);
      } else if (i < sortedAssigned.length) {
        next = sortedAssigned[i++];
      } else {
        addDirectly = true;
      }
    }
    return unassigned;
  }

  private updatePrevAssignment(
    prev: Map<string, { consumer: string; generation: number }>,
    partitions: TopicPartition[],
    consumer: string,
    generation: number,
  ): void {
    for (const t of partitions) {
      const k = tpKey(t);
      const existing = prev.get(k);
      if (!existing || generation > existing.generation) prev.set(k, { consumer, generation });
    }
  }

  /** Partitions owned in an older generation remember that owner, so they can return to it. */
  private prepopulateCurrentAssignments(prev: Map<string, { consumer: string; generation: number }>): void {
    for (const [consumer, s] of this.subscriptions) {
      const md = this.memberData(s);
      // Subscription maps generation < 0 to "absent", so -1 and absent take the second branch alike.
      const gen = md.generation !== undefined && md.generation >= 0 ? md.generation : undefined;
      if (gen !== undefined && gen < this.maxGeneration) {
        this.updatePrevAssignment(prev, md.partitions, consumer, gen);
      } else if (gen === undefined && this.maxGeneration > DEFAULT_GENERATION) {
        this.updatePrevAssignment(prev, md.partitions, consumer, DEFAULT_GENERATION);
      }
    }
  }

  private getMaxAssignmentSize(topics: string[]): number {
    if (topics.length === this.partitionsPerTopic.size) return this.totalPartitionsCount;
    return topics.reduce((n, t) => n + this.partitionsPerTopic.get(t)!, 0);
  }

  /** performReassignments asks after every partition it looks at, mostly without having moved one. */
  private isBalanced(): boolean {
    if (this.balancedAt !== this.stateVersion) {
      this.balancedValue = this.computeIsBalanced();
      this.balancedAt = this.stateVersion;
    }
    return this.balancedValue;
  }

  private computeIsBalanced(): boolean {
    const sorted = this.sortedCurrentSubscriptions;
    if (sorted.length === 0) throw new Error('Kafka 3.9 throws NoSuchElementException here: sortedCurrentSubscriptions.first()');
    const min = this.size(sorted[0]);
    const max = this.size(sorted[sorted.length - 1]);
    if (min >= max - 1) return true;

    // Partition -> owner; the last consumer in currentAssignment order wins, as with HashMap.put.
    const owner = new Map<string, string>();
    for (const consumer of this.currentOrder) {
      const list = this.current.get(consumer);
      if (list) for (const t of list) owner.set(tpKey(t), consumer);
    }
    // Largest owner size per topic (unowned = Infinity): lets a topic be skipped when none of its
    // partitions could give Kafka's loop below a reason to return false or throw.
    const topicMax = new Map<string, number>();
    const maxOwnerSize = (topic: string) => {
      let m = topicMax.get(topic);
      if (m === undefined) {
        m = 0;
        for (let p = 0; p < this.partitionsPerTopic.get(topic)!; p++) {
          const o = owner.get(`${topic}-${p}`);
          m = Math.max(m, o === undefined ? Infinity : (this.current.get(o)?.length ?? Infinity));
        }
        topicMax.set(topic, m);
      }
      return m;
    };

    for (const consumer of sorted) {
      const list = this.current.get(consumer)!;
      const count = list.length;
      if (count === this.maxAssignmentSize.get(consumer)) continue;
      let mine: Set<string> | undefined;
      for (const topic of this.consumer2AllPotentialTopics.get(consumer)!) {
        if (maxOwnerSize(topic) <= count + 1) continue;
        mine ??= new Set(list.map(tpKey));
        for (let p = 0; p < this.partitionsPerTopic.get(topic)!; p++) {
          const k = `${topic}-${p}`;
          if (mine.has(k)) continue;
          if (count + 1 < this.size(owner.get(k))) return false;
        }
      }
    }
    return true;
  }

  /** Sum of |size difference| over all member pairs (0 = perfectly balanced). */
  private static balanceScore(assignment: Map<string, TopicPartition[]>): number {
    const sizes = [...assignment.values()].map((l) => l.length).sort((a, b) => a - b);
    let score = 0;
    for (let i = 0; i < sizes.length; i++) score += sizes[i] * (2 * i - sizes.length + 1);
    return score;
  }

  private maybeAssignPartition(t: TopicPartition): boolean {
    for (const consumer of this.sortedCurrentSubscriptions) {
      if (this.consumerTopicSets.get(consumer)!.has(t.topic)) {
        this.treeRemove(consumer);
        this.current.get(consumer)!.push(t);
        this.currentPartitionConsumer.set(tpKey(t), consumer);
        this.treeAdd(consumer);
        return true;
      }
    }
    return false;
  }

  private maybeAssign(unassigned: TopicPartition[]): void {
    for (const t of unassigned) {
      if (this.topic2AllPotentialConsumers.get(t.topic)!.length === 0) continue;
      this.maybeAssignPartition(t);
    }
  }

  private canTopicParticipateInReassignment(topic: string): boolean {
    return this.topic2AllPotentialConsumers.get(topic)!.length >= 2;
  }

  private canConsumerParticipateInReassignment(consumer: string): boolean {
    const list = this.current.get(consumer)!;
    if (list.length < this.maxAssignmentSize.get(consumer)!) return true;
    return list.some((t) => this.canTopicParticipateInReassignment(t.topic));
  }

  private balance(prev: Map<string, { consumer: string; generation: number }>, unassigned: TopicPartition[]): void {
    const sorted = this.sortedCurrentSubscriptions;
    const initializing = this.current.get(sorted[sorted.length - 1])!.length === 0;
    this.maybeAssign(unassigned);

    // Topics with one potential member, and members that cannot gain or lose, sit out the search.
    const fixedTopics = new Set<string>();
    for (const topic of this.topic2AllPotentialConsumers.keys()) {
      if (!this.canTopicParticipateInReassignment(topic)) fixedTopics.add(topic);
    }
    const isFixed = (t: TopicPartition) => fixedTopics.has(t.topic) && t.partition < this.partitionsPerTopic.get(t.topic)!;
    this.sortedAllPartitions = this.sortedAllPartitions.filter((t) => !isFixed(t));
    unassigned = unassigned.filter((t) => !isFixed(t));

    // consumer2AllPotentialTopics is a HashMap sized for the subscriptions; fixedAssignments a plain one.
    const potentialOrder = javaStringHashSet(this.subscriptions.size);
    for (const consumer of this.subscriptions.keys()) potentialOrder.add(consumer);
    const fixedOrder = javaStringHashSet();
    const fixedAssignments = new Map<string, TopicPartition[]>();
    for (const consumer of potentialOrder) {
      if (!this.canConsumerParticipateInReassignment(consumer)) {
        this.treeRemove(consumer);
        fixedAssignments.set(consumer, this.current.get(consumer)!);
        fixedOrder.add(consumer);
        this.current.delete(consumer);
        this.currentOrder.delete(consumer);
      }
    }

    // Deep copy to revert to if the search does not end more balanced.
    const preOrder = javaStringHashSet();
    const preBalance = new Map<string, TopicPartition[]>();
    for (const consumer of this.currentOrder) {
      preOrder.add(consumer);
      preBalance.set(consumer, [...this.current.get(consumer)!]);
    }
    const prePartitionConsumers = new Map(this.currentPartitionConsumer);

    // Without revocations from subscription changes, first try moving only newly added partitions.
    if (!this.revocationRequired) this.performReassignments(unassigned, prev);
    const reassignmentPerformed = this.performReassignments(this.sortedAllPartitions, prev);

    if (
      !initializing &&
      reassignmentPerformed &&
      GeneralAssignmentBuilder.balanceScore(this.current) >= GeneralAssignmentBuilder.balanceScore(preBalance)
    ) {
      // deepCopy(preBalance, currentAssignment): clear() keeps the table, puts follow preBalance's order.
      // The TreeSet is not rebuilt in Kafka either; nothing reads it afterwards.
      this.stateVersion++;
      this.current.clear();
      this.currentOrder.clear();
      for (const consumer of preOrder) {
        this.current.set(consumer, [...preBalance.get(consumer)!]);
        this.currentOrder.add(consumer);
      }
      this.currentPartitionConsumer.clear();
      for (const [k, v] of prePartitionConsumers) this.currentPartitionConsumer.set(k, v);
    }

    for (const consumer of fixedOrder) {
      this.current.set(consumer, fixedAssignments.get(consumer)!);
      this.currentOrder.add(consumer);
      this.treeAdd(consumer);
    }
  }

  private performReassignments(reassignable: TopicPartition[], prev: Map<string, { consumer: string; generation: number }>): boolean {
    let reassignmentPerformed = false;
    let modified: boolean;
    do {
      modified = false;
      for (let i = 0; i < reassignable.length && !this.isBalanced(); i++) {
        const partition = reassignable[i];
        const consumer = this.currentPartitionConsumer.get(tpKey(partition));
        const before = prev.get(tpKey(partition));
        if (before && this.size(consumer) > this.size(before.consumer) + 1) {
          this.reassignPartitionTo(partition, before.consumer);
          reassignmentPerformed = true;
          modified = true;
          continue;
        }
        for (const other of this.topic2AllPotentialConsumers.get(partition.topic)!) {
          if (this.size(consumer) > this.size(other) + 1) {
            this.reassignPartition(partition);
            reassignmentPerformed = true;
            modified = true;
            break;
          }
        }
      }
    } while (modified);
    return reassignmentPerformed;
  }

  /** To the least loaded member that can take the topic. */
  private reassignPartition(partition: TopicPartition): void {
    const newConsumer = this.sortedCurrentSubscriptions.find((c) => this.consumerTopicSets.get(c)!.has(partition.topic));
    this.reassignPartitionTo(partition, newConsumer!);
  }

  private reassignPartitionTo(partition: TopicPartition, newConsumer: string): void {
    const consumer = this.currentPartitionConsumer.get(tpKey(partition))!;
    const toMove = this.partitionMovements.actualPartitionToBeMoved(partition, consumer, newConsumer);
    this.processPartitionMovement(toMove, newConsumer);
  }

  private processPartitionMovement(partition: TopicPartition, newConsumer: string): void {
    const oldConsumer = this.currentPartitionConsumer.get(tpKey(partition))!;
    this.treeRemove(oldConsumer);
    this.treeRemove(newConsumer);
    this.partitionMovements.movePartition(partition, oldConsumer, newConsumer);
    const from = this.current.get(oldConsumer)!;
    const i = from.findIndex((t) => t.topic === partition.topic && t.partition === partition.partition);
    if (i >= 0) from.splice(i, 1);
    this.current.get(newConsumer)!.push(partition);
    this.currentPartitionConsumer.set(tpKey(partition), newConsumer);
    this.treeAdd(newConsumer);
    this.treeAdd(oldConsumer);
  }
}
