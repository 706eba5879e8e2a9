// What one cell run may spend: a count of steps against `maxEvents`, the wall clock, the user's Stop,
// and a memory ceiling the model enforces itself. A step is one simulated event or one item of any loop
// that grows with the model (setup, sampling tables, hashing, a balancer's scan of instances, a fetch
// round over partitions). Event loops and setup loops spend from the same object, so one limit and one
// Stop cover everything a run does, and where a run stops depends only on the model and its seed
// (unless it is the wall clock or the user that stops it).

export type StopReason = 'drained' | 'until' | 'max-events' | 'wall-time' | 'cancelled' | 'stopped' | 'memory';

export interface BudgetLimits {
  /** Upper bound on steps (events, and items of setup and per-event loops). */
  maxEvents?: number;
  /** Upper bound on wall-clock milliseconds. */
  maxWallMs?: number;
  isCancelled?: () => boolean;
  /** Poll the wall clock and cancellation every this many steps (default 4096). */
  pollEvery?: number;
}

// Fields are `declare`d and set in the constructor: the event loop reads `steps` and `nextPoll` on every
// event, and a class field first defined as `undefined` would be kept by V8 as any value.
export class Budget {
  declare readonly maxSteps: number;
  declare readonly maxWallMs: number;
  declare private readonly isCancelled: (() => boolean) | undefined;
  declare private readonly pollEvery: number;
  declare readonly started: number;
  /** Steps spent so far. */
  declare steps: number;
  /** The step count at which the limits are next checked; 0 once the budget is spent, so every loop's `steps < nextPoll` test fails. */
  declare nextPoll: number;
  /** Why the run must stop; undefined while it may go on. */
  declare reason: StopReason | undefined;
  /** What the model said when it stopped for memory (`more than 1,048,576 requests in flight`). */
  declare detail: string | undefined;

  constructor(limits: BudgetLimits = {}) {
    this.maxSteps = limits.maxEvents ?? Infinity;
    this.maxWallMs = limits.maxWallMs ?? Infinity;
    this.isCancelled = limits.isCancelled;
    this.pollEvery = Math.max(1, limits.pollEvery ?? 4096);
    this.started = Date.now();
    this.steps = 0;
    this.nextPoll = Math.min(this.pollEvery, this.maxSteps);
    this.reason = undefined;
    this.detail = undefined;
  }

  /** Spends `n` steps; false once the run must stop (then `reason` says why). Cheap enough for inner loops. */
  spend(n = 1): boolean {
    this.steps += n;
    return this.steps < this.nextPoll || this.poll();
  }

  /** Checks cancellation, the wall clock and the step count now; false (with `reason` set) once the run must stop. */
  poll(): boolean {
    if (this.reason !== undefined) return false;
    if (this.isCancelled?.()) return this.stop('cancelled');
    if (Date.now() - this.started >= this.maxWallMs) return this.stop('wall-time');
    if (this.steps >= this.maxSteps) return this.stop('max-events');
    this.nextPoll = Math.min(this.steps + this.pollEvery, this.maxSteps);
    return true;
  }

  /** Ends the run for `reason` (the first reason given wins); always false. */
  stop(reason: StopReason, detail?: string): false {
    if (this.reason === undefined) {
      this.reason = reason;
      this.detail = detail;
    }
    this.nextPoll = 0;
    return false;
  }

  get exhausted(): boolean {
    return this.reason !== undefined;
  }

  /** Steps left before the step limit (Infinity without one). */
  get remaining(): number {
    return this.reason === undefined ? Math.max(0, this.maxSteps - this.steps) : 0;
  }

  wallMs(): number {
    return Date.now() - this.started;
  }
}
