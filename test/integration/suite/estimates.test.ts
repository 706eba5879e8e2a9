// Estimate names in the editor: spreadsheet re-runs, stale model cells, hover and completion.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { markdownOf, waitFor, workspaceUri } from './util';

interface Api {
  isStale(cell: vscode.NotebookCell): boolean;
  estimates: vscode.TreeDataProvider<object>;
}

suite('Estimates across cells', () => {
  let api: Api;
  let nb: vscode.NotebookDocument;
  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension('sdnb.system-design-notebook')!.activate()) as Api;
    nb = await vscode.workspace.openNotebookDocument(workspaceUri('fixtures', 'spreadsheet.sdnb'));
    await vscode.window.showNotebookDocument(nb);
  });

  test('names flow down: the gateway reads `peak` from the estimate cells above', async () => {
    await vscode.commands.executeCommand('notebook.execute');
    await waitFor('all three cells', () => nb.getCells().every((c) => c.executionSummary?.success !== undefined && c.outputs.length), 60_000);
    assert.match(markdownOf(nb.cellAt(1)), /\| peak \| 300 req\/s \|/);
    assert.equal(nb.cellAt(2).executionSummary?.success, true, markdownOf(nb.cellAt(2)).slice(0, 500));
    assert.equal(api.isStale(nb.cellAt(2)), false);
  });

  test('re-running a changed estimate re-runs the estimates below it and marks the model cell stale', async () => {
    const first = nb.cellAt(0);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(first.document.uri, new vscode.Range(0, 0, 0, first.document.lineAt(0).text.length), 'base = 200 req/s');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: nb.uri });
    await waitFor('the dependent estimate to re-run', () => /\| peak \| 600 req\/s \|/.test(markdownOf(nb.cellAt(1))), 30_000);
    await waitFor('the gateway cell to be marked stale', () => api.isStale(nb.cellAt(2)), 10_000);
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 2, end: 3 }], document: nb.uri });
    await waitFor('the gateway cell to be fresh again', () => !api.isStale(nb.cellAt(2)), 30_000);
  });

  test('the Estimates view lists every name with its value, under the cell that defines it', async () => {
    await vscode.window.showNotebookDocument(nb);
    // One line per tree item, a name indented under its cell: "label = description".
    const listed = async (parent?: object, depth = 0): Promise<string[]> => {
      const lines: string[] = [];
      for (const node of (await api.estimates.getChildren(parent)) ?? []) {
        const t = await api.estimates.getTreeItem(node);
        lines.push(`${'  '.repeat(depth)}${String(t.label)} = ${String(t.description)}`, ...(await listed(node, depth + 1)));
      }
      return lines;
    };
    // The view refreshes shortly after the notebook settles; wait for the values of the last edit.
    const shown = await waitFor('the edited values in the view', async () => {
      const now = await listed();
      return now.includes('  base = 200 req/s') ? now : undefined;
    });
    assert.deepEqual(shown, ['Estimate, cell 1 = 1 name', '  base = 200 req/s', 'Estimate, cell 2 = 1 name', '  peak = 600 req/s']);
  });

  test('hover on a name shows its value and where it is defined', async () => {
    const doc = nb.cellAt(1).document;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 12));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /base/);
    assert.match(text, /200/);
  });

  test('completion offers names from the cells above, units and built-ins', async () => {
    const doc = nb.cellAt(1).document;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 7));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const want of ['base', 'GB', 'ceil']) assert.ok(labels.includes(want), `completion has ${want}: ${labels.slice(0, 30).join(', ')}`);
  });
});
