// Java HashMap / HashSet iteration order. The sticky assignor walks members in this order and takes
// the first element of HashSet<TopicPartition>s, so a sorted or insertion order gives different
// (wrong) answers.

/** Java String.hashCode over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** TopicPartition.hashCode: 31 * (31 + partition) + topic.hashCode(), in int arithmetic. */
export function javaTopicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, (31 + partition) | 0) + javaStringHash(topic)) | 0;
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

/** HashMap.tableSizeFor: the power of two a `new HashMap<>(n)` starts with. */
function tableSizeFor(n: number): number {
  let cap = 1;
  while (cap < n) cap *= 2;
  return cap;
}

interface Node<K> {
  key: K;
  id: string;
  hash: number;
}

/**
 * The key order of a java.util.HashMap (or HashSet) under put/remove/clear: by bucket, then by
 * insertion within a bucket. Resizes split buckets but keep relative order; clear() keeps the
 * table size. A bucket reaching 9 entries in a table under 64 doubles the table, as treeifyBin
 * does. Treeified bins (9+ collisions in a 64+ table) are not modelled: their order would follow
 * the red-black tree root, and the key sets here essentially never collide that much.
 */
export class JavaHashSet<K> {
  private table: Node<K>[][] | null = null;
  private cap: number;
  private count = 0;
  private readonly index = new Map<string, Node<K>>();

  constructor(
    private readonly hashOf: (k: K) => number,
    private readonly idOf: (k: K) => string,
    initialCapacity?: number,
  ) {
    this.cap = initialCapacity === undefined ? 16 : tableSizeFor(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  has(k: K): boolean {
    return this.index.has(this.idOf(k));
  }

  add(k: K): boolean {
    const id = this.idOf(k);
    if (this.index.has(id)) return false;
    if (!this.table) this.table = Array.from({ length: this.cap }, () => []);
    const node: Node<K> = { key: k, id, hash: javaSpread(this.hashOf(k)) };
    const bin = this.table[node.hash & (this.cap - 1)];
    bin.push(node);
    this.index.set(id, node);
    if (bin.length >= 9 && this.cap < 64) this.resize();
    if (++this.count > Math.floor(this.cap * 0.75)) this.resize();
    return true;
  }

  delete(k: K): boolean {
    const node = this.index.get(this.idOf(k));
    if (!node) return false;
    const bin = this.table![node.hash & (this.cap - 1)];
    bin.splice(bin.indexOf(node), 1);
    this.index.delete(node.id);
    this.count--;
    return true;
  }

  clear(): void {
    if (this.table) for (const bin of this.table) bin.length = 0;
    this.index.clear();
    this.count = 0;
  }

  /** What `iterator().next()` returns. */
  first(): K | undefined {
    if (this.table) for (const bin of this.table) if (bin.length) return bin[0].key;
    return undefined;
  }

  *[Symbol.iterator](): IterableIterator<K> {
    if (this.table) for (const bin of this.table) for (const n of bin) yield n.key;
  }

  private resize(): void {
    const old = this.table!;
    this.cap *= 2;
    const next: Node<K>[][] = Array.from({ length: this.cap }, () => []);
    // Old bucket j splits into j and j + oldCap, each keeping its relative order.
    for (const bin of old) for (const n of bin) next[n.hash & (this.cap - 1)].push(n);
    this.table = next;
  }
}

/** A HashSet<String> (or the key set of a HashMap<String, V>). */
export function javaStringHashSet(initialCapacity?: number): JavaHashSet<string> {
  return new JavaHashSet<string>(javaStringHash, (s) => s, initialCapacity);
}

/** Keys in the order a `new HashMap<>()` filled by `put` in `insertionOrder` iterates them. */
export function javaHashMapOrder(insertionOrder: readonly string[]): string[] {
  const set = javaStringHashSet();
  for (const k of insertionOrder) set.add(k);
  return [...set];
}

/**
 * Keys in the order `new HashMap<>(source)` iterates them, where `source` is a `new HashMap<>()` filled
 * in `insertionOrder`. The copy is pre-sized to tableSizeFor(s / 0.75 + 1) (JDK 8-17 arithmetic;
 * JDK 19+ sizes it to ceil(s / 0.75), which can change the order of the copy).
 */
export function javaHashMapCopyOrder(insertionOrder: readonly string[]): string[] {
  const source = javaHashMapOrder(insertionOrder);
  const copy = javaStringHashSet(Math.floor(Math.fround(Math.fround(source.length / 0.75) + 1)));
  for (const k of source) copy.add(k);
  return [...copy];
}
