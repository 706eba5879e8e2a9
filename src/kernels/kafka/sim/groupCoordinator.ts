// The group coordinator and its consumers: members joining, leaving, dying and pausing; polls up to
// the high watermark; commits; redelivery; the per-key order check; lag; and how long partitions went
// without an owner. How membership changes become assignments is the group's protocol: the classic
// one (classicProtocol.ts: join/sync rounds through a client-side assignor) or KIP-848's consumer
// protocol (consumerProtocol.ts: server-side assignors, heartbeats, incremental reconciliation).
import { GroupSpec, zonesOf } from '../model';
import { partitionForKey } from '../murmur2';
import { NO_LEADER } from '../replication/election';
import { Budget, Environment } from '../../sim';
import { BatchKind } from './batchLog';
import { ClassicProtocol } from './classicProtocol';
import { lastStableOffset } from './transactions';
import { Cluster, Part } from './cluster';
import { ConsumerProtocol } from './consumerProtocol';
import { SimContext, toTicks, US } from './context';

// Imported bindings read once (a module's exports can be getters, read on every batch otherwise).
const { Aborted: KIND_ABORTED, Control: KIND_CONTROL } = BatchKind;

export interface GroupStats {
  name: string;
  /** `group.protocol`: classic or consumer (KIP-848). */
  protocol: string;
  assignor: string;
  consumed: number;
  redelivered: number;
  orderChecked: number;
  orderViolations: number;
  /** Records consumed that a later unclean election removed (KIP-320 truncation detection moves the position back). */
  readThenLost: number;
  firstViolation?: string;
  /** Classic: each join/sync round. Consumer protocol: each new target assignment (group epoch). */
  rebalances: { timeS: number; reason: string; generation: number; moved: number; withheld: number }[];
  /** Members of the group at the end (those the coordinator has not removed yet included) and their partitions. */
  assignment: { member: string; instanceId?: string; state: string; partitions: string[] }[];
  /** Members the coordinator removed, when and in which generation's rebalance. */
  departed: { member: string; instanceId?: string; timeS: number; generation: number; why: string }[];
  /** Per partition at the end, with the seconds it went unread in the whole run; read_committed lag counts to the LSO. */
  lagByPartition: {
    topic: string;
    partition: number;
    hw: number;
    lso: number;
    position: number;
    lag: number;
    owner: string;
    unreadS: number;
  }[];
  /** Partition-seconds in which a partition of the group had no live member reading it (sampled at each poll). */
  idlePartitionSeconds: number;
  /** The longest time one partition went without a live member reading it. */
  longestIdleS: number;
  /** Times a member started reading a partition it did not read just before. */
  partitionsMoved: number;
  /** Records read from a follower in the member's rack (KIP-392) rather than from the leader. */
  readFromFollowers: number;
  /** Offsets passed over without delivery: transaction markers, and aborted records under read_committed. */
  skipped: number;
  /** read_committed: the most records (over the samples) written below the HW but not yet stable (HW − LSO, all partitions). */
  maxUnstable: number;
}

export interface Member {
  id: string;
  instanceId?: string;
  /** Its subscription. */
  topics: string[];
  /** Index of its rack (`client.rack`), -1 without racks. */
  rack: number;
  /** Classic: the generation its owned partitions came from, for the first rebalance only. */
  ownedGeneration?: number;
  /** The consumer process runs (false once it left, died or exceeded max.poll.interval.ms). */
  alive: boolean;
  /** When it (last) started: its heartbeats run every heartbeat.interval.ms from then. */
  since: number;
  /** Why it stopped, while the coordinator still counts it as a member. */
  stopped?: string;
  /** The coordinator removed it from the group. */
  removed: boolean;
  joined: boolean;
  paused: boolean;
  /** Partitions the member owns and reads. */
  assignment: number[];
  /** Last assignment, sent as user data by eager members after revoking everything. */
  owned: number[];
  positions: Map<number, number>;
}

export interface Group {
  spec: GroupSpec;
  index: number;
  protocol: GroupProtocol;
  members: Member[];
  nextMember: number;
  committed: Map<number, number>;
  maxRead: Map<number, number>;
  /** Highest producer sequence read per (partition, producer). */
  maxSeq: Float64Array;
  partitions: number[];
  stats: GroupStats;
  /** Ticks each partition (by its index in `partitions`) has gone unread in a row so far. */
  idleStreak: Float64Array;
  idleTicks: number;
  /** Ticks each partition (by its index in `partitions`) went unread. */
  unreadTicks: Float64Array;
}

/** How a group's membership changes turn into assignments: the classic protocol or KIP-848's. */
export interface GroupProtocol {
  /** The members present at the start join. */
  start(): void;
  /** Each returns the event log's description of what follows. */
  joined(m: Member): string;
  /** A graceful leave (the member has committed and stopped). */
  left(m: Member): string;
  killed(m: Member): string;
  /** A member paused past max.poll.interval.ms leaves. */
  pollTimedOut(m: Member): string;
  /** A static member the coordinator still holds is back (same instance id) and keeps its partitions. */
  rejoined(m: Member): string;
  /** The member's protocol state for the assignment table (e.g. UNREVOKED_PARTITIONS), if any. */
  describe?(m: Member): string | undefined;
}

export class GroupCoordinator {
  readonly groups: Group[] = [];
  /** Records consumed by all groups. */
  consumed = 0;
  declare readonly ctx: SimContext;
  declare readonly env: Environment;
  declare readonly budget: Budget;
  declare readonly cluster: Cluster;
  declare readonly parts: Part[];
  declare private readonly kPoll: number;
  declare private readonly zoned: boolean;

  constructor(ctx: SimContext, cluster: Cluster) {
    this.ctx = ctx;
    this.env = ctx.env;
    this.budget = ctx.budget;
    this.cluster = cluster;
    this.parts = cluster.parts;
    this.zoned = cluster.zoned;
    this.kPoll = ctx.env.on((g) => this.poll(g));
    ctx.model.groups.forEach((g, gi) => this.addGroup(g, gi));
  }

  group(name: string): Group {
    return this.groups.find((x) => x.spec.name === name)!;
  }

  private addGroup(spec: GroupSpec, gi: number): void {
    // Every topic some member subscribes to, the group's own first.
    const subscribed = [...new Set([...spec.topics, ...(spec.members ?? []).flatMap((m) => m.topics ?? [])])];
    const partitions = subscribed.flatMap((t) => this.cluster.topicParts.get(t) ?? []);
    const g: Group = {
      spec,
      index: gi,
      protocol: undefined as unknown as GroupProtocol,
      members: [],
      nextMember: 0,
      committed: new Map(),
      maxRead: new Map(),
      maxSeq: new Float64Array(this.parts.length * Math.max(1, this.ctx.model.producers.length)).fill(-1),
      partitions,
      idleStreak: new Float64Array(partitions.length),
      idleTicks: 0,
      unreadTicks: new Float64Array(partitions.length),
      stats: {
        name: spec.name,
        protocol: spec.protocol,
        assignor: spec.assignor,
        consumed: 0,
        redelivered: 0,
        orderChecked: 0,
        orderViolations: 0,
        readThenLost: 0,
        rebalances: [],
        assignment: [],
        departed: [],
        lagByPartition: [],
        idlePartitionSeconds: 0,
        longestIdleS: 0,
        partitionsMoved: 0,
        readFromFollowers: 0,
        skipped: 0,
        maxUnstable: 0,
      },
    };
    g.protocol = spec.protocol === 'consumer' ? new ConsumerProtocol(this, g) : new ClassicProtocol(this, g);
    this.groups.push(g);
    this.budget.spend(spec.consumers + g.maxSeq.length);
    for (const c of spec.committed ?? []) g.committed.set(this.cluster.topicParts.get(c.topic)![c.partition], c.offset);
    if (spec.members) {
      for (const ms of spec.members) {
        const m = this.newMember(g, ms.id, ms.instanceId, ms.topics, ms.rack);
        m.ownedGeneration = ms.generation;
        // Owned at the start: the member reads them from the committed offsets (or the reset policy).
        for (const o of ms.owns) {
          const p = this.cluster.topicParts.get(o.topic)![o.partition];
          m.assignment.push(p);
          m.positions.set(p, this.startPosition(g, p));
        }
        m.owned = m.assignment;
      }
    } else {
      for (let i = 0; i < spec.consumers; i++) this.newMember(g);
    }
    g.protocol.start();
    this.env.schedule(toTicks(spec.pollS), this.kPoll, gi);
    const commit = () => {
      for (const m of g.members) if (m.alive && m.joined) for (const p of m.assignment) g.committed.set(p, m.positions.get(p)!);
      this.env.call(toTicks(spec.autoCommitIntervalS), commit);
    };
    this.env.call(toTicks(spec.autoCommitIntervalS), commit);
  }

  private newMember(g: Group, id?: string, instanceId?: string, topics?: string[], rack?: string): Member {
    const i = g.nextMember++;
    const racks = zonesOf(this.ctx.model.cluster);
    const m: Member = {
      id: id ?? `${g.spec.name}-consumer-${i + 1}`,
      instanceId: instanceId ?? (g.spec.static ? `${g.spec.name}-instance-${i + 1}` : undefined),
      topics: topics ?? g.spec.topics,
      // Without a rack of its own, members take the racks in turn.
      rack: rack !== undefined ? racks.indexOf(rack) : racks.length ? i % racks.length : -1,
      alive: true,
      since: this.env.now,
      removed: false,
      joined: false,
      paused: false,
      assignment: [],
      owned: [],
      positions: new Map(),
    };
    g.members.push(m);
    return m;
  }

  // ---------------------------------------------------------------- what the protocols share

  /** Where a member starts reading a partition it takes: the committed offset, else auto.offset.reset. */
  startPosition(g: Group, p: number): number {
    const c = g.committed.get(p);
    const log = this.parts[p].log;
    if (c !== undefined && c >= log.logStartOffset) return c;
    return g.spec.autoOffsetReset === 'earliest' ? log.logStartOffset : this.parts[p].rp.highWatermark;
  }

  /** The member stops reading `p` and commits its position (onPartitionsRevoked with auto-commit). */
  revoke(g: Group, m: Member, p: number): void {
    g.committed.set(p, m.positions.get(p)!);
    m.positions.delete(p);
  }

  /** The member starts reading `p` where the group left it. */
  take(g: Group, m: Member, p: number): void {
    m.positions.set(p, this.startPosition(g, p));
    g.stats.partitionsMoved++;
  }

  /** The coordinator drops a stopped member from the group (in `generation`'s rebalance). */
  removeMember(g: Group, m: Member, generation: number): void {
    m.removed = true;
    m.assignment = [];
    m.owned = [];
    g.stats.departed.push({ member: m.id, instanceId: m.instanceId, timeS: this.env.now / US, generation, why: m.stopped ?? 'stopped' });
  }

  // ---------------------------------------------------------------- membership (timeline actions)

  /** A live member by id or instance id, or the newest live member. */
  pick(g: Group, member: string | undefined): Member | undefined {
    return member
      ? g.members.find((m) => m.alive && (m.id === member || m.instanceId === member))
      : [...g.members].reverse().find((m) => m.alive);
  }

  addConsumer(g: Group, id?: string): void {
    const m = this.newMember(g, id && !g.members.some((x) => x.id === id) ? id : undefined);
    this.ctx.log(`add consumer to ${g.spec.name}`, g.protocol.joined(m));
  }

  /**
   * A stopped member starts again. A static member the coordinator still holds takes its partitions
   * back without a rebalance; any other comes back as a new member (a join).
   */
  restartConsumer(g: Group, name: string | undefined): void {
    const m = [...g.members].reverse().find((x) => !x.alive && (name === undefined || x.id === name || x.instanceId === name));
    if (!m) {
      this.ctx.log(`restart consumer in ${g.spec.name}`, `no stopped member${name ? ` \`${name}\`` : ''}: nothing happens`);
      return;
    }
    if (m.instanceId && !m.removed) {
      m.alive = true;
      m.since = this.env.now;
      m.paused = false;
      m.stopped = undefined;
      for (const p of m.assignment) m.positions.set(p, this.startPosition(g, p));
      this.ctx.log(`restart consumer ${m.id}`, g.protocol.rejoined(m));
      return;
    }
    const back = this.newMember(g, undefined, m.instanceId, m.topics, m.rack >= 0 ? zonesOf(this.ctx.model.cluster)[m.rack] : undefined);
    this.ctx.log(`restart consumer ${m.id}`, `comes back as ${back.id}: ${g.protocol.joined(back)}`);
  }

  /** A graceful leave: commits, then leaves (a static member is only noticed at the session timeout). */
  removeConsumer(g: Group, m: Member): void {
    for (const p of m.assignment) g.committed.set(p, m.positions.get(p)!);
    m.alive = false;
    m.stopped = m.instanceId ? 'left (static: no LeaveGroup)' : 'left (LeaveGroup)';
    this.ctx.log(`remove consumer ${m.id}`, g.protocol.left(m));
  }

  killConsumer(g: Group, m: Member): void {
    m.alive = false;
    m.stopped = 'killed';
    this.ctx.log(`kill consumer ${m.id}`, g.protocol.killed(m));
  }

  /** Heartbeats go on while paused; a pause past max.poll.interval.ms makes the member leave. */
  pauseConsumer(g: Group, m: Member, forS: number): void {
    m.paused = true;
    this.ctx.log(
      `pause consumer ${m.id}`,
      Number.isFinite(forS)
        ? `for ${forS} s (heartbeats continue: no rebalance${forS > g.spec.maxPollIntervalS ? ', but it exceeds max.poll.interval.ms and leaves the group' : ''})`
        : 'until resumed',
    );
    if (forS > g.spec.maxPollIntervalS) {
      this.env.call(toTicks(g.spec.maxPollIntervalS), () => {
        if (!m.paused) return;
        m.alive = false;
        m.stopped = 'exceeded max.poll.interval.ms';
        this.ctx.log(`${m.id} exceeded max.poll.interval.ms`, g.protocol.pollTimedOut(m));
      });
    }
    if (Number.isFinite(forS))
      this.env.call(toTicks(forS), () => {
        m.paused = false;
      });
  }

  /** A zone fails: every live member in it dies (no commit). Returns who. */
  killZone(zone: number): string[] {
    const killed: string[] = [];
    for (const g of this.groups) {
      for (const m of g.members) {
        if (!m.alive || m.rack !== zone) continue;
        m.alive = false;
        m.stopped = 'killed (zone failure)';
        g.protocol.killed(m);
        killed.push(m.id);
      }
    }
    return killed;
  }

  resumeConsumers(g: Group, member: string | undefined): void {
    for (const m of g.members) if (!member || m.id === member || m.instanceId === member) m.paused = false;
    this.ctx.log(`resume ${member ?? g.spec.name}`, 'consuming again');
  }

  // ---------------------------------------------------------------- consuming

  private poll(gi: number): void {
    const g = this.groups[gi];
    const dt = g.spec.pollS;
    const crashed = this.cluster.crashed;
    const readCommitted = g.spec.isolationLevel === 'read_committed';
    this.budget.spend(g.members.length + g.partitions.length);
    this.countIdle(g, dt);
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
            // through the leader epoch and resumes at the new log end. Only records it had read count as
            // read then lost (a committed offset set past them was never read).
            g.stats.readThenLost += Math.max(0, Math.min(pos, g.maxRead.get(p) ?? -1) - leo);
            pos = leo;
            m.positions.set(p, pos);
            if ((g.maxRead.get(p) ?? -1) > leo) g.maxRead.set(p, leo);
          }
          // read_committed stops at the last stable offset (the HW when no transaction is open).
          const limit = readCommitted ? lastStableOffset(part) : part.rp.highWatermark;
          if (pos < part.log.logStartOffset) {
            m.positions.set(p, this.startPosition(g, p));
            continue;
          }
          const cap = pass === 0 ? Math.min(share, budget) : budget;
          const take = Math.min(limit - pos, Math.floor(cap));
          if (take <= 0) continue;
          this.read(g, m, part, p, pos, pos + take);
          m.positions.set(p, pos + take);
          budget -= take;
        }
      }
    }
    this.env.schedule(toTicks(dt), this.kPoll, gi);
  }

  /**
   * Which replica serves a fetch, and the bytes: the leader, or with the rack-aware selector
   * (RackAwareReplicaSelector) the most caught-up live in-sync replica in the member's rack when the
   * leader is elsewhere.
   */
  private countRead(g: Group, m: Member, part: Part, records: number): void {
    const rp = part.rp,
      cluster = this.cluster,
      racks = cluster.zones;
    let served = rp.leader;
    if (m.rack >= 0 && cluster.brokerRack[served] !== m.rack && this.ctx.model.cluster.replicaSelector === 'rack-aware') {
      let best = -1;
      for (const r of rp.isr) {
        if (cluster.brokerRack[r] !== m.rack || cluster.crashed.has(r)) continue;
        if (best < 0 || rp.leoOf(r) > rp.leoOf(best)) best = r;
      }
      if (best >= 0) {
        served = best;
        g.stats.readFromFollowers += records;
      }
    }
    const bytes = part.recordsIn > 0 ? (records * part.bytesIn) / part.recordsIn : 0;
    const t = this.ctx.traffic;
    if (m.rack < 0) {
      t.consumeSame += bytes / racks;
      t.consumeCross += (bytes * (racks - 1)) / racks;
    } else if (cluster.brokerRack[served] === m.rack) t.consumeSame += bytes;
    else t.consumeCross += bytes;
  }

  /** Offsets in [from, to) that are markers, or aborted records for read_committed. */
  private skippedIn(part: Part, from: number, to: number, readCommitted: boolean): number {
    const log = part.log;
    let n = 0;
    for (let i = log.batchAt(from); i >= 0 && i < log.n && log.base[i] < to; i++) {
      const kind = log.kind[i];
      if (kind !== KIND_CONTROL && !(readCommitted && kind === KIND_ABORTED)) continue;
      n += Math.min(to, log.base[i] + log.count[i]) - Math.max(from, log.base[i]);
    }
    return n;
  }

  /** Partitions no live member reads, over the last poll interval. */
  private countIdle(g: Group, dt: number): void {
    const read = new Set<number>();
    for (const m of g.members) if (m.alive) for (const p of m.assignment) read.add(p);
    const ticks = toTicks(dt);
    g.partitions.forEach((p, i) => {
      if (!read.has(p)) {
        // Whole ticks, so the sums stay exact.
        g.idleTicks += ticks;
        g.unreadTicks[i] += ticks;
        g.idleStreak[i] += ticks;
        g.stats.idlePartitionSeconds = g.idleTicks / US;
        if (g.idleStreak[i] / US > g.stats.longestIdleS) g.stats.longestIdleS = g.idleStreak[i] / US;
      } else {
        g.idleStreak[i] = 0;
      }
    });
  }

  /** Reads [from, to) of a partition: counts redelivery and checks per-key order batch by batch. */
  private read(g: Group, m: Member, part: Part, p: number, from: number, to: number): void {
    const st = g.stats;
    const rc = g.spec.isolationLevel === 'read_committed';
    // Markers are never delivered, nor aborted records to read_committed consumers (they are still fetched).
    const skipped = part.txn ? this.skippedIn(part, from, to, rc) : 0;
    st.consumed += to - from - skipped;
    st.skipped += skipped;
    if (this.zoned) this.countRead(g, m, part, to - from);
    this.consumed += to - from - skipped;
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
      const kind = log.kind[i];
      if (kind === KIND_CONTROL || (rc && kind === KIND_ABORTED)) continue;
      const producer = log.producer[i];
      // Null keys have no per-key order; explicit records (producer -1) are not checked.
      const K = producer < 0 ? 0 : part.keysIn[producer];
      if (K === 0) continue;
      const lo = Math.max(start, log.base[i]),
        hi = Math.min(to, log.base[i] + log.count[i]);
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
    return g.partitions.map((p, i) => {
      const part = this.parts[p];
      const hw = part.rp.highWatermark;
      const lso = lastStableOffset(part);
      const limit = g.spec.isolationLevel === 'read_committed' ? lso : hw;
      const m = owner.get(p);
      // A stopped member still owns its partitions, but only its commits count.
      const position = m?.alive ? m.positions.get(p)! : (g.committed.get(p) ?? limit);
      return {
        topic: part.topic.name,
        partition: part.index,
        hw,
        lso,
        position,
        lag: Math.max(0, limit - position),
        owner: !m ? '(unassigned)' : m.alive ? m.id : `${m.id} (stopped)`,
        unreadS: g.unreadTicks[i] / US,
      };
    });
  }

  /** At the end of a run: each group's assignment and lag. */
  finish(): GroupStats[] {
    for (const g of this.groups) {
      g.stats.assignment = g.members
        .filter((m) => !m.removed)
        .map((m) => ({
          member: m.id,
          instanceId: m.instanceId,
          state: !m.alive
            ? `${m.stopped ?? 'stopped'}; still a member until the coordinator removes it`
            : m.paused
              ? 'paused'
              : (g.protocol.describe?.(m) ?? (m.joined ? 'active' : 'joining')),
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
