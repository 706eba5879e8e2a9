// KIP-848's consumer group protocol (Kafka 4.0): the coordinator owns the assignment. A membership
// change bumps the group epoch; the next heartbeat of any member computes a new target assignment with
// the server-side assignor (uniform or range); each member then reconciles on its own, at its own
// heartbeats (CurrentAssignmentBuilder): it first revokes what it must give up, and gets a partition
// only once its previous owner has released it. Members that keep their partitions never stop.
import { JavaHashSet, javaHashMapOrder, javaStringHash } from '../assignors/javaHashMap';
import {
  ConsumerGroupPartitionAssignor, copyPartitionSet, copyUuidSet, createServerAssignor, EMPTY_ASSIGNMENT, GroupSpec, invertedTargetAssignment,
  JavaHashMap, MemberSubscriptionAndAssignment, newUuidMap, PartitionSet, ServerAssignorName, subscriptionType, TopicPartitions, Uuid,
} from '../assignors/server';
import { toTicks, US } from './context';
import { Group, GroupCoordinator, GroupProtocol, Member } from './groupCoordinator';

type MemberState = 'STABLE' | 'UNREVOKED_PARTITIONS' | 'UNRELEASED_PARTITIONS';

/** The coordinator's record of a member (ConsumerGroupMember), and its heartbeat timer. */
interface ConsumerMember {
  member: Member;
  epoch: number;
  state: MemberState;
  /** What the coordinator has given it (assignedPartitions). */
  assigned: Set<number>;
  /** What it must give up before it moves on (partitionsPendingRevocation). */
  pendingRevocation: Set<number>;
  lastHeartbeat: number;
  /** Only the newest scheduled heartbeat fires. */
  hbToken: number;
}

export class ConsumerProtocol implements GroupProtocol {
  declare private readonly assignor: ConsumerGroupPartitionAssignor;
  private groupEpoch = 0;
  private targetAssignmentEpoch = 0;
  /** Each member's target assignment, as the assignor returned it. */
  private readonly target = new Map<string, TopicPartitions>();
  private readonly members = new Map<string, ConsumerMember>();
  /** Epoch of the member holding each partition (assigned or pending revocation); absent = free. */
  private readonly partitionEpoch = new Map<number, number>();
  /** Why the group epoch moved since the last target assignment. */
  private reason = '';
  private readonly topicIds: Map<string, Uuid>;
  private readonly topicOfId = new Map<string, string>();

  constructor(private readonly coordinator: GroupCoordinator, private readonly g: Group) {
    this.assignor = createServerAssignor(g.spec.assignor as ServerAssignorName);
    this.topicIds = coordinator.cluster.topicIds;
    for (const [name, id] of this.topicIds) this.topicOfId.set(id.text, name);
  }

  /**
   * The members at the start are already in the group, with what they own as their current target:
   * one epoch, whose target assignment the first heartbeat computes over all of them.
   */
  start(): void {
    const fresh: ConsumerMember[] = [];
    for (const m of this.g.members) {
      const cm = this.register(m);
      for (const p of m.assignment) cm.assigned.add(p);
      for (const p of cm.assigned) this.partitionEpoch.set(p, 0);
      if (cm.assigned.size) this.target.set(m.id, this.javaAssignment(cm.assigned));
      fresh.push(cm);
    }
    this.bumpGroupEpoch('group created');
    for (const cm of fresh) this.heartbeat(cm);
  }

  joined(m: Member): string {
    this.joinGroup(m, `${m.id} joined`);
    return `${m.id} joins with a heartbeat (epoch 0): new target assignment now; members giving up partitions learn it at their next heartbeat (every ${this.g.spec.heartbeatIntervalS} s)`;
  }

  left(m: Member): string {
    if (m.instanceId) {
      // A static member leaves with epoch -2: it keeps its assignment until its session expires.
      this.expireAfterSession(m);
      return `static member leaves (heartbeat with epoch -2): its partitions wait for it until group.consumer.session.timeout.ms (${this.g.spec.sessionTimeoutS} s)`;
    }
    this.remove(m, `${m.id} left`);
    return `commits, leaves with a heartbeat (epoch -1): its partitions go to the others at their next heartbeats (every ${this.g.spec.heartbeatIntervalS} s); nobody else stops`;
  }

  killed(m: Member): string {
    this.expireAfterSession(m);
    return `no commit; the coordinator notices after group.consumer.session.timeout.ms (${this.g.spec.sessionTimeoutS} s) without a heartbeat`;
  }

  pollTimedOut(m: Member): string {
    this.remove(m, `${m.id} poll timeout`);
    return 'leaves the group with a heartbeat (epoch -1): its partitions go to the others at their next heartbeats';
  }

  describe(m: Member): string | undefined {
    const cm = this.members.get(m.id);
    if (!cm) return undefined;
    const pending = [...this.targetSet(m.id)].filter((p) => !cm.assigned.has(p)).length;
    return `${cm.state}, epoch ${cm.epoch}${pending ? ` (${pending} partition${pending === 1 ? '' : 's'} not released yet)` : ''}`;
  }

  // ---------------------------------------------------------------- membership

  private register(m: Member): ConsumerMember {
    const cm: ConsumerMember = { member: m, epoch: 0, state: 'STABLE', assigned: new Set(), pendingRevocation: new Set(), lastHeartbeat: 0, hbToken: 0 };
    this.members.set(m.id, cm);
    m.joined = true;
    return cm;
  }

  private joinGroup(m: Member, reason: string): void {
    const cm = this.register(m);
    this.bumpGroupEpoch(reason);
    this.heartbeat(cm);
  }

  rejoined(m: Member): string {
    const cm = this.members.get(m.id);
    if (cm) this.heartbeat(cm);
    return `static member back under its group.instance.id (${m.instanceId}) before its session expired: it keeps its assignment, the group epoch does not move`;
  }

  /** A set of partitions (by index) as the coordinator's Map<Uuid, Set<Integer>>. */
  private javaAssignment(parts: Iterable<number>): TopicPartitions {
    const out = newUuidMap<PartitionSet>();
    const c = this.coordinator;
    for (const p of parts) {
      const part = c.parts[p];
      const id = this.topicIds.get(part.topic.name)!;
      let set = out.get(id);
      if (!set) out.put(id, (set = copyPartitionSet([])));
      set.add(part.index);
    }
    return out;
  }

  private bumpGroupEpoch(reason: string): void {
    this.groupEpoch++;
    this.reason = this.reason ? `${this.reason}; ${reason}` : reason;
  }

  /** The coordinator fences a member when its session expires without a heartbeat. */
  private expireAfterSession(m: Member): void {
    const cm = this.members.get(m.id);
    if (!cm) return;
    const env = this.coordinator.env;
    env.call(Math.max(1, cm.lastHeartbeat + toTicks(this.g.spec.sessionTimeoutS) - env.now), () => {
      if (!m.alive && this.members.get(m.id) === cm) this.remove(m, `${m.id} session expired`);
    });
  }

  /** The member is out: its partitions are free, and the group epoch moves. */
  private remove(m: Member, reason: string): void {
    const cm = this.members.get(m.id);
    if (!cm) return;
    for (const p of cm.assigned) this.partitionEpoch.delete(p);
    for (const p of cm.pendingRevocation) this.partitionEpoch.delete(p);
    this.members.delete(m.id);
    this.target.delete(m.id);
    cm.hbToken++;
    this.bumpGroupEpoch(reason);
    this.coordinator.removeMember(this.g, m, this.groupEpoch);
  }

  // ---------------------------------------------------------------- heartbeats

  private schedule(cm: ConsumerMember, delayTicks: number): void {
    const token = ++cm.hbToken;
    this.coordinator.env.call(delayTicks, () => { if (cm.hbToken === token) this.heartbeat(cm); });
  }

  /** One ConsumerGroupHeartbeat: the coordinator's answer, then the client's reconciliation. */
  private heartbeat(cm: ConsumerMember): void {
    const m = cm.member;
    if (!m.alive || this.members.get(m.id) !== cm) return;
    const c = this.coordinator;
    c.budget.spend(this.g.members.length + this.g.partitions.length);
    cm.lastHeartbeat = c.env.now;
    if (this.groupEpoch > this.targetAssignmentEpoch) this.computeTargetAssignment();
    this.reconcile(cm);
    const changed = this.applyOnClient(cm);
    // A client that revoked or took partitions acknowledges at once (its next poll); else it waits its interval.
    this.schedule(cm, changed ? toTicks(this.g.spec.pollS) : toTicks(this.g.spec.heartbeatIntervalS));
  }

  /** TargetAssignmentBuilder: the assignor's new target for every member, at the group epoch. */
  private computeTargetAssignment(): void {
    const g = this.g, c = this.coordinator;
    c.budget.spend(this.members.size + g.partitions.length);
    const previousOwner = new Map<number, string>();
    for (const [id] of this.members) for (const p of this.targetSet(id)) previousOwner.set(p, id);
    // The members map is a HashMap keyed by member id; each target assignment is replayed from its record.
    const specMembers = new JavaHashMap<string, MemberSubscriptionAndAssignment>(javaStringHash, (s) => s);
    const counts = new Map<string, number>();
    for (const id of this.members.keys()) {
      const topics = javaHashMapOrder(this.members.get(id)!.member.topics);
      for (const t of topics) counts.set(t, (counts.get(t) ?? 0) + 1);
      specMembers.put(id, {
        instanceId: this.members.get(id)!.member.instanceId,
        subscribedTopicIds: copyUuidSet(topics.map((t) => this.topicIds.get(t)!)),
        partitions: replay(this.target.get(id) ?? EMPTY_ASSIGNMENT),
      });
    }
    const spec: GroupSpec = {
      members: specMembers,
      subscriptionType: subscriptionType(counts.values(), this.members.size),
      invertedTargetAssignment: invertedTargetAssignment(specMembers),
    };
    const result = this.assignor.assign(spec, { numPartitions: (u) => c.cluster.topicParts.get(this.topicOfId.get(u.text) ?? '')?.length ?? -1 });
    let moved = 0, withheld = 0;
    for (const id of this.members.keys()) {
      const next = result.get(id) ?? EMPTY_ASSIGNMENT;
      this.target.set(id, next);
      for (const p of this.setOf(next)) {
        if (previousOwner.get(p) === id) continue;
        moved++;
        if (this.partitionEpoch.has(p)) withheld++;
      }
    }
    this.targetAssignmentEpoch = this.groupEpoch;
    g.stats.rebalances.push({ timeS: c.env.now / US, reason: this.reason, generation: this.groupEpoch, moved, withheld });
    this.reason = '';
  }

  /** CurrentAssignmentBuilder.build: the member's next state from its current one, what it owns and the target. */
  private reconcile(cm: ConsumerMember): void {
    const owned = new Set(cm.member.assignment);
    switch (cm.state) {
      case 'STABLE':
        if (cm.epoch !== this.targetAssignmentEpoch) this.computeNextAssignment(cm, owned);
        return;
      case 'UNREVOKED_PARTITIONS':
        // Still owns a partition it must revoke: it cannot move on yet.
        for (const p of cm.pendingRevocation) if (owned.has(p)) return;
        this.computeNextAssignment(cm, owned);
        return;
      case 'UNRELEASED_PARTITIONS':
        this.computeNextAssignment(cm, owned);
        return;
    }
  }

  /** CurrentAssignmentBuilder.computeNextAssignment. */
  private computeNextAssignment(cm: ConsumerMember, owned: Set<number>): void {
    const target = this.targetSet(cm.member.id);
    const kept = new Set<number>();
    const revoke = new Set<number>();
    for (const p of cm.assigned) (target.has(p) ? kept : revoke).add(p);
    const toAssign = new Set<number>();
    let unreleased = false;
    for (const p of target) {
      if (kept.has(p)) continue;
      if (this.partitionEpoch.has(p)) unreleased = true; // still held by its previous owner
      else toAssign.add(p);
    }
    let ownsRevoked = false;
    for (const p of revoke) if (owned.has(p)) ownsRevoked = true;
    this.releasePartitions(cm);
    if (revoke.size > 0 && ownsRevoked) {
      cm.state = 'UNREVOKED_PARTITIONS';
      cm.assigned = kept;
      cm.pendingRevocation = revoke;
    } else {
      for (const p of toAssign) kept.add(p);
      cm.state = unreleased ? 'UNRELEASED_PARTITIONS' : 'STABLE';
      cm.epoch = this.targetAssignmentEpoch;
      cm.assigned = kept;
      cm.pendingRevocation = new Set();
    }
    for (const p of cm.assigned) this.partitionEpoch.set(p, cm.epoch);
    for (const p of cm.pendingRevocation) this.partitionEpoch.set(p, cm.epoch);
  }

  private releasePartitions(cm: ConsumerMember): void {
    for (const p of cm.assigned) this.partitionEpoch.delete(p);
    for (const p of cm.pendingRevocation) this.partitionEpoch.delete(p);
  }

  /** The client reconciles with the heartbeat response: revoke first (committing), then take what it was given. */
  private applyOnClient(cm: ConsumerMember): boolean {
    const m = cm.member, g = this.g, c = this.coordinator;
    let changed = false;
    const next: number[] = [];
    for (const p of m.assignment) {
      if (cm.assigned.has(p)) next.push(p);
      else { c.revoke(g, m, p); changed = true; }
    }
    const have = new Set(next);
    for (const p of cm.assigned) {
      if (have.has(p)) continue;
      c.take(g, m, p);
      next.push(p);
      changed = true;
    }
    m.assignment = next;
    m.owned = next;
    return changed;
  }

  private targetSet(memberId: string): Set<number> {
    return this.setOf(this.target.get(memberId) ?? EMPTY_ASSIGNMENT);
  }

  private setOf(a: TopicPartitions): Set<number> {
    const out = new Set<number>();
    for (const [topicId, partitions] of a.entries()) {
      const ids = this.coordinator.cluster.topicParts.get(this.topicOfId.get(topicId.text)!)!;
      for (const p of partitions) out.add(ids[p]);
    }
    return out;
  }
}

/**
 * A target assignment as the coordinator reads it back from its record (Assignment.fromRecord):
 * Collectors.toMap into a HashMap, each topic's partitions copied into a new HashSet, in the order the
 * record listed them (the order the assignor's maps iterated).
 */
function replay(a: TopicPartitions): TopicPartitions {
  const out = newUuidMap<PartitionSet>();
  for (const [topicId, partitions] of a.entries()) out.put(topicId, copyPartitionSet(partitions as JavaHashSet<number>));
  return out;
}
