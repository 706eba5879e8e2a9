// Capacity from closed forms: the smallest number of servers for a waiting-time target (M/M/c,
// Erlang C) and Kafka partitions for a throughput target (Confluent's sizing guidance). The models
// start their capacity search here, so solving takes a few simulation runs rather than a scan.

/** Erlang B blocking probability for offered load `a` (erlangs) on `c` servers, by the stable recurrence. */
export function erlangB(a: number, c: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: the probability an arrival waits, for `a` erlangs on `c` servers (1 when a >= c). */
export function erlangCWait(a: number, c: number): number {
  if (a >= c) return 1;
  const b = erlangB(a, c);
  return (c * b) / (c - a * (1 - b));
}

/** What a waiting-time target asks of an M/M/c queue. */
export type WaitTarget =
  | { meanWait: number }
  /** At least `fraction` of arrivals wait no longer than `within` seconds (a call centre's service level). */
  | { within: number; fraction: number }
  | { pWait: number };

/** Whether `c` servers meet the target for arrival rate `lambda` and service rate `mu` (per server). */
export function meetsWaitTarget(lambda: number, mu: number, c: number, target: WaitTarget): boolean {
  const a = lambda / mu;
  if (a >= c) return false;
  const pw = erlangCWait(a, c);
  if ('meanWait' in target) return pw / (c * mu - lambda) <= target.meanWait;
  if ('pWait' in target) return pw <= target.pWait;
  // P(Wq <= t) = 1 − C·e^{−(cμ−λ)t}
  return 1 - pw * Math.exp(-(c * mu - lambda) * target.within) >= target.fraction;
}

/** The smallest number of servers that meets the target, searching up from the load's own minimum. */
export function smallestServers(lambda: number, mu: number, target: WaitTarget, max = 1_000_000): number | undefined {
  for (let c = Math.max(1, Math.floor(lambda / mu) + 1); c <= max; c++) if (meetsWaitTarget(lambda, mu, c, target)) return c;
  return undefined;
}

/**
 * The `p`-quantile of the M/M/c response time (wait + exponential service), in seconds: the wait is
 * 0 with probability 1 − C and exponential with rate θ = cμ − λ otherwise, so
 * P(T > t) = (1 − C)e^{−μt} + C·(θe^{−μt} − μe^{−θt})/(θ − μ), inverted by bisection.
 */
export function mmcResponseQuantile(lambda: number, mu: number, c: number, p: number): number | undefined {
  const a = lambda / mu;
  if (!(a < c) || !(p > 0 && p < 1)) return undefined;
  const C = erlangCWait(a, c);
  const theta = c * mu - lambda;
  const tail = (t: number) => {
    const both =
      Math.abs(theta - mu) < 1e-12 * mu
        ? (1 + mu * t) * Math.exp(-mu * t)
        : (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t)) / (theta - mu);
    return (1 - C) * Math.exp(-mu * t) + C * both;
  };
  let lo = 0,
    hi = 1 / mu;
  while (tail(hi) > 1 - p) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > 1 - p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * A service-time distribution in seconds, as the gateway samples one call (`sample` in
 * src/kernels/gateway/simulator.ts): exponential and lognormal by their mean (lognormal with its
 * coefficient of variation, sd / mean), constant at its mean, uniform on [min, max].
 */
export type ServiceTime =
  | { dist: 'exponential'; mean: number }
  | { dist: 'constant'; mean: number }
  | { dist: 'lognormal'; mean: number; cv: number }
  | { dist: 'uniform'; min: number; max: number };

/** The mean of a service time. */
export function serviceMean(s: ServiceTime): number {
  return s.dist === 'uniform' ? (s.min + s.max) / 2 : s.mean;
}

/** The squared coefficient of variation (variance / mean²) of a service time. */
export function serviceScv(s: ServiceTime): number {
  switch (s.dist) {
    case 'exponential':
      return 1;
    case 'constant':
      return 0;
    case 'lognormal':
      return s.cv * s.cv;
    case 'uniform':
      // Variance (max − min)²/12 over the mean ((min + max)/2)².
      return s.max > 0 ? (s.max - s.min) ** 2 / (3 * (s.min + s.max) ** 2) : 0;
  }
}

/**
 * The wait in an M/G/c queue by the Allen–Cunneen approximation (A. O. Allen, *Probability,
 * Statistics and Queueing Theory*, 2nd ed., 1990; Kingman's heavy-traffic formula for c = 1), with
 * Poisson arrivals (ca² = 1): an arrival waits with probability C, Erlang C at a = λ·E[S] erlangs,
 * and given that it waits, the wait is taken as exponential with mean (1 + cs²)/2 · 1/(cμ − λ), that
 * is rate θ = 2(cμ − λ)/(1 + cs²). So the mean wait is C/θ: for M/M/c (cs² = 1) Erlang C exactly,
 * for M/G/1 (C = ρ) Pollaczek–Khinchine exactly. Undefined when λ·E[S] ≥ c (no steady state).
 */
export function mgcWait(lambda: number, s: ServiceTime, c: number): { pWait: number; theta: number } | undefined {
  const mean = serviceMean(s),
    scv = serviceScv(s);
  if (!(mean > 0 && mean < Infinity && lambda >= 0 && scv >= 0) || !(lambda * mean < c)) return undefined;
  return { pWait: erlangCWait(lambda * mean, c), theta: (2 * (c / mean - lambda)) / (1 + scv) };
}

/**
 * erfc(x) to about 1e-13 relative: for |x| < 2 as 1 − erf(x) by the series of positive terms
 * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) (Abramowitz & Stegun 7.1.6, at most 40
 * terms there); from 2 the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …))))
 * (A&S 7.1.14), 50 levels deep, evaluated from the bottom up. Relative accuracy holds into the far tail,
 * where a lognormal's survival is read.
 */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    const x2 = x * x;
    let term = x,
      sum = x;
    for (let n = 1; n < 60 && term > 1e-17 * sum; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
  }
  let f = x;
  for (let k = 50; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

// 10-point Gauss–Legendre nodes and weights on [−1, 1], computed once: each node by Newton's method on
// Pₙ (by its three-term recurrence, from cos(π(i + 3/4)/(n + 1/2))), weight 2/((1 − x²)Pₙ′(x)²).
const GL_N = 10;
const GL_X = new Float64Array(GL_N);
const GL_W = new Float64Array(GL_N);
for (let i = 0; i < GL_N; i++) {
  let x = Math.cos((Math.PI * (i + 0.75)) / (GL_N + 0.5));
  let dp = 0;
  for (let it = 0; it < 50; it++) {
    let p0 = 1,
      p1 = x;
    for (let k = 2; k <= GL_N; k++) {
      const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    dp = (GL_N * (x * p1 - p0)) / (x * x - 1);
    const dx = p1 / dp;
    x -= dx;
    if (Math.abs(dx) < 1e-16) break;
  }
  GL_X[i] = x;
  GL_W[i] = 2 / ((1 - x * x) * dp * dp);
}

const EXPONENTIAL = 0,
  LOGNORMAL = 1,
  UNIFORM = 2;

/** P(S > x): exponential (p1 = mean), lognormal (p1, p2 = log-space μ, σ) or uniform on [p1, p2]. */
function survival(kind: number, p1: number, p2: number, x: number): number {
  if (x <= 0) return 1;
  if (kind === EXPONENTIAL) return Math.exp(-x / p1);
  if (kind === LOGNORMAL) return 0.5 * erfc((Math.log(x) - p1) / (p2 * Math.SQRT2));
  return x <= p1 ? 1 : x >= p2 ? 0 : (p2 - x) / (p2 - p1);
}

/** θe^(−θu)·G(t − u) over [a, b] by 10-point Gauss–Legendre. */
function glPanel(a: number, b: number, t: number, theta: number, kind: number, p1: number, p2: number): number {
  const h = (b - a) / 2,
    mid = (a + b) / 2;
  let sum = 0;
  for (let i = 0; i < GL_N; i++) {
    const u = mid + h * GL_X[i];
    sum += GL_W[i] * theta * Math.exp(-theta * u) * survival(kind, p1, p2, t - u);
  }
  return sum * h;
}

/** Panels left for one integral: the adaptive split stops there, so an integral takes at most about 4,000 evaluations. */
let panelsLeft = 0;

/** Adaptive Gauss–Legendre: a panel is split in two until the halves agree with it to `tol` (or depth 40). */
function adaptive(
  a: number,
  b: number,
  whole: number,
  tol: number,
  depth: number,
  t: number,
  theta: number,
  kind: number,
  p1: number,
  p2: number,
): number {
  const m = (a + b) / 2;
  const l = glPanel(a, m, t, theta, kind, p1, p2),
    r = glPanel(m, b, t, theta, kind, p1, p2);
  panelsLeft -= 2;
  if (Math.abs(l + r - whole) <= tol || depth >= 40 || panelsLeft <= 0) return l + r;
  return adaptive(a, m, l, tol / 2, depth + 1, t, theta, kind, p1, p2) + adaptive(m, b, r, tol / 2, depth + 1, t, theta, kind, p1, p2);
}

/**
 * P(S + E > t) for a service time S and an independent wait E ~ Exp(θ):
 * P(E > t) + P(E ≤ t, S > t − E) = e^(−θt) + ∫₀ᵗ θe^(−θu)·G(t − u) du, with G the service's survival
 * (the same as G(t) + F(t) − θ∫₀ᵗ F(s)e^(−θ(t−s)) ds, integrating by parts).
 */
function sumTail(t: number, theta: number, kind: number, p1: number, p2: number): number {
  panelsLeft = 400;
  const whole = glPanel(0, t, t, theta, kind, p1, p2);
  return Math.exp(-theta * t) + adaptive(0, t, whole, 1e-14, 0, t, theta, kind, p1, p2);
}

/**
 * P(S + E > t) for S uniform on [lo, hi] and E ~ Exp(θ), in closed form (the uniform's CDF is linear):
 * 1 before lo; ((hi − t) + (1 − e^(−θ(t−lo)))/θ)/(hi − lo) on [lo, hi]; after hi
 * e^(−θ(t−hi))·(1 − e^(−θ(hi−lo)))/(θ(hi − lo)).
 */
function uniformSumTail(t: number, theta: number, lo: number, hi: number): number {
  const w = hi - lo;
  if (t <= lo) return 1;
  if (t < hi) return (hi - t - Math.expm1(-theta * (t - lo)) / theta) / w;
  return (Math.exp(-theta * (t - hi)) * -Math.expm1(-theta * w)) / (theta * w);
}

/**
 * The `p`-quantile of the response time (wait + service) of an M/G/c queue, in seconds, by the
 * Allen–Cunneen wait (`mgcWait`): T = S + W with W = 0 with probability 1 − C and Exp(θ) otherwise,
 * independent of S, so P(T > t) = (1 − C)·G(t) + C·P(S + E > t), G the service's survival. A constant
 * service d (M/D/c) has it in closed form, d + max(0, ln(C/(1 − p))/θ); uniform in closed form too
 * (`uniformSumTail`); exponential and lognormal by adaptive Gauss–Legendre (`sumTail`), and t by
 * false position (at most 200 doublings and 100 steps; about 15 evaluations of the tail in all, a
 * couple of milliseconds for a lognormal). For exponential service it is the exact M/M/c quantile
 * (`mmcResponseQuantile`, which the gateway uses for that case; the tests hold this one to it).
 * Undefined when λ·E[S] ≥ c or p is not in (0, 1).
 */
export function mgcResponseQuantile(lambda: number, s: ServiceTime, c: number, p: number): number | undefined {
  const mean = serviceMean(s),
    scv = serviceScv(s);
  if (!(mean > 0 && mean < Infinity && lambda >= 0 && scv >= 0) || !(lambda * mean < c) || !(p > 0 && p < 1)) return undefined;
  const C = erlangCWait(lambda * mean, c),
    theta = (2 * (c / mean - lambda)) / (1 + scv);
  // A lognormal with cv 0 and a uniform of zero width are constants.
  if (s.dist === 'constant' || scv < 1e-24) return mean + Math.max(0, Math.log(C / (1 - p)) / theta);
  const kind = s.dist === 'exponential' ? EXPONENTIAL : s.dist === 'lognormal' ? LOGNORMAL : UNIFORM;
  const s2 = s.dist === 'lognormal' ? Math.log1p(s.cv * s.cv) : 0;
  const p1 = s.dist === 'uniform' ? s.min : s.dist === 'lognormal' ? Math.log(mean) - s2 / 2 : mean,
    p2 = s.dist === 'uniform' ? s.max : Math.sqrt(s2);
  // Bracket the quantile by doubling from the mean, then close in by false position with the Illinois
  // modification (the tail is smooth and decreasing: about 10 evaluations rather than bisection's 45).
  let lo = 0,
    hi = mean,
    fLo = p, // tail(0) − (1 − p) = 1 − (1 − p)
    fHi = responseTail(hi, C, theta, kind, p1, p2) - (1 - p);
  for (let i = 0; fHi > 0; i++) {
    if (i >= 200) return undefined;
    lo = hi;
    fLo = fHi;
    hi *= 2;
    fHi = responseTail(hi, C, theta, kind, p1, p2) - (1 - p);
  }
  let side = 0;
  for (let i = 0; i < 100 && hi - lo > 1e-13 * hi; i++) {
    const t = (lo * fHi - hi * fLo) / (fHi - fLo);
    const f = responseTail(t, C, theta, kind, p1, p2) - (1 - p);
    if (f > 0) {
      lo = t;
      fLo = f;
      if (side === 1) fHi /= 2;
      side = 1;
    } else {
      hi = t;
      fHi = f;
      if (side === -1) fLo /= 2;
      side = -1;
    }
    if (f === 0) return t;
  }
  return (lo + hi) / 2;
}

/** P(T > t) = (1 − C)·G(t) + C·P(S + E > t). */
function responseTail(t: number, C: number, theta: number, kind: number, p1: number, p2: number): number {
  const both = kind === UNIFORM ? uniformSumTail(t, theta, p1, p2) : sumTail(t, theta, kind, p1, p2);
  return (1 - C) * survival(kind, p1, p2, t) + C * both;
}

/**
 * Kafka partitions for a target throughput `t`, with per-partition producer throughput `p` and
 * consumer throughput `c` (all in the same unit): max(t/p, t/c), rounded up (Confluent's sizing).
 */
export function kafkaPartitions(t: number, p: number, c: number): number {
  return Math.max(1, Math.ceil(Math.max(t / p, t / c) - 1e-9));
}
