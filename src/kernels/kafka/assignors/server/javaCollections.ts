// The java.util collections the group coordinator's assignors iterate, with Java's iteration order:
// HashMap and HashSet by bucket (hashCode spread, table size from how they were built), LinkedHashMap
// by insertion. The assignors' answers depend on these orders (which partitions a member keeps, which
// topic is handed out first), so the port iterates them exactly as Java would.
import { JavaHashSet } from '../javaHashMap';
import { Uuid, uuidHash } from './uuid';

/** The reads and writes the assignors make on a Map (HashMap, LinkedHashMap, unmodifiable views). */
export interface JavaMap<K, V> {
  readonly size: number;
  get(k: K): V | undefined;
  has(k: K): boolean;
  put(k: K, v: V): void;
  remove(k: K): void;
  keys(): Iterable<K>;
  entries(): Iterable<[K, V]>;
}

/** java.util.HashMap: keys in bucket order. */
export class JavaHashMap<K, V> implements JavaMap<K, V> {
  private readonly keySet: JavaHashSet<K>;
  private readonly values = new Map<string, V>();

  constructor(private readonly hashOf: (k: K) => number, private readonly idOf: (k: K) => string, initialCapacity?: number) {
    this.keySet = new JavaHashSet<K>(hashOf, idOf, initialCapacity);
  }

  get size(): number { return this.keySet.size; }
  get(k: K): V | undefined { return this.values.get(this.idOf(k)); }
  has(k: K): boolean { return this.keySet.has(k); }
  put(k: K, v: V): void { this.keySet.add(k); this.values.set(this.idOf(k), v); }
  remove(k: K): void { this.keySet.delete(k); this.values.delete(this.idOf(k)); }
  keys(): Iterable<K> { return this.keySet; }
  *entries(): Iterable<[K, V]> { for (const k of this.keySet) yield [k, this.values.get(this.idOf(k))!]; }
}

/** java.util.LinkedHashMap: keys in insertion order. */
export class JavaLinkedHashMap<K, V> implements JavaMap<K, V> {
  private readonly map = new Map<string, [K, V]>();
  constructor(private readonly idOf: (k: K) => string) {}
  get size(): number { return this.map.size; }
  get(k: K): V | undefined { return this.map.get(this.idOf(k))?.[1]; }
  has(k: K): boolean { return this.map.has(this.idOf(k)); }
  put(k: K, v: V): void { const e = this.map.get(this.idOf(k)); if (e) e[1] = v; else this.map.set(this.idOf(k), [k, v]); }
  remove(k: K): void { this.map.delete(this.idOf(k)); }
  *keys(): Iterable<K> { for (const [k] of this.map.values()) yield k; }
  entries(): Iterable<[K, V]> { return this.map.values(); }
}

/** A Set<Integer> of partitions. */
export type PartitionSet = JavaHashSet<number>;
/** A member's assignment, Map<Uuid, Set<Integer>>. */
export type TopicPartitions = JavaMap<Uuid, PartitionSet>;

const intHash = (n: number) => n | 0;
const intId = (n: number) => String(n);
const uuidId = (u: Uuid) => u.text;

/** `new HashSet<Integer>()`, or `new HashSet<>(n)` with an initial capacity. */
export function newPartitionSet(initialCapacity?: number): PartitionSet {
  return new JavaHashSet<number>(intHash, intId, initialCapacity);
}

/** `new HashSet<>(collection)`: sized max((int)(n / .75f) + 1, 16), then filled in the collection's order. */
export function copyPartitionSet(values: Iterable<number>): PartitionSet {
  const list = [...values];
  const set = newPartitionSet(Math.max(Math.floor(Math.fround(list.length / Math.fround(0.75))) + 1, 16));
  for (const v of list) set.add(v);
  return set;
}

export function newUuidMap<V>(initialCapacity?: number): JavaHashMap<Uuid, V> {
  return new JavaHashMap<Uuid, V>(uuidHash, uuidId, initialCapacity);
}

export function newLinkedUuidMap<V>(): JavaLinkedHashMap<Uuid, V> {
  return new JavaLinkedHashMap<Uuid, V>(uuidId);
}

/** `new HashSet<Uuid>(collection)`. */
export function copyUuidSet(values: Iterable<Uuid>): JavaHashSet<Uuid> {
  const list = [...values];
  const set = new JavaHashSet<Uuid>(uuidHash, uuidId, Math.max(Math.floor(Math.fround(list.length / Math.fround(0.75))) + 1, 16));
  for (const v of list) set.add(v);
  return set;
}

/** AssignorHelpers.deepCopyAssignment: `new HashMap<>(size)`, each set copied with `new HashSet<>(set)`. */
export function deepCopyAssignment(map: TopicPartitions): JavaHashMap<Uuid, PartitionSet> {
  const copy = newUuidMap<PartitionSet>(map.size);
  for (const [k, v] of map.entries()) copy.put(k, copyPartitionSet(v));
  return copy;
}

/** A read-only empty assignment (Assignment.EMPTY, Collections.emptyMap()). */
export const EMPTY_ASSIGNMENT: TopicPartitions = newLinkedUuidMap<PartitionSet>();
