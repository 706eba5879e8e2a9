// The producer's RecordAccumulator for a list of records sent one after another before any batch
// leaves (a loop of send() with linger long enough that batches fill): which partition each record
// goes to and which batch it joins. Null keys follow BuiltInPartitioner: the sticky partition switches
// once batch.size bytes went to it and its last batch is full (RecordAccumulator.partitionChanged and
// updatePartitionInfo), or at twice batch.size whatever the batch.
import { partitionForKey } from '../murmur2';
import { BuiltInPartitioner } from '../partitioner';
import { BATCH_OVERHEAD, recordSizeInBytes, recordSizeUpperBound } from './config';

export interface RecordToSend {
  /** Serialized key (null = no key). */
  key: Uint8Array | null;
  valueBytes: number | null;
  /** Explicit partition (ProducerRecord.partition). */
  partition?: number;
  timestamp: number;
}

export interface FormedBatch {
  partition: number;
  /** Indexes of the records it holds, in order. */
  records: number[];
}

/** One open ProducerBatch: MemoryRecordsBuilder's counters for hasRoomFor and isFull. */
interface OpenBatch {
  batch: FormedBatch;
  writeLimit: number;
  bytes: number;
  baseTimestamp: number;
  closed: boolean;
}

const isFull = (b: OpenBatch) => b.closed || b.writeLimit <= b.bytes;

/**
 * Forms the batches, in the order they were created. `batchSize` is `batch.size`; `sticky` decides the
 * null-key partition (its random source is the run's). Follows RecordAccumulator.append: check the
 * partition (partitionChanged), try the last batch, and when that fails check again (the failed try
 * closed the batch, which can complete a held-back switch) before starting a new batch.
 */
export function formBatches(records: readonly RecordToSend[], partitions: number, batchSize: number, sticky: BuiltInPartitioner): FormedBatch[] {
  const out: FormedBatch[] = [];
  const last: (OpenBatch | undefined)[] = new Array(partitions);
  const allBatchesFull = (p: number) => { const b = last[p]; return b === undefined || isFull(b); };
  /** partitionChanged for the sticky partition `p`: true when the partitioner moved on. */
  const changed = (p: number) => {
    if (!allBatchesFull(p)) return false;
    sticky.onAppend(p, 0, true, partitions);
    return sticky.partition(null, partitions) !== p;
  };
  records.forEach((r, i) => {
    const keyLen = r.key === null ? null : r.key.length;
    const isSticky = r.partition === undefined && r.key === null;
    for (;;) {
      const p = r.partition ?? (r.key !== null ? partitionForKey(r.key, partitions) : sticky.partition(null, partitions));
      if (isSticky && changed(p)) continue;
      const open = last[p];
      if (open) {
        // tryAppend: MemoryRecordsBuilder.hasRoomFor, with the record's offset and timestamp deltas.
        const size = recordSizeInBytes(keyLen, r.valueBytes, open.batch.records.length, r.timestamp - open.baseTimestamp);
        if (!isFull(open) && open.writeLimit >= open.bytes + size) {
          open.bytes += size;
          open.batch.records.push(i);
          if (isSticky) sticky.onAppend(p, size, allBatchesFull(p), partitions);
          return;
        }
        open.closed = true;
      }
      if (isSticky && changed(p)) continue;
      const batch: FormedBatch = { partition: p, records: [i] };
      // The buffer is batch.size, or larger for a record that would not fit an empty batch.
      const writeLimit = Math.max(batchSize, BATCH_OVERHEAD + recordSizeUpperBound(keyLen, r.valueBytes));
      const bytes = BATCH_OVERHEAD + recordSizeInBytes(keyLen, r.valueBytes);
      last[p] = { batch, writeLimit, bytes, baseTimestamp: r.timestamp, closed: false };
      out.push(batch);
      if (isSticky) sticky.onAppend(p, bytes, allBatchesFull(p), partitions);
      return;
    }
  });
  return out;
}
