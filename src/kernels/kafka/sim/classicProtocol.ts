// The classic group protocol: a membership change starts a join/sync round (rebalance_time long); the
// client-side assignor the group names assigns everyone. Eager assignors (range, roundrobin, sticky)
// make every member revoke everything first; cooperative-sticky keeps what stays and moves the rest
// in a second round.
import { createAssignor, CooperativeStickyAssignor, PartitionAssignor, Subscription, TopicPartition } from '../assignors';
import { AssignorName } from '../assignors';
import { toTicks, US } from './context';
import { Group, GroupCoordinator, GroupProtocol, Member } from './groupCoordinator';

export class ClassicProtocol implements GroupProtocol {
  declare private readonly assignor: PartitionAssignor;
  private generation = 0;
  private rebalancePending = false;
  private rebalanceReason = '';

  constructor(
    private readonly coordinator: GroupCoordinator,
    private readonly g: Group,
  ) {
    this.assignor = createAssignor(g.spec.assignor as AssignorName);
  }

  start(): void {
    this.requestRebalance('group created', 0);
  }

  joined(m: Member): string {
    this.requestRebalance(`${m.id} joined`);
    return `${m.id} joins: rebalance`;
  }

  left(m: Member): string {
    const g = this.g;
    if (m.instanceId) {
      this.expireSession(m);
      return `static member leaves without LeaveGroup: rebalance session.timeout.ms (${g.spec.sessionTimeoutS} s) after its last heartbeat`;
    }
    this.requestRebalance(`${m.id} left`, 1);
    return 'commits, sends LeaveGroup: rebalance now';
  }

  killed(m: Member): string {
    this.expireSession(m);
    return `no commit; the coordinator notices session.timeout.ms (${this.g.spec.sessionTimeoutS} s) after its last heartbeat`;
  }

  /**
   * A member that stopped without LeaveGroup: the coordinator expires its session session.timeout.ms
   * after the last heartbeat its background thread sent (one every heartbeat.interval.ms since it
   * started), as the consumer protocol does, so both protocols time the same failure alike.
   */
  private expireSession(m: Member): void {
    const env = this.coordinator.env;
    const every = toTicks(this.g.spec.heartbeatIntervalS);
    const last = every > 0 ? env.now - ((env.now - m.since) % every) : env.now;
    env.call(Math.max(1, last + toTicks(this.g.spec.sessionTimeoutS) - env.now), () => {
      if (!m.alive) this.requestRebalance(`${m.id} session expired`, 1);
    });
  }

  rejoined(m: Member): string {
    return `static member back under its group.instance.id (${m.instanceId}) within session.timeout.ms: it keeps its partitions, no rebalance`;
  }

  pollTimedOut(m: Member): string {
    this.requestRebalance(`${m.id} poll timeout`, 1);
    return 'leaves the group: rebalance';
  }

  private requestRebalance(reason: string, delayTicks = toTicks(this.g.spec.rebalanceS)): void {
    const g = this.g;
    if (this.rebalancePending) {
      this.rebalanceReason += `; ${reason}`;
      return;
    }
    this.rebalancePending = true;
    this.rebalanceReason = reason;
    if (this.assignor.protocol === 'eager') {
      // onPartitionsRevoked: commit and stop consuming everything until the new assignment.
      for (const m of g.members) {
        if (m.alive) for (const p of m.assignment) g.committed.set(p, m.positions.get(p)!);
        m.owned = m.assignment;
        m.assignment = [];
        m.positions.clear();
      }
    }
    this.coordinator.env.call(delayTicks, () => this.completeRebalance());
  }

  private completeRebalance(): void {
    const g = this.g,
      c = this.coordinator;
    this.rebalancePending = false;
    this.generation++;
    const live = g.members.filter((m) => m.alive);
    c.budget.spend(g.members.length + g.partitions.length);
    for (const m of live) m.joined = true;
    // Stopped members are out of the group: their partitions go to the others in this generation.
    for (const m of g.members) if (!m.alive && !m.removed) c.removeMember(g, m, this.generation);
    const perTopic = new Map<string, number>();
    for (const m of live) for (const t of m.topics) perTopic.set(t, c.cluster.topicParts.get(t)?.length ?? 0);
    const subs = new Map<string, Subscription>();
    for (const m of live) {
      subs.set(m.id, {
        topics: m.topics,
        ownedPartitions: (this.assignor.protocol === 'eager' ? m.owned : m.assignment).map((p) => ({
          topic: c.parts[p].topic.name,
          partition: c.parts[p].index,
        })),
        generation: m.ownedGeneration ?? this.generation - 1,
        groupInstanceId: m.instanceId,
      });
      m.ownedGeneration = undefined;
    }
    const result = live.length ? this.assignor.assign(perTopic, subs) : new Map<string, TopicPartition[]>();
    let moved = 0,
      revokedAny = false;
    for (const m of live) {
      const next = (result.get(m.id) ?? []).map((t) => c.cluster.topicParts.get(t.topic)![t.partition]);
      const keep = new Set(next);
      for (const p of m.assignment) {
        if (!keep.has(p)) {
          revokedAny = true;
          c.revoke(g, m, p);
        }
      }
      for (const p of next) {
        if (!m.positions.has(p)) {
          moved++;
          c.take(g, m, p);
        }
      }
      m.assignment = next;
      m.owned = next;
    }
    const withheld = this.assignor instanceof CooperativeStickyAssignor ? this.assignor.lastWithheld.size : 0;
    g.stats.rebalances.push({ timeS: c.env.now / US, reason: this.rebalanceReason, generation: this.generation, moved, withheld });
    if (this.assignor.protocol === 'cooperative' && (revokedAny || withheld > 0)) {
      // Revoked partitions are assigned in a follow-up rebalance.
      this.requestRebalance('follow-up: partitions revoked in the previous round');
    }
  }
}
