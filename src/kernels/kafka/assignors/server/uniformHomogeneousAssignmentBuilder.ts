// UniformHomogeneousAssignmentBuilder (group coordinator, Kafka 4.0), statement by statement: every
// member subscribes to the same topics. Members keep what they own up to their quota (the first
// total % members members in memberIds() order may keep one more), the rest is handed out in the
// order of the subscribed-topic HashSet, partitions ascending, then the revoked ones.
import { JavaHashSet } from '../javaHashMap';
import { GroupAssignment, GroupSpec, isPartitionAssigned, PartitionAssignorException, SubscribedTopicDescriber } from './groupSpec';
import { copyUuidSet, deepCopyAssignment, JavaHashMap, newPartitionSet, PartitionSet, TopicPartitions } from './javaCollections';
import { Uuid } from './uuid';

interface MemberWithRemainingQuota {
  memberId: string;
  remainingQuota: number;
}

export class UniformHomogeneousAssignmentBuilder {
  private readonly subscribedTopicIds: JavaHashSet<Uuid>;
  private readonly unfilledMembers: MemberWithRemainingQuota[] = [];
  private readonly unassignedPartitions: { topicId: Uuid; partition: number }[] = [];
  private readonly targetAssignment: GroupAssignment = new Map();
  /** Assignments the builder created or copied (the others are the members' immutable inputs). */
  private readonly mutable = new Set<TopicPartitions>();
  private minimumMemberQuota = 0;
  private remainingMembersToGetAnExtraPartition = 0;

  constructor(private readonly groupSpec: GroupSpec, private readonly subscribedTopicDescriber: SubscribedTopicDescriber) {
    const first = groupSpec.members.keys()[Symbol.iterator]().next().value as string;
    this.subscribedTopicIds = copyUuidSet(groupSpec.members.get(first)!.subscribedTopicIds);
  }

  build(): GroupAssignment {
    if (this.subscribedTopicIds.size === 0) return new Map();

    // Compute the list of unassigned partitions.
    let totalPartitionsCount = 0;
    for (const topicId of this.subscribedTopicIds) {
      const partitionCount = this.subscribedTopicDescriber.numPartitions(topicId);
      if (partitionCount === -1) {
        throw new PartitionAssignorException(`Members are subscribed to topic ${topicId.text} which doesn't exist in the topic metadata.`);
      }
      for (let i = 0; i < partitionCount; i++) {
        if (!isPartitionAssigned(this.groupSpec, topicId, i)) this.unassignedPartitions.push({ topicId, partition: i });
      }
      totalPartitionsCount += partitionCount;
    }

    const numberOfMembers = this.groupSpec.members.size;
    this.minimumMemberQuota = Math.floor(totalPartitionsCount / numberOfMembers);
    this.remainingMembersToGetAnExtraPartition = totalPartitionsCount % numberOfMembers;

    this.maybeRevokePartitions();
    this.assignRemainingPartitions();
    return this.targetAssignment;
  }

  /** Revokes partitions outside the subscription or past the member's quota, copying an assignment only when it changes. */
  private maybeRevokePartitions(): void {
    for (const memberId of this.groupSpec.members.keys()) {
      const oldAssignment = this.groupSpec.members.get(memberId)!.partitions;
      let newAssignment: JavaHashMap<Uuid, PartitionSet> | undefined;

      let quota = this.minimumMemberQuota;
      if (this.remainingMembersToGetAnExtraPartition > 0) {
        quota++;
        this.remainingMembersToGetAnExtraPartition--;
      }

      for (const [topicId, partitions] of oldAssignment.entries()) {
        if (this.subscribedTopicIds.has(topicId)) {
          if (partitions.size <= quota) {
            quota -= partitions.size;
          } else {
            for (const partition of partitions) {
              if (quota > 0) {
                quota--;
              } else {
                newAssignment ??= deepCopyAssignment(oldAssignment);
                const parts = newAssignment.get(topicId)!;
                parts.delete(partition);
                if (parts.size === 0) newAssignment.remove(topicId);
                this.unassignedPartitions.push({ topicId, partition });
              }
            }
          }
        } else {
          newAssignment ??= deepCopyAssignment(oldAssignment);
          newAssignment.remove(topicId);
        }
      }

      if (quota > 0) this.unfilledMembers.push({ memberId, remainingQuota: quota });

      if (newAssignment === undefined) {
        this.targetAssignment.set(memberId, oldAssignment);
      } else {
        this.targetAssignment.set(memberId, newAssignment);
        this.mutable.add(newAssignment);
      }
    }
  }

  /** Hands the unassigned partitions, in order, to the unfilled members, in order. */
  private assignRemainingPartitions(): void {
    let unassignedPartitionIndex = 0;

    for (const { memberId, remainingQuota } of this.unfilledMembers) {
      let newAssignment = this.targetAssignment.get(memberId)!;
      if (!this.mutable.has(newAssignment)) {
        newAssignment = deepCopyAssignment(newAssignment);
        this.mutable.add(newAssignment);
        this.targetAssignment.set(memberId, newAssignment);
      }

      for (let i = 0; i < remainingQuota && unassignedPartitionIndex < this.unassignedPartitions.length; i++) {
        const { topicId, partition } = this.unassignedPartitions[unassignedPartitionIndex];
        unassignedPartitionIndex++;
        let set = newAssignment.get(topicId);
        if (!set) newAssignment.put(topicId, (set = newPartitionSet()));
        set.add(partition);
      }
    }

    if (unassignedPartitionIndex < this.unassignedPartitions.length) {
      throw new PartitionAssignorException('Partitions were left unassigned');
    }
  }
}
