// The interview framework in the editor: templates carry phases, the timer records time per phase,
// and the Design Phases view stays clickable while the timer runs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './util';

interface PhaseNode {
  kind: 'phase' | 'cell';
  id?: string;
  cell?: vscode.NotebookCell;
}
type Api = { phases: vscode.TreeDataProvider<PhaseNode> & { onDidChangeTreeData: vscode.Event<void> } };
const api = async () => (await vscode.extensions.getExtension('sdnb.system-design-notebook')!.activate()) as Api;

suite('Phases and the interview timer', () => {
  teardown(() => vscode.commands.executeCommand('sdnb.stopInterview'));

  test('the timed interview template has every phase of the framework, in order', async () => {
    await vscode.commands.executeCommand('sdnb.newNotebook', 'interview');
    const nb = vscode.window.activeNotebookEditor!.notebook;
    const phases = nb
      .getCells()
      .map((c) => c.metadata?.phase)
      .filter(Boolean);
    const top = phases.filter((p) => ['intro', 'scope', 'high-level', 'deep-dive', 'wrap-up', 'qa'].includes(p));
    assert.deepEqual([...new Set(top)], ['intro', 'scope', 'high-level', 'deep-dive', 'wrap-up', 'qa']);
  });

  test('start and stop the timer: the time per phase is recorded at the end of the notebook', async () => {
    await vscode.commands.executeCommand('sdnb.newNotebook', 'interview');
    const editor = vscode.window.activeNotebookEditor!;
    const count = editor.notebook.cellCount;
    await vscode.commands.executeCommand('sdnb.startInterview');
    await new Promise((r) => setTimeout(r, 1200));
    const inserted = (await vscode.commands.executeCommand('sdnb.stopInterview')) as vscode.NotebookCell | undefined;
    assert.equal(editor.notebook.cellCount, count + 1);
    assert.equal(inserted?.index, count, 'stop returns the cell it recorded the timing in');
    const summary = editor.notebook.cellAt(count).document.getText();
    assert.match(summary, /^## Interview timing/);
    assert.match(summary, /\| Introduction \| 5 min \| 0:0[1-9] \| — \|/);
  });

  test('while the timer ticks the Design Phases tree is not rebuilt (a rebuild drops the items’ click commands); moving to another phase rebuilds it', async () => {
    const { phases } = await api();
    await vscode.commands.executeCommand('sdnb.newNotebook', 'interview');
    const editor = vscode.window.activeNotebookEditor!;
    editor.selections = [new vscode.NotebookRange(1, 2)];
    await new Promise((r) => setTimeout(r, 500));
    let rebuilt = 0;
    const listener = phases.onDidChangeTreeData(() => rebuilt++);
    try {
      await vscode.commands.executeCommand('sdnb.startInterview');
      rebuilt = 0;
      await new Promise((r) => setTimeout(r, 3500)); // three ticks or more
      assert.equal(rebuilt, 0, 'ticks rebuild nothing');
      const wrapUp = editor.notebook.getCells().find((c) => c.metadata?.phase === 'wrap-up')!;
      editor.selections = [new vscode.NotebookRange(wrapUp.index, wrapUp.index + 1)];
      await waitFor('a rebuild for the new phase', () => rebuilt > 0, 5_000);
    } finally {
      listener.dispose();
    }
  });

  test('a cell item in Design Phases reveals its cell; the untimed Blank template lists no Introduction or Q&A', async () => {
    const { phases } = await api();
    await vscode.commands.executeCommand('sdnb.newNotebook', 'blank');
    const editor = vscode.window.activeNotebookEditor!;
    const top = (await phases.getChildren())!;
    const titles = await Promise.all(top.map(async (n) => (await phases.getTreeItem(n)).label));
    assert.deepEqual(titles, [
      'Understand the problem and establish design scope',
      'Propose a high-level design and validate it against the requirements',
      'Design deep dive',
      'Wrap up',
    ]);
    const descriptions = await Promise.all(top.map(async (n) => (await phases.getTreeItem(n)).description));
    assert.ok(
      descriptions.every((d) => !String(d).includes('missing')),
      `nothing missing: ${descriptions.join(' | ')}`,
    );
    const wrap = top[3];
    const [cell] = (await phases.getChildren(wrap))!;
    const item = await phases.getTreeItem(cell);
    assert.equal(item.command?.command, 'sdnb.revealCell');
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    await waitFor('the wrap-up cell selected', () => editor.selections[0]?.start === cell.cell!.index);
  });
});
