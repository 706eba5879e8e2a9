// The desktop's kernel runner: a Node worker thread (dist/worker.js). Stop sets a flag in shared
// memory that the kernels poll; the queueing, the grace period and crash handling are ThreadRunner's.
import { Worker } from 'node:worker_threads';
import { CANCEL_FLAG, WorkerMessage } from '../runtime/protocol';
import { ThreadRunner } from '../runtime/runner';

export type { RunHandlers, RunOutcome } from '../runtime/runner';
export { STOP_GRACE_MS } from '../runtime/runner';

export class KernelWorker extends ThreadRunner {
  constructor(script: string) {
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    super((events) => {
      const worker = new Worker(script, { workerData: { cancel }, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
      worker.on('message', (m: WorkerMessage) => events.message(m));
      worker.on('error', (e) => events.crashed(`the kernel worker crashed: ${e.message}`));
      worker.on('exit', (code) => events.crashed(`the kernel worker exited with code ${code}`));
      return {
        post: (request) => worker.postMessage(request),
        setCancelled: (cancelled) => Atomics.store(flag, CANCEL_FLAG, cancelled ? 1 : 0),
        terminate: () => void worker.terminate(),
      };
    });
  }
}
