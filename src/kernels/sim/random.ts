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

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const TWO_POW_32 = 4294967296;

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = NaN;
  /** The 32-bit seed this stream was built from (after mixing in its label). */
  readonly seed: number;

  /** `label` names an independent sub-stream of `seed` (e.g. `arrivals`, `service:users`). */
  constructor(seed: number, label = '') {
    const s = hashLabel(label, (Math.floor(seed) ^ 0x811c9dc5) >>> 0) ^ (Math.floor(seed / TWO_POW_32) >>> 0);
    this.seed = s >>> 0;
    const st = { s: this.seed };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st) | 1;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** An independent stream derived from this stream's seed and a label; does not advance this stream. */
  fork(label: string): Rng {
    return new Rng(this.seed, label);
  }

  nextU32(): number {
    const a = this.a, b = this.b, c = this.c, d = this.d;
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

  exponential(mean: number): number {
    return -mean * Math.log(this.uniformOpen());
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
 * Zipf over ranks 0..n-1 with P(k) ∝ 1/(k+1)^s, sampled by binary search in a precomputed CDF
 * (O(log n) per draw, n doubles of memory). Rank 0 is the most popular key.
 */
export class Zipf {
  private readonly cdf: Float64Array;
  constructor(readonly n: number, readonly s: number) {
    if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`Zipf needs an integer n >= 1, got ${n}`);
    if (!(s >= 0)) throw new RangeError(`Zipf needs an exponent s >= 0, got ${s}`);
    this.cdf = new Float64Array(n);
    let acc = 0;
    for (let k = 0; k < n; k++) {
      acc += 1 / Math.pow(k + 1, s);
      this.cdf[k] = acc;
    }
    for (let k = 0; k < n; k++) this.cdf[k] /= acc;
    this.cdf[n - 1] = 1;
  }

  /** P(rank = k). */
  probability(k: number): number {
    return k === 0 ? this.cdf[0] : this.cdf[k] - this.cdf[k - 1];
  }

  sample(rng: Rng): number {
    const u = rng.uniform();
    const cdf = this.cdf;
    let lo = 0, hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Picks an index with probability proportional to its weight (cumulative table + binary search). */
export class WeightedChoice {
  private readonly cum: Float64Array;
  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new RangeError('WeightedChoice needs at least one weight');
    this.cum = new Float64Array(weights.length);
    let acc = 0;
    weights.forEach((w, i) => {
      if (!(w >= 0)) throw new RangeError(`weight ${i} must be >= 0, got ${w}`);
      acc += w;
      this.cum[i] = acc;
    });
    if (!(acc > 0)) throw new RangeError('WeightedChoice needs a positive total weight');
  }

  sample(rng: Rng): number {
    const cum = this.cum;
    const u = rng.uniform() * cum[cum.length - 1];
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
