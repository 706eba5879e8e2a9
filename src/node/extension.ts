// The extension's entry on the desktop (package.json `main`): kernels in a Node worker thread. Built,
// it takes `activateWith` from dist/web/extension.js, where the host's code ships (scripts/build.mjs).
import * as vscode from 'vscode';
import { activateWith } from '../extension';
import { KernelWorker } from './workerClient';

export function activate(context: vscode.ExtensionContext) {
  return activateWith(context, new KernelWorker(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath));
}

export function deactivate() {}
