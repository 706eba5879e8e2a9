// The brokers: partitions placed on them, follower fetch rounds, ISR checks, retention, and broker
// failure (kill, fence, restart) with the elections and truncation it causes. Produce requests and
// consumers are not here: the cluster tells its listener (the producers) when a high watermark moves or
// a leader changes, and reads and writes go through `parts`.
import { BATCH_OVERHEAD, DEFAULT_LOG_CONFIG, LogConfig, recordSizeInBytes } from '../log/config';
import { buildRecordLogs, RecordLogs } from '../log/explicitRecords';
import { randomUuid, Uuid, uuidFromString } from '../assignors/server';
import { freezesHwUnderMinIsr, PartitionState, rackOfBroker, TopicSpec, zonesOf } from '../model';
import { LeaderChange, ReplicatedPartition } from '../replication/replicatedPartition';
import { NO_LEADER } from '../replication/election';
import { assignReplicasToBrokers, BrokerMetadata } from '../replication/placement';
import { BatchKind, BatchLog } from './batchLog';
import { PendingQueue } from './pendingQueue';
import { Budget, Environment } from '../../sim';
import { SimContext, toTicks } from './context';
import { lastStableOffset, PartitionTxnState } from './transactions';

export interface Part {
  topic: TopicSpec;
  topicIndex: number;
  index: number;
  label: string;
  rp: ReplicatedPartition;
  log: BatchLog;
  /** In-flight acks=all produce requests (the broker's DelayedProduce purgatory); the producers fill it. */
  pq: PendingQueue;
  /** Keys per partition for each producer (keyed producers), for per-key order checks; the producers fill it. */
  keysIn: Int32Array;
  /** Records and bytes ever appended (for the bytes a consumer reads per record). */
  recordsIn: number;
  bytesIn: number;
  /** Transactions not yet stable here (only for partitions transactions wrote to). */
  txn?: PartitionTxnState;
}

export interface PartitionSnapshot {
  topic: string;
  partition: number;
  replicas: number[];
  leader: number;
  isr: number[];
  logEndOffset: number;
  highWatermark: number;
  /** Each replica's log end offset, in `replicas` order. */
  replicaLeos: number[];
  /** Last stable offset: the HW, or the first offset of a transaction not yet complete. */
  lastStableOffset: number;
  logStartOffset: number;
  segments: number;
  sizeBytes: number;
}

/** What the cluster tells the producers (the DelayedProduce purgatory lives with them). */
export interface ClusterListener {
  /** The high watermark of a partition moved or its ISR shrank: acks=all requests may complete. */
  highWatermarkMoved(part: Part): void;
  /** A leader change: requests in flight to the old leader fail, then waiting ones are checked. */
  leaderChanged(part: Part): void;
  /** `records` of `producer` were truncated, `committed` of them below the old HW; returns how many had been acknowledged. */
  recordsTruncated(producer: number, records: number, committed: number): number;
  /** After each ISR check: requests waiting past request.timeout.ms fail. */
  isrChecked(): void;
}


/** Bytes of a batch of `n` records with 100-byte values and no key (the records a set log end stands for). */
function batchBytes(n: number): number {
  let bytes = BATCH_OVERHEAD;
  for (let d = 0; d < n; d++) bytes += recordSizeInBytes(null, 100, d);
  return bytes;
}

// Fields set in the constructor are `declare`d: with ES2022 class fields they would first be defined as
// `undefined`, and V8 would then keep them as any value (read on every fetch round).
export class Cluster {
  readonly parts: Part[] = [];
  /** Partition indexes of each topic, by topic name. */
  readonly topicParts = new Map<string, number[]>();
  /** Brokers that are down (killed and not restarted). */
  readonly crashed = new Set<number>();
  /** Topic ids (Uuid), random as Kafka's are, from the run's seed. */
  readonly topicIds = new Map<string, Uuid>();
  /** Exact logs of the topics that list `records:` (the simulated partitions start with their batches). */
  readonly recordLogs = new Map<string, RecordLogs>();
  leaderChanges = 0;
  /** Brokers with their racks, in id order (placement input). */
  readonly brokers: BrokerMetadata[] = [];
  /** Rack index of each broker id, -1 without racks. */
  declare readonly brokerRack: Int32Array;
  declare listener: ClusterListener;
  declare private readonly ctx: SimContext;
  declare private readonly env: Environment;
  declare private readonly budget: Budget;
  /** Partitions with a replica on each broker (fixed: no reassignment). */
  private readonly replicaParts: Part[][] = [];
  /** Steps one fetch round of each broker costs: a step per partition, and one more per 8 replicas of it (the high-watermark scan). */
  private readonly fetchSteps: number[] = [];
  declare private readonly kFetch: number;
  declare private readonly kIsr: number;
  declare private readonly kRetention: number;
  declare private readonly isrInterval: number;
  declare private readonly fetchTicks: number;
  declare private readonly retentionTicks: number;

  constructor(ctx: SimContext) {
    this.ctx = ctx;
    this.env = ctx.env;
    this.budget = ctx.budget;
    const model = ctx.model;
    const N = model.cluster.brokers;
    const freeze = freezesHwUnderMinIsr(model.kafkaVersion);
    for (let b = 1; b <= N; b++) { this.replicaParts[b] = []; this.fetchSteps[b] = 0; }
    const zones = zonesOf(model.cluster);
    this.brokerRack = new Int32Array(N + 1).fill(-1);
    for (let b = 1; b <= N; b++) {
      const rack = rackOfBroker(model.cluster, b);
      if (rack !== undefined) this.brokerRack[b] = zones.indexOf(rack);
      // Without rack-aware placement the brokers go to AdminUtils without racks.
      this.brokers.push({ id: b, rack: model.cluster.rackAwarePlacement ? rack : undefined });
    }
    const topicIdRng = ctx.rng.fork('topic-ids');
    model.topics.forEach((t, ti) => {
      ctx.budget.spend(t.partitions * t.replicationFactor);
      const ids: number[] = [];
      const cfg: LogConfig = {
        ...DEFAULT_LOG_CONFIG,
        segmentBytes: t.segmentBytes,
        segmentMs: t.segmentS * 1000,
        retentionMs: t.retentionS < 0 ? -1 : t.retentionS * 1000,
        retentionBytes: t.retentionBytes,
        indexIntervalBytes: t.indexIntervalBytes,
        cleanupPolicy: t.cleanupPolicy,
        deleteRetentionMs: t.deleteRetentionS * 1000,
      };
      const placement = assignReplicasToBrokers(this.brokers, t.partitions, t.replicationFactor);
      const states = new Map((t.states ?? []).map((s) => [s.partition, s]));
      for (let p = 0; p < t.partitions; p++) {
        const state = states.get(p);
        const replicas = state?.replicas ?? placement[p];
        const rp = new ReplicatedPartition(replicas, {
          minInsyncReplicas: t.minInsyncReplicas,
          replicaLagTimeMaxMs: model.cluster.replicaLagTimeMaxS * 1000,
          uncleanLeaderElectionEnable: t.uncleanLeaderElection ?? model.cluster.uncleanLeaderElection,
          freezeHwUnderMinIsr: freeze,
        });
        ids.push(this.parts.length);
        const part: Part = {
          topic: t, topicIndex: ti, index: p, label: `${t.name}-${p}`, rp, log: new BatchLog(cfg),
          pq: new PendingQueue(),
          keysIn: new Int32Array(model.producers.length),
          recordsIn: 0, bytesIn: 0,
        };
        this.parts.push(part);
        for (const b of replicas) { this.replicaParts[b].push(part); this.fetchSteps[b] += 1 + (replicas.length >> 3); }
        const exact = this.exactLog(t, p);
        if (exact) this.startWithRecords(part, exact);
        if (state) this.startWithState(part, state);
        ctx.memory.logSlots += part.log.base.length;
        ctx.memory.requestSlots += part.pq.req.length;
      }
      this.topicParts.set(t.name, ids);
      // Drawn for every topic, so a topic whose id the cell sets leaves the others' unchanged.
      const drawn = randomUuid(topicIdRng);
      this.topicIds.set(t.name, t.id ? uuidFromString(t.id) : drawn);
    });
    this.kFetch = ctx.env.on((b) => this.fetchRound(b));
    this.kIsr = ctx.env.on(() => this.isrCheck());
    this.kRetention = ctx.env.on(() => this.retention());
    this.fetchTicks = toTicks(model.cluster.replicaFetchS);
    this.isrInterval = toTicks(model.cluster.replicaLagTimeMaxS / 2);
    this.retentionTicks = toTicks(Math.min(300, Math.max(1, model.durationS / 20)));
  }

  private exactLog(t: TopicSpec, partition: number) {
    if (!t.records?.length) return undefined;
    let built = this.recordLogs.get(t.name);
    if (!built) this.recordLogs.set(t.name, (built = buildRecordLogs(t, this.ctx.seed)!));
    return built.logs[partition];
  }

  /** The partition holds the explicit records' batches on every replica from the start (no producer: index -1). */
  private startWithRecords(part: Part, exact: NonNullable<ReturnType<Cluster['exactLog']>>): void {
    for (const seg of exact.segments) {
      for (const b of seg.batches) {
        part.log.append(b.lastOffset - b.baseOffset + 1, b.sizeInBytes, b.maxTimestamp, -1, 0);
        part.recordsIn += b.lastOffset - b.baseOffset + 1;
        part.bytesIn += b.sizeInBytes;
      }
    }
    part.rp.startWith(exact.logEndOffset);
  }

  /**
   * The state the cell sets: leader, ISR, log ends. Without `records:` the leader's log holds its log
   * end in records of 100-byte values, 1,000 to a batch.
   */
  private startWithState(part: Part, state: PartitionState): void {
    const rp = part.rp;
    const leader = state.leader ?? state.isr?.[0] ?? rp.leader;
    if (state.leos && !part.topic.records?.length) {
      const end = state.leos[rp.replicas.indexOf(leader)];
      const full = batchBytes(1000);
      for (let done = 0; done < end; done += 1000) {
        const n = Math.min(1000, end - done);
        const bytes = n === 1000 ? full : batchBytes(n);
        part.log.append(n, bytes, 0, -1, 0);
        part.recordsIn += n;
        part.bytesIn += bytes;
      }
      this.budget.spend(Math.ceil(end / 1000));
    }
    rp.setState({ leader, isr: state.isr, leos: state.leos });
  }

  /** Starts the follower fetch rounds (staggered by a tick per broker) and the periodic ISR check. */
  startReplication(): void {
    for (let b = 1; b <= this.ctx.model.cluster.brokers; b++) this.ctx.env.schedule(this.fetchTicks + b, this.kFetch, b);
    this.ctx.env.schedule(this.isrInterval, this.kIsr);
  }

  startRetention(): void {
    this.ctx.env.schedule(this.retentionTicks, this.kRetention);
  }

  /** Whether the partition has a leader that is up (produce and fetch requests need one). */
  leaderUp(part: Part): boolean {
    const leader = part.rp.leader;
    return leader !== NO_LEADER && !(this.crashed.size > 0 && this.crashed.has(leader));
  }

  snapshot(): PartitionSnapshot[] {
    return this.parts.map((p) => ({
      topic: p.topic.name,
      partition: p.index,
      replicas: [...p.rp.replicas],
      leader: p.rp.leader,
      isr: [...p.rp.isr],
      logEndOffset: p.rp.logEndOffset,
      highWatermark: p.rp.highWatermark,
      replicaLeos: p.rp.replicas.map((b) => p.rp.leoOf(b)),
      lastStableOffset: lastStableOffset(p),
      logStartOffset: p.log.logStartOffset,
      segments: p.log.segments.length,
      sizeBytes: p.log.size,
    }));
  }

  /** Where an offset lives after the run (leader's log). */
  locate(topic: string, partition: number, offset: number) {
    const ids = this.topicParts.get(topic);
    const part = ids && ids[partition] !== undefined ? this.parts[ids[partition]] : undefined;
    if (!part) return { error: `no partition ${topic}-${partition}` };
    const loc = part.log.locate(offset);
    if (!loc) return { error: `offset ${offset} is outside the log [${part.log.logStartOffset}, ${part.log.logEndOffset})` };
    return { loc, visible: offset < part.rp.highWatermark };
  }

  // ---------------------------------------------------------------- replication

  private fetchRound(broker: number): void {
    const now = this.env.now / 1000;
    if (!this.crashed.has(broker)) {
      const parts = this.replicaParts[broker];
      this.budget.spend(this.fetchSteps[broker]);
      for (const part of parts) {
        const rp = part.rp;
        if (rp.leader === broker || rp.leader === NO_LEADER || (this.crashed.size > 0 && this.crashed.has(rp.leader))) continue;
        const hw = rp.highWatermark;
        rp.fetch(broker, now);
        if (rp.highWatermark !== hw) this.listener.highWatermarkMoved(part);
      }
      // A new replica that just joined the ISR can complete its reassignment.
      if (this.reassigning.size) this.completeReassignments();
    }
    this.env.schedule(this.fetchTicks, this.kFetch, broker);
  }

  private isrCheck(): void {
    const now = this.ctx.nowMs();
    this.ctx.budget.spend(2 * this.parts.length);
    for (const part of this.parts) {
      if (part.rp.leader === NO_LEADER || this.crashed.has(part.rp.leader)) continue;
      const out = part.rp.maybeShrinkIsr(now);
      if (out.length) {
        this.ctx.log('ISR shrink', `${part.label}: ${out.join(',')} out (lagging > replica.lag.time.max.ms); ISR [${part.rp.isr.join(',')}]`);
        this.listener.highWatermarkMoved(part);
      }
    }
    this.listener.isrChecked();
    this.ctx.env.schedule(Math.min(this.isrInterval, toTicks(1)), this.kIsr);
  }

  private retention(): void {
    const now = this.ctx.nowMs();
    this.ctx.budget.spend(this.parts.length);
    let slots = 0;
    for (const p of this.parts) {
      p.log.applyRetention(now, p.rp.highWatermark);
      slots += p.log.base.length;
    }
    this.ctx.memory.logSlots = slots;
    this.ctx.env.schedule(this.retentionTicks, this.kRetention);
  }

  // ---------------------------------------------------------------- zones

  get zoned(): boolean {
    return this.brokers.length > 0 && this.brokerRack[1] >= 0;
  }

  /** How many distinct zones. */
  get zones(): number {
    return zonesOf(this.ctx.model.cluster).length;
  }

  brokersIn(zone: string): number[] {
    const z = zonesOf(this.ctx.model.cluster).indexOf(zone);
    return this.brokers.filter((b) => this.brokerRack[b.id] === z).map((b) => b.id);
  }

  /** A batch the leader appended will be copied to each follower: count what crosses zones. */
  countReplication(part: Part, bytes: number): void {
    const rp = part.rp, lr = this.brokerRack[rp.leader], t = this.ctx.traffic;
    for (const r of rp.replicas) {
      if (r === rp.leader) continue;
      if (this.brokerRack[r] === lr) t.replicationSame += bytes; else t.replicationCross += bytes;
    }
  }

  // ---------------------------------------------------------------- broker failure

  killBroker(b: number): void {
    this.crashed.add(b);
    this.ctx.log(`kill broker ${b}`, `broker ${b} stops; the controller fences it after broker.session.timeout.ms (${this.ctx.model.cluster.brokerSessionTimeoutS} s)`);
    this.ctx.env.call(toTicks(this.ctx.model.cluster.brokerSessionTimeoutS), () => {
      if (!this.crashed.has(b)) return;
      this.fence(b);
    });
  }

  private fence(b: number): void {
    const now = this.ctx.nowMs();
    this.ctx.budget.spend(this.parts.length);
    const changes: string[] = [];
    for (const part of this.parts) {
      const before = part.rp.isr.join(',');
      const change = part.rp.brokerFenced(b, now);
      if (change) changes.push(this.applyLeaderChange(part, change));
      else if (part.rp.isr.join(',') !== before) {
        changes.push(`${part.label}: ISR [${part.rp.isr.join(',')}]`);
        // The leader learns the smaller ISR: its HW may move (not under min ISR from 3.7), and waiting
        // acks=all requests complete (DelayedProduce), with NOT_ENOUGH_REPLICAS_AFTER_APPEND below min ISR.
        this.listener.highWatermarkMoved(part);
      }
    }
    this.ctx.log(`broker ${b} fenced`, changes.join('; ') || 'no partitions affected');
  }

  restartBroker(b: number): void {
    const wasFenced = this.crashed.has(b);
    this.crashed.delete(b);
    if (!wasFenced) return;
    const now = this.ctx.nowMs();
    this.ctx.budget.spend(this.parts.length);
    const changes: string[] = [];
    const following: string[] = [];
    const offline: string[] = [];
    const waiting: string[] = [];
    for (const part of this.parts) {
      const change = part.rp.brokerUnfenced(b, now);
      if (change) changes.push(this.applyLeaderChange(part, change));
      else if (part.rp.replicas.includes(b)) {
        if (this.leaderUp(part)) following.push(part.label);
        else if (part.rp.leader === NO_LEADER) offline.push(part.label);
        else waiting.push(`${part.label} (leader ${part.rp.leader} is down, not fenced yet)`);
      }
    }
    const list = (xs: string[]) => (xs.length > 6 ? `${xs.slice(0, 6).join(', ')} and ${xs.length - 6} more` : xs.join(', '));
    if (following.length) changes.push(`broker ${b} catches up with the leaders of ${list(following)} and rejoins their ISR`);
    if (waiting.length) changes.push(`broker ${b} has no live leader to follow in ${list(waiting)}`);
    if (offline.length) changes.push(`${list(offline)} stay${offline.length === 1 ? 's' : ''} offline: broker ${b} is not in ${offline.length === 1 ? 'its' : 'their'} ISR and no ISR member is alive (unclean election is off)`);
    this.ctx.log(`restart broker ${b}`, changes.join('; ') || `broker ${b} holds no replicas`);
  }

  // ---------------------------------------------------------------- reassignment

  /** Partitions being reassigned, with their target replicas. */
  private readonly reassigning = new Map<Part, number[]>();

  /**
   * kafka-reassign-partitions: the new replicas copy the leader's log (at the replication throttle),
   * then fetch as followers; once every target replica is in the ISR the old ones leave (and a leader
   * outside the target hands over).
   */
  reassign(topic: string, partition: number, target: number[]): void {
    const part = this.parts[this.topicParts.get(topic)![partition]];
    const rp = part.rp;
    const from = [...rp.replicas];
    const adding = target.filter((b) => !from.includes(b));
    rp.addReplicas(adding, (b) => !this.crashed.has(b));
    const throttle = this.ctx.model.cluster.reassignmentThrottle;
    const copyS = throttle > 0 && adding.length ? part.log.size / throttle : 0;
    this.ctx.log(`reassign ${part.label}`, `replicas ${from.join(',')} → ${target.join(',')}: ${adding.length
      ? `${adding.join(', ')} copy the log (${part.log.size.toLocaleString('en-US')} B${throttle > 0 ? ` at the ${throttle.toLocaleString('en-US')} B/s throttle: ${copyS.toFixed(3)} s` : ', unthrottled'}), join the ISR, then ${from.filter((b) => !target.includes(b)).join(', ') || 'no replica'} leave${from.filter((b) => !target.includes(b)).length === 1 ? 's' : ''}`
      : 'no replica to add'}`);
    const fetching = () => {
      for (const b of adding) {
        this.replicaParts[b].push(part);
        this.fetchSteps[b] += 1 + (rp.replicas.length >> 3);
      }
      this.reassigning.set(part, target);
    };
    if (copyS > 0) this.env.call(toTicks(copyS), fetching);
    else fetching();
  }

  /** Completes the reassignments whose target replicas are all in the ISR (checked after fetch rounds). */
  private completeReassignments(): void {
    for (const [part, target] of this.reassigning) {
      const rp = part.rp;
      if (!target.every((b) => rp.isr.includes(b))) continue;
      this.reassigning.delete(part);
      const leaving = rp.replicas.filter((b) => !target.includes(b));
      const change = rp.completeReassignment(target, this.ctx.nowMs());
      for (const b of leaving) this.replicaParts[b] = this.replicaParts[b].filter((p) => p !== part);
      const moved = change ? this.applyLeaderChange(part, change) : `${part.label}: leader ${rp.leader} stays`;
      this.ctx.log(`reassignment of ${part.label} complete`, `${moved}; replicas [${rp.replicas.join(',')}], ISR [${rp.isr.join(',')}]${leaving.length ? `; ${leaving.join(', ')} removed` : ''}`);
    }
  }

  // ---------------------------------------------------------------- preferred leaders

  private balanceScheduled = false;

  /** Partitions led by a broker other than their preferred (first) replica. */
  private imbalanced(): boolean {
    return this.parts.some((p) => p.rp.leader !== p.rp.replicas[0]);
  }

  /**
   * auto.leader.rebalance.enable (QuorumController.maybeScheduleNextBalancePartitionLeaders): once some
   * partition's leader is not its preferred replica, a preferred election runs
   * leader.imbalance.check.interval later, and again after that while any remains.
   */
  private maybeScheduleBalance(): void {
    const c = this.ctx.model.cluster;
    if (!c.autoLeaderRebalance || this.balanceScheduled || !this.imbalanced()) return;
    this.balanceScheduled = true;
    this.env.call(toTicks(c.leaderImbalanceCheckIntervalS), () => {
      this.balanceScheduled = false;
      this.electPreferred(undefined, 'auto leader rebalance');
      this.maybeScheduleBalance();
    });
  }

  /** PREFERRED elections (PartitionChangeBuilder): the first replica leads again where it is alive and in sync. */
  electPreferred(topic: string | undefined, why = `preferred leader election${topic ? ` for ${topic}` : ''}`): void {
    const now = this.ctx.nowMs();
    this.budget.spend(this.parts.length);
    const changes: string[] = [];
    for (const part of this.parts) {
      if (topic !== undefined && part.topic.name !== topic) continue;
      if (part.rp.leader === part.rp.replicas[0]) continue;
      const change = part.rp.elect('PREFERRED', now);
      if (change) changes.push(this.applyLeaderChange(part, change));
    }
    this.ctx.log(why, changes.join('; ') || 'no partition moved: preferred replicas lead, or are not in sync');
  }

  /** Truncates the log to the new leader's, counts what was lost, and says what happened. */
  private applyLeaderChange(part: Part, c: LeaderChange): string {
    this.leaderChanges++;
    let ackedLost = 0, committedLost = 0;
    if (c.newLeader !== NO_LEADER && c.truncateTo < part.log.logEndOffset) {
      part.log.truncateTo(c.truncateTo, (i) => {
        const base = part.log.base[i], count = part.log.count[i];
        const from = Math.max(base, c.truncateTo);
        const n = base + count - from;
        const committed = Math.max(0, Math.min(base + count, c.oldHighWatermark) - from);
        committedLost += committed;
        const producer = part.log.producer[i];
        // Explicit records (no producer in the run) count as committed only; markers are no producer's records.
        if (producer >= 0 && part.log.kind[i] !== BatchKind.Control) ackedLost += this.listener.recordsTruncated(producer, n, committed);
      });
    }
    this.listener.leaderChanged(part);
    this.maybeScheduleBalance();
    const who = c.newLeader === NO_LEADER ? 'no eligible leader: OFFLINE' : `leader ${c.oldLeader === NO_LEADER ? 'none' : c.oldLeader} → ${c.newLeader}${c.unclean ? ' (UNCLEAN)' : ''}`;
    const lost = c.newLeader !== NO_LEADER && c.oldLogEnd > c.truncateTo
      ? `, truncated to ${c.truncateTo}: offsets ${c.truncateTo}–${c.oldLogEnd - 1} gone (${c.oldLogEnd - c.truncateTo} records; ${committedLost} committed, i.e. below the old HW ${c.oldHighWatermark}; ${ackedLost} acknowledged to producers)`
      : '';
    return `${part.label}: ${who}, ISR [${part.rp.isr.join(',')}]${lost}`;
  }
}
