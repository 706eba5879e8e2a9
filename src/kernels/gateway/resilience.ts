// The resilience mechanisms of a proxy, each as the real system does it, on the integer-µs clock:
// Envoy's jittered exponential back-off, retry budget and retry circuit breaker, its consecutive-5xx
// outlier detection, and gRPC's retry throttling. The simulator holds one of each per service (cluster).
// Sources: envoyproxy/envoy source/common/common/backoff_strategy.cc, source/common/upstream/
// resource_manager_impl.h, source/common/router/retry_state_impl.cc, source/common/upstream/
// outlier_detection_impl.cc; gRPC proposal A6 (client retries, retry throttling).

/**
 * Envoy's `JitteredExponentialBackOffStrategy`: the n-th back-off is uniform on [0, interval), where the
 * interval starts at `base` and doubles while it is below max / 2, then stays at `max` (base 25 ms,
 * max 250 ms: 25, 50, 100, 200, 250, 250, …).
 */
export function nextInterval(interval: number, maxUs: number): number {
  return interval < Math.floor(maxUs / 2) ? interval * 2 : maxUs;
}

/** Envoy's retry budget: concurrent retries may reach `percent` of active and pending requests, never fewer than `minConcurrency`. */
export function retryBudgetMax(activeAndPending: number, percent: number, minConcurrency: number): number {
  return Math.max(Math.floor((percent / 100) * activeAndPending), minConcurrency);
}

/**
 * gRPC retry throttling (A6): a token count starts at `maxTokens`; every failed attempt takes one
 * token, every success gives back `tokenRatio`; a retry (or hedge) is allowed only while the count is
 * above half of `maxTokens`. Tokens are kept in thousandths, as gRPC keeps the ratio to three decimals.
 */
export class RetryThrottle {
  declare private readonly max: number;
  declare private readonly ratio: number;
  declare private milli: number;
  constructor(maxTokens: number, tokenRatio: number) {
    this.max = Math.round(maxTokens * 1000);
    this.ratio = Math.round(tokenRatio * 1000);
    this.milli = this.max;
  }
  get tokens(): number {
    return this.milli / 1000;
  }
  failure(): void {
    this.milli = Math.max(0, this.milli - 1000);
  }
  success(): void {
    this.milli = Math.min(this.max, this.milli + this.ratio);
  }
  get allows(): boolean {
    return this.milli * 2 > this.max;
  }
}

export interface OutlierConfig {
  /** Consecutive 5xx (and local-origin failures: resets, connect failures, timeouts) that eject a host; 0 = off. */
  consecutive: number;
  baseUs: number;
  maxUs: number;
  intervalUs: number;
  maxPercent: number;
  alwaysEjectOne: boolean;
}

/**
 * Envoy's consecutive-5xx outlier detection for one cluster. The n-th consecutive failure (n =
 * `consecutive`) asks to eject the host; it is ejected when the ejected share, counting it, stays within
 * `maxPercent` (or, with `alwaysEjectOne`, when none is ejected), and the counter restarts either way.
 * Each ejection raises the host's back-off (while base × back-off < max + base); the sweep every
 * `interval` returns a host once min(base × back-off, max) has passed since its ejection, and lowers the
 * back-off of a host that has stayed in since its last return for a whole interval.
 */
export class OutlierDetector {
  declare readonly cfg: OutlierConfig;
  declare private readonly failures: Int32Array;
  declare readonly ejected: Uint8Array;
  declare private readonly backoff: Int32Array;
  declare private readonly ejectedAt: Float64Array;
  declare private readonly returnedAt: Float64Array;
  declare active: number;
  /** Ejections refused by `maxPercent` (Envoy's `ejections_overflow`). */
  declare overflow: number;
  constructor(hosts: number, cfg: OutlierConfig) {
    this.cfg = cfg;
    this.failures = new Int32Array(hosts);
    this.ejected = new Uint8Array(hosts);
    this.backoff = new Int32Array(hosts);
    this.ejectedAt = new Float64Array(hosts);
    this.returnedAt = new Float64Array(hosts).fill(-1);
    this.active = 0;
    this.overflow = 0;
  }

  /** A response (or local failure) from host `h` at `now`; true when it ejects the host. */
  result(h: number, failed: boolean, now: number): boolean {
    if (!failed) {
      this.failures[h] = 0;
      return false;
    }
    if (this.cfg.consecutive === 0 || ++this.failures[h] !== this.cfg.consecutive || this.ejected[h]) return false;
    this.failures[h] = 0;
    const hosts = this.ejected.length;
    const eject = (100 * (this.active + 1)) / hosts <= this.cfg.maxPercent || (this.cfg.alwaysEjectOne && this.active === 0);
    if (!eject) {
      this.overflow++;
      return false;
    }
    this.active++;
    this.ejected[h] = 1;
    this.ejectedAt[h] = now;
    if (this.backoff[h] * this.cfg.baseUs < this.cfg.maxUs + this.cfg.baseUs) this.backoff[h]++;
    return true;
  }

  /** Returns host `h` to service (the sweep, or a passing active health check). */
  uneject(h: number, now: number): void {
    if (!this.ejected[h]) return;
    this.ejected[h] = 0;
    this.active--;
    this.failures[h] = 0;
    this.returnedAt[h] = now;
  }

  /** The interval sweep at `now`: hosts whose ejection is over come back; back-offs of hosts that stayed in fall. */
  sweep(now: number): void {
    const { baseUs, maxUs, intervalUs } = this.cfg;
    for (let h = 0; h < this.ejected.length; h++)
      if (this.ejected[h] && Math.min(baseUs * this.backoff[h], maxUs) <= now - this.ejectedAt[h]) this.uneject(h, now);
    for (let h = 0; h < this.ejected.length; h++)
      if (!this.ejected[h] && this.returnedAt[h] >= 0 && now - this.returnedAt[h] >= intervalUs && this.backoff[h] > 0) this.backoff[h]--;
  }

  /** How many times host `h`'s ejection time is the base now (its back-off). */
  multiplier(h: number): number {
    return this.backoff[h];
  }
}
