// The one message a Web Worker needs before the shared protocol: what a Node worker gets as workerData.
export interface WebWorkerInit {
  type: 'init';
  /** The Stop flag, when the page may share memory with the worker. */
  cancel?: SharedArrayBuffer;
}
