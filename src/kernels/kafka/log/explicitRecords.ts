// A topic's explicit `records:` produced into exact per-partition logs: one producer sends them in
// order (recordBatcher.ts decides partitions and batches), and each partition's log takes its batches.
import { TopicSpec } from '../model';
import { BuiltInPartitioner } from '../partitioner';
import { Rng } from '../../sim';
import { PartitionLog } from './partitionLog';
import { formBatches } from './recordBatcher';
import { keyLabel, serializeKey, valueLabel } from './recordKey';

/** The producer's `batch.size` for explicit records (Kafka's default). */
export const RECORDS_BATCH_SIZE = 16384;

export interface WrittenRecord {
  /** Index in the topic's `records:`. */
  index: number;
  partition: number;
  offset: number;
  /** Base offset of the batch it went in. */
  batchBaseOffset: number;
  segment: number;
  position: number;
}

export interface RecordLogs {
  logs: PartitionLog[];
  /** Where each record went, in the order of `records:`. */
  written: WrittenRecord[];
  /** Report labels of each record's key and value. */
  keys: string[];
  values: string[];
  /** Record index by `partition:offset`. */
  byOffset: Map<string, number>;
}

export function buildRecordLogs(t: TopicSpec, seed: number): RecordLogs | undefined {
  if (!t.records?.length) return undefined;
  const logs = Array.from({ length: t.partitions }, () => new PartitionLog({
    segmentBytes: t.segmentBytes, indexIntervalBytes: t.indexIntervalBytes, cleanupPolicy: t.cleanupPolicy,
    deleteRetentionMs: t.deleteRetentionS * 1000, retentionBytes: t.retentionBytes, retentionMs: t.retentionS < 0 ? -1 : t.retentionS * 1000,
  }));
  const encoder = new TextEncoder();
  const serialized = t.records.map((r) => serializeKey(r.key));
  const timestamps = t.records.map((r) => Math.round(r.timestampS * 1000));
  const batches = formBatches(
    t.records.map((r, i) => ({ key: serialized[i], valueBytes: r.value === null ? null : encoder.encode(r.value).length, partition: r.partition, timestamp: timestamps[i] })),
    t.partitions, RECORDS_BATCH_SIZE, new BuiltInPartitioner(new Rng(seed, `records:${t.name}`), RECORDS_BATCH_SIZE),
  );
  const written: WrittenRecord[] = new Array(t.records.length);
  const byOffset = new Map<string, number>();
  for (const b of batches) {
    const log = logs[b.partition];
    const placed = log.append(b.records.map((i) => {
      const r = t.records![i];
      return { key: r.key?.type === 'string' ? r.key.text : serialized[i], value: r.value, timestamp: timestamps[i] };
    }));
    // The batch just appended is the active segment's last: no lookup (a locate per record was quadratic).
    b.records.forEach((i, j) => {
      const offset = placed.baseOffset + j;
      written[i] = { index: i, partition: b.partition, offset, batchBaseOffset: placed.baseOffset, segment: log.activeSegment.baseOffset, position: placed.position };
      byOffset.set(`${b.partition}:${offset}`, i);
    });
  }
  return { logs, written, keys: t.records.map((r) => keyLabel(r.key)), values: t.records.map((r) => valueLabel(r.value)), byOffset };
}
