// Producer clients: batch streams (one per partition for keyed producers, one sticky stream for null
// keys), the send path to the partition leader, acks=all requests waiting for the high watermark
// (DelayedProduce), retries at the front of the queue, duplicates, expiry, and what each producer saw.
import { BATCH_OVERHEAD, recordSizeInBytes } from '../log/config';
import { idempotenceOn, ProducerSpec, zonesOf } from '../model';
import { partitionForKey } from '../murmur2';
import { BuiltInPartitioner } from '../partitioner';
import { Acks } from '../replication/replicatedPartition';
import { NO_LEADER } from '../replication/election';
import { Budget, Environment } from '../../sim';
import { BatchKind } from './batchLog';
import { Cluster, ClusterListener, Part } from './cluster';
import { TransactionCoordinator } from './transactions';
import { MemoryCeiling, SimContext, US } from './context';

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

/** A batch waiting in a producer to be (re)sent. */
interface Pending {
  part: number;
  count: number;
  seq: number;
  created: number;
  /** Offset where an earlier attempt was written, or -1. */
  inLog: number;
  retryAt: number;
  /** Its transaction, -1 for none. */
  txn: number;
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
  /** Index of the producer's rack, -1 when it has none. */
  rack: number;
  transactional: boolean;
}

// Imported bindings read once (a module's exports can be getters, read on every batch otherwise).
const { Data: KIND_DATA, Transactional: KIND_TXN } = BatchKind;
const HEADER = BATCH_OVERHEAD;

// Fields set in the constructor are `declare`d: with ES2022 class fields they would first be defined as
// `undefined`, and V8 would then keep them as any value (read on every batch).
export class ProducerClients implements ClusterListener {
  readonly streams: Stream[] = [];
  declare readonly stats: ProducerStats[];
  /** Records, batches and bytes appended to leader logs. */
  records = 0;
  /** Records acknowledged to producers, all producers together (sampled for the throughput interval). */
  acked = 0;
  batches = 0;
  bytesWritten = 0;
  declare private readonly ctx: SimContext;
  declare private readonly env: Environment;
  declare private readonly budget: Budget;
  declare private readonly memory: MemoryCeiling;
  declare private readonly parts: Part[];
  declare private readonly crashed: Set<number>;
  declare private readonly kProduce: number;
  declare private readonly cluster: Cluster;
  declare private readonly zoned: boolean;
  /** Racks (by index) whose producers are down. */
  private readonly stoppedRacks = new Set<number>();
  /** Producers (by index) that were killed. */
  private readonly stoppedProducers = new Set<number>();

  declare private readonly tx: TransactionCoordinator;

  constructor(ctx: SimContext, cluster: Cluster, tx: TransactionCoordinator) {
    this.ctx = ctx;
    this.env = ctx.env;
    this.budget = ctx.budget;
    this.memory = ctx.memory;
    this.parts = cluster.parts;
    this.crashed = cluster.crashed;
    this.cluster = cluster;
    this.zoned = cluster.zoned;
    this.tx = tx;
    this.stats = ctx.model.producers.map((p) => ({
      name: p.name,
      acks: p.acks,
      idempotent: idempotenceOn(p),
      sent: 0,
      written: 0,
      acked: 0,
      ackedLost: 0,
      unackedLost: 0,
      duplicates: 0,
      expired: 0,
      notEnoughReplicas: 0,
      notEnoughReplicasAfterAppend: 0,
      timedOut: 0,
      notLeader: 0,
      pending: 0,
    }));
    this.kProduce = ctx.env.on((s) => this.produce(s));
    cluster.listener = this;
    ctx.model.producers.forEach((p, pi) => this.addStreams(p, pi, cluster.topicParts.get(p.topic)!));
  }

  private addStreams(spec: ProducerSpec, pi: number, ids: number[]): void {
    const P = ids.length;
    const keyLen = spec.keys > 0 ? `key-${spec.keys - 1}`.length : null;
    const recBytes = recordSizeInBytes(keyLen, spec.recordBytes);
    const maxPerBatch = Math.max(1, Math.floor((spec.batchBytes - BATCH_OVERHEAD) / recBytes));
    const window = Math.max(spec.lingerS, this.ctx.model.cluster.networkRttS / Math.max(1, spec.maxInFlight));
    const make = (partition: number, rate: number): Stream | undefined => {
      if (!(rate > 0)) return undefined;
      const perBatch = Math.min(maxPerBatch, Math.max(1, Math.ceil(rate * window)));
      return {
        producer: pi,
        spec,
        partition,
        perBatch,
        batchBytes: BATCH_OVERHEAD + perBatch * recBytes,
        intervalTicks: (perBatch / rate) * US,
        nextSeq: 0,
        backlog: [],
        backlogHead: 0,
        maxPerBatch,
        emitted: 0,
        start: 0,
        partIds: ids,
        idempotent: idempotenceOn(spec),
        acks: spec.acks === 'all' ? 'all' : spec.acks === '1' ? 1 : 0,
        recBytes,
        rack: spec.rack === undefined ? -1 : zonesOf(this.ctx.model.cluster).indexOf(spec.rack),
        transactional: spec.transactional,
      };
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
        s.sticky = new BuiltInPartitioner(this.ctx.rng.fork(`sticky:${spec.name}`), spec.batchBytes, spec.partitioner === 'adaptive');
        s.stickySeq = new Float64Array(P);
        this.startStream(s);
      }
    }
  }

  private startStream(s: Stream): void {
    const id = this.streams.length;
    this.streams.push(s);
    // Stagger stream starts inside the first interval so batches do not all land on the same tick.
    s.start = Math.floor(this.ctx.rng.uniform() * s.intervalTicks);
    this.env.schedule(s.start + s.intervalTicks, this.kProduce, id);
  }

  private produce(id: number): void {
    const s = this.streams[id];
    s.emitted++;
    if (
      (s.rack >= 0 && this.stoppedRacks.size > 0 && this.stoppedRacks.has(s.rack)) ||
      (this.stoppedProducers.size > 0 && this.stoppedProducers.has(s.producer))
    ) {
      // Its zone is down: nothing is produced.
      this.env.at(s.start + Math.round((s.emitted + 1) * s.intervalTicks), this.kProduce, id);
      return;
    }
    const st = this.stats[s.producer];
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
    let txn = -1;
    if (s.transactional) {
      txn = this.tx.current(s.producer);
      this.tx.sent(txn, s.perBatch);
    }
    if (s.backlogHead < s.backlog.length) this.flushBacklog(id);
    // Batches queue behind older ones of the same stream, so order is kept.
    if (s.backlogHead < s.backlog.length || this.send(id, ids[partition], s.perBatch, seq, this.env.now, -1, txn) < -1) {
      const last = s.backlogHead < s.backlog.length ? s.backlog[s.backlog.length - 1] : undefined;
      // RecordAccumulator appends to the last unsent batch of the partition while it has room.
      if (
        last &&
        last.inLog < 0 &&
        last.part === ids[partition] &&
        last.seq + last.count === seq &&
        last.count + s.perBatch <= s.maxPerBatch &&
        last.txn === txn
      ) {
        last.count += s.perBatch;
      } else {
        s.backlog.push({ count: s.perBatch, seq, created: this.env.now, inLog: -1, retryAt: 0, part: ids[partition], txn });
        this.memory.addQueuedBatches(1);
      }
    }
    // Schedule the next batch on the stream's own grid so fractional intervals do not drift.
    this.env.at(s.start + Math.round((s.emitted + 1) * s.intervalTicks), this.kProduce, id);
  }

  /** Sends a batch: the offset written (or -1 for a deduplicated retry), or -2 when it must wait. */
  private send(streamId: number, partIdx: number, count: number, seq: number, created: number, inLog: number, txn: number): number {
    const s = this.streams[streamId];
    const part = this.parts[partIdx];
    const rp = part.rp;
    const leader = rp.leader;
    if (leader === NO_LEADER || (this.crashed.size && this.crashed.has(leader))) return -2;
    const st = this.stats[s.producer];
    // Partition.appendRecordsToLeader checks min ISR before the log (and its duplicate detection).
    if (s.acks === 'all' && rp.underMinIsr) {
      st.notEnoughReplicas++;
      return -2;
    }
    // A retry of records already in the log: the broker deduplicates idempotent producers; others write twice.
    if (inLog >= 0 && inLog + count <= rp.logEndOffset && this.sameBatch(part, inLog, s.producer, seq)) {
      if (s.idempotent) {
        this.awaitAck(part, streamId, count, seq, created, inLog, txn);
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
    const bytes = HEADER + count * s.recBytes;
    const slots = part.log.base.length;
    part.log.append(count, bytes, this.env.now / 1000, s.producer, seq, txn >= 0 ? KIND_TXN : KIND_DATA);
    if (txn >= 0) this.tx.appended(txn, part, partIdx, r.baseOffset);
    if (part.log.base.length !== slots) this.memory.addLogSlots(part.log.base.length - slots);
    this.records += count;
    this.batches++;
    this.bytesWritten += bytes;
    part.recordsIn += count;
    part.bytesIn += bytes;
    if (this.zoned) this.countZones(s, part, bytes);
    st.written += count;
    if (acks === 'all') this.awaitAck(part, streamId, count, seq, created, r.baseOffset, txn);
    else {
      st.acked += count;
      this.acked += count;
    }
    return r.baseOffset;
  }

  private sameBatch(part: Part, offset: number, producer: number, seq: number): boolean {
    const i = part.log.batchAt(offset);
    return i >= 0 && part.log.base[i] === offset && part.log.producer[i] === producer && part.log.seq[i] === seq;
  }

  private awaitAck(part: Part, streamId: number, count: number, seq: number, created: number, base: number, txn: number): void {
    const slots = part.pq.req.length;
    part.pq.push(base + count, count, streamId, seq, base, this.env.now, created, txn);
    if (part.pq.req.length !== slots) this.memory.addRequestSlots(part.pq.req.length - slots);
    if (part.rp.highWatermark >= base + count) this.completeAcks(part);
  }

  private flushBacklog(streamId: number): void {
    const s = this.streams[streamId];
    const st = this.stats[s.producer];
    const deliveryTicks = s.spec.deliveryTimeoutS * US;
    while (s.backlogHead < s.backlog.length) {
      const b = s.backlog[s.backlogHead];
      if (this.env.now - b.created > deliveryTicks) {
        s.backlogHead++;
        this.memory.queuedBatches--;
        st.expired += b.count;
        if (b.txn >= 0) this.tx.failed(b.txn, b.count);
        continue;
      }
      if (b.retryAt > this.env.now) break;
      // Off the queue before sending: a send can re-queue failed requests at the front.
      s.backlogHead++;
      this.memory.queuedBatches--;
      if (this.send(streamId, b.part, b.count, b.seq, b.created, b.inLog, b.txn) < -1) {
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
    this.memory.addQueuedBatches(list.length);
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
      const st = this.stats[s.producer];
      const res = rp.checkAcksAll(part.pq.req[h]);
      if (res === 'NONE') {
        st.acked += part.pq.count[h];
        this.acked += part.pq.count[h];
        if (part.pq.txn[h] >= 0) this.tx.acked(part.pq.txn[h], part.pq.count[h]);
      } else {
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
    const b: Pending = {
      count: part.pq.count[h],
      seq: part.pq.seq[h],
      created: part.pq.created[h],
      inLog,
      retryAt: this.env.now + s.spec.retryBackoffS * US,
      part: this.parts.indexOf(part),
      txn: part.pq.txn[h],
    };
    const list = front.get(s);
    if (list) list.push(b);
    else front.set(s, [b]);
  }

  private requeue(front: Map<Stream, Pending[]>): void {
    for (const [s, list] of front) this.pushFront(s, list);
  }

  private failPending(part: Part, why: 'notLeader' | 'timedOut', olderThan = Infinity): void {
    const front = new Map<Stream, Pending[]>();
    while (part.pq.head < part.pq.n && part.pq.sent[part.pq.head] < olderThan) {
      const h = part.pq.head++;
      const st = this.stats[this.streams[part.pq.stream[h]].producer];
      st[why]++;
      this.retry(part, h, part.pq.base[h], front);
    }
    this.requeue(front);
  }

  /** Producer to leader, then leader to followers: what stays in a zone and what crosses. */
  private countZones(s: Stream, part: Part, bytes: number): void {
    const t = this.ctx.traffic,
      lr = this.cluster.brokerRack[part.rp.leader];
    if (s.rack >= 0) {
      if (s.rack === lr) t.produceSame += bytes;
      else t.produceCross += bytes;
    } else {
      // No zone given: producers spread evenly over the zones, so one in Z is in the leader's.
      const z = this.cluster.zones;
      t.produceSame += bytes / z;
      t.produceCross += (bytes * (z - 1)) / z;
    }
    this.cluster.countReplication(part, bytes);
  }

  /** A producer is killed (it sends nothing more, its open transaction is left hanging) or restarted. */
  setProducerDown(producer: number, down: boolean): void {
    if (down) this.stoppedProducers.add(producer);
    else this.stoppedProducers.delete(producer);
    this.tx.stopped(producer, down);
  }

  /** A zone fails or comes back: its producers stop or resume. */
  setZoneDown(zone: number, down: boolean): string[] {
    if (down) this.stoppedRacks.add(zone);
    else this.stoppedRacks.delete(zone);
    return [...new Set(this.streams.filter((s) => s.rack === zone).map((s) => s.spec.name))];
  }

  // ---------------------------------------------------------------- what the cluster tells us

  highWatermarkMoved(part: Part): void {
    this.completeAcks(part);
  }

  /** Requests in flight to the old leader fail with NOT_LEADER_OR_FOLLOWER and are retried. */
  leaderChanged(part: Part): void {
    this.failPending(part, 'notLeader');
    this.completeAcks(part);
  }

  recordsTruncated(producer: number, records: number, committed: number): number {
    const st = this.stats[producer];
    const acked = this.ctx.model.producers[producer].acks === 'all' ? committed : records;
    st.ackedLost += acked;
    st.unackedLost += records - acked;
    st.written -= records;
    return acked;
  }

  /** Requests waiting longer than request.timeout.ms fail (a frozen HW keeps them waiting). */
  isrChecked(): void {
    for (const part of this.parts) {
      if (part.pq.head >= part.pq.n) continue;
      const s = this.streams[part.pq.stream[part.pq.head]];
      this.failPending(part, 'timedOut', this.env.now - s.spec.requestTimeoutS * US);
    }
  }

  /** At the end of a run: records still waiting, in the brokers' queues and the producers'. */
  countPending(): void {
    for (const part of this.parts) {
      for (let h = part.pq.head; h < part.pq.n; h++) this.stats[this.streams[part.pq.stream[h]].producer].pending += part.pq.count[h];
    }
    for (const s of this.streams)
      for (let i = s.backlogHead; i < s.backlog.length; i++) this.stats[s.producer].pending += s.backlog[i].count;
  }
}
