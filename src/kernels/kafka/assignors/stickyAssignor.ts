// StickyAssignor: eager. Members revoke everything before the rebalance; stickiness comes from the
// previous assignment carried in user data (here `ownedPartitions` + `generation`).
import { AbstractStickyAssignor, MemberData } from './abstractStickyAssignor';
import { javaHashMapOrder } from './javaHashMap';
import { Subscription, TopicPartition } from './types';

export class StickyAssignor extends AbstractStickyAssignor {
  readonly name = 'sticky';
  readonly protocol = 'eager' as const;

  /**
   * The user data is written by groupPartitionsByTopic (a HashMap<String, List<Integer>>), so Kafka reads
   * the owned partitions back grouped by topic, topics in HashMap order. Only list order changes.
   */
  protected override memberData(s: Subscription): MemberData {
    const byTopic = new Map<string, TopicPartition[]>();
    for (const t of s.ownedPartitions ?? []) {
      const list = byTopic.get(t.topic);
      if (list) list.push(t);
      else byTopic.set(t.topic, [t]);
    }
    const partitions = javaHashMapOrder([...byTopic.keys()]).flatMap((topic) => byTopic.get(topic)!);
    return { partitions, generation: s.generation };
  }
}
