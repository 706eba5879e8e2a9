// The gateway's service queue on its own: c servers sharing one FIFO queue, Poisson arrivals,
// exponential (or constant) service. The same model as SimPy's in bench/mmc_simpy.py, on our core; the
// benchmark and the queueing tests use it as the minimal reference next to the full gateway pipeline.
import { Environment, RunLimits, RunOutcome } from '../sim/environment';
import { Rng } from '../sim/random';

export interface MmcResult {
  /** Customers that finished service. */
  served: number;
  meanWaitS: number;
  meanResponseS: number;
  outcome: RunOutcome;
}

/** Simulates `customers` arrivals at rate `lambda`/s to `c` servers of rate `mu`/s (times in integer µs). */
export function simulateMmc(lambda: number, mu: number, c: number, customers: number, seed: number, deterministic = false, limits: RunLimits = {}): MmcResult {
  const env = new Environment(64);
  const rng = new Rng(seed, 'mmc');
  const meanGap = 1e6 / lambda, meanService = 1e6 / mu;
  let queue = new Float64Array(1024); // arrival times of waiting customers (ring buffer)
  let head = 0, size = 0, busy = 0, arrived = 0, served = 0;
  let waitSum = 0, respSum = 0;
  const service = () => (deterministic ? Math.round(meanService) : Math.round(rng.exponential(meanService)));
  // A departure carries its customer's arrival time as the argument.
  const DEPART = env.on((arrivedAt) => {
    served++;
    respSum += env.now - arrivedAt;
    if (size > 0) {
      const a = queue[head];
      head = (head + 1) & (queue.length - 1);
      size--;
      waitSum += env.now - a;
      env.schedule(service(), DEPART, a);
    } else busy--;
  });
  const ARRIVE = env.on(() => {
    const now = env.now;
    if (++arrived < customers) env.schedule(Math.round(rng.exponential(meanGap)), ARRIVE);
    if (busy < c) {
      busy++;
      env.schedule(service(), DEPART, now);
    } else {
      if (size === queue.length) {
        const q = new Float64Array(queue.length * 2);
        for (let i = 0; i < size; i++) q[i] = queue[(head + i) & (queue.length - 1)];
        queue = q;
        head = 0;
      }
      queue[(head + size) & (queue.length - 1)] = now;
      size++;
    }
  });
  env.schedule(0, ARRIVE);
  const outcome = env.run(limits);
  return { served, meanWaitS: waitSum / served / 1e6, meanResponseS: respSum / served / 1e6, outcome };
}
