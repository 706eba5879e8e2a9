// The kernel worker on the web: a Web Worker that runs cells off the extension host's thread, as
// the worker thread does on the desktop (src/node/worker.ts).
import '../kernels/all';
import { WorkerMessage, WorkerRequest } from '../runtime/protocol';
import { serveRun } from '../runtime/serve';
import { WebWorkerInit } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let cancel: Int32Array | undefined;
const send = (m: WorkerMessage) => self.postMessage(m);

self.onmessage = (e: MessageEvent<WorkerRequest | WebWorkerInit>) => {
  const m = e.data;
  if (m.type === 'init') cancel = m.cancel && new Int32Array(m.cancel);
  else void serveRun(m, cancel, send);
};
send({ type: 'ready' });
