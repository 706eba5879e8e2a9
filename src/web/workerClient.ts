// The web's kernel runner: a Web Worker (dist/web/worker.js), started from the extension host,
// which in VS Code for the Web is itself a Web Worker. Its script is handed over as a blob: the
// workbench refuses to start a worker from the extension's own URI when that URI is a remote one.
// Stop uses shared memory where the page allows it (cross-origin isolated); elsewhere the kernels
// cannot be told, and Stop ends the worker after the grace period (a new one starts on the next run).
import { CANCEL_FLAG, WorkerMessage } from '../runtime/protocol';
import { ThreadRunner } from '../runtime/runner';
import { WebWorkerInit } from './protocol';

export class WebKernelWorker extends ThreadRunner {
  /** `script`: the text of dist/web/worker.js, read once, when the first run needs it. */
  constructor(script: () => Promise<string>) {
    let url: Promise<string> | undefined;
    super(async (events) => {
      url ??= script().then((text) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
      const worker = new Worker(await url, { name: 'sdnb-kernels' });
      const shared = typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true;
      const flag = shared ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
      worker.onmessage = (e: MessageEvent<WorkerMessage>) => events.message(e.data);
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        events.crashed(`the kernel worker crashed: ${e.message}`);
      };
      worker.postMessage({ type: 'init', cancel: flag?.buffer as SharedArrayBuffer | undefined } satisfies WebWorkerInit);
      return {
        post: (request) => worker.postMessage(request),
        setCancelled: (cancelled) => flag && Atomics.store(flag, CANCEL_FLAG, cancelled ? 1 : 0),
        terminate: () => worker.terminate(),
      };
    });
  }
}
