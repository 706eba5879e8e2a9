// A 4-ary min-heap of events in parallel typed arrays (no object per event). Four children per node
// halve the depth of a binary heap, which pays off because every event is one pop and about one push.
// Order: integer time first, then insertion sequence number, so simultaneous events run in the
// order they were scheduled (FIFO) — the fixed tie rule that makes runs reproducible.

export class EventQueue {
  private time: Float64Array;
  private seq: Float64Array;
  private kinds: Int32Array;
  private args: Float64Array;
  private n = 0;
  private nextSeq = 0;

  /** Fields of the event removed by the last successful `pop()`. */
  poppedTime = 0;
  poppedKind = 0;
  poppedArg = 0;

  constructor(initialCapacity = 1024) {
    const c = Math.max(16, initialCapacity | 0);
    this.time = new Float64Array(c);
    this.seq = new Float64Array(c);
    this.kinds = new Int32Array(c);
    this.args = new Float64Array(c);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.time[0] : Infinity;
  }

  clear(): void {
    this.n = 0;
    this.nextSeq = 0;
  }

  private grow(): void {
    const c = this.time.length * 2;
    const t = new Float64Array(c); t.set(this.time); this.time = t;
    const s = new Float64Array(c); s.set(this.seq); this.seq = s;
    const k = new Int32Array(c); k.set(this.kinds); this.kinds = k;
    const a = new Float64Array(c); a.set(this.args); this.args = a;
  }

  /** Adds an event; `time` must be an integer (the caller's clock unit). */
  push(time: number, kind: number, arg: number): void {
    if (this.n === this.time.length) this.grow();
    const T = this.time, S = this.seq, K = this.kinds, A = this.args;
    const sq = this.nextSeq++;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = T[p];
      if (pt < time || (pt === time && S[p] < sq)) break;
      T[i] = pt; S[i] = S[p]; K[i] = K[p]; A[i] = A[p];
      i = p;
    }
    T[i] = time; S[i] = sq; K[i] = kind; A[i] = arg;
  }

  /** Removes the earliest event into `poppedTime/Kind/Arg`; false when empty. */
  pop(): boolean {
    const n = this.n;
    if (n === 0) return false;
    const T = this.time, S = this.seq, K = this.kinds, A = this.args;
    this.poppedTime = T[0];
    this.poppedKind = K[0];
    this.poppedArg = A[0];
    const last = n - 1;
    this.n = last;
    if (last === 0) return true;
    const t = T[last], s = S[last], k = K[last], a = A[last];
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= last) break;
      // smallest of up to four children
      let c = first, ct = T[first], cs = S[first];
      const end = first + 4 < last ? first + 4 : last;
      for (let j = first + 1; j < end; j++) {
        const jt = T[j];
        if (jt < ct || (jt === ct && S[j] < cs)) { c = j; ct = jt; cs = S[j]; }
      }
      if (t < ct || (t === ct && s < cs)) break;
      T[i] = ct; S[i] = cs; K[i] = K[c]; A[i] = A[c];
      i = c;
    }
    T[i] = t; S[i] = s; K[i] = k; A[i] = a;
    return true;
  }
}
