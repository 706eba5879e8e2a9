// Streaming statistics with flat memory, so a run's memory does not grow with its length.

/** Count, mean, variance (Welford's online algorithm), min and max. */
export class Welford {
  count = 0;
  mean = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;

  add(x: number): void {
    const n = ++this.count;
    const d = x - this.mean;
    this.mean += d / n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Sample variance (n - 1 denominator); 0 for fewer than two values. */
  get variance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : 0;
  }

  get sd(): number {
    return Math.sqrt(this.variance);
  }

  merge(o: Welford): void {
    if (o.count === 0) return;
    if (this.count === 0) {
      this.count = o.count; this.mean = o.mean; this.m2 = o.m2; this.min = o.min; this.max = o.max;
      return;
    }
    const n = this.count + o.count;
    const d = o.mean - this.mean;
    this.m2 += o.m2 + (d * d * this.count * o.count) / n;
    this.mean += (d * o.count) / n;
    this.count = n;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
  }
}

/**
 * Time-weighted average of a piecewise-constant level (queue length, busy servers): the area under
 * the level divided by the elapsed time. Call `set` whenever the level changes.
 */
export class TimeAverage {
  private area = 0;
  private lastT: number;
  level = 0;
  max = 0;
  constructor(readonly start = 0) {
    this.lastT = start;
  }
  set(now: number, level: number): void {
    this.area += this.level * (now - this.lastT);
    this.lastT = now;
    this.level = level;
    if (level > this.max) this.max = level;
  }
  /** Restarts the average at `now` (after a warm-up), keeping the current level. */
  reset(now: number): void {
    this.area = 0;
    this.lastT = now;
    (this as { start: number }).start = now;
    this.max = this.level;
  }
  average(now: number): number {
    const span = now - this.start;
    if (span <= 0) return this.level;
    return (this.area + this.level * (now - this.lastT)) / span;
  }
}

/**
 * Log-bucketed histogram of non-negative integers in the style of HdrHistogram: values below 2^p are
 * counted exactly; above, each power of two is split into 2^p equal sub-buckets. A quantile is reported
 * as the midpoint of its bucket (clamped to the observed min and max), so its relative error is at most
 * 2^-(p+1): 0.39% for the default p = 7. Memory: about (54 - p) * 2^p counters, fixed.
 */
export class LogHistogram {
  readonly precisionBits: number;
  private readonly sub: number;
  private counts: Float64Array;
  total = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;

  constructor(precisionBits = 7) {
    if (!(precisionBits >= 1 && precisionBits <= 16)) throw new RangeError('precisionBits must be 1..16');
    this.precisionBits = precisionBits;
    this.sub = 1 << precisionBits;
    this.counts = new Float64Array((54 - precisionBits) * this.sub + this.sub);
  }

  /** Largest relative error of a reported quantile. */
  get relativeError(): number {
    return 1 / (2 * this.sub);
  }

  /** Bucket index of a value (values are floored to integers; negatives count as 0). */
  indexOf(v: number): number {
    v = v > 0 ? Math.floor(v) : 0;
    const S = this.sub;
    if (v < S) return v;
    if (v < 4294967296) {
      // The common case, in integer operations only (a power of two costs more than the rest together).
      const shift = 31 - Math.clz32(v) - this.precisionBits;
      return shift * S + (v >>> shift);
    }
    let e = Math.floor(Math.log2(v));
    if (2 ** e > v) e--;
    else if (2 ** (e + 1) <= v) e++;
    const shift = e - this.precisionBits;
    return shift * S + Math.floor(v / 2 ** shift);
  }

  /** [lowest, highest] integer value counted in bucket `i`. */
  bucketRange(i: number): [number, number] {
    const S = this.sub;
    if (i < 2 * S) return [i, i];
    const shift = Math.floor(i / S) - 1;
    const mantissa = i - shift * S;
    const lo = mantissa * 2 ** shift;
    return [lo, lo + 2 ** shift - 1];
  }

  record(v: number, count = 1): void {
    this.counts[this.indexOf(v)] += count;
    this.total += count;
    this.sum += v * count;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  get mean(): number {
    return this.total ? this.sum / this.total : NaN;
  }

  /**
   * Nearest-rank quantile: the smallest recorded value x such that at least p% of values are <= x
   * (rank ⌈p·N/100⌉, at least 1), approximated by its bucket's midpoint. NaN when empty.
   */
  percentile(p: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total - 1e-9));
    let acc = 0;
    const c = this.counts;
    for (let i = 0; i < c.length; i++) {
      acc += c[i];
      if (acc >= rank) {
        const [lo, hi] = this.bucketRange(i);
        const mid = (lo + hi) / 2;
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }

  /** Fraction of values strictly greater than `v` (exact at bucket boundaries). */
  fractionAbove(v: number): number {
    if (this.total === 0) return NaN;
    const idx = this.indexOf(v);
    let acc = 0;
    for (let i = idx + 1; i < this.counts.length; i++) acc += this.counts[i];
    return acc / this.total;
  }

  merge(o: LogHistogram): void {
    if (o.precisionBits !== this.precisionBits) throw new RangeError('cannot merge histograms of different precision');
    for (let i = 0; i < o.counts.length; i++) this.counts[i] += o.counts[i];
    this.total += o.total;
    this.sum += o.sum;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
  }

  /** Non-empty buckets as [low, high, count], for charts. */
  buckets(): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i] > 0) out.push([...this.bucketRange(i), this.counts[i]]);
    return out;
  }

  /**
   * `n` bars of equal width on a log scale between min and max (for a readable chart): [lower edge, count].
   */
  coarse(n: number): { lo: number; hi: number; count: number }[] {
    if (this.total === 0) return [];
    const lo = Math.max(1, this.min), hi = Math.max(lo + 1, this.max + 1);
    const ratio = Math.pow(hi / lo, 1 / n);
    const bars = Array.from({ length: n }, (_, i) => ({ lo: lo * ratio ** i, hi: lo * ratio ** (i + 1), count: 0 }));
    for (const [blo, bhi, c] of this.buckets()) {
      const mid = Math.max(lo, (blo + bhi) / 2);
      let k = Math.floor(Math.log(mid / lo) / Math.log(ratio));
      if (k < 0) k = 0;
      if (k >= n) k = n - 1;
      bars[k].count += c;
    }
    return bars;
  }
}

/**
 * Per-interval sums for time-series charts with a fixed number of buckets: when time passes the last
 * bucket, neighbouring buckets are merged pairwise and the width doubles, so memory stays flat.
 * Each bucket holds `series` sums (e.g. requests, errors, latency sum).
 */
export class TimeSeries {
  width: number;
  /** Sums, `series` per bucket; write through `slot()` for several series of one time. */
  data: Float64Array;
  /** Highest bucket index written so far. */
  private used = -1;

  constructor(readonly series: number, initialWidth: number, readonly maxBuckets = 120) {
    if (!(initialWidth > 0)) throw new RangeError('TimeSeries width must be > 0');
    if (maxBuckets < 2 || maxBuckets % 2) throw new RangeError('TimeSeries maxBuckets must be even and >= 2');
    this.width = initialWidth;
    this.data = new Float64Array(series * maxBuckets);
  }

  add(t: number, s: number, v = 1): void {
    this.data[this.slot(t) + s] += v;
  }

  /** Offset in `data` of the bucket holding time `t` (compacting first if needed). */
  slot(t: number): number {
    let b = Math.floor(t / this.width);
    while (b >= this.maxBuckets) {
      this.compact();
      b = Math.floor(t / this.width);
    }
    if (b < 0) b = 0;
    if (b > this.used) this.used = b;
    return b * this.series;
  }

  private compact(): void {
    const S = this.series, d = this.data;
    for (let b = 0; b < this.maxBuckets / 2; b++)
      for (let s = 0; s < S; s++) d[b * S + s] = d[2 * b * S + s] + d[(2 * b + 1) * S + s];
    d.fill(0, (this.maxBuckets / 2) * S);
    this.width *= 2;
    this.used = Math.floor(this.used / 2);
  }

  /** Adds another series with the same shape (e.g. another replication) into this one. */
  merge(o: TimeSeries): void {
    if (o.series !== this.series || o.maxBuckets !== this.maxBuckets) throw new RangeError('cannot merge time series of different shapes');
    while (this.width < o.width) this.compact();
    const f = this.width / o.width; // o's buckets per one of ours (a power of two)
    for (let b = 0; b <= o.used; b++) {
      const tb = Math.floor(b / f);
      for (let s = 0; s < this.series; s++) this.data[tb * this.series + s] += o.data[b * this.series + s];
      if (tb > this.used) this.used = tb;
    }
  }

  /** Buckets from time 0 to `until` (or the last written): start time and the sums of each series. */
  rows(until?: number): { start: number; values: number[] }[] {
    const last = until !== undefined ? Math.min(this.maxBuckets - 1, Math.ceil(until / this.width) - 1) : this.used;
    const out: { start: number; values: number[] }[] = [];
    for (let b = 0; b <= last; b++) {
      const values: number[] = [];
      for (let s = 0; s < this.series; s++) values.push(this.data[b * this.series + s]);
      out.push({ start: b * this.width, values });
    }
    return out;
  }
}

/**
 * Exact nearest-rank percentile: with the values sorted ascending, the one at rank ⌈p·N/100⌉
 * (one-based; rank 1 for p = 0). For small samples and tests. Does not modify `values`.
 */
export function nearestRank(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length - 1e-9));
  return sorted[rank - 1];
}
