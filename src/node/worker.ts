// The kernel worker: runs cells off the extension host's main thread, so a long simulation never
// freezes the editor. Stop sets a shared flag the kernels poll; the host terminates the worker if
// a kernel does not notice it in time.
import { parentPort, workerData } from 'node:worker_threads';
import '../kernels/all';
import { CANCEL_FLAG, WorkerMessage, WorkerRequest } from '../runtime/protocol';
import { runCells } from '../runtime/session';

const cancel = new Int32Array(workerData.cancel as SharedArrayBuffer);
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);

port.on('message', async (req: WorkerRequest) => {
  if (req.type !== 'run') return;
  try {
    await runCells(req.cells, req.run, {
      seed: req.seed,
      notebook: req.notebook,
      budget: req.budget,
      stopOnFirstFailure: req.stopOnFirstFailure,
      results: req.results,
      isCancelled: () => Atomics.load(cancel, CANCEL_FLAG) !== 0,
      onStart: (index) => send({ type: 'start', id: req.id, index }),
      onEnd: (run) => send({ type: 'end', id: req.id, run }),
    });
    send({ type: 'done', id: req.id });
  } catch (e) {
    send({ type: 'failed', id: req.id, message: (e as Error).message });
  }
});
send({ type: 'ready' });
