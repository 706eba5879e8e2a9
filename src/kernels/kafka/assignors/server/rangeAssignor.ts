// The group coordinator's RangeAssignor (Kafka 4.0, KAFKA-16944), statement by statement: members
// sorted (static members by instance id first, then member ids) take contiguous ranges of each topic
// they subscribe to; the first members take the extra partitions. Not sticky: each assignment is
// computed from the membership alone.
import { ConsumerGroupPartitionAssignor, GroupAssignment, GroupSpec, PartitionAssignorException, SubscribedTopicDescriber } from './groupSpec';
import { JavaHashMap, newPartitionSet, newUuidMap, PartitionSet } from './javaCollections';
import { Uuid } from './uuid';
import { compareStrings } from '../types';

interface TopicMetadata {
  topicId: Uuid;
  numPartitions: number;
  numMembers: number;
  minQuota: number;
  extraPartitions: number;
  nextRange: number;
}

const topicMetadata = (topicId: Uuid, numPartitions: number, numMembers: number): TopicMetadata =>
  ({ topicId, numPartitions, numMembers, minQuota: -1, extraPartitions: -1, nextRange: 0 });

function maybeComputeQuota(t: TopicMetadata): void {
  if (t.minQuota !== -1) return;
  t.minQuota = Math.floor(t.numPartitions / t.numMembers);
  t.extraPartitions = t.numPartitions % t.numMembers;
}

export class ServerRangeAssignor implements ConsumerGroupPartitionAssignor {
  readonly name = 'range' as const;

  assign(spec: GroupSpec, topics: SubscribedTopicDescriber): GroupAssignment {
    if (spec.members.size === 0) return new Map();
    return spec.subscriptionType === 'HOMOGENEOUS' ? this.assignHomogeneousGroup(spec, topics) : this.assignHeterogeneousGroup(spec, topics);
  }

  private assignHomogeneousGroup(spec: GroupSpec, describer: SubscribedTopicDescriber): GroupAssignment {
    const memberIds = this.sortMemberIds(spec);
    const numMembers = spec.members.size;
    const topics: TopicMetadata[] = [];
    for (const topicId of spec.members.get(memberIds[0])!.subscribedTopicIds) {
      const numPartitions = describer.numPartitions(topicId);
      if (numPartitions === -1) throw new PartitionAssignorException('Member is subscribed to a non-existent topic');
      topics.push(topicMetadata(topicId, numPartitions, numMembers));
    }
    const assignments: GroupAssignment = new Map();
    const capacity = Math.floor(Math.fround(topics.length / Math.fround(0.75)) + 1);
    for (const memberId of memberIds) {
      const assignment = newUuidMap<PartitionSet>(capacity);
      for (const t of topics) {
        maybeComputeQuota(t);
        this.addPartitionsToAssignment(t, assignment);
      }
      assignments.set(memberId, assignment);
    }
    return assignments;
  }

  private assignHeterogeneousGroup(spec: GroupSpec, describer: SubscribedTopicDescriber): GroupAssignment {
    const memberIds = this.sortMemberIds(spec);
    const topics = newUuidMap<TopicMetadata>();
    for (const memberId of memberIds) {
      for (const topicId of spec.members.get(memberId)!.subscribedTopicIds) {
        let t = topics.get(topicId);
        if (!t) {
          const numPartitions = describer.numPartitions(topicId);
          if (numPartitions === -1) throw new PartitionAssignorException('Member is subscribed to a non-existent topic');
          topics.put(topicId, (t = topicMetadata(topicId, numPartitions, 0)));
        }
        t.numMembers++;
      }
    }
    const assignments: GroupAssignment = new Map();
    for (const memberId of memberIds) {
      const subscribed = spec.members.get(memberId)!.subscribedTopicIds;
      const assignment = newUuidMap<PartitionSet>(Math.floor(Math.fround(subscribed.size / Math.fround(0.75)) + 1));
      for (const topicId of subscribed) {
        const t = topics.get(topicId)!;
        maybeComputeQuota(t);
        this.addPartitionsToAssignment(t, assignment);
      }
      assignments.set(memberId, assignment);
    }
    return assignments;
  }

  /** Static members first, by instance id; then the others by member id. */
  private sortMemberIds(spec: GroupSpec): string[] {
    return [...spec.members.keys()].sort((a, b) => {
      const ia = spec.members.get(a)!.instanceId, ib = spec.members.get(b)!.instanceId;
      if (ia !== undefined && ib !== undefined) return compareStrings(ia, ib);
      if (ia !== undefined) return -1;
      if (ib !== undefined) return 1;
      return compareStrings(a, b);
    });
  }

  private addPartitionsToAssignment(t: TopicMetadata, assignment: JavaHashMap<Uuid, PartitionSet>): void {
    const start = t.nextRange;
    let quota = t.minQuota;
    if (t.extraPartitions > 0) {
      quota++;
      t.extraPartitions--;
    }
    const end = Math.min(start + quota, t.numPartitions);
    t.nextRange = end;
    if (start < end) {
      // A RangeSet iterates start..end-1 in order (a table of `end` buckets keeps them ascending).
      const set = newPartitionSet(end);
      for (let p = start; p < end; p++) set.add(p);
      assignment.put(t.topicId, set);
    }
  }
}
