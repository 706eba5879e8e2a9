// How the extension host runs cells off its own thread, in whichever runtime it is: a KernelRunner.
// ThreadRunner implements it over any thread that speaks the protocol (a Node worker thread on the
// desktop, a Web Worker in VS Code for the Web): one run at a time, queued; Stop raises the flag
// the kernels poll and, if the kernel has not returned within the grace period, ends the thread (a
// new one starts on the next run). A thread that crashes fails only the cells it was running.
import type { RunRequest, WorkerMessage } from './protocol';
import type { CellRun } from './session';

// Both runtimes of this file (the host and the workers) have timers; the pure project declares none.
declare function setTimeout(handler: () => void, ms: number): unknown;

export type RunOutcome = 'done' | 'stopped' | 'crashed';

export interface RunHandlers {
  onStart(index: number): void;
  onEnd(run: CellRun): void;
}

export type RunInput = Omit<RunRequest, 'type' | 'id'>;

export interface RunHandle {
  done: Promise<{ outcome: RunOutcome; message?: string }>;
  stop(): void;
}

/** What the host (controller, export) is given to run cells with. */
export interface KernelRunner {
  run(request: RunInput, handlers: RunHandlers): RunHandle;
  dispose(): void;
}

/** How long a kernel gets to notice Stop before its thread is ended. */
export const STOP_GRACE_MS = 50;

/** A started kernel thread. */
export interface KernelThread {
  post(request: RunRequest): void;
  /** Raises or lowers the flag the kernels poll; a thread without shared memory ignores it (Stop then ends it). */
  setCancelled(cancelled: boolean): void;
  terminate(): void;
}

export interface ThreadEvents {
  message(m: WorkerMessage): void;
  /** The thread failed (an uncaught error, or it exited) on its own. */
  crashed(why: string): void;
}

export type StartThread = (events: ThreadEvents) => KernelThread | Promise<KernelThread>;

interface Current {
  id: number;
  handlers: RunHandlers;
  stopRequested: () => boolean;
  finish(outcome: RunOutcome, message?: string): void;
}

export class ThreadRunner implements KernelRunner {
  private thread: { ready: Promise<KernelThread>; started?: KernelThread } | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private current: Current | undefined;

  constructor(private readonly start: StartThread) {}

  run(request: RunInput, handlers: RunHandlers): RunHandle {
    let stopRequested = false;
    let stopNow: (() => void) | undefined;
    const next = async (): Promise<{ outcome: RunOutcome; message?: string }> => {
      if (stopRequested) return { outcome: 'stopped' };
      let thread: KernelThread;
      try {
        thread = await this.ensureThread();
      } catch (e) {
        return { outcome: 'crashed', message: `the kernel worker could not start: ${(e as Error)?.message ?? e}` };
      }
      const id = this.nextId++;
      return new Promise((resolve) => {
        const finish = (outcome: RunOutcome, message?: string) => {
          if (this.current?.id !== id) return;
          this.current = undefined;
          resolve({ outcome, message });
        };
        this.current = { id, handlers, stopRequested: () => stopRequested, finish };
        stopNow = () => {
          thread.setCancelled(true);
          setTimeout(() => {
            if (this.current?.id !== id) return;
            this.kill();
            finish('stopped');
          }, STOP_GRACE_MS);
        };
        thread.setCancelled(false);
        if (stopRequested) stopNow();
        thread.post({ ...request, type: 'run', id });
      });
    };
    const done = this.queue.then(next);
    this.queue = done;
    return {
      done,
      stop: () => {
        stopRequested = true;
        stopNow?.();
      },
    };
  }

  private onMessage(m: WorkerMessage): void {
    const c = this.current;
    if (!c || !('id' in m) || m.id !== c.id) return;
    if (m.type === 'start') c.handlers.onStart(m.index);
    else if (m.type === 'end') c.handlers.onEnd(m.run);
    else if (m.type === 'done') c.finish(c.stopRequested() ? 'stopped' : 'done');
    else if (m.type === 'failed') c.finish('crashed', m.message);
  }

  private ensureThread(): Promise<KernelThread> {
    if (this.thread) return this.thread.ready;
    const token: { ready: Promise<KernelThread>; started?: KernelThread } = { ready: undefined as unknown as Promise<KernelThread> };
    const events: ThreadEvents = {
      message: (m) => {
        if (this.thread === token) this.onMessage(m);
      },
      crashed: (why) => {
        if (this.thread !== token) return;
        this.thread = undefined;
        this.current?.finish('crashed', why);
      },
    };
    token.ready = Promise.resolve().then(() => this.start(events));
    token.ready.then(
      (thread) => (token.started = thread),
      () => {
        if (this.thread === token) this.thread = undefined;
      },
    );
    this.thread = token;
    return token.ready;
  }

  private kill(): void {
    const t = this.thread;
    this.thread = undefined;
    if (t?.started) t.started.terminate();
    else
      t?.ready.then(
        (thread) => thread.terminate(),
        () => undefined,
      );
  }

  dispose(): void {
    this.kill();
  }
}

/**
 * The runner, reporting each finished run that had failures once, with every failed cell: what
 * the host announces after Run All instead of each failed output announcing itself. A run of one
 * cell (its own output says it failed) and a stopped run (the user asked) report nothing.
 */
export function reportingFailures(runner: KernelRunner, report: (failed: CellRun[], ran: number) => void): KernelRunner {
  return {
    run(request, handlers) {
      const failed: CellRun[] = [];
      let ran = 0;
      const handle = runner.run(request, {
        onStart: (index) => handlers.onStart(index),
        onEnd: (run) => {
          ran++;
          if (!run.ok) failed.push(run);
          handlers.onEnd(run);
        },
      });
      const done = handle.done.then((result) => {
        if (result.outcome !== 'stopped' && request.run.length > 1 && failed.length > 0) report(failed, ran);
        return result;
      });
      return { done, stop: handle.stop };
    },
    dispose: () => runner.dispose(),
  };
}
