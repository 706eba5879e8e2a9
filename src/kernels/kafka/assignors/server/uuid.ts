// org.apache.kafka.common.Uuid: two signed 64-bit halves, written as 22 characters of URL-safe base64.
// The uniform assignor iterates HashSets of topic ids (by hashCode) and sorts topics by compareTo, so
// both are Kafka's.
import { Rng } from '../../../sim';

export interface Uuid {
  /** mostSignificantBits, leastSignificantBits (signed). */
  readonly msb: bigint;
  readonly lsb: bigint;
  /** toString(): URL-safe base64 of the 16 bytes, no padding. */
  readonly text: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function fromBytes(bytes: Uint8Array): Uuid {
  let hi = 0n, lo = 0n;
  for (let i = 0; i < 8; i++) hi = (hi << 8n) | BigInt(bytes[i]);
  for (let i = 8; i < 16; i++) lo = (lo << 8n) | BigInt(bytes[i]);
  let text = '';
  for (let i = 0; i < 16; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < 16 ? 4 : i + 1 < 16 ? 3 : 2;
    for (let c = 0; c < chars; c++) text += ALPHABET[(n >> (18 - 6 * c)) & 63];
  }
  return { msb: BigInt.asIntN(64, hi), lsb: BigInt.asIntN(64, lo), text };
}

/** Uuid.fromString: base64url-decodes 16 bytes. */
export function uuidFromString(text: string): Uuid {
  if (text.length !== 22) throw new Error(`\`${text}\` is not a base64 Uuid (22 characters)`);
  const bytes = new Uint8Array(16);
  let bits = 0, acc = 0, n = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`\`${text}\` is not a base64 Uuid`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) { bits -= 8; bytes[n++] = (acc >> bits) & 0xff; }
  }
  return fromBytes(bytes);
}

/** A random Uuid (Uuid.randomUuid: a version-4 java.util.UUID), from the run's seeded random source. */
export function randomUuid(rng: Rng): Uuid {
  for (;;) {
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i += 4) new DataView(bytes.buffer).setUint32(i, rng.nextU32());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const u = fromBytes(bytes);
    // Kafka never hands out 0, 1, or an id whose text starts with '-'.
    if (!u.text.startsWith('-')) return u;
  }
}

/** Uuid.hashCode: the xor of the halves, folded to an int. */
export function uuidHash(u: Uuid): number {
  const x = u.msb ^ u.lsb;
  return (Number(BigInt.asIntN(32, x >> 32n)) ^ Number(BigInt.asIntN(32, x))) | 0;
}

/** Uuid.compareTo: most significant half first, as signed longs. */
export function compareUuids(a: Uuid, b: Uuid): number {
  return a.msb > b.msb ? 1 : a.msb < b.msb ? -1 : a.lsb > b.lsb ? 1 : a.lsb < b.lsb ? -1 : 0;
}
