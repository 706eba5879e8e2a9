// The kernel worker thread (desktop): runs cells off the extension host's main thread, so a long
// simulation never freezes the editor. Stop sets a shared flag the kernels poll; the host ends the
// thread if a kernel does not notice it in time.
import { parentPort, workerData } from 'node:worker_threads';
import '../kernels/all';
import { WorkerMessage, WorkerRequest } from '../runtime/protocol';
import { serveRun } from '../runtime/runner';

const cancel = new Int32Array(workerData.cancel as SharedArrayBuffer);
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);

port.on('message', (req: WorkerRequest) => void serveRun(req, cancel, send));
send({ type: 'ready' });
