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
 * Kafka partitions for a target throughput `t`, with per-partition producer throughput `p` and
 * consumer throughput `c` (all in the same unit): max(t/p, t/c), rounded up (Confluent's sizing).
 */
export function kafkaPartitions(t: number, p: number, c: number): number {
  return Math.max(1, Math.ceil(Math.max(t / p, t / c) - 1e-9));
}
