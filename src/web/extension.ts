// The extension's entry in VS Code for the Web (package.json `browser`): the same extension, with
// kernels in a Web Worker.
import * as vscode from 'vscode';
import { activateWith } from '../extension';
import { readExtensionFile } from '../notebook/extensionFile';
import { WebKernelWorker } from './workerClient';

export function activate(context: vscode.ExtensionContext) {
  const script = async () => {
    const bytes = await readExtensionFile(context.extensionUri, 'dist', 'web', 'worker.js');
    if (!bytes) throw new Error('dist/web/worker.js is missing from the extension');
    return new TextDecoder().decode(bytes);
  };
  return activateWith(context, new WebKernelWorker(script));
}

export function deactivate() {}
