// The interview framework in the editor: templates carry phases, the timer records time per phase.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('Phases and the interview timer', () => {
  test('the timed interview template has every phase of the framework, in order', async () => {
    await vscode.commands.executeCommand('sdnb.newNotebook', 'interview');
    const nb = vscode.window.activeNotebookEditor!.notebook;
    const phases = nb.getCells().map((c) => c.metadata?.phase).filter(Boolean);
    const top = phases.filter((p) => ['intro', 'scope', 'high-level', 'deep-dive', 'wrap-up', 'qa'].includes(p));
    assert.deepEqual([...new Set(top)], ['intro', 'scope', 'high-level', 'deep-dive', 'wrap-up', 'qa']);
  });

  test('start and stop the timer: the time per phase is recorded at the end of the notebook', async () => {
    await vscode.commands.executeCommand('sdnb.newNotebook', 'interview');
    const editor = vscode.window.activeNotebookEditor!;
    const count = editor.notebook.cellCount;
    await vscode.commands.executeCommand('sdnb.startInterview');
    await new Promise((r) => setTimeout(r, 1200));
    await vscode.commands.executeCommand('sdnb.stopInterview');
    assert.equal(editor.notebook.cellCount, count + 1);
    const summary = editor.notebook.cellAt(count).document.getText();
    assert.match(summary, /^## Interview timing/);
    assert.match(summary, /\| Introduction \| 5 min \| 0:0[1-9] \| — \|/);
  });
});
