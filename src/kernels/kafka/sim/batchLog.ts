// The simulation's partition log: batch metadata in growable typed-array columns (no object per batch),
// segments rolled by LogSegment.shouldRoll, retention by time and size, truncation. Memory follows the
// retained log, not the number of records produced. Record contents are not kept; producer and
// per-partition sequence numbers are, so offsets, duplicates and per-key order stay exact.
import { LogConfig, OFFSET_INDEX_ENTRY_BYTES } from '../log/config';

/** What a batch holds (Int8 column). */
export const BatchKind = {
  Data: 0,
  /** Records of a transaction (open or committed). */
  Transactional: 1,
  /** Records of an aborted transaction: read_committed consumers skip them. */
  Aborted: 2,
  /** A COMMIT or ABORT marker: one offset, never delivered. */
  Control: 3,
} as const;

export interface SimSegment {
  baseOffset: number;
  /** Index of its first batch in the columns. */
  firstBatch: number;
  size: number;
  firstBatchTimestamp: number;
  largestTimestamp: number;
  indexEntries: number;
  bytesSinceLastIndexEntry: number;
}

export interface BatchLocation {
  segmentBaseOffset: number;
  batchBaseOffset: number;
  batchPosition: number;
  indexOffset: number;
  indexPosition: number;
  scannedBytes: number;
}

// Fields are `declare`d and set in the constructor, in their old order (the config first, as the
// parameter property it was): with ES2022 class fields `config` and `maxIndexEntries` were first defined
// as `undefined`, so V8 kept them as any value and checked them on every append.
export class BatchLog {
  declare readonly config: LogConfig;
  // columns, valid in [head, n)
  declare base: Float64Array;
  declare count: Int32Array;
  declare bytes: Int32Array;
  declare position: Int32Array;
  declare time: Float64Array;
  declare producer: Int32Array;
  /** Producer's per-partition sequence of the batch's first record. */
  declare seq: Float64Array;
  /** What the batch is (BatchKind): plain data, transactional data, aborted data, or a control marker. */
  declare kind: Int8Array;
  declare head: number;
  declare n: number;
  declare segments: SimSegment[];
  declare logStartOffset: number;
  declare logEndOffset: number;
  declare size: number;
  declare private readonly maxIndexEntries: number;

  constructor(config: LogConfig) {
    this.config = config;
    this.base = new Float64Array(16);
    this.count = new Int32Array(16);
    this.bytes = new Int32Array(16);
    this.position = new Int32Array(16);
    this.time = new Float64Array(16);
    this.producer = new Int32Array(16);
    this.seq = new Float64Array(16);
    this.kind = new Int8Array(16);
    this.head = 0;
    this.n = 0;
    this.segments = [];
    this.logStartOffset = 0;
    this.logEndOffset = 0;
    this.size = 0;
    this.maxIndexEntries = Math.floor(config.segmentIndexBytes / OFFSET_INDEX_ENTRY_BYTES);
    this.segments.push(this.newSegment(0));
  }

  private newSegment(base: number): SimSegment {
    return { baseOffset: base, firstBatch: this.n, size: 0, firstBatchTimestamp: -Infinity, largestTimestamp: -Infinity, indexEntries: 0, bytesSinceLastIndexEntry: 0 };
  }

  private grow(): void {
    if (this.head > this.base.length >> 1) {
      // Retention freed the front: slide instead of growing.
      const h = this.head, len = this.n - h;
      for (const col of [this.base, this.count, this.bytes, this.position, this.time, this.producer, this.seq, this.kind]) col.copyWithin(0, h, this.n);
      this.head = 0;
      this.n = len;
      for (const s of this.segments) s.firstBatch -= h;
      return;
    }
    const c = this.base.length * 2;
    const g = <T extends Float64Array | Int32Array | Int8Array>(a: T): T => { const b = new (a.constructor as { new (n: number): T })(c); b.set(a); return b; };
    this.base = g(this.base); this.count = g(this.count); this.bytes = g(this.bytes); this.position = g(this.position);
    this.time = g(this.time); this.producer = g(this.producer); this.seq = g(this.seq); this.kind = g(this.kind);
  }

  /** Appends a batch; returns its base offset. `timeMs` is the batch's max timestamp. */
  append(count: number, bytes: number, timeMs: number, producer: number, seq: number, kind = 0 /* BatchKind.Data */): number {
    let seg = this.segments[this.segments.length - 1];
    const cfg = this.config;
    if (seg.size > cfg.segmentBytes - bytes || (seg.size > 0 && timeMs - seg.firstBatchTimestamp > cfg.segmentMs) || seg.indexEntries >= this.maxIndexEntries) {
      seg = this.newSegment(this.logEndOffset);
      this.segments.push(seg);
    }
    if (this.n === this.base.length) {
      this.grow();
      if (this.n === this.base.length) this.grow();
    }
    const i = this.n++;
    const baseOffset = this.logEndOffset;
    this.base[i] = baseOffset;
    this.count[i] = count;
    this.bytes[i] = bytes;
    this.position[i] = seg.size;
    this.time[i] = timeMs;
    this.producer[i] = producer;
    this.seq[i] = seq;
    this.kind[i] = kind;
    if (seg.bytesSinceLastIndexEntry > cfg.indexIntervalBytes) {
      seg.indexEntries++;
      seg.bytesSinceLastIndexEntry = 0;
    }
    seg.bytesSinceLastIndexEntry += bytes;
    // Timestamps are relative to the run's start and may be negative (records written before it).
    if (seg.size === 0) seg.firstBatchTimestamp = timeMs;
    if (timeMs > seg.largestTimestamp) seg.largestTimestamp = timeMs;
    seg.size += bytes;
    this.size += bytes;
    this.logEndOffset = baseOffset + count;
    return baseOffset;
  }

  /** Column index of the batch holding `offset` (or the first batch after it), or -1. */
  batchAt(offset: number): number {
    let lo = this.head, hi = this.n - 1, ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.base[mid] + this.count[mid] - 1 >= offset) { ans = mid; hi = mid - 1; } else lo = mid + 1;
    }
    return ans;
  }

  /** Removes offsets >= `offset`; calls `onRemoved(batch)` for each removed batch first (newest last). */
  truncateTo(offset: number, onRemoved?: (i: number) => void): void {
    if (offset >= this.logEndOffset) return;
    let i = this.batchAt(offset);
    if (i < 0) i = this.n;
    // A batch straddling the point is cut whole from the point on (replicas truncate at batch boundaries
    // in practice; the straddling case only happens with our own arithmetic and keeps the prefix).
    for (let j = i; j < this.n; j++) onRemoved?.(j);
    if (i < this.n && this.base[i] < offset) {
      // Records carry no sizes here: the kept prefix keeps its share of the batch's bytes.
      const kept = offset - this.base[i];
      const bytes = Math.round((this.bytes[i] * kept) / this.count[i]);
      this.size -= this.bytes[i] - bytes;
      this.bytes[i] = bytes;
      this.count[i] = kept;
      i++;
    }
    for (let j = i; j < this.n; j++) this.size -= this.bytes[j];
    this.n = i;
    while (this.segments.length > 1 && this.segments[this.segments.length - 1].firstBatch >= this.n) this.segments.pop();
    const seg = this.segments[this.segments.length - 1];
    seg.size = 0;
    seg.indexEntries = 0;
    seg.bytesSinceLastIndexEntry = 0;
    seg.largestTimestamp = -Infinity;
    seg.firstBatchTimestamp = -Infinity;
    const first = Math.max(seg.firstBatch, this.head);
    for (let j = first; j < this.n; j++) {
      if (seg.bytesSinceLastIndexEntry > this.config.indexIntervalBytes) { seg.indexEntries++; seg.bytesSinceLastIndexEntry = 0; }
      seg.bytesSinceLastIndexEntry += this.bytes[j];
      this.position[j] = seg.size;
      seg.size += this.bytes[j];
      if (j === first) seg.firstBatchTimestamp = this.time[j];
      seg.largestTimestamp = Math.max(seg.largestTimestamp, this.time[j]);
    }
    this.logEndOffset = Math.max(offset, this.logStartOffset);
  }

  /** UnifiedLog retention: time first, then size; oldest first; never past `highWatermark`. Returns segments deleted. */
  applyRetention(nowMs: number, highWatermark: number): number {
    const cfg = this.config;
    if (cfg.cleanupPolicy === 'compact') return 0;
    let deleted = this.deleteWhile(highWatermark, (s) => cfg.retentionMs >= 0 && nowMs - s.largestTimestamp > cfg.retentionMs);
    if (deleted === 0 && cfg.retentionBytes >= 0) {
      let diff = this.size - cfg.retentionBytes;
      deleted = this.deleteWhile(highWatermark, (s) => { if (diff - s.size >= 0) { diff -= s.size; return true; } return false; });
    }
    if (deleted) this.shrink();
    return deleted;
  }

  /** After retention, give memory back when the live part is a small fraction of the columns. */
  private shrink(): void {
    const live = this.n - this.head;
    const cap = this.base.length;
    if (cap <= 1024 || live * 4 > cap) return;
    let c = 256;
    while (c < live * 2) c *= 2;
    const h = this.head, n = this.n;
    const cut = <T extends Float64Array | Int32Array | Int8Array>(a: T): T => { const b = new (a.constructor as { new (n: number): T })(c); b.set(a.subarray(h, n)); return b; };
    this.base = cut(this.base); this.count = cut(this.count); this.bytes = cut(this.bytes); this.position = cut(this.position);
    this.time = cut(this.time); this.producer = cut(this.producer); this.seq = cut(this.seq); this.kind = cut(this.kind);
    for (const seg of this.segments) seg.firstBatch -= h;
    this.head = 0;
    this.n = live;
  }

  private deleteWhile(highWatermark: number, pred: (s: SimSegment) => boolean): number {
    let deleted = 0;
    while (this.segments.length > 0) {
      const s = this.segments[0];
      const active = this.segments.length === 1;
      const upper = active ? this.logEndOffset : this.segments[1].baseOffset;
      if (s.size === 0 || highWatermark < upper || !pred(s)) break;
      deleted++;
      this.size -= s.size;
      if (active) {
        this.head = this.n;
        this.segments = [this.newSegment(this.logEndOffset)];
        this.logStartOffset = this.logEndOffset;
        break;
      }
      this.segments.shift();
      this.head = this.segments[0].firstBatch;
      this.logStartOffset = this.segments[0].baseOffset;
    }
    return deleted;
  }

  /** Segment, sparse index entry and batch position for an offset (replays the index rule for its segment). */
  locate(offset: number): BatchLocation | undefined {
    if (offset < this.logStartOffset || offset >= this.logEndOffset) return undefined;
    const b = this.batchAt(offset);
    if (b < 0) return undefined;
    let seg = this.segments[0];
    for (const s of this.segments) if (s.firstBatch <= b) seg = s;
    let since = 0, idxOffset = seg.baseOffset, idxPos = 0;
    for (let j = seg.firstBatch; j <= b; j++) {
      if (since > this.config.indexIntervalBytes) {
        since = 0;
        const last = this.base[j] + this.count[j] - 1;
        if (last <= offset) { idxOffset = last; idxPos = this.position[j]; }
      }
      since += this.bytes[j];
    }
    return {
      segmentBaseOffset: seg.baseOffset,
      batchBaseOffset: this.base[b],
      batchPosition: this.position[b],
      indexOffset: idxOffset,
      indexPosition: idxPos,
      scannedBytes: this.position[b] - idxPos,
    };
  }
}
