// Host side of the kernel worker: one run at a time, queued; Stop sets the shared cancel flag and,
// if the kernel has not returned within the grace period, terminates the thread (a new one starts
// on the next run). A worker that crashes fails only the cells it was running.
import { Worker } from 'node:worker_threads';
import { CANCEL_FLAG, RunRequest, WorkerMessage } from '../runtime/protocol';
import { CellRun } from '../runtime/session';

export type RunOutcome = 'done' | 'stopped' | 'crashed';

export interface RunHandlers {
  onStart(index: number): void;
  onEnd(run: CellRun): void;
}

/** How long a kernel gets to notice Stop before its thread is terminated. */
export const STOP_GRACE_MS = 50;

export class KernelWorker {
  private worker: Worker | undefined;
  private readonly cancel = new SharedArrayBuffer(4);
  private readonly flag = new Int32Array(this.cancel);
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private current: { id: number; finish: (o: RunOutcome, message?: string) => void } | undefined;

  constructor(private readonly script: string) {}

  run(request: Omit<RunRequest, 'type' | 'id'>, handlers: RunHandlers): { done: Promise<{ outcome: RunOutcome; message?: string }>; stop: () => void } {
    let stopRequested = false;
    let stopNow: (() => void) | undefined;
    const done = (this.queue = this.queue.then(
      () =>
        new Promise<{ outcome: RunOutcome; message?: string }>((resolve) => {
          if (stopRequested) return resolve({ outcome: 'stopped' });
          const worker = this.ensureWorker();
          const id = this.nextId++;
          Atomics.store(this.flag, CANCEL_FLAG, 0);
          const listener = (m: WorkerMessage) => {
            if (!('id' in m) || m.id !== id) return;
            if (m.type === 'start') handlers.onStart(m.index);
            else if (m.type === 'end') handlers.onEnd(m.run);
            else if (m.type === 'done') finish(stopRequested ? 'stopped' : 'done');
            else if (m.type === 'failed') finish('crashed', m.message);
          };
          const finish = (outcome: RunOutcome, message?: string) => {
            worker.off('message', listener);
            this.current = undefined;
            resolve({ outcome, message });
          };
          this.current = { id, finish };
          worker.on('message', listener);
          stopNow = () => {
            Atomics.store(this.flag, CANCEL_FLAG, 1);
            setTimeout(() => {
              if (this.current?.id === id) {
                this.kill();
                finish('stopped');
              }
            }, STOP_GRACE_MS);
          };
          if (stopRequested) stopNow();
          worker.postMessage({ ...request, type: 'run', id } satisfies RunRequest);
        }),
    ) as Promise<{ outcome: RunOutcome; message?: string }>);
    return {
      done,
      stop: () => {
        stopRequested = true;
        stopNow?.();
      },
    };
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { workerData: { cancel: this.cancel }, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    const crashed = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.current?.finish('crashed', why);
    };
    worker.on('error', (e) => crashed(`the kernel worker crashed: ${e.message}`));
    worker.on('exit', (code) => crashed(`the kernel worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private kill(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  dispose(): void {
    this.kill();
  }
}
