// The design review in the Problems panel, and its quick fixes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceUri } from './util';

const reviewOf = (nb: vscode.NotebookDocument) =>
  nb.getCells().flatMap((c) =>
    vscode.languages
      .getDiagnostics(c.document.uri)
      .filter((d) => d.source === 'Design review')
      .map((d) => ({ cell: c, d })),
  );

suite('Design review', () => {
  test('a complete example has no findings', async () => {
    const nb = await vscode.workspace.openNotebookDocument(workspaceUri('examples', 'url-shortener.sdnb'));
    await vscode.window.showNotebookDocument(nb);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(
      reviewOf(nb).map((x) => x.d.message),
      [],
    );
  });

  test('the Blank template: its placeholders are findings that underline the “…” to replace', async () => {
    await vscode.commands.executeCommand('sdnb.newNotebook', 'blank');
    const nb = vscode.window.activeNotebookEditor!.notebook;
    const found = await waitFor('six placeholder findings', () => {
      const r = reviewOf(nb).filter((x) => x.d.code === 'placeholder');
      return r.length === 6 && r;
    });
    const underlined = found.map((x) => x.cell.document.getText(x.d.range));
    assert.deepEqual(underlined, ['…', '…', '…', '…', '…', '…']);
    assert.match(found[0].d.message, /^Scope: FR1 and FR2 are still placeholders\./);
  });

  test('a quick fix inserts the missing section, and the review run after it no longer reports it', async () => {
    const nb = await vscode.workspace.openNotebookDocument(
      'system-design-notebook',
      new vscode.NotebookData([
        new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# Photos', 'markdown'),
        Object.assign(new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, 'We shard photos by owner.', 'markdown'), {
          metadata: { phase: 'deep-dive' },
        }),
      ]),
    );
    await vscode.window.showNotebookDocument(nb);
    const finding = await waitFor('a trade-off finding', () => reviewOf(nb).find((x) => x.d.code === 'deep-dive-no-tradeoffs'));
    const count = nb.cellCount;
    // The markdown cell is rendered, not edited, so the workbench has no text model to ask for code
    // actions: ask the extension's provider directly, with the diagnostic VS Code holds.
    const api = (await vscode.extensions.getExtension('sdnb.system-design-notebook')!.activate()) as { review: vscode.CodeActionProvider };
    const actions = (await api.review.provideCodeActions(
      finding.cell.document,
      finding.d.range,
      { diagnostics: [finding.d], only: undefined, triggerKind: vscode.CodeActionTriggerKind.Invoke },
      new vscode.CancellationTokenSource().token,
    )) as vscode.CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Insert'));
    assert.ok(fix?.edit, `a quick fix for: ${finding.d.message}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(nb.cellCount, count + 1);
    assert.equal(nb.cellAt(count).metadata?.phase, 'deep-dive');
    await waitFor('the finding to clear', () => !reviewOf(nb).some((x) => x.d.code === 'deep-dive-no-tradeoffs'));
    assert.ok(
      reviewOf(nb).some((x) => x.d.code === 'placeholder' && x.cell.index === count),
      'the inserted trade-off line is what is left to write',
    );
  });
});
