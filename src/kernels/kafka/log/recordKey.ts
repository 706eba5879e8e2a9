// Record keys as the producer serializes them, and as the report shows them: a string quoted (so the
// string "null" and no key differ), an int as a number, raw bytes in hex, no key as `null`.
import { RecordKey } from '../model';

const encoder = new TextEncoder();

export function serializeKey(k: RecordKey): Uint8Array | null {
  if (k === null) return null;
  switch (k.type) {
    case 'string': return encoder.encode(k.text);
    case 'int': { const b = new Uint8Array(4); new DataView(b.buffer).setInt32(0, k.value | 0, false); return b; }
    case 'bytes': return k.bytes;
  }
}

export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const x of bytes) out += x.toString(16).padStart(2, '0');
  return out;
}

export function keyLabel(k: RecordKey): string {
  if (k === null) return 'null';
  switch (k.type) {
    case 'string': return JSON.stringify(k.text);
    case 'int': return String(k.value);
    case 'bytes': return `0x${hex(k.bytes)}`;
  }
}

/** A value as the report shows it: quoted, or `null (tombstone)`. */
export function valueLabel(v: string | null): string {
  return v === null ? 'null (tombstone)' : JSON.stringify(v);
}
