// The worker's side of the protocol (src/node/worker.ts, src/web/worker.ts): runs the cells a
// request names and reports each one. Apart from runner.ts, so the host's side of a thread does not
// carry the kernels with it.
import { CANCEL_FLAG, WorkerMessage, WorkerRequest } from './protocol';
import { RunOptions, runCells } from './session';

/** The worker's side of one request: runs the cells and reports each one through `send`. */
export async function serveRun(
  req: WorkerRequest,
  cancel: Int32Array | undefined,
  send: (m: WorkerMessage) => void,
  sweepPoints?: RunOptions['sweepPoints'],
): Promise<void> {
  if (req.type !== 'run') return;
  try {
    await runCells(req.cells, req.run, {
      seed: req.seed,
      notebook: req.notebook,
      budget: req.budget,
      stopOnFirstFailure: req.stopOnFirstFailure,
      results: req.results,
      sweepPoints,
      isCancelled: () => cancel !== undefined && Atomics.load(cancel, CANCEL_FLAG) !== 0,
      onStart: (index) => send({ type: 'start', id: req.id, index }),
      onEnd: (run) => send({ type: 'end', id: req.id, run }),
    });
    send({ type: 'done', id: req.id });
  } catch (e) {
    send({ type: 'failed', id: req.id, message: (e as Error).message });
  }
}
