// Load-balancing policies, one class each behind one interface. `up[i]` says whether instance i may
// be chosen (healthy in the balancer's view, not ejected, and, for a shared queue, with a free slot).
// Fields are `declare`d and set in the constructor (no parameter properties): with ES2022 class fields
// they would first be defined as `undefined`, and V8 would then check their type on every pick.
import { Rng } from '../sim/random';

export interface Balancer {
  /** Index of the chosen instance, or -1 when none is eligible. `active[i]` = requests in flight at i; `key` = hash input. */
  pick(up: Uint8Array, active: Int32Array, key: number): number;
  /** Least request with unequal weights: each instance's effective weight w / (active + 1)^bias summed over picks, and the picks. */
  readonly effective?: { sums: Float64Array; picks: number };
}

/** NGINX smooth weighted round robin: add weights, take the largest `current` (earliest on ties), subtract the total. */
export class SmoothWeightedRoundRobin implements Balancer {
  declare private readonly weights: readonly number[];
  declare private readonly current: Float64Array;
  constructor(weights: readonly number[]) {
    this.weights = weights;
    this.current = new Float64Array(weights.length);
  }
  pick(up: Uint8Array): number {
    const w = this.weights,
      cur = this.current;
    let best = -1,
      total = 0;
    for (let i = 0; i < w.length; i++) {
      if (!up[i]) continue;
      cur[i] += w[i];
      total += w[i];
      if (best < 0 || cur[i] > cur[best]) best = i;
    }
    if (best >= 0) cur[best] -= total;
    return best;
  }
}

/**
 * Envoy least request. Equal weights: power of two choices — draw two instances at random (with
 * replacement, as Envoy does) and keep the one with fewer active requests, the first on ties.
 * Unequal weights: of two weighted draws keep the larger effective weight w / (active + 1)^bias
 * (Envoy's `active_request_bias`, default 1.0), an approximation of Envoy's EDF schedule over the same
 * effective weights, which it also sums over picks for the report.
 */
export class LeastRequest implements Balancer {
  declare private readonly weights: readonly number[];
  declare private readonly rng: Rng;
  declare private readonly choices: number;
  declare private readonly equal: boolean;
  declare private readonly eligible: Int32Array;
  declare private readonly bias: number;
  declare readonly effective: { sums: Float64Array; picks: number } | undefined;
  constructor(weights: readonly number[], rng: Rng, choices = 2, bias = 1) {
    this.weights = weights;
    this.rng = rng;
    this.choices = choices;
    this.equal = weights.every((x) => x === weights[0]);
    this.eligible = new Int32Array(weights.length);
    this.bias = bias;
    this.effective = this.equal ? undefined : { sums: new Float64Array(weights.length), picks: 0 };
  }
  /** w / (active + 1)^bias: a bias of 1 divides by the load, 0 ignores it. */
  private weightOf(i: number, active: Int32Array): number {
    return this.bias === 1 ? this.weights[i] / (active[i] + 1) : this.weights[i] / Math.pow(active[i] + 1, this.bias);
  }
  private draw(n: number, total: number): number {
    if (this.equal) return this.eligible[this.rng.int(n)];
    let u = this.rng.uniform() * total;
    for (let j = 0; j < n; j++) {
      u -= this.weights[this.eligible[j]];
      if (u < 0) return this.eligible[j];
    }
    return this.eligible[n - 1];
  }
  pick(up: Uint8Array, active: Int32Array): number {
    let n = 0,
      total = 0;
    for (let i = 0; i < this.weights.length; i++)
      if (up[i]) {
        this.eligible[n++] = i;
        total += this.weights[i];
      }
    if (n === 0) return -1;
    const eff = this.effective;
    if (eff) {
      eff.picks++;
      for (let j = 0; j < n; j++) eff.sums[this.eligible[j]] += this.weightOf(this.eligible[j], active);
    }
    let best = this.draw(n, total);
    for (let c = 1; c < this.choices; c++) {
      const h = this.draw(n, total);
      const better = this.equal ? active[h] < active[best] : this.weightOf(h, active) > this.weightOf(best, active);
      if (better) best = h;
    }
    return best;
  }
}

/** Weighted random choice among eligible instances. */
export class RandomBalancer implements Balancer {
  declare private readonly weights: readonly number[];
  declare private readonly rng: Rng;
  constructor(weights: readonly number[], rng: Rng) {
    this.weights = weights;
    this.rng = rng;
  }
  pick(up: Uint8Array): number {
    let total = 0;
    for (let i = 0; i < this.weights.length; i++) if (up[i]) total += this.weights[i];
    if (total === 0) return -1;
    let u = this.rng.uniform() * total;
    let last = -1;
    for (let i = 0; i < this.weights.length; i++) {
      if (!up[i]) continue;
      last = i;
      u -= this.weights[i];
      if (u < 0) return i;
    }
    return last;
  }
}

/** 32-bit integer mix (murmur3 finaliser), for keys and ring points. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Owners a ring can tell apart: 2^20 instances (a 32-bit hash times this stays below 2^53). */
const OWNER_SPAN = 1 << 20;

/**
 * Ring hash (Ketama style): each instance owns `pointsPerWeight · weight` points on a 32-bit ring; a key
 * goes to the first point at or after its hash, walking on past ineligible instances. Removing an
 * instance moves only its own keys.
 */
export class RingHash implements Balancer {
  declare private readonly points: Uint32Array;
  declare private readonly owners: Int32Array;
  constructor(weights: readonly number[], pointsPerWeight = 100, salt = 0) {
    if (weights.length > OWNER_SPAN) throw new RangeError(`a ring takes at most ${OWNER_SPAN} instances`);
    let total = 0;
    for (const w of weights) total += Math.ceil(w * pointsPerWeight);
    // A point is its hash and its owner in one exact double (hash · 2^20 + owner), so a typed-array sort
    // orders by hash and then owner, as (hash, owner) pairs would, in 8 B a point instead of an array each.
    const packed = new Float64Array(total);
    let k = 0;
    weights.forEach((w, i) => {
      const base = mix32(i * 0x9e3779b1 + salt);
      for (let v = 0; v < w * pointsPerWeight; v++) packed[k++] = mix32(base ^ (v * 0x85ebca6b)) * OWNER_SPAN + i;
    });
    packed.sort();
    this.points = new Uint32Array(total);
    this.owners = new Int32Array(total);
    for (let j = 0; j < total; j++) {
      const h = Math.floor(packed[j] / OWNER_SPAN);
      this.points[j] = h;
      this.owners[j] = packed[j] - h * OWNER_SPAN;
    }
  }
  pick(up: Uint8Array, _active: Int32Array, key: number): number {
    const h = mix32(key);
    const P = this.points;
    let lo = 0,
      hi = P.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (P[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    for (let k = 0; k < P.length; k++) {
      const o = this.owners[(lo + k) % P.length];
      if (up[o]) return o;
    }
    return -1;
  }
}

/** Envoy's default Maglev table size (a prime). */
export const MAGLEV_TABLE_SIZE = 65537;
const maglevTables = new WeakMap<readonly number[], Int32Array>();

/**
 * Maglev (Eisenbud et al., NSDI 2016), weighted as Envoy builds it (`maglev_lb.cc`): each instance has an
 * offset and a skip, its preference list is offset + skip·j (mod M); in rounds 1, 2, … an instance whose
 * `round × weight ≥ target` takes its next free preferred entry and adds the largest weight to its
 * target, until the table is full. A key goes to table[hash % M]. Envoy hashes host addresses with
 * xxHash64 and rebuilds the table over healthy hosts; here instances are hashed by index, the table is
 * built once, and a lookup that lands on an instance that is down or busy walks to the next entry.
 */
export class Maglev implements Balancer {
  declare readonly table: Int32Array;
  constructor(weights: readonly number[], size = MAGLEV_TABLE_SIZE, place?: (i: number) => { offset: number; skip: number }) {
    // The table depends on the weights alone: replications of a model share it.
    const cached = place ? undefined : maglevTables.get(weights);
    if (cached) {
      this.table = cached;
      return;
    }
    const n = weights.length;
    const at =
      place ??
      ((i: number) => ({ offset: mix32(i * 0x9e3779b1 + 0x6d61676c) % size, skip: (mix32(i * 0x85ebca6b + 0x65762021) % (size - 1)) + 1 }));
    const offset = new Float64Array(n),
      skip = new Float64Array(n),
      next = new Float64Array(n),
      target = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = at(i);
      offset[i] = p.offset;
      skip[i] = p.skip;
    }
    const top = weights.reduce((a, w) => Math.max(a, w), 0);
    const table = new Int32Array(size).fill(-1);
    let filled = 0;
    for (let round = 1; filled < size && n > 0; round++) {
      for (let i = 0; i < n && filled < size; i++) {
        if (round * weights[i] < target[i]) continue;
        target[i] += top;
        let c = (offset[i] + skip[i] * next[i]) % size;
        while (table[c] >= 0) {
          next[i]++;
          c = (offset[i] + skip[i] * next[i]) % size;
        }
        table[c] = i;
        next[i]++;
        filled++;
      }
    }
    this.table = table;
    if (!place) maglevTables.set(weights, table);
  }

  /** Steps building a table takes at most: the rounds (each fills one entry per instance of the largest weight) × the instances. */
  static buildSteps(weights: readonly number[], size = MAGLEV_TABLE_SIZE): number {
    const top = weights.reduce((a, w) => Math.max(a, w), 0);
    const atTop = weights.filter((w) => w === top).length || 1;
    return Math.ceil(size / atTop) * weights.length;
  }
  pick(up: Uint8Array, _active: Int32Array, key: number): number {
    const t = this.table,
      M = t.length;
    const start = mix32(key) % M;
    for (let k = 0; k < M; k++) {
      const i = t[(start + k) % M];
      if (up[i]) return i;
    }
    return -1;
  }
}

export function makeBalancer(name: string, weights: readonly number[], rng: Rng, bias = 1): Balancer {
  switch (name) {
    case 'least_request':
      return new LeastRequest(weights, rng, 2, bias);
    case 'maglev':
      return new Maglev(weights);
    case 'random':
      return new RandomBalancer(weights, rng);
    case 'consistent_hash':
      return new RingHash(weights);
    default:
      return new SmoothWeightedRoundRobin(weights);
  }
}
