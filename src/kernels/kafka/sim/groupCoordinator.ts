// The group coordinator and its consumers (classic protocol): members joining, leaving, dying and
// pausing; rebalances through the group's assignor (eager or cooperative); polls up to the high
// watermark; commits; redelivery; the per-key order check; and lag.
import { createAssignor, CooperativeStickyAssignor, PartitionAssignor, Subscription, TopicPartition } from '../assignors';
import { GroupSpec } from '../model';
import { partitionForKey } from '../murmur2';
import { NO_LEADER } from '../replication/election';
import { Budget, Environment } from '../../sim';
import { Cluster, Part } from './cluster';
import { SimContext, toTicks, US } from './context';

export interface GroupStats {
  name: string;
  assignor: string;
  consumed: number;
  redelivered: number;
  orderChecked: number;
  orderViolations: number;
  /** Records consumed that a later unclean election removed (KIP-320 truncation detection moves the position back). */
  readThenLost: number;
  firstViolation?: string;
  rebalances: { timeS: number; reason: string; generation: number; moved: number; withheld: number }[];
  /** Members of the group at the end (those the coordinator has not removed yet included) and their partitions. */
  assignment: { member: string; instanceId?: string; state: string; partitions: string[] }[];
  /** Members the coordinator removed, when and in which generation's rebalance. */
  departed: { member: string; instanceId?: string; timeS: number; generation: number; why: string }[];
  lagByPartition: { topic: string; partition: number; hw: number; position: number; lag: number; owner: string }[];
}

export interface Member {
  id: string;
  instanceId?: string;
  /** The consumer process runs (false once it left, died or exceeded max.poll.interval.ms). */
  alive: boolean;
  /** Why it stopped, while the coordinator still counts it as a member. */
  stopped?: string;
  /** The coordinator removed it from the group (a rebalance without it completed). */
  removed: boolean;
  joined: boolean;
  paused: boolean;
  assignment: number[];
  /** Last assignment, sent as user data by eager members after revoking everything. */
  owned: number[];
  positions: Map<number, number>;
}

export interface Group {
  spec: GroupSpec;
  index: number;
  assignor: PartitionAssignor;
  members: Member[];
  nextMember: number;
  generation: number;
  committed: Map<number, number>;
  maxRead: Map<number, number>;
  /** Highest producer sequence read per (partition, producer). */
  maxSeq: Float64Array;
  rebalancePending: boolean;
  rebalanceReason: string;
  partitions: number[];
  stats: GroupStats;
}

export class GroupCoordinator {
  readonly groups: Group[] = [];
  /** Records consumed by all groups. */
  consumed = 0;
  declare private readonly ctx: SimContext;
  declare private readonly env: Environment;
  declare private readonly budget: Budget;
  declare private readonly cluster: Cluster;
  declare private readonly parts: Part[];
  declare private readonly kPoll: number;

  constructor(ctx: SimContext, cluster: Cluster) {
    this.ctx = ctx;
    this.env = ctx.env;
    this.budget = ctx.budget;
    this.cluster = cluster;
    this.parts = cluster.parts;
    this.kPoll = ctx.env.on((g) => this.poll(g));
    ctx.model.groups.forEach((g, gi) => this.addGroup(g, gi));
  }

  group(name: string): Group {
    return this.groups.find((x) => x.spec.name === name)!;
  }

  private addGroup(spec: GroupSpec, gi: number): void {
    const partitions = spec.topics.flatMap((t) => this.cluster.topicParts.get(t) ?? []);
    const g: Group = {
      spec, index: gi, assignor: createAssignor(spec.assignor), members: [], nextMember: 0, generation: 0,
      committed: new Map(), maxRead: new Map(), maxSeq: new Float64Array(this.parts.length * Math.max(1, this.ctx.model.producers.length)).fill(-1),
      rebalancePending: false, rebalanceReason: '', partitions,
      stats: { name: spec.name, assignor: spec.assignor, consumed: 0, redelivered: 0, orderChecked: 0, orderViolations: 0, readThenLost: 0, rebalances: [], assignment: [], departed: [], lagByPartition: [] },
    };
    this.groups.push(g);
    this.budget.spend(spec.consumers + g.maxSeq.length);
    for (let i = 0; i < spec.consumers; i++) this.newMember(g);
    this.requestRebalance(g, 'group created', 0);
    this.env.schedule(toTicks(spec.pollS), this.kPoll, gi);
    const commit = () => {
      for (const m of g.members) if (m.alive && m.joined) for (const p of m.assignment) g.committed.set(p, m.positions.get(p)!);
      this.env.call(toTicks(spec.autoCommitIntervalS), commit);
    };
    this.env.call(toTicks(spec.autoCommitIntervalS), commit);
  }

  private newMember(g: Group): Member {
    const i = g.nextMember++;
    const m: Member = {
      id: `${g.spec.name}-consumer-${i + 1}`,
      instanceId: g.spec.static ? `${g.spec.name}-instance-${i + 1}` : undefined,
      alive: true, removed: false, joined: false, paused: false, assignment: [], owned: [], positions: new Map(),
    };
    g.members.push(m);
    return m;
  }

  // ---------------------------------------------------------------- membership (timeline actions)

  /** A live member by id or instance id, or the newest live member. */
  pick(g: Group, member: string | undefined): Member | undefined {
    return member ? g.members.find((m) => m.alive && (m.id === member || m.instanceId === member)) : [...g.members].reverse().find((m) => m.alive);
  }

  addConsumer(g: Group): void {
    const m = this.newMember(g);
    this.ctx.log(`add consumer to ${g.spec.name}`, `${m.id} joins: rebalance`);
    this.requestRebalance(g, `${m.id} joined`);
  }

  /** A graceful leave: commits; a dynamic member sends LeaveGroup, a static one is only noticed after the session timeout. */
  removeConsumer(g: Group, m: Member): void {
    for (const p of m.assignment) g.committed.set(p, m.positions.get(p)!);
    m.alive = false;
    m.stopped = m.instanceId ? 'left (static: no LeaveGroup)' : 'left (LeaveGroup)';
    if (m.instanceId) {
      this.ctx.log(`remove consumer ${m.id}`, `static member leaves without LeaveGroup: rebalance after session.timeout.ms (${g.spec.sessionTimeoutS} s)`);
      this.env.call(toTicks(g.spec.sessionTimeoutS), () => this.requestRebalance(g, `${m.id} session expired`, 1));
    } else {
      this.ctx.log(`remove consumer ${m.id}`, 'commits, sends LeaveGroup: rebalance now');
      this.requestRebalance(g, `${m.id} left`, 1);
    }
  }

  killConsumer(g: Group, m: Member): void {
    m.alive = false;
    m.stopped = 'killed';
    this.ctx.log(`kill consumer ${m.id}`, `no commit; the coordinator notices after session.timeout.ms (${g.spec.sessionTimeoutS} s)`);
    this.env.call(toTicks(g.spec.sessionTimeoutS), () => this.requestRebalance(g, `${m.id} session expired`, 1));
  }

  /** Heartbeats go on while paused; a pause past max.poll.interval.ms makes the member leave. */
  pauseConsumer(g: Group, m: Member, forS: number): void {
    m.paused = true;
    this.ctx.log(`pause consumer ${m.id}`, Number.isFinite(forS) ? `for ${forS} s (heartbeats continue: no rebalance${forS > g.spec.maxPollIntervalS ? ', but it exceeds max.poll.interval.ms and leaves the group' : ''})` : 'until resumed');
    if (forS > g.spec.maxPollIntervalS) {
      this.env.call(toTicks(g.spec.maxPollIntervalS), () => {
        if (!m.paused) return;
        m.alive = false;
        m.stopped = 'exceeded max.poll.interval.ms';
        this.ctx.log(`${m.id} exceeded max.poll.interval.ms`, 'leaves the group: rebalance');
        this.requestRebalance(g, `${m.id} poll timeout`, 1);
      });
    }
    if (Number.isFinite(forS)) this.env.call(toTicks(forS), () => { m.paused = false; });
  }

  resumeConsumers(g: Group, member: string | undefined): void {
    for (const m of g.members) if (!member || m.id === member || m.instanceId === member) m.paused = false;
    this.ctx.log(`resume ${member ?? g.spec.name}`, 'consuming again');
  }

  // ---------------------------------------------------------------- rebalances

  private requestRebalance(g: Group, reason: string, delayTicks = toTicks(g.spec.rebalanceS)): void {
    if (g.rebalancePending) { g.rebalanceReason += `; ${reason}`; return; }
    g.rebalancePending = true;
    g.rebalanceReason = reason;
    if (g.assignor.protocol === 'eager') {
      // onPartitionsRevoked: commit and stop consuming everything until the new assignment.
      for (const m of g.members) {
        if (m.alive) for (const p of m.assignment) g.committed.set(p, m.positions.get(p)!);
        m.owned = m.assignment;
        m.assignment = [];
        m.positions.clear();
      }
    }
    this.env.call(delayTicks, () => this.completeRebalance(g));
  }

  private completeRebalance(g: Group): void {
    g.rebalancePending = false;
    g.generation++;
    const live = g.members.filter((m) => m.alive);
    this.budget.spend(g.members.length + g.partitions.length);
    for (const m of live) m.joined = true;
    for (const m of g.members) {
      if (m.alive || m.removed) continue;
      // Out of the group: its partitions go to the others in this generation.
      m.removed = true;
      m.assignment = [];
      m.owned = [];
      g.stats.departed.push({ member: m.id, instanceId: m.instanceId, timeS: this.env.now / US, generation: g.generation, why: m.stopped ?? 'stopped' });
    }
    const perTopic = new Map<string, number>();
    for (const t of g.spec.topics) perTopic.set(t, this.cluster.topicParts.get(t)?.length ?? 0);
    const subs = new Map<string, Subscription>();
    for (const m of live) {
      subs.set(m.id, {
        topics: g.spec.topics,
        ownedPartitions: (g.assignor.protocol === 'eager' ? m.owned : m.assignment).map((p) => ({ topic: this.parts[p].topic.name, partition: this.parts[p].index })),
        generation: g.generation - 1,
        groupInstanceId: m.instanceId,
      });
    }
    const result = live.length ? g.assignor.assign(perTopic, subs) : new Map<string, TopicPartition[]>();
    let moved = 0, revokedAny = false;
    for (const m of live) {
      const next = (result.get(m.id) ?? []).map((t) => this.cluster.topicParts.get(t.topic)![t.partition]);
      const keep = new Set(next);
      for (const p of m.assignment) {
        if (!keep.has(p)) {
          revokedAny = true;
          g.committed.set(p, m.positions.get(p)!);
          m.positions.delete(p);
        }
      }
      for (const p of next) {
        if (!m.positions.has(p)) {
          moved++;
          m.positions.set(p, this.startPosition(g, p));
        }
      }
      m.assignment = next;
      m.owned = next;
    }
    const withheld = g.assignor instanceof CooperativeStickyAssignor ? g.assignor.lastWithheld.size : 0;
    g.stats.rebalances.push({ timeS: this.env.now / US, reason: g.rebalanceReason, generation: g.generation, moved, withheld });
    if (g.assignor.protocol === 'cooperative' && (revokedAny || withheld > 0)) {
      // Revoked partitions are assigned in a follow-up rebalance.
      this.requestRebalance(g, 'follow-up: partitions revoked in the previous round');
    }
  }

  private startPosition(g: Group, p: number): number {
    const c = g.committed.get(p);
    const log = this.parts[p].log;
    if (c !== undefined && c >= log.logStartOffset) return c;
    return g.spec.autoOffsetReset === 'earliest' ? log.logStartOffset : this.parts[p].rp.highWatermark;
  }

  // ---------------------------------------------------------------- consuming

  private poll(gi: number): void {
    const g = this.groups[gi];
    const dt = g.spec.pollS;
    const crashed = this.cluster.crashed;
    this.budget.spend(g.members.length + g.partitions.length);
    for (const m of g.members) {
      if (!m.alive || m.paused || !m.joined || m.assignment.length === 0) continue;
      let budget = g.spec.rate > 0 ? g.spec.rate * dt : Infinity;
      const share = budget / m.assignment.length;
      for (let pass = 0; pass < 2 && budget > 0; pass++) {
        for (const p of m.assignment) {
          const part = this.parts[p];
          if (part.rp.leader === NO_LEADER || crashed.has(part.rp.leader)) continue;
          let pos = m.positions.get(p)!;
          const leo = part.rp.logEndOffset;
          if (pos > leo) {
            // The log was truncated under the consumer (unclean election): it detects the divergence
            // through the leader epoch and resumes at the new log end.
            g.stats.readThenLost += pos - leo;
            pos = leo;
            m.positions.set(p, pos);
            if ((g.maxRead.get(p) ?? -1) > leo) g.maxRead.set(p, leo);
          }
          const hw = part.rp.highWatermark;
          if (pos < part.log.logStartOffset) { m.positions.set(p, this.startPosition(g, p)); continue; }
          const cap = pass === 0 ? Math.min(share, budget) : budget;
          const take = Math.min(hw - pos, Math.floor(cap));
          if (take <= 0) continue;
          this.read(g, part, p, pos, pos + take);
          m.positions.set(p, pos + take);
          budget -= take;
        }
      }
    }
    this.env.schedule(toTicks(dt), this.kPoll, gi);
  }

  /** Reads [from, to) of a partition: counts redelivery and checks per-key order batch by batch. */
  private read(g: Group, part: Part, p: number, from: number, to: number): void {
    const st = g.stats;
    st.consumed += to - from;
    this.consumed += to - from;
    const maxRead = g.maxRead.get(p) ?? -1;
    let start = from;
    if (from < maxRead) {
      const re = Math.min(to, maxRead) - from;
      st.redelivered += re;
      start = from + re;
    }
    if (to > maxRead) g.maxRead.set(p, to);
    if (start >= to) return;
    const log = part.log;
    const producers = this.ctx.model.producers;
    const P = producers.length;
    for (let i = log.batchAt(start); i >= 0 && i < log.n && log.base[i] < to; i++) {
      const producer = log.producer[i];
      // Null keys have no per-key order; explicit records (producer -1) are not checked.
      const K = producer < 0 ? 0 : part.keysIn[producer];
      if (K === 0) continue;
      const lo = Math.max(start, log.base[i]), hi = Math.min(to, log.base[i] + log.count[i]);
      const s = log.seq[i] + (lo - log.base[i]);
      const n = hi - lo;
      const slot = p * P + producer;
      const maxSeen = g.maxSeq[slot];
      st.orderChecked += n;
      if (s <= maxSeen) {
        // Record r (producer sequence) breaks per-key order if a later record of its key (r + K) was read.
        const bad = Math.max(0, Math.min(s + n, maxSeen + 1 - K) - s);
        if (bad > 0) {
          if (st.orderViolations === 0) {
            st.firstViolation = `${part.label} offset ${lo}: key-${keyOf(producers[producer].keys, part.topic.partitions, part.index, s)} from ${producers[producer].name} at t=${(this.env.now / US).toFixed(3)} s after a later record of the same key`;
          }
          st.orderViolations += bad;
        }
      }
      if (s + n - 1 > maxSeen) g.maxSeq[slot] = s + n - 1;
    }
  }

  /** Lag per partition of a group now: HW − position (HW − committed for partitions nobody owns). */
  lag(g: Group): GroupStats['lagByPartition'] {
    const owner = new Map<number, Member>();
    for (const m of g.members) if (!m.removed) for (const p of m.assignment) owner.set(p, m);
    return g.partitions.map((p) => {
      const part = this.parts[p];
      const hw = part.rp.highWatermark;
      const m = owner.get(p);
      // A stopped member still owns its partitions, but only its commits count.
      const position = m?.alive ? m.positions.get(p)! : g.committed.get(p) ?? hw;
      return { topic: part.topic.name, partition: part.index, hw, position, lag: Math.max(0, hw - position), owner: !m ? '(unassigned)' : m.alive ? m.id : `${m.id} (stopped)` };
    });
  }

  /** At the end of a run: each group's assignment and lag. */
  finish(): GroupStats[] {
    for (const g of this.groups) {
      g.stats.assignment = g.members.filter((m) => !m.removed).map((m) => ({
        member: m.id,
        instanceId: m.instanceId,
        state: !m.alive ? `${m.stopped ?? 'stopped'}; still a member until the coordinator removes it` : m.paused ? 'paused' : m.joined ? 'active' : 'joining',
        partitions: m.assignment.map((p) => this.parts[p].label),
      }));
      g.stats.lagByPartition = this.lag(g);
    }
    return this.groups.map((g) => g.stats);
  }
}

/** The key of a keyed record from its per-partition sequence: keys rotate, so it is the (seq mod K)-th key of the partition. */
function keyOf(keys: number, partitions: number, partition: number, seq: number): number {
  const mine: number[] = [];
  for (let k = 0; k < keys; k++) if (partitionForKey(`key-${k}`, partitions) === partition) mine.push(k);
  return mine.length ? mine[seq % mine.length] : -1;
}
