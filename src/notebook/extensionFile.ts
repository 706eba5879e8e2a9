// Reads a file the extension ships, in any runtime: through VS Code's file system where the
// extension's folder is one (the desktop, a remote), else over HTTP (vscode.dev serves extensions
// from a web address). Undefined when neither finds it.
import * as vscode from 'vscode';

export async function readExtensionFile(extensionUri: vscode.Uri, ...path: string[]): Promise<Uint8Array | undefined> {
  const uri = vscode.Uri.joinPath(extensionUri, ...path);
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    /* not a file system VS Code knows; try the web */
  }
  try {
    const res = await fetch(uri.toString(true));
    return res.ok ? new Uint8Array(await res.arrayBuffer()) : undefined;
  } catch {
    return undefined;
  }
}
