// The extension's entry in VS Code for the Web (package.json `browser`): the same extension, with
// kernels in a Web Worker.
import * as vscode from 'vscode';
import { activateWith } from '../extension';
import { readExtensionFile } from '../notebook/extensionFile';
import { WebKernelWorker } from './workerClient';

export function activate(context: vscode.ExtensionContext) {
  const script = async () => {
    const bytes = await readExtensionFile(context.extensionUri, 'dist', 'web', 'worker.js');
    if (!bytes) throw new Error(vscode.l10n.t('{0} is missing from the extension', 'dist/web/worker.js'));
    return new TextDecoder().decode(bytes);
  };
  return activateWith(context, new WebKernelWorker(script));
}

export function deactivate() {}

// The desktop entry (src/node/extension.ts) takes the host from this bundle: it ships once.
export { activateWith };
