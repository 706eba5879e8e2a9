// RangeAssignor: per topic, members in MemberInfo order take contiguous ranges; the first P mod C
// members take one extra, on every topic (which is why the first members get every topic's extras).
import { sortedMembers } from './memberOrder';
import { compareStrings, PartitionAssignor, Subscription, TopicPartition } from './types';

export class RangeAssignor implements PartitionAssignor {
  readonly name = 'range';
  readonly protocol = 'eager' as const;

  assign(partitionsPerTopic: Map<string, number>, subscriptions: Map<string, Subscription>): Map<string, TopicPartition[]> {
    const assignment = new Map<string, TopicPartition[]>();
    for (const id of subscriptions.keys()) assignment.set(id, []);
    const topics = [...new Set([...subscriptions.values()].flatMap((s) => s.topics))].sort(compareStrings);
    for (const topic of topics) {
      const count = partitionsPerTopic.get(topic);
      if (count === undefined) continue;
      const members = sortedMembers(subscriptions, topic);
      const c = members.length;
      if (c === 0) continue;
      const per = Math.floor(count / c);
      const extra = count % c;
      members.forEach((m, i) => {
        const start = per * i + Math.min(i, extra);
        const length = per + (i + 1 > extra ? 0 : 1);
        const list = assignment.get(m.memberId)!;
        for (let p = start; p < start + length; p++) list.push({ topic, partition: p });
      });
    }
    return assignment;
  }
}
