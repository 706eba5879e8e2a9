// Seeded pseudo-random numbers for the simulation kernels: sfc32 (Chris Doty-Humphrey's Small Fast
// Counter, 128-bit state, passes PractRand) seeded through splitmix32. Same seed and label => same stream
// on every platform, because only 32-bit integer operations are used.

/** FNV-1a over the label's UTF-16 code units, so sub-streams are named, not numbered by call order. */
export function hashLabel(label: string, h = 0x811c9dc5): number {
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The seed a cell runs with: the notebook seed, mixed with the cell's own `seed:` when it has one (the
 * cell seed is hashed as a label into the notebook seed, so nearby cell seeds give unrelated streams).
 */
export function mixSeed(notebookSeed: number, cellSeed?: number): number {
  return cellSeed === undefined ? notebookSeed >>> 0 : hashLabel(`cell-seed:${cellSeed}`, notebookSeed >>> 0);
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const TWO_POW_32 = 4294967296;

// Ziggurat tables for the standard exponential (Marsaglia & Tsang 2000, 256 layers).
const ZE_K = new Uint32Array(256);
const ZE_W = new Float64Array(256);
const ZE_F = new Float64Array(256);
const ZE_R = 7.697117470131487;
(() => {
  const ve = 3.949659822581572e-3;
  let de = ZE_R,
    te = de;
  const q = ve / Math.exp(-de);
  ZE_K[0] = Math.floor((de / q) * TWO_POW_32);
  ZE_K[1] = 0;
  ZE_W[0] = q / TWO_POW_32;
  ZE_W[255] = de / TWO_POW_32;
  ZE_F[0] = 1;
  ZE_F[255] = Math.exp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(ve / de + Math.exp(-de));
    ZE_K[i + 1] = Math.floor((de / te) * TWO_POW_32);
    te = de;
    ZE_F[i] = Math.exp(-de);
    ZE_W[i] = de / TWO_POW_32;
  }
})();

export class Rng {
  declare private a: number;
  declare private b: number;
  declare private c: number;
  declare private d: number;
  declare private spareNormal: number;
  /** The 32-bit seed this stream was built from (after mixing in its label). */
  declare readonly seed: number;

  /** `label` names an independent sub-stream of `seed` (e.g. `arrivals`, `service:users`). */
  constructor(seed: number, label = '') {
    const s = hashLabel(label, (Math.floor(seed) ^ 0x811c9dc5) >>> 0) ^ (Math.floor(seed / TWO_POW_32) >>> 0);
    const st = { s: s >>> 0 };
    this.a = splitmix32(st) | 0; // int32 state from the start: V8 keeps the fields as small integers
    this.b = splitmix32(st) | 0;
    this.c = splitmix32(st) | 0;
    this.d = splitmix32(st) | 1;
    this.spareNormal = NaN;
    this.seed = s >>> 0;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** An independent stream derived from this stream's seed and a label; does not advance this stream. */
  fork(label: string): Rng {
    return new Rng(this.seed, label);
  }

  nextU32(): number {
    const a = this.a,
      b = this.b,
      c = this.c,
      d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t >>> 0;
  }

  /** Uniform on [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform on (0, 1]: safe for logarithms. */
  uniformOpen(): number {
    return (this.nextU32() + 1) / TWO_POW_32;
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer uniform on [0, n) for n <= 2^32 (multiply-shift; bias < n / 2^32). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Exponential with the given mean, by the ziggurat method (a logarithm in about 1% of draws). */
  exponential(mean: number): number {
    return mean * this.standardExponential();
  }

  standardExponential(): number {
    // The layer and the position come from separate draws (Doornik 2005: no correlation between them).
    // The fast path (about 99% of draws) is kept small so that it inlines into the models' handlers.
    const iz = this.nextU32() & 255;
    const jz = this.nextU32();
    if (jz < ZE_K[iz]) return jz * ZE_W[iz];
    // `+`: a number for certain, so V8 keeps the inlined result an unboxed double. Without it the fast
    // path's value met the call's (of unknown type) as a tagged value: a new heap number every draw.
    return +this.exponentialSlow(iz, jz);
  }

  /** The ziggurat's wedges and tail: the rest of `standardExponential` after a rejected first draw. */
  private exponentialSlow(iz: number, jz: number): number {
    for (;;) {
      if (iz === 0) return ZE_R - Math.log(this.uniformOpen());
      const x = jz * ZE_W[iz];
      if (ZE_F[iz] + this.uniform() * (ZE_F[iz - 1] - ZE_F[iz]) < Math.exp(-x)) return x;
      iz = this.nextU32() & 255;
      jz = this.nextU32();
      if (jz < ZE_K[iz]) return jz * ZE_W[iz];
    }
  }

  /** Standard normal by Box-Muller; the second value of each pair is kept for the next call. */
  standardNormal(): number {
    const spare = this.spareNormal;
    if (spare === spare) {
      this.spareNormal = NaN;
      return spare;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniformOpen()));
    const th = 2 * Math.PI * this.uniform();
    this.spareNormal = r * Math.sin(th);
    return r * Math.cos(th);
  }

  normal(mean: number, sd: number): number {
    return mean + sd * this.standardNormal();
  }

  /** Lognormal with log-space parameters mu and sigma. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.standardNormal());
  }
}

/** Log-space parameters of a lognormal with the given mean and coefficient of variation (sd / mean). */
export function lognormalParams(mean: number, cv: number): { mu: number; sigma: number } {
  const s2 = Math.log(1 + cv * cv);
  return { mu: Math.log(mean) - s2 / 2, sigma: Math.sqrt(s2) };
}

/**
 * Walker/Vose alias table: O(1) sampling from a discrete distribution (one bucket draw and one
 * uniform to choose between the bucket's own index and its alias).
 */
export class AliasTable {
  /**
   * Per bucket i, in one 32-bit word: the high bits of its threshold (its probability × 2^32, rounded
   * up: `u < p·2^32` and `u < ⌈p·2^32⌉` agree for every integer u) above its alias in the low `bits`
   * bits. A bucket that always keeps its item is its own alias. A draw whose high bits differ from the
   * threshold's is decided by this word alone; on a tie (one draw in 2^(32 − bits)) `low` holds the
   * threshold's low bits. Four bytes a bucket: a table of 100,000 keys is touched at random once per
   * draw, and at half the size of a (threshold, alias) pair more of it stays in the core's cache.
   */
  declare private readonly packed: Uint32Array;
  declare private readonly low: Uint32Array;
  declare private readonly bits: number;
  declare private readonly mask: number;
  declare readonly n: number;
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n > 2 ** 31) throw new RangeError(`AliasTable takes at most 2^31 weights, got ${n}`);
    const bits = n > 1 ? 32 - Math.clz32(n - 1) : 0; // an alias below n fits in `bits` bits (at most 31)
    const mask = 2 ** bits - 1;
    const packed = new Uint32Array(n),
      low = new Uint32Array(n);
    this.packed = packed;
    this.low = low;
    this.bits = bits;
    this.mask = mask;
    this.n = n;
    const set = (i: number, p: number, alias: number) => {
      const thr = Math.ceil(p * TWO_POW_32);
      const t = thr >= TWO_POW_32 ? 0 : thr;
      const a = thr >= TWO_POW_32 ? i : alias;
      packed[i] = ((t >>> bits) << bits) | a;
      low[i] = t & mask;
    };
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
    const scaled = new Float64Array(n);
    const small: number[] = [],
      large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      (scaled[i] < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!,
        l = large.pop()!;
      set(s, scaled[s], l);
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) set(i, 1, i);
    // Rounding leftovers: keep a bucket whole if its item has weight, else hand it to a weighted item.
    let some = 0;
    while (some < n - 1 && !(weights[some] > 0)) some++;
    for (const i of small) set(i, weights[i] > 0 ? 1 : 0, weights[i] > 0 ? i : some);
  }
  sample(rng: Rng): number {
    const i = Math.floor((rng.nextU32() / TWO_POW_32) * this.n);
    const u = rng.nextU32(),
      w = this.packed[i];
    const uHigh = u >>> this.bits,
      tHigh = w >>> this.bits;
    // u < threshold, decided by the high bits unless they tie.
    const keep = uHigh !== tHigh ? uHigh < tHigh : (u & this.mask) < this.low[i];
    return keep ? i : w & this.mask;
  }
}

/**
 * Zipf over ranks 0..n-1 with P(k) ∝ 1/(k+1)^s, sampled in O(1) from an alias table built from the
 * precomputed probabilities (about 3n numbers of memory). Rank 0 is the most popular key.
 */
export class Zipf {
  declare private readonly cdf: Float64Array;
  declare private readonly table: AliasTable;
  declare readonly n: number;
  declare readonly s: number;
  constructor(n: number, s: number) {
    this.n = n;
    this.s = s;
    if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`Zipf needs an integer n >= 1, got ${n}`);
    if (!(s >= 0)) throw new RangeError(`Zipf needs an exponent s >= 0, got ${s}`);
    const p = new Float64Array(n);
    for (let k = 0; k < n; k++) p[k] = 1 / Math.pow(k + 1, s);
    this.cdf = new Float64Array(n);
    let acc = 0;
    for (let k = 0; k < n; k++) {
      acc += p[k];
      this.cdf[k] = acc;
    }
    for (let k = 0; k < n; k++) this.cdf[k] /= acc;
    this.cdf[n - 1] = 1;
    this.table = new AliasTable(p);
  }

  /**
   * The distribution over n keys with exponent s, shared: a Zipf is immutable, and the runs of a
   * sweep or a solve ask for the same one each time (100,000 keys take about 30 ms to build).
   */
  static of(n: number, s: number): Zipf {
    const last = Zipf.last;
    if (last && last.n === n && last.s === s) return last;
    return (Zipf.last = new Zipf(n, s));
  }
  private static last: Zipf | undefined;

  /** P(rank = k). */
  probability(k: number): number {
    return k === 0 ? this.cdf[0] : this.cdf[k] - this.cdf[k - 1];
  }

  sample(rng: Rng): number {
    return this.table.sample(rng);
  }
}

/** Picks an index with probability proportional to its weight (alias table, O(1) per draw). */
export class WeightedChoice {
  declare private readonly table: AliasTable;
  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new RangeError('WeightedChoice needs at least one weight');
    let acc = 0;
    weights.forEach((w, i) => {
      if (!(w >= 0)) throw new RangeError(`weight ${i} must be >= 0, got ${w}`);
      acc += w;
    });
    if (!(acc > 0)) throw new RangeError('WeightedChoice needs a positive total weight');
    this.table = new AliasTable(weights);
  }

  sample(rng: Rng): number {
    return this.table.sample(rng);
  }
}
