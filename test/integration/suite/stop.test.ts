// A runaway simulation can be stopped, and the editor stays responsive while it runs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { markdownOf, waitFor, workspaceUri } from './util';

suite('Stop', () => {
  test('Stop ends a long simulation promptly; the extension host answers while it runs', async () => {
    const nb = await vscode.workspace.openNotebookDocument(workspaceUri('fixtures', 'long.sdnb'));
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.cellAt(0);
    void vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: nb.uri });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(cell.executionSummary?.success, undefined, 'the simulation is still running');
    // The kernel runs in a worker thread: language features in the extension host still answer.
    const t0 = performance.now();
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      nb.cellAt(1).document.uri,
      new vscode.Position(0, 0),
    );
    assert.ok(hovers.length > 0);
    assert.ok(performance.now() - t0 < 2000, 'hover answered while the simulation runs');
    const stopAt = performance.now();
    await vscode.commands.executeCommand('notebook.cancelExecution', nb.uri);
    await waitFor('the cell to end', () => cell.executionSummary?.success !== undefined, 10_000);
    const figures = (globalThis as { sdnbFigures?: Record<string, string> }).sdnbFigures ?? {};
    figures['Stop -> cell ended, seen by the extension host'] = `${(performance.now() - stopAt).toFixed(0)} ms`;
    assert.equal(cell.executionSummary?.success, false);
    assert.match(markdownOf(cell), /Stopped|stopped/);
  });
});
