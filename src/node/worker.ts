// The kernel worker thread (desktop): runs cells off the extension host's main thread, so a long
// simulation never freezes the editor. Stop sets a shared flag the kernels poll; the host ends the
// thread if a kernel does not notice it in time. In the "points" role, a thread of the same script
// runs sweep points for the kernel worker (src/node/pointPool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import '../kernels/all';
import { CANCEL_FLAG, WorkerMessage, WorkerRequest } from '../runtime/protocol';
import { serveRun } from '../runtime/serve';
import { servePoint } from '../runtime/session';
import { PointMessage, PointPool, PointReply, pointThreads } from './pointPool';

const shared = workerData.cancel as SharedArrayBuffer;
const cancel = new Int32Array(shared);
const isCancelled = () => Atomics.load(cancel, CANCEL_FLAG) !== 0;
const port = parentPort!;

if (workerData.role === 'points') {
  port.on('message', (m: PointMessage) => {
    if (m.type !== 'point') return;
    let reply: PointReply;
    try {
      reply = { type: 'point', id: m.id, run: servePoint(m.job, m.value, isCancelled) };
    } catch (e) {
      reply = { type: 'point', id: m.id, error: (e as Error).message };
    }
    port.postMessage(reply);
  });
} else {
  const send = (m: WorkerMessage) => port.postMessage(m);
  const threads = pointThreads();
  const pool = threads > 0 && typeof __filename === 'string' ? new PointPool(__filename, threads, shared) : undefined;
  port.on('message', (req: WorkerRequest) => void serveRun(req, cancel, send, pool && ((job, values) => pool.run(job, values))));
  send({ type: 'ready' });
}
