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

function keyValueSize(keyLen: number | null, valueLen: number | null): number {
  return (keyLen === null ? varintSize(-1) : varintSize(keyLen) + keyLen) +
    (valueLen === null ? varintSize(-1) : varintSize(valueLen) + valueLen) +
    varintSize(0); // header count
}

/**
 * Size of one v2 record (DefaultRecord.sizeInBytes) without headers: `offsetDelta` and `timestampDelta`
 * from the batch's base offset and first timestamp.
 */
export function recordSizeInBytes(keyLen: number | null, valueLen: number | null, offsetDelta = 0, timestampDelta = 0): number {
  const body =
    1 + // attributes
    varintSize(timestampDelta) + // a varlong: the same zig-zag size rule
    varintSize(offsetDelta) +
    keyValueSize(keyLen, valueLen);
  return varintSize(body) + body;
}

/** DefaultRecord.recordSizeUpperBound: MAX_RECORD_OVERHEAD (21) plus key, value and header count. */
export function recordSizeUpperBound(keyLen: number | null, valueLen: number | null): number {
  return 21 + keyValueSize(keyLen, valueLen);
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
