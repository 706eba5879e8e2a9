// A new, empty cell is not an error while it is being written; once it has text, its problems show.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './util';

const errorsOf = (cell: vscode.NotebookCell) =>
  vscode.languages.getDiagnostics(cell.document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);

suite('Empty cells', () => {
  for (const language of ['mermaid', 'sdnb-gateway', 'sdnb-kafka']) {
    test(`an empty ${language} cell has no error squiggle; text that is wrong does`, async () => {
      const nb = await vscode.workspace.openNotebookDocument(
        'system-design-notebook',
        new vscode.NotebookData([new vscode.NotebookCellData(vscode.NotebookCellKind.Code, '', language)]),
      );
      await vscode.window.showNotebookDocument(nb);
      const cell = nb.cellAt(0);
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(
        errorsOf(cell).map((d) => d.message),
        [],
      );
      const edit = new vscode.WorkspaceEdit();
      edit.insert(cell.document.uri, new vscode.Position(0, 0), language === 'mermaid' ? 'flowchar LR' : 'nope: [');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('an error once the cell has wrong text', () => errorsOf(cell).length > 0, 10_000);
    });
  }
});
