// Closed-form queueing results used to check the simulations (model-notes §3).
import { erlangCWait } from './capacity';

export interface QueueMetrics {
  /** Utilisation per server, λ / (cμ). */
  rho: number;
  /** Probability an arrival waits (Erlang C; for M/D/1, ρ). */
  pWait: number;
  /** Mean wait in queue, seconds. */
  wq: number;
  /** Mean response time (wait + service), seconds. */
  w: number;
  /** Mean number waiting (Little: λ·Wq). */
  lq: number;
  /** Mean number in system (Little: λ·W). */
  l: number;
}

/** M/M/c by Erlang C; undefined when ρ >= 1 (no steady state). */
export function erlangC(lambda: number, mu: number, c: number): QueueMetrics | undefined {
  const a = lambda / mu;
  const rho = a / c;
  if (!(rho < 1)) return undefined;
  // Σ_{k<c} a^k/k! computed incrementally to stay finite for large c.
  let term = 1,
    sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
    // Past an underflow to 0 (or an overflow) the sum no longer changes: stop, or c = 10^10 servers
    // (100,000 instances × 100,000 each) would take as many steps.
    if (term === 0 || term === Infinity) break;
  }
  const last = term / (1 - rho); // a^c / (c! (1-ρ))
  const pWait = last / (sum + last);
  const wq = pWait / (c * mu - lambda);
  const w = wq + 1 / mu;
  return { rho, pWait, wq, w, lq: lambda * wq, l: lambda * w };
}

/** M/D/1 by Pollaczek–Khinchine: Wq = ρ / (2μ(1-ρ)). */
export function md1(lambda: number, mu: number): QueueMetrics | undefined {
  const rho = lambda / mu;
  if (!(rho < 1)) return undefined;
  const wq = rho / (2 * mu * (1 - rho));
  const w = wq + 1 / mu;
  return { rho, pWait: rho, wq, w, lq: lambda * wq, l: lambda * w };
}

/** P(at least one of n parallel calls is slow) when each is slow with probability p. */
export function fanOutSlowProbability(p: number, n: number): number {
  return 1 - Math.pow(1 - p, n);
}

/**
 * M/M/c: the probability that n calls are at the service (waiting or served), for arrival rate λ, service
 * rate μ per server and c servers (ρ = λ/(cμ) < 1): P0·aⁿ/n! below c, P0·aⁿ/(c!·c^(n−c)) from c, with
 * a = λ/μ. From P(wait) = C (Erlang C, capacity.ts): P(N = c) = C(1 − ρ), and each step down or up a ratio.
 */
export function mmcStateProbability(lambda: number, mu: number, c: number, n: number): number | undefined {
  const a = lambda / mu,
    rho = a / c;
  if (!(rho < 1) || n < 0 || !Number.isInteger(n)) return undefined;
  const atC = erlangCWait(a, c) * (1 - rho);
  if (n >= c) return atC * Math.pow(rho, n - c);
  // P(n) = P(c) · c!/(n! a^(c−n)), built downwards one factor at a time.
  let p = atC;
  for (let k = c; k > n; k--) p *= k / a;
  return p;
}

/** M/M/c: P(Wq > t) = C·e^(−(cμ − λ)t). */
export function mmcWaitTail(lambda: number, mu: number, c: number, t: number): number | undefined {
  const a = lambda / mu;
  if (!(a < c)) return undefined;
  return erlangCWait(a, c) * Math.exp(-(c * mu - lambda) * t);
}

/** M/M/c: the p-quantile of the wait in queue: 0 while p ≤ 1 − C, else ln(C/(1 − p))/(cμ − λ). */
export function mmcWaitQuantile(lambda: number, mu: number, c: number, p: number): number | undefined {
  const a = lambda / mu;
  if (!(a < c) || !(p >= 0 && p < 1)) return undefined;
  const C = erlangCWait(a, c);
  return p <= 1 - C ? 0 : Math.log(C / (1 - p)) / (c * mu - lambda);
}

/** M/M/c: mean number waiting, Lq = C·ρ/(1 − ρ). */
export function mmcQueueLength(lambda: number, mu: number, c: number): number | undefined {
  const a = lambda / mu,
    rho = a / c;
  if (!(rho < 1)) return undefined;
  return (erlangCWait(a, c) * rho) / (1 - rho);
}
