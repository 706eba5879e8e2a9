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

/** Kafka's computePartitionsTransferringOwnership: added to one member and revoked from another in one rebalance. */
function computeTransferring(subscriptions: Map<string, Subscription>, assignment: Map<string, TopicPartition[]>): Map<string, string> {
  const added = new Map<string, string>();
  const revoked = new Set<string>();
  for (const [c, list] of assignment) {
    const owned = (subscriptions.get(c)?.ownedPartitions ?? []).map(tpKey);
    const ownedSet = new Set(owned);
    const assignedSet = new Set(list.map(tpKey));
    for (const k of assignedSet) if (!ownedSet.has(k)) added.set(k, c);
    for (const k of owned) if (!assignedSet.has(k)) revoked.add(k);
  }
  for (const k of [...added.keys()]) if (!revoked.has(k)) added.delete(k);
  return added;
}
