// One partition's replication state on the leader: follower fetch state, ISR shrink/expand, the high
// watermark, acks outcomes, and leader changes (core Partition/Replica, KRaft controller rules).
import { electLeader, ElectionType, NO_LEADER } from './election';

export type Acks = 0 | 1 | 'all';

export type ProduceError =
  | 'NONE'
  | 'NOT_ENOUGH_REPLICAS'
  | 'NOT_ENOUGH_REPLICAS_AFTER_APPEND'
  | 'NOT_LEADER_OR_FOLLOWER'
  | 'REQUEST_TIMED_OUT';

export interface ReplicationConfig {
  minInsyncReplicas: number;
  replicaLagTimeMaxMs: number;
  uncleanLeaderElectionEnable: boolean;
  /** KAFKA-15583 (3.7+): the HW does not advance while the ISR is smaller than min.insync.replicas. */
  freezeHwUnderMinIsr: boolean;
}

export const DEFAULT_REPLICATION_CONFIG: ReplicationConfig = {
  minInsyncReplicas: 1,
  replicaLagTimeMaxMs: 30000,
  uncleanLeaderElectionEnable: false,
  freezeHwUnderMinIsr: true,
};

export interface LeaderChange {
  oldLeader: number;
  newLeader: number;
  unclean: boolean;
  /** Offsets removed from the log: [truncateTo, oldLogEnd). */
  truncateTo: number;
  oldLogEnd: number;
  /** The high watermark before the change; truncated offsets below it had been committed. */
  oldHighWatermark: number;
}

interface FollowerState {
  /** The follower's own log end offset. */
  leo: number;
  /** What the leader knows of it (its last fetch offset). */
  knownLeo: number;
  lastCaughtUpTimeMs: number;
  lastFetchTimeMs: number;
  lastFetchLeaderLogEndOffset: number;
}

/** Scratch marks by broker id, shared by all partitions; `isrMarks` sets the ISR's, the caller clears them. */
let marks = new Uint8Array(1024);

function isrMarks(isr: readonly number[]): Uint8Array {
  for (const b of isr) {
    if (b >= marks.length) { const m = new Uint8Array(Math.max(b + 1, marks.length * 2)); m.set(marks); marks = m; }
    marks[b] = 1;
  }
  return marks;
}

// Fields are `declare`d and set in the constructor, in their old order (`replicas` first, as the
// parameter property it was): with ES2022 class fields `leader`, `isr`, `config` and `replicas` were first
// defined as `undefined`, so V8 kept them as any value, checked on every produce and fetch.
export class ReplicatedPartition {
  declare readonly replicas: number[];
  declare readonly config: ReplicationConfig;
  declare isr: number[];
  declare leader: number;
  declare leaderEpoch: number;
  declare highWatermark: number;
  /** Offset where the current leader epoch started (followers must reach it to rejoin the ISR). */
  declare leaderEpochStartOffset: number;
  declare recovering: boolean;
  /** Per replica, in assignment order (a few entries: arrays beat maps on the fetch path). */
  declare private readonly states: FollowerState[];
  declare private readonly alive: Set<number>;

  constructor(replicas: number[], config: Partial<ReplicationConfig> = {}, nowMs = 0) {
    this.replicas = replicas;
    this.config = { ...DEFAULT_REPLICATION_CONFIG, ...config };
    this.isr = [...replicas];
    this.leader = replicas[0];
    this.leaderEpoch = 0;
    this.highWatermark = 0;
    this.leaderEpochStartOffset = 0;
    this.recovering = false;
    this.states = [];
    this.alive = new Set<number>();
    for (const r of replicas) {
      this.alive.add(r);
      this.states.push({ leo: 0, knownLeo: 0, lastCaughtUpTimeMs: nowMs, lastFetchTimeMs: nowMs, lastFetchLeaderLogEndOffset: 0 });
    }
  }

  /**
   * The state a cell sets at the start: the leader, the ISR and each replica's log end (in replica
   * order). The HW is what the leader computes from them: the least log end over the ISR.
   */
  setState(s: { leader?: number; isr?: number[]; leos?: number[] }): void {
    if (s.leos) s.leos.forEach((leo, i) => { const st = this.states[i]; st.leo = leo; st.knownLeo = leo; st.lastFetchLeaderLogEndOffset = leo; });
    if (s.isr) this.isr = [...s.isr];
    if (s.leader !== undefined) this.leader = s.leader;
    else if (s.isr && !s.isr.includes(this.leader)) this.leader = s.isr[0];
    let hw = Infinity;
    for (const b of this.isr) hw = Math.min(hw, this.st(b).leo);
    this.highWatermark = Number.isFinite(hw) ? hw : 0;
  }

  /**
   * A reassignment adds replicas: each starts with an empty log (it copies the leader's from the log
   * start) and outside the ISR. `alive` says whether its broker is up.
   */
  addReplicas(brokers: number[], alive: (b: number) => boolean): void {
    for (const b of brokers) {
      if (this.replicas.includes(b)) continue;
      this.replicas.push(b);
      // Never caught up yet (Replica starts at lastCaughtUpTimeMs 0): it does not hold the HW back.
      this.states.push({ leo: 0, knownLeo: 0, lastCaughtUpTimeMs: -Infinity, lastFetchTimeMs: -Infinity, lastFetchLeaderLogEndOffset: 0 });
      if (alive(b)) this.alive.add(b);
    }
  }

  /**
   * A reassignment completes once every target replica is in the ISR: a leader outside the target
   * hands over to the first live in-sync target replica, then the replicas become the target.
   */
  completeReassignment(target: number[], nowMs: number): LeaderChange | undefined {
    let change: LeaderChange | undefined;
    if (!target.includes(this.leader)) change = this.elect('ONLINE', nowMs, (b) => target.includes(b));
    this.setReplicas(target);
    return change;
  }

  /** A reassignment completes: the replicas become `target` (in its order), the others leave replicas and ISR. */
  setReplicas(target: number[]): void {
    const states = target.map((b) => this.st(b));
    this.replicas.splice(0, this.replicas.length, ...target);
    this.states.splice(0, this.states.length, ...states);
    this.isr = target.filter((b) => this.isr.includes(b));
    for (const b of [...this.alive]) if (!target.includes(b)) this.alive.delete(b);
  }

  /** A log that already holds `logEndOffset` records on every replica when the run starts. */
  startWith(logEndOffset: number): void {
    for (const st of this.states) { st.leo = logEndOffset; st.knownLeo = logEndOffset; st.lastFetchLeaderLogEndOffset = logEndOffset; }
    this.highWatermark = logEndOffset;
  }

  private st(broker: number): FollowerState {
    return this.states[this.replicas.indexOf(broker)];
  }

  get logEndOffset(): number {
    return this.leader === NO_LEADER ? 0 : this.st(this.leader).leo;
  }

  leoOf(broker: number): number {
    return this.st(broker).leo;
  }

  isAlive(broker: number): boolean {
    return this.alive.has(broker);
  }

  get underMinIsr(): boolean {
    return this.isr.length < this.config.minInsyncReplicas;
  }

  /**
   * A produce request of `count` records. acks=all with ISR < min.insync.replicas is refused before
   * the append. Returns the offsets written (acks=0 clients see -1 but the log still has them).
   */
  append(count: number, acks: Acks): { error: ProduceError; baseOffset: number; lastOffset: number } {
    if (this.leader === NO_LEADER || !this.alive.has(this.leader)) return { error: 'NOT_LEADER_OR_FOLLOWER', baseOffset: -1, lastOffset: -1 };
    if (acks === 'all' && this.underMinIsr) return { error: 'NOT_ENOUGH_REPLICAS', baseOffset: -1, lastOffset: -1 };
    const st = this.st(this.leader);
    const base = st.leo;
    st.leo += count;
    st.knownLeo = st.leo;
    // Only a leader alone in the ISR moves the HW by appending; followers move it when they fetch.
    if (this.isr.length === 1) this.maybeIncrementHw(Number.NaN);
    return { error: 'NONE', baseOffset: base, lastOffset: base + count - 1 };
  }

  /**
   * DelayedProduce check for acks=all (checkEnoughReplicasReachOffset): done once the HW reaches
   * `requiredOffset` (last offset + 1); then an ISR below min.insync.replicas is an error although
   * the records are in the log.
   */
  checkAcksAll(requiredOffset: number): 'pending' | ProduceError {
    if (this.highWatermark >= requiredOffset) return this.isr.length >= this.config.minInsyncReplicas ? 'NONE' : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND';
    return 'pending';
  }

  /**
   * A follower fetch at `fetchOffset` (its LEO): the leader updates its view and the follower's
   * caught-up time (Replica.updateFetchState), may add it to the ISR and move the HW; the response
   * brings the follower up to the leader's log end.
   */
  fetch(follower: number, nowMs: number): void {
    if (this.leader === NO_LEADER || follower === this.leader || !this.alive.has(follower) || !this.alive.has(this.leader)) return;
    const st = this.st(follower);
    const leaderEnd = this.logEndOffset;
    if (st.leo > leaderEnd) st.leo = leaderEnd; // truncation to the leader's log
    const fetchOffset = st.leo;
    if (fetchOffset >= leaderEnd) st.lastCaughtUpTimeMs = Math.max(st.lastCaughtUpTimeMs, nowMs);
    else if (fetchOffset >= st.lastFetchLeaderLogEndOffset) st.lastCaughtUpTimeMs = Math.max(st.lastCaughtUpTimeMs, st.lastFetchTimeMs);
    st.knownLeo = fetchOffset;
    st.lastFetchTimeMs = nowMs;
    st.lastFetchLeaderLogEndOffset = leaderEnd;
    // ISR expansion (Partition.maybeExpandIsr): caught up to the HW and to the epoch start.
    if (!this.isr.includes(follower) && fetchOffset >= this.highWatermark && fetchOffset >= this.leaderEpochStartOffset) {
      this.isr = this.replicas.filter((r) => r === follower || this.isr.includes(r));
    }
    this.maybeIncrementHw(nowMs);
    st.leo = leaderEnd;
  }

  private isCaughtUp(st: FollowerState, leaderEnd: number, nowMs: number): boolean {
    return st.knownLeo >= leaderEnd || nowMs - st.lastCaughtUpTimeMs <= this.config.replicaLagTimeMaxMs;
  }

  /** HW = min known LEO over the ISR (and caught-up followers about to join); frozen under min ISR from 3.7. */
  private maybeIncrementHw(nowMs: number): boolean {
    if (this.leader === NO_LEADER) return false;
    if (this.config.freezeHwUnderMinIsr && this.underMinIsr) return false;
    const leaderEnd = this.logEndOffset;
    let hw = leaderEnd;
    // ISR membership by marks, not isr.includes per replica: every follower fetch runs this, and with
    // a replication factor of 100 the scan was 10,000 steps a fetch.
    const marks = isrMarks(this.isr);
    for (let i = 0; i < this.replicas.length; i++) {
      const b = this.replicas[i], st = this.states[i];
      if (b === this.leader) continue;
      const waitFor = marks[b] === 1 || (!Number.isNaN(nowMs) && this.alive.has(b) && this.isCaughtUp(st, leaderEnd, nowMs));
      if (waitFor && st.knownLeo < hw) hw = st.knownLeo;
    }
    for (const b of this.isr) marks[b] = 0;
    if (hw > this.highWatermark) {
      this.highWatermark = hw;
      return true;
    }
    return false;
  }

  /** Leader-side ISR shrink (Partition.maybeShrinkIsr) for followers out of sync for replica.lag.time.max.ms. */
  maybeShrinkIsr(nowMs: number): number[] {
    if (this.leader === NO_LEADER) return [];
    const leaderEnd = this.logEndOffset;
    const out = this.isr.filter((b) => b !== this.leader && !this.isCaughtUp(this.st(b), leaderEnd, nowMs));
    if (out.length) {
      this.isr = this.isr.filter((b) => !out.includes(b));
      this.maybeIncrementHw(nowMs);
    }
    return out;
  }

  /**
   * The controller fences a broker: it leaves every ISR (unless it is the last member, which KRaft
   * keeps) and a new leader is elected if it led. Returns the leader change, if any.
   */
  brokerFenced(broker: number, nowMs: number): LeaderChange | undefined {
    this.alive.delete(broker);
    if (!this.replicas.includes(broker)) return undefined;
    if (this.isr.includes(broker) && this.isr.length > 1) this.isr = this.isr.filter((b) => b !== broker);
    if (this.leader !== broker) {
      this.maybeIncrementHw(nowMs);
      return undefined;
    }
    return this.elect(this.config.uncleanLeaderElectionEnable ? 'UNCLEAN' : 'ONLINE', nowMs);
  }

  /** A broker comes back: its replica truncates to the leader's log and fetches; an offline partition may elect it. */
  brokerUnfenced(broker: number, nowMs: number): LeaderChange | undefined {
    this.alive.add(broker);
    if (!this.replicas.includes(broker)) return undefined;
    const st = this.st(broker);
    st.lastCaughtUpTimeMs = Math.min(st.lastCaughtUpTimeMs, nowMs);
    if (this.leader === NO_LEADER) return this.elect(this.config.uncleanLeaderElectionEnable ? 'UNCLEAN' : 'ONLINE', nowMs);
    return undefined;
  }

  elect(type: ElectionType, nowMs: number, eligible: (b: number) => boolean = () => true): LeaderChange | undefined {
    const oldLeader = this.leader;
    const oldLogEnd = oldLeader === NO_LEADER ? this.maxLeo() : this.st(oldLeader).leo;
    const oldHighWatermark = this.highWatermark;
    const r = electLeader({ replicas: this.replicas, isr: this.isr, leader: this.leader }, type, (b) => this.alive.has(b) && eligible(b));
    if (r.leader === oldLeader) return undefined;
    this.leader = r.leader;
    this.isr = r.isr;
    this.recovering = r.recovering;
    if (r.leader === NO_LEADER) return { oldLeader, newLeader: NO_LEADER, unclean: false, truncateTo: oldLogEnd, oldLogEnd, oldHighWatermark };
    this.leaderEpoch++;
    const st = this.st(r.leader);
    const newEnd = st.leo;
    this.leaderEpochStartOffset = newEnd;
    // Every other replica will truncate to the new leader's log end when it next fetches.
    for (let i = 0; i < this.replicas.length; i++) {
      const b = this.replicas[i], other = this.states[i];
      if (b === r.leader) continue;
      if (other.leo > newEnd) other.leo = newEnd;
      other.knownLeo = Math.min(other.knownLeo, newEnd);
      other.lastFetchLeaderLogEndOffset = 0;
      other.lastCaughtUpTimeMs = nowMs;
    }
    st.knownLeo = newEnd;
    // The new leader's HW cannot exceed its log; it resumes from the old HW where it has the data.
    this.highWatermark = Math.min(this.highWatermark, newEnd);
    return { oldLeader, newLeader: r.leader, unclean: r.unclean, truncateTo: newEnd, oldLogEnd, oldHighWatermark };
  }

  private maxLeo(): number {
    let m = 0;
    for (const st of this.states) m = Math.max(m, st.leo);
    return m;
  }
}
