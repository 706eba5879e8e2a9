// Java HashMap<String, V> iteration order. The sticky assignor walks members in this order, so a
// sorted or insertion order gives different (wrong) lists.

/** Java String.hashCode over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** HashMap.hash spreads the high bits down: h ^ (h >>> 16). */
export function javaSpread(h: number): number {
  return (h ^ (h >>> 16)) | 0;
}

/** Table size after `n` puts into `new HashMap<>()` (16 buckets, resize when size > 0.75 * capacity). */
export function javaHashMapCapacity(n: number): number {
  let cap = 16;
  while (n > cap * 0.75) cap *= 2;
  return cap;
}

/**
 * Keys in the order a `new HashMap<>()` filled by `put` in `insertionOrder` iterates them: by bucket,
 * then insertion order within a bucket (resizes split buckets but keep relative order; treeified
 * bins need 8+ collisions in one bucket of a 64+ table, which member counts here never reach).
 */
export function javaHashMapOrder(insertionOrder: readonly string[]): string[] {
  const cap = javaHashMapCapacity(insertionOrder.length);
  return insertionOrder
    .map((k, i) => ({ k, i, b: javaSpread(javaStringHash(k)) & (cap - 1) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((e) => e.k);
}
