// RoundRobinAssignor: all partitions of all topics (sorted by topic, then partition) dealt to one
// circular iterator over members in MemberInfo order, skipping members not subscribed to the topic.
import { sortedMembers } from './memberOrder';
import { compareStrings, PartitionAssignor, Subscription, TopicPartition } from './types';

export class RoundRobinAssignor implements PartitionAssignor {
  readonly name = 'roundrobin';
  readonly protocol = 'eager' as const;

  assign(partitionsPerTopic: Map<string, number>, subscriptions: Map<string, Subscription>): Map<string, TopicPartition[]> {
    const assignment = new Map<string, TopicPartition[]>();
    for (const id of subscriptions.keys()) assignment.set(id, []);
    const members = sortedMembers(subscriptions);
    if (members.length === 0) return assignment;
    const topics = [...new Set([...subscriptions.values()].flatMap((s) => s.topics))]
      .filter((t) => partitionsPerTopic.has(t))
      .sort(compareStrings);
    let cursor = 0;
    for (const topic of topics) {
      const count = partitionsPerTopic.get(topic)!;
      for (let p = 0; p < count; p++) {
        while (!subscriptions.get(members[cursor].memberId)!.topics.includes(topic)) cursor = (cursor + 1) % members.length;
        assignment.get(members[cursor].memberId)!.push({ topic, partition: p });
        cursor = (cursor + 1) % members.length;
      }
    }
    return assignment;
  }
}
