// Closed-form queueing results used to check the simulations (model-notes §3).

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
  let term = 1, sum = 0;
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
