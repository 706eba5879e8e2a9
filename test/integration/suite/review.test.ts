// The design review in the Problems panel, and its quick fixes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceUri } from './util';

const reviewOf = (nb: vscode.NotebookDocument) =>
  nb.getCells().flatMap((c) => vscode.languages.getDiagnostics(c.document.uri).filter((d) => d.source === 'Design review').map((d) => ({ cell: c, d })));


suite('Design review', () => {
  test('a complete example has no findings', async () => {
    const nb = await vscode.workspace.openNotebookDocument(workspaceUri('examples', 'url-shortener.sdnb'));
    await vscode.window.showNotebookDocument(nb);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(reviewOf(nb).map((x) => x.d.message), []);
  });

  test('a design whose wrap-up has no summary is flagged, and the quick fix inserts the section', async () => {
    await vscode.commands.executeCommand('sdnb.newNotebook', 'blank');
    const nb = vscode.window.activeNotebookEditor!.notebook;
    const wrap = await waitFor('a wrap-up finding', () => reviewOf(nb).find((x) => x.d.code === 'wrap-up-no-summary'));
    const count = nb.cellCount;
    // The markdown cell is rendered, not edited, so the workbench has no text model to ask for code
    // actions: ask the extension's provider directly, with the diagnostic VS Code holds.
    const api = (await vscode.extensions.getExtension('sdnb.system-design-notebook')!.activate()) as { review: vscode.CodeActionProvider };
    const actions = (await api.review.provideCodeActions(wrap.cell.document, wrap.d.range, { diagnostics: [wrap.d], only: undefined, triggerKind: vscode.CodeActionTriggerKind.Invoke }, new vscode.CancellationTokenSource().token)) as vscode.CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Insert a'));
    assert.ok(fix?.edit, `a quick fix for: ${wrap.d.message}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(nb.cellCount, count + 1);
    assert.ok(nb.getCells().some((c) => c.metadata?.phase === 'wrap-up'));
  });
});
