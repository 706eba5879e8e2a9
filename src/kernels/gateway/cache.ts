// A route's response cache: TTL freshness, and an optional capacity (entries and/or bytes) kept by
// evicting the least recently used entry. Keys are dense integers (kind × key × vary class), so the
// LRU order is an intrusive doubly linked list in typed arrays: every operation is O(1) and a run
// allocates nothing. Without a capacity the list is not kept at all (the unbounded cache of before).
// Fields are `declare`d and set in the constructor in their old order (no parameter properties): with
// ES2022 class fields they would first be defined as `undefined`, and V8 would then check the arrays'
// type on every lookup and store.

export class RouteCache {
  declare readonly maxEntries: number;
  declare readonly maxBytes: number;
  /** Expiry per cache key in µs; −1: not stored. Fresh while now < expiry. */
  declare readonly exp: Float64Array;
  /** True when a capacity is set (the LRU list is kept). */
  declare readonly bounded: boolean;
  /** Entries and payload bytes stored. */
  declare entries: number;
  declare bytes: number;
  // LRU list over keys 0..n−1 with a sentinel at n: next[n] is the least recently used entry, prev[n]
  // the most recently used.
  declare private readonly next: Int32Array;
  declare private readonly prev: Int32Array;
  declare private readonly size: Float64Array;
  declare private readonly head: number;

  constructor(keys: number, maxEntries = Infinity, maxBytes = Infinity) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.exp = new Float64Array(keys).fill(-1);
    this.bounded = maxEntries < Infinity || maxBytes < Infinity;
    this.entries = 0;
    this.bytes = 0;
    const n = this.bounded ? keys + 1 : 0;
    this.next = new Int32Array(n);
    this.prev = new Int32Array(n);
    this.size = new Float64Array(this.bounded ? keys : 0);
    this.head = keys;
    if (this.bounded) this.next[keys] = this.prev[keys] = keys;
  }

  /** Whether key `ck` is fresh at `now`. A hit becomes the most recently used entry; an expired entry is
   * a miss and keeps its place until the response replaces it (or it is evicted first). */
  lookup(ck: number, now: number): boolean {
    if (!(this.exp[ck] > now)) return false;
    if (this.bounded) {
      this.unlink(ck);
      this.append(ck);
    }
    return true;
  }

  /** Stores a response of `bytes` payload bytes fresh until `expiry` as the most recently used entry,
   * replacing any entry under the same key; returns how many other entries were evicted to make room.
   * A response larger than `maxBytes` is not stored. */
  store(ck: number, expiry: number, bytes: number): number {
    if (!this.bounded) {
      this.exp[ck] = expiry;
      return 0;
    }
    if (this.exp[ck] >= 0) this.remove(ck);
    if (bytes > this.maxBytes) return 0;
    let evicted = 0;
    while (this.entries > 0 && (this.entries + 1 > this.maxEntries || this.bytes + bytes > this.maxBytes)) {
      this.remove(this.next[this.head]);
      evicted++;
    }
    this.exp[ck] = expiry;
    this.size[ck] = bytes;
    this.entries++;
    this.bytes += bytes;
    this.append(ck);
    return evicted;
  }

  /** Keys from least to most recently used (for tests). */
  order(): number[] {
    const out: number[] = [];
    if (this.bounded) for (let k = this.next[this.head]; k !== this.head; k = this.next[k]) out.push(k);
    return out;
  }

  private remove(ck: number): void {
    this.unlink(ck);
    this.exp[ck] = -1;
    this.bytes = --this.entries === 0 ? 0 : this.bytes - this.size[ck]; // no float residue when empty
  }

  private unlink(ck: number): void {
    const p = this.prev[ck],
      n = this.next[ck];
    this.next[p] = n;
    this.prev[n] = p;
  }

  private append(ck: number): void {
    const h = this.head,
      last = this.prev[h];
    this.next[last] = ck;
    this.prev[ck] = last;
    this.next[ck] = h;
    this.prev[h] = ck;
  }
}
