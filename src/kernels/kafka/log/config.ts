// Topic-level log settings (LogConfig) with Kafka's defaults.

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export interface LogConfig {
  segmentBytes: number;
  segmentMs: number;
  indexIntervalBytes: number;
  segmentIndexBytes: number;
  retentionMs: number;
  /** Per partition; -1 = unlimited. */
  retentionBytes: number;
  cleanupPolicy: CleanupPolicy;
  deleteRetentionMs: number;
  minCleanableDirtyRatio: number;
}

export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 1073741824,
  segmentMs: 604800000,
  indexIntervalBytes: 4096,
  segmentIndexBytes: 10485760,
  retentionMs: 604800000,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  deleteRetentionMs: 86400000,
  minCleanableDirtyRatio: 0.5,
};

/** v2 record batch header bytes (DefaultRecordBatch.RECORD_BATCH_OVERHEAD). */
export const BATCH_OVERHEAD = 61;
/** Offset index entry: 4-byte relative offset + 4-byte position. */
export const OFFSET_INDEX_ENTRY_BYTES = 8;

function varintSize(v: number): number {
  // zig-zag varint as in DefaultRecord
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  let n = 1;
  while (z >= 128) { z = Math.floor(z / 128); n++; }
  return n;
}

/** Size of one v2 record (DefaultRecord.sizeInBytes) with zero offset/timestamp deltas and no headers. */
export function recordSizeInBytes(keyLen: number | null, valueLen: number | null, offsetDelta = 0): number {
  const body =
    1 + // attributes
    varintSize(0) + // timestamp delta
    varintSize(offsetDelta) +
    (keyLen === null ? varintSize(-1) : varintSize(keyLen) + keyLen) +
    (valueLen === null ? varintSize(-1) : varintSize(valueLen) + valueLen) +
    varintSize(0); // header count
  return varintSize(body) + body;
}

/** LogSegment.shouldRoll, for a batch of `batchBytes` arriving at `nowMs`. */
export function shouldRoll(
  cfg: LogConfig,
  seg: { size: number; firstBatchTimestamp: number; indexEntries: number },
  batchBytes: number,
  nowMs: number,
): boolean {
  const indexFull = seg.indexEntries >= Math.floor(cfg.segmentIndexBytes / OFFSET_INDEX_ENTRY_BYTES);
  const reachedRollMs = seg.size > 0 && nowMs - seg.firstBatchTimestamp > cfg.segmentMs;
  return seg.size > cfg.segmentBytes - batchBytes || reachedRollMs || indexFull;
}
