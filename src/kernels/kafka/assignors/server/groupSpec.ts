// The group coordinator's assignor contract (group-coordinator-api: GroupSpec, MemberSubscription,
// MemberAssignment, SubscribedTopicDescriber, GroupAssignment), as the ports below read it.
import { JavaHashSet } from '../javaHashMap';
import { JavaMap, TopicPartitions } from './javaCollections';
import { Uuid } from './uuid';

export type SubscriptionType = 'HOMOGENEOUS' | 'HETEROGENEOUS';

export interface MemberSubscriptionAndAssignment {
  rackId?: string;
  instanceId?: string;
  /** Set<Uuid>, iterated in its own order. */
  subscribedTopicIds: JavaHashSet<Uuid>;
  /** The member's current target assignment (immutable: the assignors copy before they change it). */
  partitions: TopicPartitions;
}

export interface GroupSpec {
  /** memberIds() iterates this map's keys. */
  members: JavaMap<string, MemberSubscriptionAndAssignment>;
  subscriptionType: SubscriptionType;
  /** The current target assignment by partition: topic id text -> partition -> member id. */
  invertedTargetAssignment: Map<string, Map<number, string>>;
}

export function isPartitionAssigned(spec: GroupSpec, topicId: Uuid, partition: number): boolean {
  return spec.invertedTargetAssignment.get(topicId.text)?.has(partition) ?? false;
}

export interface SubscribedTopicDescriber {
  /** -1 when the topic does not exist. */
  numPartitions(topicId: Uuid): number;
}

/** GroupAssignment: each member's new target assignment. */
export type GroupAssignment = Map<string, TopicPartitions>;

export class PartitionAssignorException extends Error {}

export interface ConsumerGroupPartitionAssignor {
  readonly name: 'uniform' | 'range';
  assign(spec: GroupSpec, topics: SubscribedTopicDescriber): GroupAssignment;
}

/** ModernGroup.subscriptionType: homogeneous when every subscribed topic has every member. */
export function subscriptionType(subscriberCounts: Iterable<number>, members: number): SubscriptionType {
  for (const n of subscriberCounts) if (n !== members) return 'HETEROGENEOUS';
  return 'HOMOGENEOUS';
}

/** AssignmentTestUtil.invertedTargetAssignment / ModernGroup.invertedTargetAssignment. */
export function invertedTargetAssignment(members: JavaMap<string, MemberSubscriptionAndAssignment>): Map<string, Map<number, string>> {
  const out = new Map<string, Map<number, string>>();
  for (const [memberId, m] of members.entries()) {
    for (const [topicId, partitions] of m.partitions.entries()) {
      let byPartition = out.get(topicId.text);
      if (!byPartition) out.set(topicId.text, (byPartition = new Map()));
      for (const p of partitions) byPartition.set(p, memberId);
    }
  }
  return out;
}
