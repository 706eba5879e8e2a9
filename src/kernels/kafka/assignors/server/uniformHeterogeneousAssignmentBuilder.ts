// UniformHeterogeneousAssignmentBuilder (group coordinator, Kafka 4.0, after KAFKA-17710), statement by
// statement: members subscribe to different topics. Members keep their subscribed partitions; the
// rest go, topic by topic (most partitions per subscriber first), to the least loaded subscribers;
// then partitions move from the most to the least loaded subscribers of each topic until no move
// helps, for at most 16 rounds over the topics.
import { JavaHashSet } from '../javaHashMap';
import { GroupAssignment, GroupSpec, PartitionAssignorException, SubscribedTopicDescriber } from './groupSpec';
import { copyUuidSet, deepCopyAssignment, JavaHashMap, newPartitionSet, newUuidMap, TopicPartitions } from './javaCollections';
import { compareUuids, Uuid, uuidHash } from './uuid';

/** Rounds of the final balancing loop. */
const MAX_ITERATION_COUNT = 16;

export class UniformHeterogeneousAssignmentBuilder {
  private readonly subscribedTopicIds = new JavaHashSet<Uuid>(uuidHash, (u) => u.text);
  private readonly memberIds: string[];
  private readonly memberIndices = new Map<string, number>();
  /** Subscribers of each topic, as member indexes in ascending order. */
  private readonly topicSubscribers = newUuidMap<number[]>();
  private readonly targetAssignment: GroupAssignment = new Map();
  private readonly mutable = new Set<TopicPartitions>();
  private readonly memberTargetAssignmentSizes: Int32Array;
  /** Owner (member index) of each partition in the target, -1 for none. */
  private readonly targetAssignmentPartitionOwners: JavaHashMap<Uuid, Int32Array>;

  constructor(private readonly groupSpec: GroupSpec, private readonly subscribedTopicDescriber: SubscribedTopicDescriber) {
    this.memberIds = [...groupSpec.members.keys()];
    this.memberIds.forEach((id, i) => this.memberIndices.set(id, i));
    this.memberTargetAssignmentSizes = new Int32Array(this.memberIds.length);
    this.memberIds.forEach((memberId, memberIndex) => {
      for (const topicId of groupSpec.members.get(memberId)!.subscribedTopicIds) {
        if (subscribedTopicDescriber.numPartitions(topicId) === -1) {
          throw new PartitionAssignorException(`Members are subscribed to topic ${topicId.text} which doesn't exist in the topic metadata.`);
        }
        this.subscribedTopicIds.add(topicId);
        let list = this.topicSubscribers.get(topicId);
        if (!list) this.topicSubscribers.put(topicId, (list = []));
        list.push(memberIndex);
      }
    });
    this.targetAssignmentPartitionOwners = newUuidMap<Int32Array>(Math.floor(Math.fround(this.subscribedTopicIds.size / Math.fround(0.75)) + 1));
    for (const topicId of this.subscribedTopicIds) {
      this.targetAssignmentPartitionOwners.put(topicId, new Int32Array(subscribedTopicDescriber.numPartitions(topicId)).fill(-1));
    }
  }

  /** Partitions per subscriber descending, then subscriber count ascending, then topic id ascending. */
  private readonly topicComparator = (a: Uuid, b: Uuid): number => {
    const pa = this.subscribedTopicDescriber.numPartitions(a), pb = this.subscribedTopicDescriber.numPartitions(b);
    const sa = this.topicSubscribers.get(a)!.length, sb = this.topicSubscribers.get(b)!.length;
    const x = pb / sb, y = pa / sa;
    let order = x < y ? -1 : x > y ? 1 : 0;
    if (order === 0) order = sa < sb ? -1 : sa > sb ? 1 : 0;
    if (order === 0) order = compareUuids(a, b);
    return order;
  };

  /** Fewest assigned partitions first, then member index. */
  private readonly memberComparator = (a: number, b: number): number =>
    this.memberTargetAssignmentSizes[a] - this.memberTargetAssignmentSizes[b] || a - b;

  build(): GroupAssignment {
    if (this.subscribedTopicIds.size === 0) return new Map();
    this.maybeRevokePartitions();
    const unassignedPartitions = this.computeUnassignedPartitions();
    this.assignRemainingPartitions(unassignedPartitions);
    this.balance();
    return this.targetAssignment;
  }

  private sortTopicIds(topicIds: Iterable<Uuid>): Uuid[] {
    // List.sort is a stable merge sort, as Array.prototype.sort is; the comparator is a total order anyway.
    return [...topicIds].sort(this.topicComparator);
  }

  /** Drops the partitions of topics the member no longer subscribes to; counts and marks the rest. */
  private maybeRevokePartitions(): void {
    for (const memberId of this.groupSpec.members.keys()) {
      const memberIndex = this.memberIndices.get(memberId)!;
      const member = this.groupSpec.members.get(memberId)!;
      const oldAssignment = member.partitions;
      let newAssignment: JavaHashMap<Uuid, JavaHashSet<number>> | undefined;

      for (const [topicId, partitions] of oldAssignment.entries()) {
        if (member.subscribedTopicIds.has(topicId)) {
          this.memberTargetAssignmentSizes[memberIndex] += partitions.size;
          const owners = this.targetAssignmentPartitionOwners.get(topicId)!;
          for (const partition of partitions) owners[partition] = memberIndex;
        } else {
          newAssignment ??= deepCopyAssignment(oldAssignment);
          newAssignment.remove(topicId);
        }
      }
      if (newAssignment) this.mutable.add(newAssignment);
      this.targetAssignment.set(memberId, newAssignment ?? oldAssignment);
    }
  }

  /** Hands each topic's unassigned partitions to its least loaded subscribers, topics in sorted order. */
  private assignRemainingPartitions(partitions: JavaHashMap<Uuid, number[]>): void {
    const balancer = new MemberAssignmentBalancer(this.memberTargetAssignmentSizes, this.memberComparator);
    for (const topicId of this.sortTopicIds(partitions.keys())) {
      balancer.initialize(this.topicSubscribers.get(topicId)!);
      for (const partition of partitions.get(topicId)!) this.assignPartition(topicId, partition, balancer.nextLeastLoadedMember());
    }
  }

  private canTopicParticipateInReassignment(topicId: Uuid): boolean {
    return this.topicSubscribers.get(topicId)!.length >= 2;
  }

  private balance(): void {
    const topicIds = copyUuidSet(this.subscribedTopicIds);
    for (const topicId of this.subscribedTopicIds) if (!this.canTopicParticipateInReassignment(topicId)) topicIds.delete(topicId);
    if (topicIds.size > 0) this.balanceTopics(topicIds);
  }

  /** Balances topic after topic until a whole round over the topics moves nothing, or 16 rounds. */
  private balanceTopics(topicIds: Iterable<Uuid>): void {
    const sortedTopicIds = this.sortTopicIds(topicIds);
    let lastRebalanceTopicIndex = -1;
    const balancer = new MemberAssignmentBalancer(this.memberTargetAssignmentSizes, this.memberComparator);
    const partitions: number[] = [];
    const startPartitionIndices = new Map<number, number>();
    const endPartitionIndices = new Map<number, number>();
    for (let i = 0; i < MAX_ITERATION_COUNT; i++) {
      for (let topicIndex = 0; topicIndex < sortedTopicIds.length; topicIndex++) {
        if (topicIndex === lastRebalanceTopicIndex) return;
        const reassigned = this.balanceTopic(sortedTopicIds[topicIndex], balancer, partitions, startPartitionIndices, endPartitionIndices);
        if (reassigned > 0 || lastRebalanceTopicIndex === -1) lastRebalanceTopicIndex = topicIndex;
      }
    }
  }

  /** Moves a topic's partitions from its most to its least loaded subscribers while that helps; returns how many moved. */
  private balanceTopic(topicId: Uuid, balancer: MemberAssignmentBalancer, partitions: number[], startPartitionIndices: Map<number, number>, endPartitionIndices: Map<number, number>): number {
    let reassignedPartitionCount = 0;
    const numPartitions = this.subscribedTopicDescriber.numPartitions(topicId);
    const partitionOwners = this.targetAssignmentPartitionOwners.get(topicId)!;

    const imbalance = balancer.initialize(this.topicSubscribers.get(topicId)!);
    if (imbalance <= 1) return reassignedPartitionCount;

    // Partitions grouped by owner, ascending within an owner.
    partitions.length = 0;
    for (let partition = 0; partition < numPartitions; partition++) partitions.push(partition);
    partitions.sort((a, b) => partitionOwners[a] - partitionOwners[b] || a - b);

    startPartitionIndices.clear();
    endPartitionIndices.clear();
    for (let i = 0; i < numPartitions; i++) {
      const ownerIndex = partitionOwners[partitions[i]];
      if (!startPartitionIndices.has(ownerIndex)) startPartitionIndices.set(ownerIndex, i);
      endPartitionIndices.set(ownerIndex, i + 1);
    }

    while (!balancer.isBalanced()) {
      let mostLoadedMemberIndex = -1;
      for (;;) {
        mostLoadedMemberIndex = balancer.nextMostLoadedMember();
        if (mostLoadedMemberIndex === -1) break;
        if (!endPartitionIndices.has(mostLoadedMemberIndex) || endPartitionIndices.get(mostLoadedMemberIndex)! - startPartitionIndices.get(mostLoadedMemberIndex)! <= 0) {
          balancer.excludeMostLoadedMember();
          continue;
        }
        break;
      }
      if (mostLoadedMemberIndex === -1) break;

      // The chosen member gives up its last partition of the topic.
      const partition = partitions[endPartitionIndices.get(mostLoadedMemberIndex)! - 1];
      endPartitionIndices.set(mostLoadedMemberIndex, endPartitionIndices.get(mostLoadedMemberIndex)! - 1);

      const leastLoadedMemberIndex = balancer.nextLeastLoadedMember();
      if (balancer.isBalanced()) break;

      this.assignPartition(topicId, partition, leastLoadedMemberIndex);
      reassignedPartitionCount++;
    }
    return reassignedPartitionCount;
  }

  private computeUnassignedPartitions(): JavaHashMap<Uuid, number[]> {
    const unassignedPartitions = newUuidMap<number[]>();
    for (const topicId of this.subscribedTopicIds) {
      const list: number[] = [];
      const owners = this.targetAssignmentPartitionOwners.get(topicId)!;
      for (let partition = 0; partition < owners.length; partition++) if (owners[partition] === -1) list.push(partition);
      if (list.length > 0) unassignedPartitions.put(topicId, list);
    }
    return unassignedPartitions;
  }

  private assignPartition(topicId: Uuid, partition: number, memberIndex: number): void {
    const oldMemberIndex = this.targetAssignmentPartitionOwners.get(topicId)![partition];
    if (oldMemberIndex !== -1) this.removePartitionFromTargetAssignment(topicId, partition, oldMemberIndex);
    this.addPartitionToTargetAssignment(topicId, partition, memberIndex);
  }

  private writable(memberId: string): TopicPartitions {
    let assignment = this.targetAssignment.get(memberId)!;
    if (!this.mutable.has(assignment)) {
      assignment = deepCopyAssignment(assignment);
      this.mutable.add(assignment);
      this.targetAssignment.set(memberId, assignment);
    }
    return assignment;
  }

  private addPartitionToTargetAssignment(topicId: Uuid, partition: number, memberIndex: number): void {
    const assignment = this.writable(this.memberIds[memberIndex]);
    let set = assignment.get(topicId);
    if (!set) {
      const numPartitions = this.subscribedTopicDescriber.numPartitions(topicId);
      const numSubscribers = this.topicSubscribers.get(topicId)!.length;
      const estimatedPartitionsPerSubscriber = Math.floor((numPartitions + numSubscribers - 1) / numSubscribers);
      assignment.put(topicId, (set = newPartitionSet(Math.floor(Math.fround(estimatedPartitionsPerSubscriber / Math.fround(0.75)) + 1))));
    }
    set.add(partition);
    this.targetAssignmentPartitionOwners.get(topicId)![partition] = memberIndex;
    this.memberTargetAssignmentSizes[memberIndex]++;
  }

  private removePartitionFromTargetAssignment(topicId: Uuid, partition: number, memberIndex: number): void {
    const assignment = this.writable(this.memberIds[memberIndex]);
    const set = assignment.get(topicId);
    if (set) {
      set.delete(partition);
      if (set.size === 0) assignment.remove(topicId);
    }
    this.targetAssignmentPartitionOwners.get(topicId)![partition] = -1;
    this.memberTargetAssignmentSizes[memberIndex]--;
  }
}

/**
 * The balancing state (MemberAssignmentBalancer): the members sorted by load, a least loaded range
 * [0, leastLoadedRangeEnd) growing rightwards and a most loaded range growing leftwards; balanced once
 * the two ranges' partition counts differ by at most one.
 */
class MemberAssignmentBalancer {
  private readonly sortedMembers: number[] = [];
  private leastLoadedRangeEnd = 0;
  private leastLoadedRangePartitionCount = -1;
  private nextLeastLoadedMemberIndex = 0;
  private mostLoadedRangeStart = 0;
  private mostLoadedRangeEnd = 0;
  private mostLoadedRangePartitionCount = 1;
  private nextMostLoadedMemberIndex = -1;

  constructor(private readonly sizes: Int32Array, private readonly comparator: (a: number, b: number) => number) {}

  /** Resets for a topic's subscribers; returns the spread between the most and least loaded. */
  initialize(members: number[]): number {
    if (members.length === 0) throw new Error('Cannot balance an empty subscriber list.');
    this.sortedMembers.length = 0;
    this.sortedMembers.push(...members);
    this.sortedMembers.sort(this.comparator);
    const s = this.sortedMembers, n = s.length;
    this.leastLoadedRangeEnd = 0;
    this.leastLoadedRangePartitionCount = this.sizes[s[0]] - 1;
    this.nextLeastLoadedMemberIndex = 0;
    this.mostLoadedRangeStart = n;
    this.mostLoadedRangeEnd = n;
    this.mostLoadedRangePartitionCount = this.sizes[s[n - 1]] + 1;
    this.nextMostLoadedMemberIndex = n - 1;
    return this.sizes[s[n - 1]] - this.sizes[s[0]];
  }

  /** The member to give the next partition to (the range is assumed to take it). */
  nextLeastLoadedMember(): number {
    const s = this.sortedMembers;
    if (this.nextLeastLoadedMemberIndex >= this.leastLoadedRangeEnd) {
      this.leastLoadedRangePartitionCount++;
      while (this.leastLoadedRangeEnd < s.length && this.sizes[s[this.leastLoadedRangeEnd]] === this.leastLoadedRangePartitionCount) this.leastLoadedRangeEnd++;
      this.nextLeastLoadedMemberIndex = 0;
    }
    return s[this.nextLeastLoadedMemberIndex++];
  }

  /** The member to take the next partition from, or -1 when none is left. */
  nextMostLoadedMember(): number {
    const s = this.sortedMembers;
    if (this.nextMostLoadedMemberIndex < this.mostLoadedRangeStart) {
      if (this.mostLoadedRangeEnd <= this.mostLoadedRangeStart && this.mostLoadedRangeStart > 0) {
        // The range emptied by exclusions: reset its count so that it expands below.
        this.mostLoadedRangePartitionCount = this.sizes[s[this.mostLoadedRangeStart - 1]];
      } else {
        this.mostLoadedRangePartitionCount--;
      }
      while (this.mostLoadedRangeStart > 0 && this.sizes[s[this.mostLoadedRangeStart - 1]] === this.mostLoadedRangePartitionCount) this.mostLoadedRangeStart--;
      this.nextMostLoadedMemberIndex = this.mostLoadedRangeEnd - 1;
    }
    if (this.nextMostLoadedMemberIndex < 0) return -1;
    return s[this.nextMostLoadedMemberIndex--];
  }

  /** Drops the member nextMostLoadedMember just returned from the most loaded range (it has nothing to give). */
  excludeMostLoadedMember(): void {
    const s = this.sortedMembers;
    const member = s[this.nextMostLoadedMemberIndex + 1];
    s[this.nextMostLoadedMemberIndex + 1] = s[this.mostLoadedRangeEnd - 1];
    s[this.mostLoadedRangeEnd - 1] = member;
    this.mostLoadedRangeEnd--;
  }

  isBalanced(): boolean {
    return this.mostLoadedRangePartitionCount - this.leastLoadedRangePartitionCount <= 1;
  }
}
