// Figures the closing notes report, measured inside VS Code: activation time and the time to open
// and save a 2,000-cell notebook. Correctness is asserted; the times are recorded, not judged.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { workspaceUri } from './util';

const figures = (globalThis as { sdnbFigures?: Record<string, string> }).sdnbFigures ?? {};

suite('Figures', () => {
  test('activation time', async () => {
    const ext = vscode.extensions.getExtension('sdnb.system-design-notebook')!;
    const api = (await ext.activate()) as { activationMs: number };
    assert.equal(typeof api.activationMs, 'number');
    figures['activation (activate() body)'] = `${api.activationMs.toFixed(1)} ms`;
  });

  test('open and save a 2,000-cell notebook', async () => {
    const uri = workspaceUri('fixtures', 'big.sdnb');
    const before = Buffer.from(await vscode.workspace.fs.readFile(uri));
    let t0 = performance.now();
    const nb = await vscode.workspace.openNotebookDocument(uri);
    figures['open 2,000-cell notebook (openNotebookDocument)'] = `${(performance.now() - t0).toFixed(0)} ms`;
    assert.equal(nb.cellCount, 2000);
    t0 = performance.now();
    await vscode.window.showNotebookDocument(nb);
    figures['show 2,000-cell notebook in the editor'] = `${(performance.now() - t0).toFixed(0)} ms`;
    const cell = nb.cellAt(1);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(cell.document.uri, new vscode.Position(0, 0), ' ');
    await vscode.workspace.applyEdit(edit);
    const undo = new vscode.WorkspaceEdit();
    undo.delete(cell.document.uri, new vscode.Range(0, 0, 0, 1));
    await vscode.workspace.applyEdit(undo);
    t0 = performance.now();
    assert.ok(await nb.save());
    figures['save 2,000-cell notebook'] = `${(performance.now() - t0).toFixed(0)} ms`;
    assert.ok(Buffer.from(await vscode.workspace.fs.readFile(uri)).equals(before), 'saved bytes are the bytes read');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
