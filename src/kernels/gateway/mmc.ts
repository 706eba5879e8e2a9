// The gateway's service queue on its own: c servers sharing one FIFO queue, Poisson arrivals,
// exponential (or constant) service. The same model as SimPy's in bench/mmc_simpy.py, on our core; the
// benchmark uses it as the minimal reference next to the full gateway pipeline.
import { Environment, RunLimits, RunOutcome } from '../sim/environment';
import { Rng } from '../sim/random';

export interface MmcResult {
  /** Customers that finished service. */
  served: number;
  meanWaitS: number;
  meanResponseS: number;
  outcome: RunOutcome;
}

/** State in fields rather than captured variables: V8 keeps them in the object, not a context. */
class Mmc {
  readonly env = new Environment(64);
  private queue = new Float64Array(1024); // arrival times of waiting customers (ring buffer)
  private head = 0;
  private size = 0;
  private busy = 0;
  private arrived = 0;
  served = 0;
  waitSum = 0;
  respSum = 0;
  // Declared, not defined: a class field defined without a value starts as `undefined`, and V8 then
  // keeps it as a generic tagged value, checked and unboxed on every read; assigned first in the
  // constructor, a number stays an unboxed number and an object keeps a known shape.
  declare private readonly ARRIVE: number;
  declare private readonly DEPART: number;
  declare private readonly c: number;
  declare private readonly customers: number;
  declare private readonly meanGap: number;
  declare private readonly meanService: number;
  declare private readonly deterministic: boolean;
  declare private readonly rng: Rng;

  constructor(c: number, customers: number, meanGap: number, meanService: number, deterministic: boolean, rng: Rng) {
    this.c = c;
    this.customers = customers;
    this.meanGap = meanGap;
    this.meanService = meanService;
    this.deterministic = deterministic;
    this.rng = rng;
    // The handlers are the arrow-function fields themselves, so each event is one call, not a wrapper
    // calling a method. A departure carries its customer's arrival time as the argument.
    this.ARRIVE = this.env.on(this.arrive);
    this.DEPART = this.env.on(this.depart);
    this.env.schedule(0, this.ARRIVE);
  }

  /** Service time; `schedule` rounds it to whole ticks (as it rounds the gaps between arrivals). */
  private service(): number {
    return this.deterministic ? this.meanService : this.rng.exponential(this.meanService);
  }

  private readonly arrive = (): void => {
    const env = this.env,
      now = env.now;
    if (++this.arrived < this.customers) env.schedule(this.rng.exponential(this.meanGap), this.ARRIVE);
    if (this.busy < this.c) {
      this.busy++;
      env.schedule(this.service(), this.DEPART, now);
      return;
    }
    let q = this.queue;
    if (this.size === q.length) {
      const bigger = new Float64Array(q.length * 2);
      for (let i = 0; i < this.size; i++) bigger[i] = q[(this.head + i) & (q.length - 1)];
      this.queue = q = bigger;
      this.head = 0;
    }
    q[(this.head + this.size) & (q.length - 1)] = now;
    this.size++;
  };

  private readonly depart = (arrivedAt: number): void => {
    const now = this.env.now;
    this.served++;
    this.respSum += now - arrivedAt;
    if (this.size === 0) {
      this.busy--;
      return;
    }
    const a = this.queue[this.head];
    this.head = (this.head + 1) & (this.queue.length - 1);
    this.size--;
    this.waitSum += now - a;
    this.env.schedule(this.service(), this.DEPART, a);
  };
}

/** Simulates `customers` arrivals at rate `lambda`/s to `c` servers of rate `mu`/s (times in integer µs). */
export function simulateMmc(
  lambda: number,
  mu: number,
  c: number,
  customers: number,
  seed: number,
  deterministic = false,
  limits: RunLimits = {},
): MmcResult {
  const m = new Mmc(c, customers, 1e6 / lambda, 1e6 / mu, deterministic, new Rng(seed, 'mmc'));
  const outcome = m.env.run(limits);
  return { served: m.served, meanWaitS: m.waitSum / m.served / 1e6, meanResponseS: m.respSum / m.served / 1e6, outcome };
}
