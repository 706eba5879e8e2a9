// The simulation core, after SimPy's Environment: a clock and an event queue, nothing else.
// Time is an integer count of microseconds, so adding delays never drifts. Models register handlers
// (one per event kind) and schedule integer-argument events; closures are available for convenience.
import { Budget, StopReason } from './budget';
import { EventQueue } from './eventQueue';

/** Clock unit: 1 tick = 1 µs. */
export const TICKS_PER_SECOND = 1_000_000;
export const TICKS_PER_MS = 1_000;

/** Seconds -> integer ticks (rounded to the nearest microsecond). */
export function ticks(seconds: number): number {
  return Math.round(seconds * TICKS_PER_SECOND);
}

export function seconds(t: number): number {
  return t / TICKS_PER_SECOND;
}

/**
 * `Math.round(x)` for x > 0, without its unpredictable branch: V8 computes ceil(x) and then compares it
 * with x + 0.5, a branch that goes either way half the time for a random delay (several ns per event).
 * floor(x + 0.5) is exact unless the addition itself rounds up (x = 0.49999999999999994, or an odd
 * x >= 2^52); the correction, practically never taken and so always predicted, undoes that case.
 */
export function roundPositive(x: number): number {
  const r = Math.floor(x + 0.5);
  return r - 0.5 > x ? r - 1 : r;
}

export type Handler = (arg: number) => void;

export type { StopReason };

export interface RunLimits {
  /** Stop before processing any event later than this time (ticks). */
  until?: number;
  /** The run's budget, shared with the model's setup and earlier runs; when given, the fields below are ignored. */
  budget?: Budget;
  /** Upper bound on steps (events, plus whatever the model spends) for a budget made for this call. */
  maxEvents?: number;
  /** Upper bound on wall-clock milliseconds for a budget made for this call. */
  maxWallMs?: number;
  isCancelled?: () => boolean;
  /** Poll wall time and cancellation every this many steps (default 4096). */
  pollEvery?: number;
}

export interface RunOutcome {
  reason: StopReason;
  /** True when the run ended for a budget, cancellation, the memory ceiling or an explicit stop rather than running out of events or reaching `until`. */
  stoppedEarly: boolean;
  /** Events processed by this `run` call. */
  events: number;
  /** Steps the budget had counted when the run ended (events, setup and per-event work). */
  steps: number;
  /** The budget's step limit. */
  maxSteps: number;
  wallMs: number;
  /** Clock when the run ended (ticks). */
  now: number;
  /** What the model said when it stopped for memory. */
  detail?: string;
}

const count = (n: number) => n.toLocaleString('en-US');

export function describeStop(o: RunOutcome): string {
  switch (o.reason) {
    case 'drained':
      return 'ran until no events were left';
    case 'until':
      return 'ran to the end of the simulated period';
    case 'max-events':
      return `stopped early: reached the event budget (${count(o.maxSteps)} steps; setup and per-event work count as well as events)`;
    case 'wall-time':
      return `stopped early: reached the wall-clock budget (${Math.round(o.wallMs)} ms)`;
    case 'cancelled':
      return 'stopped early: cancelled by the user';
    case 'stopped':
      return 'stopped early by the model';
    case 'memory':
      return `stopped early: reached the memory ceiling (${o.detail ?? 'the model outgrew it'})`;
  }
}

export class Environment {
  /** Current simulated time in ticks (µs). */
  now = 0;
  declare readonly queue: EventQueue;
  private readonly handlers: Handler[] = [];
  private readonly closures: ((() => void) | undefined)[] = [];
  private readonly freeClosures: number[] = [];
  declare private readonly closureKind: number;
  private stopRequested = false;
  /** Events processed over the environment's lifetime. */
  processed = 0;

  constructor(initialCapacity = 1024) {
    this.queue = new EventQueue(initialCapacity);
    this.closureKind = this.on((slot) => {
      const fn = this.closures[slot]!;
      this.closures[slot] = undefined;
      this.freeClosures.push(slot);
      fn();
    });
  }

  /** Registers a handler and returns its event kind. */
  on(handler: Handler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Schedules event `kind` with `arg` after `delay` ticks (rounded to an integer, never negative). */
  schedule(delay: number, kind: number, arg = 0): void {
    const d = delay > 0 ? roundPositive(delay) : 0;
    this.queue.push(this.now + d, kind, arg);
  }

  /** Schedules at an absolute time (ticks); times in the past run now. */
  at(time: number, kind: number, arg = 0): void {
    const t = Math.round(time);
    this.queue.push(t > this.now ? t : this.now, kind, arg);
  }

  /** Schedules a closure (slower than `schedule`; for rare events such as faults). */
  call(delay: number, fn: () => void): void {
    const slot = this.freeClosures.length ? this.freeClosures.pop()! : this.closures.length;
    this.closures[slot] = fn;
    this.schedule(delay, this.closureKind, slot);
  }

  /** Asks the current `run` to stop after the event being processed. */
  stop(): void {
    this.stopRequested = true;
  }

  run(limits: RunLimits = {}): RunOutcome {
    const until = limits.until ?? Infinity;
    const b = limits.budget ?? new Budget(limits);
    const q = this.queue;
    const handlers = this.handlers;
    const started = Date.now();
    let events = 0;
    let reason: StopReason = 'drained';
    this.stopRequested = false;
    // Events run until the budget's next poll point; cancellation and wall time are polled there, so the
    // inner loop does only the queue work and one step count. Handlers may spend steps (or stop the
    // budget) themselves, which brings the poll point nearer.
    outer: for (;;) {
      if (b.steps >= b.nextPoll && !b.poll()) {
        reason = b.reason!;
        // Nothing was left to run anyway: say so rather than blame the budget.
        if (reason === 'max-events' || reason === 'wall-time') {
          if (q.size === 0) reason = 'drained';
          else if (q.peekTime() > until) {
            reason = 'until';
            this.now = until;
          }
        }
        break;
      }
      if (until === Infinity) {
        // No end time (the usual case): one emptiness check per event instead of two.
        while (b.steps < b.nextPoll) {
          if (!q.pop()) {
            reason = 'drained';
            break outer;
          }
          this.now = q.poppedTime;
          events++;
          b.steps++;
          handlers[q.poppedKind](q.poppedArg);
          if (this.stopRequested) {
            reason = 'stopped';
            break outer;
          }
        }
      } else {
        while (b.steps < b.nextPoll) {
          if (q.size === 0) {
            reason = 'drained';
            break outer;
          }
          if (q.peekTime() > until) {
            reason = 'until';
            this.now = until;
            break outer;
          }
          q.pop();
          this.now = q.poppedTime;
          events++;
          b.steps++;
          handlers[q.poppedKind](q.poppedArg);
          if (this.stopRequested) {
            reason = 'stopped';
            break outer;
          }
        }
      }
    }
    this.processed += events;
    const stoppedEarly = reason !== 'drained' && reason !== 'until';
    return {
      reason,
      stoppedEarly,
      events,
      steps: b.steps,
      maxSteps: b.maxSteps,
      wallMs: Date.now() - started,
      now: this.now,
      ...(reason === 'memory' && b.detail ? { detail: b.detail } : {}),
    };
  }
}
