// CooperativeStickyAssignor: the sticky assignment minus every partition still owned by another
// member; those move in a second rebalance, after their owner has revoked them.
import { AbstractStickyAssignor } from './abstractStickyAssignor';
import { Subscription, TopicPartition, tpKey } from './types';

export class CooperativeStickyAssignor extends AbstractStickyAssignor {
  readonly name = 'cooperative-sticky';
  readonly protocol = 'cooperative' as const;

  /** Partitions withheld in the last assignment (partition key -> member that will get them next round). */
  lastWithheld = new Map<string, string>();

  override assign(partitionsPerTopic: Map<string, number>, subscriptions: Map<string, Subscription>): Map<string, TopicPartition[]> {
    const assignment = super.assign(partitionsPerTopic, subscriptions);
    const transferring = this.partitionsTransferringOwnership ?? computeTransferring(subscriptions, assignment);
    for (const [k, consumer] of transferring) {
      const list = assignment.get(consumer);
      const i = list ? list.findIndex((t) => tpKey(t) === k) : -1;
      if (list && i >= 0) list.splice(i, 1);
    }
    this.lastWithheld = new Map(transferring);
    return assignment;
  }
}

function computeTransferring(subscriptions: Map<string, Subscription>, assignment: Map<string, TopicPartition[]>): Map<string, string> {
  const previousOwner = new Map<string, string>();
  for (const [c, s] of subscriptions) for (const t of s.ownedPartitions ?? []) previousOwner.set(tpKey(t), c);
  const out = new Map<string, string>();
  for (const [c, list] of assignment) {
    for (const t of list) {
      const prev = previousOwner.get(tpKey(t));
      if (prev !== undefined && prev !== c) out.set(tpKey(t), c);
    }
  }
  return out;
}
