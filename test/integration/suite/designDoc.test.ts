// Design docs (*.sdnb.md): VS Code opens them in the notebook editor by default, not as Markdown,
// and model cells keep their GitHub form (```yaml under a marker naming the language) when saved.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceUri } from './util';
import { flavourFromFileName } from '../../../src/notebook/serializer';

const bytes = async (uri: vscode.Uri) => Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');

suite('Design docs (*.sdnb.md)', () => {
  // What the extension registers at activation (see flavourFromFileName), registered here for the test.
  let hook: vscode.Disposable;
  suiteSetup(() => (hook = flavourFromFileName()));
  suiteTeardown(() => hook.dispose());

  test('opening a *.sdnb.md file shows the notebook editor', async () => {
    const uri = workspaceUri('fixtures', 'design.sdnb.md');
    await vscode.commands.executeCommand('vscode.open', uri);
    const editor = await waitFor('a notebook editor for design.sdnb.md', () => {
      const e = vscode.window.activeNotebookEditor;
      return e?.notebook.uri.toString() === uri.toString() && e;
    });
    assert.equal(editor.notebook.notebookType, 'system-design-notebook');
    assert.deepEqual(
      editor.notebook.getCells().map((c) => c.document.languageId),
      ['markdown', 'mermaid', 'sdnb-kafka'],
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a model cell added to a design doc is saved as a ```yaml block', async () => {
    const uri = workspaceUri('fixtures', 'design.sdnb.md');
    const before = await bytes(uri);
    const nb = await vscode.workspace.openNotebookDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.set(uri, [
      vscode.NotebookEdit.insertCells(nb.cellCount, [
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'routes: []', 'sdnb-gateway'),
      ]),
    ]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await nb.save());
    assert.equal(await bytes(uri), before + '\n<!-- cell {"language":"sdnb-gateway"} -->\n```yaml\nroutes: []\n```\n');
    const undo = new vscode.WorkspaceEdit();
    undo.set(uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(nb.cellCount - 1, nb.cellCount))]);
    assert.ok(await vscode.workspace.applyEdit(undo));
    assert.ok(await nb.save());
    assert.equal(await bytes(uri), before);
  });

  test('in a *.sdnb.md file with no model cell yet, the first one is saved as a ```yaml block', async () => {
    const uri = workspaceUri('fixtures', 'plain-design.sdnb.md');
    const before = await bytes(uri);
    const nb = await vscode.workspace.openNotebookDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.set(uri, [
      vscode.NotebookEdit.insertCells(nb.cellCount, [
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'topics: []', 'sdnb-kafka'),
      ]),
    ]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await nb.save());
    assert.equal(await bytes(uri), before + '\n<!-- cell {"language":"sdnb-kafka"} -->\n```yaml\ntopics: []\n```\n');
    const undo = new vscode.WorkspaceEdit();
    undo.set(uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(nb.cellCount - 1, nb.cellCount))]);
    assert.ok(await vscode.workspace.applyEdit(undo));
    assert.ok(await nb.save());
    assert.equal(await bytes(uri), before);
  });
});
