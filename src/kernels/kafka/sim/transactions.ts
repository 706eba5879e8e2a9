// Transactions (exactly-once): a transactional producer's records belong to its open transaction;
// every `transaction_interval` it commits (or aborts, at `abort_rate`). The commit waits until every
// record of the transaction is acknowledged (commitTransaction flushes first); then the transaction
// coordinator writes a COMMIT or ABORT marker (a one-offset control batch) to each partition the
// transaction wrote to. The last stable offset of a partition (LSO) is the first offset of its
// earliest transaction not yet complete (the marker not yet below the high watermark), or the HW.
// read_committed consumers read up to it and skip aborted records.
import { BATCH_OVERHEAD, recordSizeInBytes } from '../log/config';
import { Budget, Environment, Rng } from '../../sim';
import { BatchKind } from './batchLog';
import { Cluster, Part } from './cluster';
import { SimContext, toTicks } from './context';

/** A control record: key = version + type (4 bytes), value = version + coordinator epoch (6 bytes). */
export const MARKER_BYTES = BATCH_OVERHEAD + recordSizeInBytes(4, 6);

interface Transaction {
  id: number;
  producer: number;
  started: number;
  /** Records sent and not yet acknowledged (or given up on). */
  outstanding: number;
  /** Some of its records could not be delivered: it can only abort. */
  failed: boolean;
  closing: boolean;
  abort: boolean;
  /** Partitions it wrote to, with the base offset of each batch there. */
  batches: Map<number, number[]>;
}

export interface TransactionStats {
  committed: number;
  aborted: number;
  markers: number;
  /** Records in aborted transactions. */
  abortedRecords: number;
  /** Transactions the coordinator aborted at transaction.timeout.ms. */
  timedOut: number;
}

/** Each partition's transactions not yet stable: open ones (by transaction id, their first offset here), and completed ones whose marker the HW has not passed. */
export interface PartitionTxnState {
  open: Map<number, number>;
  completing: { first: number; marker: number }[];
}

export class TransactionCoordinator {
  readonly stats: TransactionStats[];
  declare private readonly ctx: SimContext;
  declare private readonly env: Environment;
  declare private readonly budget: Budget;
  declare private readonly cluster: Cluster;
  declare private readonly rng: Rng;
  private readonly open = new Map<number, Transaction>();
  private readonly byId = new Map<number, Transaction>();
  private nextId = 0;

  constructor(ctx: SimContext, cluster: Cluster) {
    this.ctx = ctx;
    this.env = ctx.env;
    this.budget = ctx.budget;
    this.cluster = cluster;
    this.rng = ctx.rng.fork('transactions');
    this.stats = ctx.model.producers.map(() => ({ committed: 0, aborted: 0, markers: 0, abortedRecords: 0, timedOut: 0 }));
  }

  /** Starts the commit timers of the transactional producers. */
  start(): void {
    this.ctx.model.producers.forEach((p, pi) => {
      if (!p.transactional) return;
      const tick = () => {
        if (!this.down.has(pi)) this.requestCommit(pi);
        this.env.call(toTicks(p.transactionIntervalS), tick);
      };
      this.env.call(toTicks(p.transactionIntervalS), tick);
    });
  }

  /** The producer's open transaction (beginTransaction on first use); its id. */
  current(producer: number): number {
    let t = this.open.get(producer);
    if (!t) {
      const tx: Transaction = {
        id: this.nextId++,
        producer,
        started: this.env.now,
        outstanding: 0,
        failed: false,
        closing: false,
        abort: false,
        batches: new Map(),
      };
      this.open.set(producer, tx);
      this.byId.set(tx.id, tx);
      // transaction.timeout.ms: the coordinator aborts a transaction still unfinished then (a producer that died mid-transaction).
      this.env.call(toTicks(this.ctx.model.producers[producer].transactionTimeoutS), () => {
        if (!this.byId.has(tx.id)) return;
        if (this.open.get(producer) === tx) this.open.delete(producer);
        tx.closing = true;
        tx.failed = true;
        tx.outstanding = 0;
        this.stats[producer].timedOut++;
        this.maybeComplete(tx);
      });
      t = tx;
    }
    return t.id;
  }

  /**
   * A producer stopped (killed): it commits nothing more; its open transaction waits for the timeout.
   * Started again, it calls initTransactions with its transactional.id: the coordinator bumps the
   * epoch, fencing the old one, and aborts the transaction it left open (KIP-98, InitProducerId).
   */
  stopped(producer: number, down: boolean): void {
    if (down) {
      this.down.add(producer);
      return;
    }
    this.down.delete(producer);
    const t = this.open.get(producer);
    if (!t) return;
    this.open.delete(producer);
    t.closing = true;
    t.failed = true;
    t.outstanding = 0;
    this.maybeComplete(t);
  }

  private readonly down = new Set<number>();

  sent(txn: number, records: number): void {
    this.byId.get(txn)!.outstanding += records;
  }

  /** A batch of the transaction landed in a partition's log. */
  appended(txn: number, part: Part, partIdx: number, base: number): void {
    const t = this.byId.get(txn)!;
    const state = (part.txn ??= { open: new Map(), completing: [] });
    if (!state.open.has(t.id)) state.open.set(t.id, base);
    const list = t.batches.get(partIdx);
    if (list) list.push(base);
    else t.batches.set(partIdx, [base]);
  }

  acked(txn: number, records: number): void {
    const t = this.byId.get(txn);
    if (!t) return;
    t.outstanding -= records;
    this.maybeComplete(t);
  }

  /** Records that will never be acknowledged (expired): the transaction must abort. */
  failed(txn: number, records: number): void {
    const t = this.byId.get(txn);
    if (!t) return;
    t.outstanding -= records;
    t.failed = true;
    this.maybeComplete(t);
  }

  /** commitTransaction (or abortTransaction): new records go to a new transaction; this one ends once its records are in. */
  private requestCommit(producer: number): void {
    const t = this.open.get(producer);
    if (!t) return;
    this.open.delete(producer);
    t.closing = true;
    const spec = this.ctx.model.producers[producer];
    t.abort = spec.abortRate > 0 && this.rng.uniform() < spec.abortRate;
    this.maybeComplete(t);
  }

  private maybeComplete(t: Transaction): void {
    if (!t.closing || t.outstanding > 0) return;
    this.byId.delete(t.id);
    const abort = t.abort || t.failed;
    const st = this.stats[t.producer];
    if (abort) st.aborted++;
    else st.committed++;
    this.budget.spend(t.batches.size);
    for (const [partIdx, bases] of t.batches) this.writeMarker(t, this.cluster.parts[partIdx], bases, abort);
  }

  /** WriteTxnMarkers: the leader appends the marker (waiting while the partition cannot take acks=all writes). */
  private writeMarker(t: Transaction, part: Part, bases: number[], abort: boolean): void {
    const rp = part.rp;
    if (!this.cluster.leaderUp(part) || rp.underMinIsr) {
      this.env.call(toTicks(0.1), () => this.writeMarker(t, part, bases, abort));
      return;
    }
    const r = rp.append(1, 'all');
    if (r.error !== 'NONE') {
      this.env.call(toTicks(0.1), () => this.writeMarker(t, part, bases, abort));
      return;
    }
    const log = part.log;
    if (abort) {
      for (const base of bases) {
        const i = log.batchAt(base);
        if (i >= 0 && log.base[i] === base && log.kind[i] === BatchKind.Transactional) {
          log.kind[i] = BatchKind.Aborted;
          this.stats[t.producer].abortedRecords += log.count[i];
        }
      }
    }
    log.append(1, MARKER_BYTES, this.env.now / 1000, t.producer, -1, BatchKind.Control);
    this.stats[t.producer].markers++;
    if (this.cluster.zoned) this.cluster.countReplication(part, MARKER_BYTES);
    const state = part.txn!;
    const first = state.open.get(t.id);
    if (first !== undefined) {
      state.open.delete(t.id);
      state.completing.push({ first, marker: r.baseOffset });
    }
  }
}

/** LastStableOffset: the HW, or the first offset of the earliest transaction not yet complete below it. */
export function lastStableOffset(part: Part): number {
  const hw = part.rp.highWatermark;
  const state = part.txn;
  if (!state) return hw;
  let lso = hw;
  for (const first of state.open.values()) if (first < lso) lso = first;
  // A completed transaction is stable once its marker is below the HW.
  if (state.completing.length) {
    state.completing = state.completing.filter((c) => c.marker >= hw);
    for (const c of state.completing) if (c.first < lso) lso = c.first;
  }
  return lso;
}
