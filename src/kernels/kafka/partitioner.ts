// Producer partitioning (BuiltInPartitioner, Kafka 3.3+): keyed records by murmur2; null keys stick to
// one partition until batch.size bytes went there (2x if the batch was not ready), then switch at
// random — uniformly, or (adaptive, the default) weighted by how short each partition's queue is.
import { partitionForKey } from './murmur2';
import { Rng } from '../sim';

/** One policy behind one interface, like Kafka's `Partitioner`. */
export interface Partitioner {
  /** Partition for a record; `null` key = sticky. */
  partition(key: string | number | null, numPartitions: number): number;
  /** Tell the sticky logic that `bytes` were appended to `partition`'s current batch. */
  onAppend?(partition: number, bytes: number, batchReady: boolean, numPartitions: number): void;
}

/**
 * Cumulative frequency table for adaptive partitioning (BuiltInPartitioner.updatePartitionLoadStats):
 * weight = maxQueueSize + 1 - queueSize. Queues [0, 3, 1] give weights [4, 1, 3] and table [4, 5, 8].
 */
export function adaptiveFrequencyTable(queueSizes: readonly number[]): number[] {
  const maxPlus1 = Math.max(...queueSizes) + 1;
  const out: number[] = [];
  let sum = 0;
  for (const q of queueSizes) {
    sum += maxPlus1 - q;
    out.push(sum);
  }
  return out;
}

/** Index picked by a non-negative random int from a cumulative table (first entry greater than r mod total). */
export function pickWeighted(cumulative: readonly number[], random: number): number {
  const r = random % cumulative[cumulative.length - 1];
  let lo = 0,
    hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// Fields are `declare`d and set in the constructor, in their old order (the parameter properties first):
// with ES2022 class fields they were first defined as `undefined`, so V8 kept them as any value, read on
// every sticky batch.
export class BuiltInPartitioner implements Partitioner {
  declare private readonly rng: Rng;
  declare private readonly stickyBatchSize: number;
  declare private readonly adaptive: boolean;
  declare private current: number;
  declare private producedBytes: number;
  /** Per-partition queue sizes for adaptive switching (all equal = uniform). */
  declare queueSizes: number[] | undefined;

  constructor(rng: Rng, stickyBatchSize = 16384, adaptive = true) {
    this.rng = rng;
    this.stickyBatchSize = stickyBatchSize;
    this.adaptive = adaptive;
    this.current = -1;
    this.producedBytes = 0;
    this.queueSizes = undefined;
  }

  partition(key: string | number | null, numPartitions: number): number {
    if (key !== null) return partitionForKey(key, numPartitions);
    if (this.current < 0 || this.current >= numPartitions) this.next(numPartitions);
    return this.current;
  }

  onAppend(partition: number, bytes: number, batchReady: boolean, numPartitions: number): void {
    if (partition !== this.current) return;
    this.producedBytes += bytes;
    if ((this.producedBytes >= this.stickyBatchSize && batchReady) || this.producedBytes >= 2 * this.stickyBatchSize)
      this.next(numPartitions);
  }

  private next(numPartitions: number): void {
    const random = this.rng.nextU32() & 0x7fffffff;
    const q = this.queueSizes;
    if (this.adaptive && q && q.length === numPartitions && q.some((x) => x !== q[0])) {
      this.current = pickWeighted(adaptiveFrequencyTable(q), random);
    } else {
      this.current = random % numPartitions;
    }
    this.producedBytes = 0;
  }
}
