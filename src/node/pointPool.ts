// A sweep's points on several threads. The kernel worker keeps a few more worker threads of its own
// script (in the "points" role) and hands them one point at a time, in order, so a sweep uses every
// core the machine has. Stop reaches them through the same shared flag the kernels poll.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PointRun } from '../kernels/types';
import type { SweepJob } from '../runtime/session';

export type PointMessage = { type: 'point'; id: number; job: SweepJob; value: number };
export type PointReply = { type: 'point'; id: number; run?: PointRun; error?: string };

/** Threads for sweep points: one per core, at most `max`; none on a single-core machine. */
export function pointThreads(max = 8): number {
  const cores = availableParallelism();
  return cores > 1 ? Math.min(max, cores) : 0;
}

export class PointPool {
  private readonly workers: Worker[] = [];
  private nextId = 1;

  constructor(
    private readonly script: string,
    private readonly size: number,
    private readonly cancel: SharedArrayBuffer,
  ) {}

  private worker(i: number): Worker {
    if (!this.workers[i]) {
      const w = new Worker(this.script, {
        workerData: { cancel: this.cancel, role: 'points' },
        resourceLimits: { maxOldGenerationSizeMb: 2048 },
      });
      w.unref();
      this.workers[i] = w;
    }
    return this.workers[i];
  }

  /** Runs the points; results come back in the order of `values`. */
  run(job: SweepJob, values: number[]): Promise<PointRun[]> {
    const out: PointRun[] = new Array(values.length);
    let next = 0;
    const lane = (i: number): Promise<void> => {
      const k = next++;
      if (k >= values.length) return Promise.resolve();
      const w = this.worker(i);
      const id = this.nextId++;
      return new Promise<void>((resolve, reject) => {
        const onMessage = (m: PointReply) => {
          if (m.id !== id) return;
          w.off('message', onMessage);
          w.off('error', onError);
          if (m.error !== undefined) return reject(new Error(m.error));
          out[k] = m.run!;
          resolve();
        };
        const onError = (e: Error) => {
          w.off('message', onMessage);
          this.workers[i] = undefined as unknown as Worker;
          reject(e);
        };
        w.on('message', onMessage);
        w.on('error', onError);
        w.postMessage({ type: 'point', id, job, value: values[k] } satisfies PointMessage);
      }).then(() => lane(i));
    };
    return Promise.all(Array.from({ length: Math.min(this.size, values.length) }, (_, i) => lane(i))).then(() => out);
  }

  dispose(): void {
    for (const w of this.workers) void w?.terminate();
    this.workers.length = 0;
  }
}
