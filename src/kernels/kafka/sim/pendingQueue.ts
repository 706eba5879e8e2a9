// In-flight acks=all produce requests of one partition, oldest first, in typed-array columns
// (DelayedProduce purgatory, reduced to a FIFO: requests complete in offset order).

export class PendingQueue {
  /** Required offset (last offset + 1). */
  req = new Float64Array(16);
  count = new Int32Array(16);
  stream = new Int32Array(16);
  seq = new Float64Array(16);
  base = new Float64Array(16);
  /** Tick the request was sent. */
  sent = new Float64Array(16);
  /** Tick the batch was created (for delivery.timeout.ms). */
  created = new Float64Array(16);
  /** Transaction the records belong to, -1 for none. */
  txn = new Float64Array(16);
  head = 0;
  n = 0;

  get size(): number {
    return this.n - this.head;
  }

  push(req: number, count: number, stream: number, seq: number, base: number, sent: number, created: number, txn = -1): void {
    if (this.n === this.req.length) this.makeRoom();
    const i = this.n++;
    this.req[i] = req; this.count[i] = count; this.stream[i] = stream; this.seq[i] = seq;
    this.base[i] = base; this.sent[i] = sent; this.created[i] = created; this.txn[i] = txn;
  }

  private makeRoom(): void {
    const live = this.n - this.head;
    const cap = live * 2 > this.req.length ? this.req.length * 2 : this.req.length;
    const h = this.head, n = this.n;
    this.req = moveColumn(this.req, h, n, cap); this.count = moveColumn(this.count, h, n, cap); this.stream = moveColumn(this.stream, h, n, cap);
    this.seq = moveColumn(this.seq, h, n, cap); this.base = moveColumn(this.base, h, n, cap); this.sent = moveColumn(this.sent, h, n, cap);
    this.created = moveColumn(this.created, h, n, cap); this.txn = moveColumn(this.txn, h, n, cap);
    this.head = 0;
    this.n = live;
  }
}

/** The live rows [h, n) of a column moved to its start, in a new array of `cap` rows when it must grow. */
function moveColumn<T extends Float64Array | Int32Array>(a: T, h: number, n: number, cap: number): T {
  if (cap === a.length) { a.copyWithin(0, h, n); return a; }
  const b = new (a.constructor as { new (n: number): T })(cap);
  b.set(a.subarray(h, n));
  return b;
}
