// Kafka's key hashing (clients Utils.murmur2 + BuiltInPartitioner.partitionForKey), bit for bit.

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** murmur2 over unsigned bytes with 32-bit wrapping arithmetic; returns a signed 32-bit int like Java. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i << 2;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & 3;
  const base = length & ~3;
  // Java's switch falls through from the tail length down to 1.
  if (tail === 3) h ^= data[base + 2] << 16;
  if (tail >= 2) h ^= data[base + 1] << 8;
  if (tail >= 1) {
    h ^= data[base];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's toPositive: masks the sign bit (not Math.abs, which differs for negative hashes). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

const encoder = new TextEncoder();

/** Serialized key bytes: UTF-8 for strings (StringSerializer), 4 big-endian bytes for integers (IntegerSerializer). */
export function keyBytes(key: string | number | Uint8Array): Uint8Array {
  if (key instanceof Uint8Array) return key;
  if (typeof key === 'number') {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, key | 0, false);
    return b;
  }
  return encoder.encode(key);
}

/** BuiltInPartitioner.partitionForKey: toPositive(murmur2(bytes)) % numPartitions (all partitions, available or not). */
export function partitionForKey(key: string | number | Uint8Array, numPartitions: number): number {
  if (!(numPartitions > 0)) throw new RangeError('numPartitions must be positive');
  return toPositive(murmur2(keyBytes(key))) % numPartitions;
}
