// Discrete-event simulation of a Kafka cluster in virtual time (integer microseconds, seeded, stoppable).
// Events are per producer batch, per follower fetch round, per consumer poll and per timeline action, so
// high rates stay cheap while offsets, acks, losses, duplicates and per-key order stay exact.
import { createAssignor, CooperativeStickyAssignor, PartitionAssignor, Subscription, TopicPartition } from '../assignors';
import { BATCH_OVERHEAD, DEFAULT_LOG_CONFIG, LogConfig, recordSizeInBytes } from '../log/config';
import { freezesHwUnderMinIsr, GroupSpec, idempotenceOn, KafkaModel, ProducerSpec, TopicSpec } from '../model';
import { partitionForKey } from '../murmur2';
import { BuiltInPartitioner } from '../partitioner';
import { Acks, ReplicatedPartition } from '../replication/replicatedPartition';
import { NO_LEADER } from '../replication/election';
import { Budget, Environment, RunOutcome, Rng, TICKS_PER_SECOND } from '../../sim';
import { LIMITS } from '../cell/schema';
import { BatchLog } from './batchLog';
import { PendingQueue } from './pendingQueue';

const US = TICKS_PER_SECOND;
const toTicks = (s: number) => Math.max(1, Math.round(s * US));


export interface PartitionSnapshot {
  topic: string;
  partition: number;
  replicas: number[];
  leader: number;
  isr: number[];
  logEndOffset: number;
  highWatermark: number;
  logStartOffset: number;
  segments: number;
  sizeBytes: number;
}

export interface EventLogEntry {
  timeS: number;
  event: string;
  effect: string;
}

export interface ProducerStats {
  name: string;
  acks: string;
  idempotent: boolean;
  sent: number;
  written: number;
  acked: number;
  ackedLost: number;
  unackedLost: number;
  duplicates: number;
  expired: number;
  notEnoughReplicas: number;
  notEnoughReplicasAfterAppend: number;
  timedOut: number;
  notLeader: number;
  pending: number;
}

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
  assignment: { member: string; instanceId?: string; state: string; partitions: string[] }[];
  lagByPartition: { topic: string; partition: number; hw: number; position: number; lag: number; owner: string }[];
}

export interface SimResult {
  outcome: RunOutcome;
  simulatedS: number;
  before: PartitionSnapshot[];
  after: PartitionSnapshot[];
  events: EventLogEntry[];
  producers: ProducerStats[];
  groups: GroupStats[];
  samples: { timeS: number; lag: number[]; produced: number; consumed: number }[];
  batches: number;
  records: number;
  bytesWritten: number;
  leaderChanges: number;
  heapUsedBytes?: number;
}

interface Part {
  topic: TopicSpec;
  topicIndex: number;
  index: number;
  label: string;
  rp: ReplicatedPartition;
  log: BatchLog;
  /** Pending acks=all requests, FIFO: required offset, count, stream, seq, base offset. */
  /** In-flight acks=all requests. */
  pq: PendingQueue;
  /** Keys per partition for each producer (keyed producers), for per-key order checks. */
  keysIn: Int32Array;
}

interface Pending {
  part: number;
  count: number;
  seq: number;
  created: number;
  /** Offset where an earlier attempt was written, or -1. */
  inLog: number;
  retryAt: number;
}

interface Stream {
  producer: number;
  spec: ProducerSpec;
  /** Fixed partition for keyed streams, -1 for the sticky stream. */
  partition: number;
  perBatch: number;
  batchBytes: number;
  intervalTicks: number;
  nextSeq: number;
  /** Batches waiting to be (re)sent, oldest first, from `backlogHead` on. */
  backlog: Pending[];
  backlogHead: number;
  /** Records that fit one batch.size. */
  maxPerBatch: number;
  sticky?: BuiltInPartitioner;
  /** Records per partition for sticky streams (their own sequence per partition). */
  stickySeq?: Float64Array;
  emitted: number;
  start: number;
  partIds: number[];
  idempotent: boolean;
  acks: Acks;
  /** Bytes per record including record overhead. */
  recBytes: number;
}

interface Member {
  id: string;
  instanceId?: string;
  alive: boolean;
  joined: boolean;
  paused: boolean;
  assignment: number[];
  /** Last assignment, sent as user data by eager members after revoking everything. */
  owned: number[];
  positions: Map<number, number>;
}

interface Group {
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

// Fields set in the constructor are `declare`d: with ES2022 class fields they would first be defined as
// `undefined`, and V8 would then keep them as any value (the event kinds, read on every batch and fetch).
export class KafkaSimulation {
  declare readonly model: KafkaModel;
  readonly env = new Environment(4096);
  readonly parts: Part[] = [];
  readonly streams: Stream[] = [];
  readonly groups: Group[] = [];
  readonly crashed = new Set<number>();
  readonly eventsLog: EventLogEntry[] = [];
  declare readonly producerStats: ProducerStats[];
  readonly samples: SimResult['samples'] = [];
  declare private readonly K_PRODUCE: number;
  declare private readonly K_FETCH: number;
  declare private readonly K_POLL: number;
  declare private readonly rng: Rng;
  declare private readonly freeze: boolean;
  private records = 0;
  private batches = 0;
  private bytesWritten = 0;
  private leaderChanges = 0;
  private consumedTotal = 0;
  private readonly topicParts = new Map<string, number[]>();
  /** Partitions with a replica on each broker (fixed: no reassignment). */
  private readonly replicaParts: Part[][] = [];
  /** Steps one fetch round of each broker costs: a step per partition, and one more per 8 replicas of it (the high-watermark scan). */
  private readonly fetchSteps: number[] = [];
  declare private readonly budget: Budget;
  /** Batch slots of every partition log, and request slots of every acks=all queue, plus batches waiting in producers (memory ceiling). */
  private logSlots = 0;
  private requestSlots = 0;
  private queuedBatches = 0;

  /** Setup spends from `budget` as well (placement, key hashing, members); pass the run's budget. */
  constructor(model: KafkaModel, seed: number, budget: Budget = new Budget()) {
    this.model = model;
    this.budget = budget;
    this.rng = new Rng(seed, 'kafka');
    this.freeze = freezesHwUnderMinIsr(model.kafkaVersion);
    const N = model.cluster.brokers;
    for (let b = 1; b <= N; b++) { this.replicaParts[b] = []; this.fetchSteps[b] = 0; }
    model.topics.forEach((t, ti) => {
      this.budget.spend(t.partitions * t.replicationFactor);
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
      for (let p = 0; p < t.partitions; p++) {
        const replicas = placeReplicas(p, t.replicationFactor, N);
        const rp = new ReplicatedPartition(replicas, {
          minInsyncReplicas: t.minInsyncReplicas,
          replicaLagTimeMaxMs: model.cluster.replicaLagTimeMaxS * 1000,
          uncleanLeaderElectionEnable: t.uncleanLeaderElection ?? model.cluster.uncleanLeaderElection,
          freezeHwUnderMinIsr: this.freeze,
        });
        ids.push(this.parts.length);
        const part: Part = {
          topic: t, topicIndex: ti, index: p, label: `${t.name}-${p}`, rp, log: new BatchLog(cfg),
          pq: new PendingQueue(),
          keysIn: new Int32Array(model.producers.length),
        };
        this.parts.push(part);
        for (const b of replicas) { this.replicaParts[b].push(part); this.fetchSteps[b] += 1 + (replicas.length >> 3); }
        this.logSlots += part.log.base.length;
        this.requestSlots += part.pq.req.length;
      }
      this.topicParts.set(t.name, ids);
    });
    this.producerStats = model.producers.map((p) => ({
      name: p.name, acks: p.acks, idempotent: idempotenceOn(p), sent: 0, written: 0, acked: 0, ackedLost: 0, unackedLost: 0,
      duplicates: 0, expired: 0, notEnoughReplicas: 0, notEnoughReplicasAfterAppend: 0, timedOut: 0, notLeader: 0, pending: 0,
    }));

    this.K_PRODUCE = this.env.on((s) => this.produce(s));
    this.K_FETCH = this.env.on((b) => this.fetchRound(b));
    this.K_POLL = this.env.on((g) => this.poll(g));
    const kIsr = this.env.on(() => this.isrCheck());
    const kSample = this.env.on(() => this.sample());
    const kRetention = this.env.on(() => this.retention());

    model.producers.forEach((p, pi) => this.addStreams(p, pi));
    model.groups.forEach((g, gi) => this.addGroup(g, gi));

    for (let b = 1; b <= N; b++) this.env.schedule(toTicks(model.cluster.replicaFetchS) + b, this.K_FETCH, b);
    this.isrInterval = toTicks(model.cluster.replicaLagTimeMaxS / 2);
    this.env.schedule(this.isrInterval, kIsr);
    this.kIsr = kIsr;
    this.sampleTicks = toTicks(model.sampleS ?? Math.max(model.durationS / 60, 0.001));
    this.kSample = kSample;
    this.env.schedule(0, kSample);
    this.kRetention = kRetention;
    this.env.schedule(toTicks(Math.min(300, Math.max(1, model.durationS / 20))), kRetention);
    for (const e of model.timeline) this.env.call(Math.round(e.atS * US), () => this.timelineEvent(e));
  }

  declare private isrInterval: number;
  declare private kIsr: number;
  declare private sampleTicks: number;
  declare private kSample: number;
  declare private kRetention: number;

  private nowMs(): number {
    return this.env.now / 1000;
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
      logStartOffset: p.log.logStartOffset,
      segments: p.log.segments.length,
      sizeBytes: p.log.size,
    }));
  }

  // ---------------------------------------------------------------- producers

  private addStreams(spec: ProducerSpec, pi: number): void {
    const ids = this.topicParts.get(spec.topic)!;
    const P = ids.length;
    const keyLen = spec.keys > 0 ? `key-${spec.keys - 1}`.length : null;
    const recBytes = recordSizeInBytes(keyLen, spec.recordBytes);
    const maxPerBatch = Math.max(1, Math.floor((spec.batchBytes - BATCH_OVERHEAD) / recBytes));
    const window = Math.max(spec.lingerS, this.model.cluster.networkRttS / Math.max(1, spec.maxInFlight));
    const make = (partition: number, rate: number): Stream | undefined => {
      if (!(rate > 0)) return undefined;
      const perBatch = Math.min(maxPerBatch, Math.max(1, Math.ceil(rate * window)));
      const s: Stream = {
        producer: pi, spec, partition, perBatch, batchBytes: BATCH_OVERHEAD + perBatch * recBytes,
        intervalTicks: (perBatch / rate) * US, nextSeq: 0, backlog: [], backlogHead: 0, maxPerBatch, emitted: 0, start: 0,
        partIds: ids, idempotent: idempotenceOn(spec), acks: spec.acks === 'all' ? 'all' : spec.acks === '1' ? 1 : 0, recBytes,
      };
      return s;
    };
    if (spec.keys > 0) {
      const counts = new Array<number>(P).fill(0);
      // Hashing every key is setup work: it polls the budget (and Stop) as it goes.
      for (let k = 0; k < spec.keys; k++) {
        if ((k & 1023) === 0 && !this.budget.spend(Math.min(1024, spec.keys - k))) break;
        counts[partitionForKey(`key-${k}`, P)]++;
      }
      counts.forEach((c, p) => {
        this.parts[ids[p]].keysIn[pi] = c;
        const s = make(p, (spec.rate * c) / spec.keys);
        if (s) this.startStream(s);
      });
    } else {
      const s = make(-1, spec.rate);
      if (s) {
        s.sticky = new BuiltInPartitioner(this.rng.fork(`sticky:${spec.name}`), spec.batchBytes, spec.partitioner === 'adaptive');
        s.stickySeq = new Float64Array(P);
        this.startStream(s);
      }
    }
  }

  private startStream(s: Stream): void {
    const id = this.streams.length;
    this.streams.push(s);
    // Stagger stream starts inside the first interval so batches do not all land on the same tick.
    s.start = Math.floor(this.rng.uniform() * s.intervalTicks);
    this.env.schedule(s.start + s.intervalTicks, this.K_PRODUCE, id);
  }

  private produce(id: number): void {
    const s = this.streams[id];
    s.emitted++;
    const st = this.producerStats[s.producer];
    const ids = s.partIds;
    let partition = s.partition;
    let seq: number;
    if (partition < 0) {
      partition = s.sticky!.partition(null, ids.length);
      seq = s.stickySeq![partition];
      s.stickySeq![partition] += s.perBatch;
      s.sticky!.onAppend(partition, s.batchBytes, true, ids.length);
    } else {
      seq = s.nextSeq;
      s.nextSeq += s.perBatch;
    }
    st.sent += s.perBatch;
    if (s.backlogHead < s.backlog.length) this.flushBacklog(id);
    // Batches queue behind older ones of the same stream, so order is kept.
    if (s.backlogHead < s.backlog.length || this.send(id, ids[partition], s.perBatch, seq, this.env.now, -1) < -1) {
      const last = s.backlogHead < s.backlog.length ? s.backlog[s.backlog.length - 1] : undefined;
      // RecordAccumulator appends to the last unsent batch of the partition while it has room.
      if (last && last.inLog < 0 && last.part === ids[partition] && last.seq + last.count === seq && last.count + s.perBatch <= s.maxPerBatch) {
        last.count += s.perBatch;
      } else {
        s.backlog.push({ count: s.perBatch, seq, created: this.env.now, inLog: -1, retryAt: 0, part: ids[partition] });
        if (++this.queuedBatches > LIMITS.pendingRequests) this.outOfMemory();
      }
    }
    // Schedule the next batch on the stream's own grid so fractional intervals do not drift.
    this.env.at(s.start + Math.round((s.emitted + 1) * s.intervalTicks), this.K_PRODUCE, id);
  }

  /** Sends a batch: the offset written (or -1 for a deduplicated retry), or -2 when it must wait. */
  private send(streamId: number, partIdx: number, count: number, seq: number, created: number, inLog: number): number {
    const s = this.streams[streamId];
    const part = this.parts[partIdx];
    const rp = part.rp;
    const leader = rp.leader;
    if (leader === NO_LEADER || (this.crashed.size && this.crashed.has(leader))) return -2;
    const st = this.producerStats[s.producer];
    // Partition.appendRecordsToLeader checks min ISR before the log (and its duplicate detection).
    if (s.acks === 'all' && rp.underMinIsr) {
      st.notEnoughReplicas++;
      return -2;
    }
    // A retry of records already in the log: the broker deduplicates idempotent producers; others write twice.
    if (inLog >= 0 && inLog + count <= rp.logEndOffset && this.sameBatch(part, inLog, s.producer, seq)) {
      if (s.idempotent) {
        this.awaitAck(part, streamId, count, seq, created, inLog);
        return -1;
      }
      st.duplicates += count;
    }
    const acks = s.acks;
    const r = rp.append(count, acks);
    if (r.error !== 'NONE') {
      if (r.error === 'NOT_ENOUGH_REPLICAS') st.notEnoughReplicas++;
      return -2;
    }
    const bytes = BATCH_OVERHEAD + count * s.recBytes;
    const slots = part.log.base.length;
    part.log.append(count, bytes, this.env.now / 1000, s.producer, seq);
    if (part.log.base.length !== slots) {
      this.logSlots += part.log.base.length - slots;
      if (this.logSlots > LIMITS.liveBatches) this.outOfMemory();
    }
    this.records += count;
    this.batches++;
    this.bytesWritten += bytes;
    st.written += count;
    if (acks === 'all') this.awaitAck(part, streamId, count, seq, created, r.baseOffset);
    else st.acked += count;
    return r.baseOffset;
  }

  private sameBatch(part: Part, offset: number, producer: number, seq: number): boolean {
    const i = part.log.batchAt(offset);
    return i >= 0 && part.log.base[i] === offset && part.log.producer[i] === producer && part.log.seq[i] === seq;
  }

  private awaitAck(part: Part, streamId: number, count: number, seq: number, created: number, base: number): void {
    const slots = part.pq.req.length;
    part.pq.push(base + count, count, streamId, seq, base, this.env.now, created);
    if (part.pq.req.length !== slots) {
      this.requestSlots += part.pq.req.length - slots;
      if (this.requestSlots > LIMITS.pendingRequests) this.outOfMemory();
    }
    if (part.rp.highWatermark >= base + count) this.completeAcks(part);
  }

  private flushBacklog(streamId: number): void {
    const s = this.streams[streamId];
    const st = this.producerStats[s.producer];
    const deliveryTicks = s.spec.deliveryTimeoutS * US;
    while (s.backlogHead < s.backlog.length) {
      const b = s.backlog[s.backlogHead];
      if (this.env.now - b.created > deliveryTicks) {
        s.backlogHead++;
        this.queuedBatches--;
        st.expired += b.count;
        continue;
      }
      if (b.retryAt > this.env.now) break;
      // Off the queue before sending: a send can re-queue failed requests at the front.
      s.backlogHead++;
      this.queuedBatches--;
      if (this.send(streamId, b.part, b.count, b.seq, b.created, b.inLog) < -1) {
        b.retryAt = this.env.now + s.spec.retryBackoffS * US;
        this.pushFront(s, [b]);
        break;
      }
    }
    if (s.backlogHead > 64 && s.backlogHead * 2 > s.backlog.length) {
      s.backlog = s.backlog.slice(s.backlogHead);
      s.backlogHead = 0;
    }
  }

  private pushFront(s: Stream, list: Pending[]): void {
    this.queuedBatches += list.length;
    if (this.queuedBatches > LIMITS.pendingRequests) this.outOfMemory();
    if (s.backlogHead >= list.length) {
      s.backlogHead -= list.length;
      for (let i = 0; i < list.length; i++) s.backlog[s.backlogHead + i] = list[i];
    } else {
      s.backlog = list.concat(s.backlog.slice(s.backlogHead));
      s.backlogHead = 0;
    }
  }

  /** Completes acks=all requests the high watermark has passed (DelayedProduce). */
  private completeAcks(part: Part): void {
    const rp = part.rp;
    const hw = rp.highWatermark;
    let front: Map<Stream, Pending[]> | undefined;
    while (part.pq.head < part.pq.n && part.pq.req[part.pq.head] <= hw) {
      const h = part.pq.head++;
      const s = this.streams[part.pq.stream[h]];
      const st = this.producerStats[s.producer];
      const res = rp.checkAcksAll(part.pq.req[h]);
      if (res === 'NONE') st.acked += part.pq.count[h];
      else {
        st.notEnoughReplicasAfterAppend++;
        this.retry(part, h, part.pq.base[h], (front ??= new Map()));
      }
    }
    if (front) this.requeue(front);
  }

  /**
   * A failed request goes back to the front of its stream's queue (RecordAccumulator.reenqueue), ahead of
   * newer batches; several failures from one pass keep their order.
   */
  private retry(part: Part, h: number, inLog: number, front: Map<Stream, Pending[]>): void {
    const s = this.streams[part.pq.stream[h]];
    const b: Pending = { count: part.pq.count[h], seq: part.pq.seq[h], created: part.pq.created[h], inLog, retryAt: this.env.now + s.spec.retryBackoffS * US, part: this.parts.indexOf(part) };
    const list = front.get(s);
    if (list) list.push(b); else front.set(s, [b]);
  }

  private requeue(front: Map<Stream, Pending[]>): void {
    for (const [s, list] of front) this.pushFront(s, list);
  }

  private failPending(part: Part, why: 'notLeader' | 'timedOut', olderThan = Infinity): void {
    const front = new Map<Stream, Pending[]>();
    while (part.pq.head < part.pq.n && part.pq.sent[part.pq.head] < olderThan) {
      const h = part.pq.head++;
      const st = this.producerStats[this.streams[part.pq.stream[h]].producer];
      st[why]++;
      this.retry(part, h, part.pq.base[h], front);
    }
    this.requeue(front);
  }

  // ---------------------------------------------------------------- replication

  private fetchRound(broker: number): void {
    const now = this.nowMs();
    if (!this.crashed.has(broker)) {
      const parts = this.replicaParts[broker];
      this.budget.spend(this.fetchSteps[broker]);
      for (const part of parts) {
        const rp = part.rp;
        if (rp.leader === broker || rp.leader === NO_LEADER || (this.crashed.size > 0 && this.crashed.has(rp.leader))) continue;
        const hw = rp.highWatermark;
        rp.fetch(broker, now);
        if (rp.highWatermark !== hw) this.completeAcks(part);
      }
    }
    this.env.schedule(toTicks(this.model.cluster.replicaFetchS), this.K_FETCH, broker);
  }

  private isrCheck(): void {
    const now = this.nowMs();
    this.budget.spend(2 * this.parts.length);
    for (const part of this.parts) {
      if (part.rp.leader === NO_LEADER || this.crashed.has(part.rp.leader)) continue;
      const out = part.rp.maybeShrinkIsr(now);
      if (out.length) {
        this.log('ISR shrink', `${part.label}: ${out.join(',')} out (lagging > replica.lag.time.max.ms); ISR [${part.rp.isr.join(',')}]`);
        this.completeAcks(part);
      }
    }
    // Requests waiting longer than request.timeout.ms fail (a frozen HW keeps them waiting).
    for (const part of this.parts) {
      if (part.pq.head >= part.pq.n) continue;
      const s = this.streams[part.pq.stream[part.pq.head]];
      this.failPending(part, 'timedOut', this.env.now - s.spec.requestTimeoutS * US);
    }
    this.env.schedule(Math.min(this.isrInterval, toTicks(1)), this.kIsr);
  }

  private retention(): void {
    const now = this.nowMs();
    this.budget.spend(this.parts.length);
    let slots = 0;
    for (const p of this.parts) {
      p.log.applyRetention(now, p.rp.highWatermark);
      slots += p.log.base.length;
    }
    this.logSlots = slots;
    this.env.schedule(toTicks(Math.min(300, Math.max(1, this.model.durationS / 20))), this.kRetention);
  }

  private killBroker(b: number): void {
    this.crashed.add(b);
    this.log(`kill broker ${b}`, `broker ${b} stops; the controller fences it after broker.session.timeout.ms (${this.model.cluster.brokerSessionTimeoutS} s)`);
    this.env.call(toTicks(this.model.cluster.brokerSessionTimeoutS), () => {
      if (!this.crashed.has(b)) return;
      this.fence(b);
    });
  }

  private fence(b: number): void {
    const now = this.nowMs();
    this.budget.spend(this.parts.length);
    const changes: string[] = [];
    for (const part of this.parts) {
      const before = part.rp.isr.join(',');
      const change = part.rp.brokerFenced(b, now);
      if (change) changes.push(this.applyLeaderChange(part, change));
      else if (part.rp.isr.join(',') !== before) changes.push(`${part.label}: ISR [${part.rp.isr.join(',')}]`);
    }
    this.log(`broker ${b} fenced`, changes.join('; ') || 'no partitions affected');
  }

  private restartBroker(b: number): void {
    const wasFenced = this.crashed.has(b);
    this.crashed.delete(b);
    if (!wasFenced) return;
    const now = this.nowMs();
    this.budget.spend(this.parts.length);
    const changes: string[] = [];
    for (const part of this.parts) {
      const change = part.rp.brokerUnfenced(b, now);
      if (change) changes.push(this.applyLeaderChange(part, change));
    }
    this.log(`restart broker ${b}`, changes.join('; ') || `broker ${b} catches up and rejoins the ISR of its partitions`);
  }

  private applyLeaderChange(part: Part, c: { oldLeader: number; newLeader: number; unclean: boolean; truncateTo: number; oldLogEnd: number; oldHighWatermark: number }): string {
    this.leaderChanges++;
    let ackedLost = 0, committedLost = 0;
    if (c.newLeader !== NO_LEADER && c.truncateTo < part.log.logEndOffset) {
      part.log.truncateTo(c.truncateTo, (i) => {
        const producer = part.log.producer[i];
        const spec = this.model.producers[producer];
        const st = this.producerStats[producer];
        const base = part.log.base[i], count = part.log.count[i];
        const from = Math.max(base, c.truncateTo);
        const n = base + count - from;
        const committed = Math.max(0, Math.min(base + count, c.oldHighWatermark) - from);
        committedLost += committed;
        const acked = spec.acks === 'all' ? committed : n;
        ackedLost += acked;
        st.ackedLost += acked;
        st.unackedLost += n - acked;
        st.written -= n;
      });
    }
    // Requests in flight to the old leader fail with NOT_LEADER_OR_FOLLOWER and are retried.
    this.failPending(part, 'notLeader');
    this.completeAcks(part);
    const who = c.newLeader === NO_LEADER ? 'no eligible leader: OFFLINE' : `leader ${c.oldLeader === NO_LEADER ? 'none' : c.oldLeader} → ${c.newLeader}${c.unclean ? ' (UNCLEAN)' : ''}`;
    const lost = c.newLeader !== NO_LEADER && c.oldLogEnd > c.truncateTo
      ? `, truncated to ${c.truncateTo}: offsets ${c.truncateTo}–${c.oldLogEnd - 1} gone (${c.oldLogEnd - c.truncateTo} records; ${committedLost} committed, i.e. below the old HW ${c.oldHighWatermark}; ${ackedLost} acknowledged to producers)`
      : '';
    return `${part.label}: ${who}, ISR [${part.rp.isr.join(',')}]${lost}`;
  }

  // ---------------------------------------------------------------- consumer groups

  private addGroup(spec: GroupSpec, gi: number): void {
    const partitions = spec.topics.flatMap((t) => this.topicParts.get(t) ?? []);
    const g: Group = {
      spec, index: gi, assignor: createAssignor(spec.assignor), members: [], nextMember: 0, generation: 0,
      committed: new Map(), maxRead: new Map(), maxSeq: new Float64Array(this.parts.length * Math.max(1, this.model.producers.length)).fill(-1),
      rebalancePending: false, rebalanceReason: '', partitions,
      stats: { name: spec.name, assignor: spec.assignor, consumed: 0, redelivered: 0, orderChecked: 0, orderViolations: 0, readThenLost: 0, rebalances: [], assignment: [], lagByPartition: [] },
    };
    this.groups.push(g);
    this.budget.spend(spec.consumers + g.maxSeq.length);
    for (let i = 0; i < spec.consumers; i++) this.newMember(g);
    this.requestRebalance(g, 'group created', 0);
    this.env.schedule(toTicks(spec.pollS), this.K_POLL, gi);
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
      alive: true, joined: false, paused: false, assignment: [], owned: [], positions: new Map(),
    };
    g.members.push(m);
    return m;
  }

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
    const perTopic = new Map<string, number>();
    for (const t of g.spec.topics) perTopic.set(t, this.topicParts.get(t)?.length ?? 0);
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
      const next = (result.get(m.id) ?? []).map((t) => this.topicParts.get(t.topic)![t.partition]);
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

  private poll(gi: number): void {
    const g = this.groups[gi];
    const dt = g.spec.pollS;
    this.budget.spend(g.members.length + g.partitions.length);
    for (const m of g.members) {
      if (!m.alive || m.paused || !m.joined || m.assignment.length === 0) continue;
      let budget = g.spec.rate > 0 ? g.spec.rate * dt : Infinity;
      const share = budget / m.assignment.length;
      for (let pass = 0; pass < 2 && budget > 0; pass++) {
        for (const p of m.assignment) {
          const part = this.parts[p];
          if (part.rp.leader === NO_LEADER || this.crashed.has(part.rp.leader)) continue;
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
    this.env.schedule(toTicks(dt), this.K_POLL, gi);
  }

  /** Reads [from, to) of a partition: counts redelivery and checks per-key order batch by batch. */
  private read(g: Group, part: Part, p: number, from: number, to: number): void {
    const st = g.stats;
    st.consumed += to - from;
    this.consumedTotal += to - from;
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
    const P = this.model.producers.length;
    for (let i = log.batchAt(start); i >= 0 && i < log.n && log.base[i] < to; i++) {
      const producer = log.producer[i];
      const K = part.keysIn[producer];
      if (K === 0) continue; // null keys: no per-key order
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
            st.firstViolation = `${part.label} offset ${lo}: key-${keyOf(this.model.producers[producer].keys, part.topic.partitions, part.index, s)} from ${this.model.producers[producer].name} at t=${(this.env.now / US).toFixed(3)} s after a later record of the same key`;
          }
          st.orderViolations += bad;
        }
      }
      if (s + n - 1 > maxSeen) g.maxSeq[slot] = s + n - 1;
    }
  }

  private sample(): void {
    for (const g of this.groups) this.budget.spend(g.partitions.length + g.members.length);
    const lag = this.groups.map((g) => this.groupLag(g).reduce((a, r) => a + r.lag, 0));
    this.samples.push({ timeS: this.env.now / US, lag, produced: this.records, consumed: this.consumedTotal });
    this.env.schedule(this.sampleTicks, this.kSample);
  }

  private groupLag(g: Group): GroupStats['lagByPartition'] {
    const owner = new Map<number, Member>();
    for (const m of g.members) if (m.alive) for (const p of m.assignment) owner.set(p, m);
    return g.partitions.map((p) => {
      const part = this.parts[p];
      const hw = part.rp.highWatermark;
      const m = owner.get(p);
      const position = m ? m.positions.get(p)! : g.committed.get(p) ?? hw;
      return { topic: part.topic.name, partition: part.index, hw, position, lag: Math.max(0, hw - position), owner: m ? m.id : '(unassigned)' };
    });
  }

  // ---------------------------------------------------------------- timeline

  private timelineEvent(e: KafkaModel['timeline'][number]): void {
    switch (e.action) {
      case 'kill_broker': return this.killBroker(e.broker!);
      case 'restart_broker': return this.restartBroker(e.broker!);
    }
    const g = this.groups.find((x) => x.spec.name === e.group)!;
    const pick = (): Member | undefined =>
      e.member ? g.members.find((m) => m.alive && (m.id === e.member || m.instanceId === e.member)) : [...g.members].reverse().find((m) => m.alive);
    switch (e.action) {
      case 'add_consumer': {
        const m = this.newMember(g);
        this.log(`add consumer to ${g.spec.name}`, `${m.id} joins: rebalance`);
        this.requestRebalance(g, `${m.id} joined`);
        return;
      }
      case 'remove_consumer': {
        const m = pick();
        if (!m) return;
        for (const p of m.assignment) g.committed.set(p, m.positions.get(p)!);
        m.alive = false;
        if (m.instanceId) {
          this.log(`remove consumer ${m.id}`, `static member leaves without LeaveGroup: rebalance after session.timeout.ms (${g.spec.sessionTimeoutS} s)`);
          this.env.call(toTicks(g.spec.sessionTimeoutS), () => this.requestRebalance(g, `${m.id} session expired`, 1));
        } else {
          this.log(`remove consumer ${m.id}`, 'commits, sends LeaveGroup: rebalance now');
          this.requestRebalance(g, `${m.id} left`, 1);
        }
        return;
      }
      case 'kill_consumer': {
        const m = pick();
        if (!m) return;
        m.alive = false;
        this.log(`kill consumer ${m.id}`, `no commit; the coordinator notices after session.timeout.ms (${g.spec.sessionTimeoutS} s)`);
        this.env.call(toTicks(g.spec.sessionTimeoutS), () => this.requestRebalance(g, `${m.id} session expired`, 1));
        return;
      }
      case 'pause_consumer': {
        const m = pick();
        if (!m) return;
        m.paused = true;
        const forS = e.forS ?? Infinity;
        this.log(`pause consumer ${m.id}`, Number.isFinite(forS) ? `for ${forS} s (heartbeats continue: no rebalance${forS > g.spec.maxPollIntervalS ? ', but it exceeds max.poll.interval.ms and leaves the group' : ''})` : 'until resumed');
        if (forS > g.spec.maxPollIntervalS) {
          this.env.call(toTicks(g.spec.maxPollIntervalS), () => {
            if (!m.paused) return;
            m.alive = false;
            this.log(`${m.id} exceeded max.poll.interval.ms`, 'leaves the group: rebalance');
            this.requestRebalance(g, `${m.id} poll timeout`, 1);
          });
        }
        if (Number.isFinite(forS)) this.env.call(toTicks(forS), () => { m.paused = false; });
        return;
      }
      case 'resume_consumer': {
        for (const m of g.members) if (!e.member || m.id === e.member || m.instanceId === e.member) m.paused = false;
        this.log(`resume ${e.member ?? g.spec.name}`, 'consuming again');
        return;
      }
    }
  }

  /**
   * Ends the run at the memory ceiling (docs/limits.md): batches the logs keep, or produce requests
   * waiting, past it. The run stops after this event.
   */
  private outOfMemory(): void {
    const n = (x: number) => x.toLocaleString('en-US');
    this.budget.stop('memory', `more than ${n(LIMITS.liveBatches)} batches kept in the partition logs, or ${n(LIMITS.pendingRequests)} produce requests waiting, at once: shorten retention or lower the rates`);
  }

  private log(event: string, effect: string): void {
    this.eventsLog.push({ timeS: this.env.now / US, event, effect });
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

  /** Runs on the budget given to the constructor (which setup has already spent from). */
  run(): SimResult {
    const before = this.snapshot();
    const outcome = this.env.run({ until: Math.round(this.model.durationS * US), budget: this.budget });
    this.sample();
    for (const g of this.groups) {
      g.stats.assignment = g.members.map((m) => ({
        member: m.id,
        instanceId: m.instanceId,
        state: !m.alive ? 'gone' : m.paused ? 'paused' : m.joined ? 'active' : 'joining',
        partitions: m.assignment.map((p) => this.parts[p].label),
      }));
      g.stats.lagByPartition = this.groupLag(g);
    }
    for (const part of this.parts) {
      for (let h = part.pq.head; h < part.pq.n; h++) this.producerStats[this.streams[part.pq.stream[h]].producer].pending += part.pq.count[h];
    }
    for (const s of this.streams) for (let i = s.backlogHead; i < s.backlog.length; i++) this.producerStats[s.producer].pending += s.backlog[i].count;
    return {
      outcome,
      simulatedS: outcome.now / US,
      before,
      after: this.snapshot(),
      events: this.eventsLog,
      producers: this.producerStats,
      groups: this.groups.map((g) => g.stats),
      samples: this.samples,
      batches: this.batches,
      records: this.records,
      bytesWritten: this.bytesWritten,
      leaderChanges: this.leaderChanges,
    };
  }
}

/** Rack-unaware placement (AdminUtils.assignReplicasToBrokersRackUnaware) with start index 0 and shift 0. */
export function placeReplicas(partition: number, rf: number, brokers: number): number[] {
  const n = brokers;
  const first = partition % n;
  const shift = Math.floor(partition / n) % Math.max(1, n - 1);
  const out = [first];
  for (let j = 0; j < rf - 1; j++) out.push((first + 1 + ((shift + j) % (n - 1))) % n);
  return out.map((b) => b + 1);
}

/** The key of a keyed record from its per-partition sequence: keys rotate, so it is the (seq mod K)-th key of the partition. */
function keyOf(keys: number, partitions: number, partition: number, seq: number): number {
  const mine: number[] = [];
  for (let k = 0; k < keys; k++) if (partitionForKey(`key-${k}`, partitions) === partition) mine.push(k);
  return mine.length ? mine[seq % mine.length] : -1;
}
