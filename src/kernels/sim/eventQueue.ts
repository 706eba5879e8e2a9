// A 4-ary min-heap of events (no object per event). Four children per node halve the depth of a binary
// heap, which pays off because every event is one pop and about one push.
// Order: integer time first, then insertion sequence number, so simultaneous events run in the
// order they were scheduled (FIFO) — the fixed tie rule that makes runs reproducible.
//
// Layout: the heap holds only (time, slot) pairs; an event's seq, kind and argument stay in its slot and
// never move, so sifting moves two numbers per level instead of four, and seq is read only on time ties.
//
// Removal is deferred: `pop()` copies the root out and leaves it in place as a hole. A handler nearly
// always schedules an event, and the first `push` after a `pop` fills the hole (reusing its slot) and
// sifts down once (heapreplace), instead of a sift-down for the pop plus a sift-up for the push. When no
// push comes, the next `pop`/`peekTime` removes the hole the usual way. Keys (time, seq) are unique, so
// the pop order depends only on the set of keys, never on the heap's layout.
//
// Fields set in the constructor are `declare`d: with ES2022 class fields a plain `private time:
// Float64Array;` is first defined as undefined, and V8 then treats the field as any value and checks the
// array's type on every access.

export class EventQueue {
  /** Heap: event times, and the slot holding each event's seq/kind/arg. */
  declare private time: Float64Array;
  declare private slot: Int32Array;
  /** Per slot. */
  declare private seq: Float64Array;
  declare private kinds: Int32Array;
  declare private args: Float64Array;
  /** Slots released by removed events (slots in use or free are always 0 .. n + nFree - 1). */
  declare private free: Int32Array;
  private nFree = 0;
  /** Heap entries, including the hole at the root while `hole` is set. */
  private n = 0;
  private nextSeq = 0;
  /** The root has been popped but not yet removed. */
  private hole = false;

  /** Fields of the event removed by the last successful `pop()`. */
  poppedTime = 0;
  poppedKind = 0;
  poppedArg = 0;

  constructor(initialCapacity = 1024) {
    const c = Math.max(16, initialCapacity | 0);
    this.time = new Float64Array(c);
    this.slot = new Int32Array(c);
    this.seq = new Float64Array(c);
    this.kinds = new Int32Array(c);
    this.args = new Float64Array(c);
    this.free = new Int32Array(c);
  }

  get size(): number {
    return this.hole ? this.n - 1 : this.n;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    if (this.hole) this.removeHole();
    return this.n > 0 ? this.time[0] : Infinity;
  }

  clear(): void {
    this.n = 0;
    this.nFree = 0;
    this.nextSeq = 0;
    this.hole = false;
  }

  private grow(): void {
    const c = this.time.length * 2;
    const t = new Float64Array(c);
    t.set(this.time);
    this.time = t;
    const p = new Int32Array(c);
    p.set(this.slot);
    this.slot = p;
    const s = new Float64Array(c);
    s.set(this.seq);
    this.seq = s;
    const k = new Int32Array(c);
    k.set(this.kinds);
    this.kinds = k;
    const a = new Float64Array(c);
    a.set(this.args);
    this.args = a;
    const f = new Int32Array(c);
    f.set(this.free);
    this.free = f;
  }

  /** Adds an event; `time` must be an integer (the caller's clock unit). */
  push(time: number, kind: number, arg: number): void {
    if (this.hole) {
      this.hole = false;
      const sl = this.slot[0];
      this.seq[sl] = this.nextSeq++;
      this.kinds[sl] = kind;
      this.args[sl] = arg;
      this.siftDown(time, sl, this.n);
      return;
    }
    this.pushNew(time, kind, arg);
  }

  private pushNew(time: number, kind: number, arg: number): void {
    if (this.n === this.time.length) this.grow();
    const sl = this.nFree > 0 ? this.free[--this.nFree] : this.n;
    this.seq[sl] = this.nextSeq++;
    this.kinds[sl] = kind;
    this.args[sl] = arg;
    const T = this.time,
      P = this.slot;
    let i = this.n++;
    // The new event's seq is the largest in the queue, so it goes after every event of equal time.
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = T[p];
      if (pt <= time) break;
      T[i] = pt;
      P[i] = P[p];
      i = p;
    }
    T[i] = time;
    P[i] = sl;
  }

  /** Removes the earliest event into `poppedTime/Kind/Arg`; false when empty. */
  pop(): boolean {
    if (this.hole) this.removeHole();
    if (this.n === 0) return false;
    const sl = this.slot[0];
    this.poppedTime = this.time[0];
    this.poppedKind = this.kinds[sl];
    this.poppedArg = this.args[sl];
    this.hole = true;
    return true;
  }

  /** Fills the hole at the root with the last entry and frees the hole's slot. */
  private removeHole(): void {
    this.hole = false;
    this.free[this.nFree++] = this.slot[0];
    const last = --this.n;
    if (last > 0) this.siftDown(this.time[last], this.slot[last], last);
  }

  /** Index of the earliest of the children first .. end-1 (end > first). */
  private minChild(first: number, end: number): number {
    const T = this.time;
    let c = first,
      ct = T[first];
    for (let j = first + 1; j < end; j++) {
      const jt = T[j];
      if (jt < ct || (jt === ct && this.seq[this.slot[j]] < this.seq[this.slot[c]])) {
        c = j;
        ct = jt;
      }
    }
    return c;
  }

  /** Places (t, sl) at or below the root of a heap of `n` entries. */
  private siftDown(t: number, sl: number, n: number): void {
    const T = this.time,
      P = this.slot,
      S = this.seq;
    const s = S[sl];
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      const c = this.minChild(first, first + 4 < n ? first + 4 : n);
      const ct = T[c];
      if (t < ct || (t === ct && s < S[P[c]])) break;
      T[i] = ct;
      P[i] = P[c];
      i = c;
    }
    T[i] = t;
    P[i] = sl;
  }
}
