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
    const move = <T extends Float64Array | Int32Array>(a: T): T => {
      if (cap === a.length) { a.copyWithin(0, h, n); return a; }
      const b = new (a.constructor as { new (n: number): T })(cap);
      b.set(a.subarray(h, n));
      return b;
    };
    this.req = move(this.req); this.count = move(this.count); this.stream = move(this.stream); this.seq = move(this.seq);
    this.base = move(this.base); this.sent = move(this.sent); this.created = move(this.created); this.txn = move(this.txn);
    this.head = 0;
    this.n = live;
  }
}
