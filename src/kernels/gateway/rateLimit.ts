// Rate limiters in integer arithmetic on the integer-µs clock (model-notes §2), so a refill of
// 0.2 tokens can never leave 0.999… of a token. Refill happens before the decision at the same instant.
// Fields are `declare`d and set in the constructor, in their listed order (no parameter properties):
// with ES2022 class fields a field first defined as `undefined` is kept as any value by V8, so the
// token count, a double, was boxed in a new heap number on every request.

export interface Decision {
  allowed: boolean;
  /** Delay before forwarding, µs (leaky bucket without nodelay); 0 otherwise. */
  delayUs: number;
  /** For a rejection: whole seconds until a token is available (Retry-After), at least 1. */
  retryAfterS: number;
}

export interface Limiter {
  take(nowUs: number): Decision;
}

const ALLOW: Decision = { allowed: true, delayUs: 0, retryAfterS: 0 };

/** One token = 10^9 units; the rate is kept in milli-tokens per second, so units added per µs = rate·1000/1000. */
const UNIT = 1_000_000_000;

/**
 * Continuous token bucket (AWS API Gateway; Envoy ≥ 1.31 `AtomicTokenBucket`): starts full with `burst`
 * tokens, refills at `rate` per second continuously, admits a request if at least one whole token is
 * there. Retry-After = time to the next whole token, rounded up to whole seconds.
 */
export class TokenBucket implements Limiter {
  declare private readonly rateMilli: number;
  declare private readonly cap: number;
  declare private tokens: number;
  declare private last: number;
  constructor(rate: number, burst: number, startUs = 0) {
    this.rateMilli = Math.max(1, Math.round(rate * 1000));
    this.cap = Math.max(0, Math.floor(burst)) * UNIT;
    this.tokens = this.cap;
    this.last = startUs;
  }
  /** Whole tokens now (for tests and reports). */
  available(nowUs: number): number {
    this.refill(nowUs);
    return Math.floor(this.tokens / UNIT);
  }
  private refill(nowUs: number): void {
    const dt = nowUs - this.last;
    if (dt <= 0) return;
    this.last = nowUs;
    // units per µs = rateMilli (rate tokens/s · 10^9 units / 10^6 µs = rate · 1000)
    const full = Math.ceil((this.cap - this.tokens) / this.rateMilli);
    this.tokens = dt >= full ? this.cap : this.tokens + dt * this.rateMilli;
  }
  take(nowUs: number): Decision {
    this.refill(nowUs);
    if (this.tokens >= UNIT) {
      this.tokens -= UNIT;
      return ALLOW;
    }
    const waitUs = Math.ceil((UNIT - this.tokens) / this.rateMilli);
    return { allowed: false, delayUs: 0, retryAfterS: Math.max(1, Math.ceil(waitUs / 1_000_000)) };
  }
}

/**
 * Envoy ≤ 1.30 timer bucket: starts full (`maxTokens`); at every multiple of `fillIntervalUs` (the first
 * at t = interval) adds `tokensPerFill`, capped; admits if tokens > 0.
 */
export class TimerTokenBucket implements Limiter {
  declare private readonly maxTokens: number;
  declare private readonly tokensPerFill: number;
  declare private readonly fillIntervalUs: number;
  declare private tokens: number;
  declare private fills: number;
  constructor(maxTokens: number, tokensPerFill: number, fillIntervalUs: number, startUs = 0) {
    this.maxTokens = maxTokens;
    this.tokensPerFill = tokensPerFill;
    this.fillIntervalUs = fillIntervalUs;
    this.tokens = maxTokens;
    this.fills = Math.floor(startUs / fillIntervalUs);
  }
  take(nowUs: number): Decision {
    const f = Math.floor(nowUs / this.fillIntervalUs);
    if (f > this.fills) {
      this.tokens = Math.min(this.maxTokens, this.tokens + (f - this.fills) * this.tokensPerFill);
      this.fills = f;
    }
    if (this.tokens > 0) {
      this.tokens--;
      return ALLOW;
    }
    const waitUs = (f + 1) * this.fillIntervalUs - nowUs;
    return { allowed: false, delayUs: 0, retryAfterS: Math.max(1, Math.ceil(waitUs / 1_000_000)) };
  }
}

/**
 * NGINX limit_req (ngx_http_limit_req_module.c) on a millisecond clock with rate, burst and excess ×1000:
 * the first request passes with excess 0; then excess = max(0, prev − rate·ms/1000 + 1000) (integer
 * division); excess > burst rejects without touching the state; otherwise excess and `last` are stored and,
 * unless `nodelay`, a request with excess > delay waits (excess − delay)·1000/rate ms.
 */
export class LeakyBucket implements Limiter {
  declare private readonly nodelay: boolean;
  declare private readonly rate: number;
  declare private readonly burst: number;
  declare private readonly delay: number;
  declare private excess: number;
  declare private lastMs: number;
  constructor(ratePerSecond: number, burst: number, nodelay = false, delayThreshold = 0) {
    this.nodelay = nodelay;
    this.rate = Math.max(1, Math.round(ratePerSecond * 1000));
    this.burst = Math.floor(burst) * 1000;
    this.delay = Math.floor(delayThreshold) * 1000;
    this.excess = 0;
    this.lastMs = -1;
  }
  take(nowUs: number): Decision {
    const now = Math.floor(nowUs / 1000);
    let excess = 0;
    if (this.lastMs >= 0) {
      const ms = Math.max(0, now - this.lastMs);
      excess = this.excess - Math.floor((this.rate * ms) / 1000) + 1000;
      if (excess < 0) excess = 0;
      if (excess > this.burst)
        return { allowed: false, delayUs: 0, retryAfterS: Math.max(1, Math.ceil((excess - this.burst) / this.rate)) };
    }
    this.excess = excess;
    this.lastMs = now;
    if (this.nodelay || excess <= this.delay) return ALLOW;
    return { allowed: true, delayUs: Math.floor(((excess - this.delay) * 1000) / this.rate) * 1000, retryAfterS: 0 };
  }
}
