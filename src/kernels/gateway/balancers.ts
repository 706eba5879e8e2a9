// Load-balancing policies, one class each behind one interface. `up[i]` says whether instance i may
// be chosen (healthy in the balancer's view, not ejected, and, for a shared queue, with a free slot).
// Fields are `declare`d and set in the constructor (no parameter properties): with ES2022 class fields
// they would first be defined as `undefined`, and V8 would then check their type on every pick.
import { Rng } from '../sim/random';

export interface Balancer {
  /** Index of the chosen instance, or -1 when none is eligible. `active[i]` = requests in flight at i; `key` = hash input. */
  pick(up: Uint8Array, active: Int32Array, key: number): number;
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
    const w = this.weights, cur = this.current;
    let best = -1, total = 0;
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
 * Unequal weights: of two weighted draws keep the larger w / (active + 1) (bias 1), an approximation of
 * Envoy's EDF schedule over the same effective weights.
 */
export class LeastRequest implements Balancer {
  declare private readonly weights: readonly number[];
  declare private readonly rng: Rng;
  declare private readonly choices: number;
  declare private readonly equal: boolean;
  declare private readonly eligible: Int32Array;
  constructor(weights: readonly number[], rng: Rng, choices = 2) {
    this.weights = weights;
    this.rng = rng;
    this.choices = choices;
    this.equal = weights.every((x) => x === weights[0]);
    this.eligible = new Int32Array(weights.length);
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
    let n = 0, total = 0;
    for (let i = 0; i < this.weights.length; i++) if (up[i]) { this.eligible[n++] = i; total += this.weights[i]; }
    if (n === 0) return -1;
    let best = this.draw(n, total);
    for (let c = 1; c < this.choices; c++) {
      const h = this.draw(n, total);
      const better = this.equal ? active[h] < active[best] : this.weights[h] / (active[h] + 1) > this.weights[best] / (active[best] + 1);
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
    let lo = 0, hi = P.length;
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

export function makeBalancer(name: string, weights: readonly number[], rng: Rng): Balancer {
  switch (name) {
    case 'least_request':
      return new LeastRequest(weights, rng);
    case 'random':
      return new RandomBalancer(weights, rng);
    case 'consistent_hash':
      return new RingHash(weights);
    default:
      return new SmoothWeightedRoundRobin(weights);
  }
}
