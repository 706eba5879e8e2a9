// One partition's append-only log: segments named by base offset, a sparse offset index per segment,
// retention by time and size, and compaction (LogSegment, OffsetIndex, UnifiedLog, LogCleaner).
import { BATCH_OVERHEAD, DEFAULT_LOG_CONFIG, LogConfig, recordSizeInBytes, shouldRoll } from './config';

const encoder = new TextEncoder();
const byteLen = (s: string | Uint8Array | null): number | null => (s === null ? null : typeof s === 'string' ? encoder.encode(s).length : s.length);

/** Compaction compares serialized keys: a string key and a byte key with the same bytes are one key. */
function keyId(k: string | Uint8Array): string {
  const b = typeof k === 'string' ? encoder.encode(k) : k;
  let out = '';
  for (const x of b) out += x.toString(16).padStart(2, '0');
  return out;
}

export interface ProducedRecord {
  /** A string key (UTF-8, StringSerializer), serialized bytes (IntegerSerializer, raw bytes), or none. */
  key: string | Uint8Array | null;
  value: string | null;
  timestamp: number;
}

export interface LogRecord extends ProducedRecord {
  offset: number;
}

export interface RecordBatch {
  baseOffset: number;
  /** Kept through compaction even when the last record is removed (producer state needs it). */
  lastOffset: number;
  /** Byte position of the batch inside its segment. */
  position: number;
  sizeInBytes: number;
  maxTimestamp: number;
  records: LogRecord[];
  /** Set by the first cleaning that kept a tombstone in this batch (KIP-534 delete horizon). */
  deleteHorizonMs?: number;
}

export interface IndexEntry {
  offset: number;
  position: number;
}

export class LogSegment {
  readonly batches: RecordBatch[] = [];
  readonly index: IndexEntry[] = [];
  size = 0;
  bytesSinceLastIndexEntry = 0;
  /** -Infinity while empty: timestamps are relative to the run's start and may be negative. */
  largestTimestamp = -Infinity;
  firstBatchTimestamp = -Infinity;

  constructor(readonly baseOffset: number) {}

  get indexEntries(): number {
    return this.index.length;
  }

  /** LogSegment.append: index check happens before the batch is counted. */
  append(batch: Omit<RecordBatch, 'position'>, indexIntervalBytes: number): RecordBatch {
    const placed: RecordBatch = { ...batch, position: this.size };
    if (this.bytesSinceLastIndexEntry > indexIntervalBytes) {
      this.index.push({ offset: placed.lastOffset, position: placed.position });
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += placed.sizeInBytes;
    this.batches.push(placed);
    this.size += placed.sizeInBytes;
    if (this.batches.length === 1) this.firstBatchTimestamp = placed.maxTimestamp;
    this.largestTimestamp = Math.max(this.largestTimestamp, placed.maxTimestamp);
    return placed;
  }

  /** OffsetIndex.lookup: the largest entry with offset <= target, else (baseOffset, 0). */
  lookup(target: number): IndexEntry {
    let lo = 0, hi = this.index.length - 1, found: IndexEntry = { offset: this.baseOffset, position: 0 };
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.index[mid].offset <= target) { found = this.index[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }
}

/** Index of the first batch whose last offset is at or after `offset` (batches are in offset order, compacted ones too). */
function firstEndingAtOrAfter(batches: readonly RecordBatch[], offset: number): number {
  let lo = 0, hi = batches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (batches[mid].lastOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface RecordLocation {
  segmentBaseOffset: number;
  /** Index entry the lookup started from. */
  indexEntry: IndexEntry;
  /** Start of the batch holding the offset (or the next surviving one). */
  batchPosition: number;
  batchBaseOffset: number;
  /** Bytes scanned from the index position to the batch. */
  scannedBytes: number;
  /** The offset actually found (a compacted gap reads as the next surviving offset). */
  offset: number;
}

export interface RetentionResult {
  deletedSegments: number[];
  reason: 'time' | 'size' | 'none';
  logStartOffset: number;
}

export interface CleanResult {
  removedRecords: number;
  removedTombstones: number;
  keptTombstones: number;
}

export class PartitionLog {
  readonly config: LogConfig;
  segments: LogSegment[];
  logStartOffset = 0;
  logEndOffset = 0;

  constructor(config: Partial<LogConfig> = {}) {
    this.config = { ...DEFAULT_LOG_CONFIG, ...config };
    this.segments = [new LogSegment(0)];
  }

  get activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1];
  }

  get sizeInBytes(): number {
    let s = 0;
    for (const seg of this.segments) s += seg.size;
    return s;
  }

  /** Appends one batch; returns its offsets and where it went. */
  append(records: ProducedRecord[], nowMs = records.reduce((m, r) => Math.max(m, r.timestamp), 0)): RecordBatch {
    if (records.length === 0) throw new RangeError('empty batch');
    const base = this.logEndOffset;
    const withOffsets: LogRecord[] = records.map((r, i) => ({ ...r, offset: base + i }));
    const size = BATCH_OVERHEAD + withOffsets.reduce((s, r, i) => s + recordSizeInBytes(byteLen(r.key), byteLen(r.value), i, r.timestamp - records[0].timestamp), 0);
    return this.appendBatch(withOffsets, size, nowMs);
  }

  /** Appends a batch of `count` records of `sizeInBytes` total without contents (for sizing runs). */
  appendOpaque(count: number, sizeInBytes: number, timestamp: number): RecordBatch {
    return this.appendBatch([], sizeInBytes, timestamp, count);
  }

  private appendBatch(records: LogRecord[], size: number, nowMs: number, count = records.length): RecordBatch {
    const base = this.logEndOffset;
    if (shouldRoll(this.config, this.activeSegment, size, nowMs)) this.roll();
    const maxTimestamp = records.length ? Math.max(...records.map((r) => r.timestamp)) : nowMs;
    const placed = this.activeSegment.append({ baseOffset: base, lastOffset: base + count - 1, sizeInBytes: size, maxTimestamp, records }, this.config.indexIntervalBytes);
    this.logEndOffset = base + count;
    return placed;
  }

  /** Starts a new active segment at the log end offset (no-op when the active segment is empty). */
  roll(): void {
    if (this.activeSegment.size === 0) return;
    this.segments.push(new LogSegment(this.logEndOffset));
  }

  private segmentFor(offset: number): LogSegment | undefined {
    let found: LogSegment | undefined;
    for (const s of this.segments) if (s.baseOffset <= offset) found = s;
    return found;
  }

  /** Where an offset lives: segment, index entry, batch position (OffsetIndex.lookup + scan). */
  locate(offset: number): RecordLocation | undefined {
    if (offset < this.logStartOffset || offset >= this.logEndOffset) return undefined;
    const first = this.segments.indexOf(this.segmentFor(offset)!);
    for (let si = first; si < this.segments.length; si++) {
      const seg = this.segments[si];
      const entry = si === first ? seg.lookup(offset) : { offset: seg.baseOffset, position: 0 };
      for (let i = firstEndingAtOrAfter(seg.batches, offset); i < seg.batches.length; i++) {
        const b = seg.batches[i];
        if (b.position < entry.position) continue;
        const rec = b.records.length ? b.records.find((r) => r.offset >= offset) : undefined;
        if (b.records.length && !rec) continue;
        return {
          segmentBaseOffset: seg.baseOffset,
          indexEntry: entry,
          batchPosition: b.position,
          batchBaseOffset: b.baseOffset,
          scannedBytes: b.position - entry.position,
          offset: rec ? rec.offset : Math.max(offset, b.baseOffset),
        };
      }
    }
    return undefined;
  }

  /** Records from `offset` (inclusive) up to `maxOffset` (exclusive, e.g. the high watermark). */
  read(offset: number, maxRecords = Infinity, maxOffset = this.logEndOffset): LogRecord[] {
    const out: LogRecord[] = [];
    for (const seg of this.segments) {
      for (let i = firstEndingAtOrAfter(seg.batches, offset); i < seg.batches.length; i++) {
        const b = seg.batches[i];
        for (const r of b.records) {
          if (r.offset < offset || r.offset >= maxOffset) continue;
          out.push(r);
          if (out.length >= maxRecords) return out;
        }
      }
    }
    return out;
  }

  /** Removes everything at or above `offset` (follower truncation after a leader change). */
  truncateTo(offset: number): void {
    if (offset >= this.logEndOffset) return;
    while (this.segments.length > 1 && this.activeSegment.baseOffset >= offset) this.segments.pop();
    const seg = this.activeSegment;
    const keep = seg.batches.filter((b) => b.lastOffset < offset);
    seg.batches.length = 0;
    seg.index.length = 0;
    seg.size = 0;
    seg.bytesSinceLastIndexEntry = 0;
    seg.largestTimestamp = -Infinity;
    seg.firstBatchTimestamp = -Infinity;
    for (const b of keep) seg.append(b, this.config.indexIntervalBytes);
    this.logEndOffset = Math.max(offset, this.logStartOffset);
  }

  /**
   * Retention (UnifiedLog.deleteOldSegments): oldest first, stop at the first segment that may not go.
   * Never deletes past the high watermark. Time before size, as Kafka runs them.
   */
  applyRetention(nowMs: number, highWatermark = this.logEndOffset): RetentionResult {
    if (this.config.cleanupPolicy === 'compact') return { deletedSegments: [], reason: 'none', logStartOffset: this.logStartOffset };
    const byTime = this.deleteWhile(highWatermark, (seg) => this.config.retentionMs >= 0 && nowMs - seg.largestTimestamp > this.config.retentionMs);
    if (byTime.length) return { deletedSegments: byTime, reason: 'time', logStartOffset: this.logStartOffset };
    if (this.config.retentionBytes < 0) return { deletedSegments: [], reason: 'none', logStartOffset: this.logStartOffset };
    let diff = this.sizeInBytes - this.config.retentionBytes;
    const bySize = this.deleteWhile(highWatermark, (seg) => {
      if (diff - seg.size >= 0) { diff -= seg.size; return true; }
      return false;
    });
    return { deletedSegments: bySize, reason: bySize.length ? 'size' : 'none', logStartOffset: this.logStartOffset };
  }

  private deleteWhile(highWatermark: number, predicate: (seg: LogSegment) => boolean): number[] {
    const deleted: number[] = [];
    while (this.segments.length > 0) {
      const seg = this.segments[0];
      const isActive = this.segments.length === 1;
      const upper = isActive ? this.logEndOffset : this.segments[1].baseOffset;
      if (seg.size === 0 || highWatermark < upper || !predicate(seg)) break;
      deleted.push(seg.baseOffset);
      if (isActive) {
        // Deleting the active segment rolls a fresh one at the log end.
        this.segments = [new LogSegment(this.logEndOffset)];
        this.logStartOffset = this.logEndOffset;
        break;
      }
      this.segments.shift();
      this.logStartOffset = this.segments[0].baseOffset;
    }
    return deleted;
  }

  /** Dirty ratio of the cleanable part (everything before the active segment) past `firstDirtyOffset`. */
  dirtyRatio(firstDirtyOffset: number): number {
    let clean = 0, dirty = 0;
    for (const seg of this.segments.slice(0, -1)) {
      for (const b of seg.batches) {
        if (b.baseOffset >= firstDirtyOffset) dirty += b.sizeInBytes;
        else clean += b.sizeInBytes;
      }
    }
    return clean + dirty === 0 ? 0 : dirty / (clean + dirty);
  }

  /**
   * One cleaner pass over all segments before the active one (LogCleaner.cleanSegments):
   * keep a record iff it is the last offset for its key in the cleaned range or later; tombstones are
   * kept until their batch's delete horizon (delete.retention.ms after the pass that first saw them).
   * Offsets and order never change; batches keep their last offset; empty batches go.
   */
  clean(nowMs: number): CleanResult {
    const result: CleanResult = { removedRecords: 0, removedTombstones: 0, keptTombstones: 0 };
    if (this.config.cleanupPolicy === 'delete') return result;
    const cleanable = this.segments.slice(0, -1);
    const lastOffsetOfKey = new Map<string, number>();
    for (const seg of cleanable) for (const b of seg.batches) for (const r of b.records) if (r.key !== null) lastOffsetOfKey.set(keyId(r.key), r.offset);
    for (const seg of cleanable) {
      const batches = seg.batches.splice(0);
      seg.index.length = 0;
      seg.size = 0;
      seg.bytesSinceLastIndexEntry = 0;
      seg.largestTimestamp = -Infinity;
      seg.firstBatchTimestamp = -Infinity;
      for (const b of batches) {
        const horizonPassed = b.deleteHorizonMs !== undefined && nowMs >= b.deleteHorizonMs;
        let hasTombstone = false;
        const kept = b.records.filter((r) => {
          if (r.key === null || lastOffsetOfKey.get(keyId(r.key))! > r.offset) { result.removedRecords++; return false; }
          if (r.value === null) {
            if (horizonPassed) { result.removedTombstones++; return false; }
            hasTombstone = true;
            result.keptTombstones++;
          }
          return true;
        });
        if (kept.length === 0) continue;
        const deleteHorizonMs = hasTombstone ? (b.deleteHorizonMs ?? nowMs + this.config.deleteRetentionMs) : undefined;
        // The retained batch keeps its base offset; its base timestamp is the delete horizon when it has
        // one (MemoryRecordsBuilder), else the first kept record's.
        const baseTimestamp = deleteHorizonMs ?? kept[0].timestamp;
        const size = BATCH_OVERHEAD + kept.reduce((s, r) => s + recordSizeInBytes(byteLen(r.key), byteLen(r.value), r.offset - b.baseOffset, r.timestamp - baseTimestamp), 0);
        // v2 keeps the original base and last offsets of a filtered batch (MemoryRecords.buildRetainedRecordsInto).
        seg.append({ baseOffset: b.baseOffset, lastOffset: b.lastOffset, sizeInBytes: size, maxTimestamp: b.maxTimestamp, records: kept, deleteHorizonMs }, this.config.indexIntervalBytes);
      }
    }
    return result;
  }
}
