// Design verdicts in the editor: a requirement that fails shows in the output and in the Problems
// panel at its `require` line; edit the design, run again, and it is met.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { markdownOf, waitFor, workspaceUri } from './util';

interface Api {
  requirements: { requirements: readonly { id: string; state: string; broken: readonly { reason: string }[] }[] };
}

suite('Design verdicts', () => {
  let nb: vscode.NotebookDocument;
  let api: Api;
  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension('sdnb.system-design-notebook')!.activate()) as Api;
    nb = await vscode.workspace.openNotebookDocument(workspaceUri('fixtures', 'verdict.sdnb'));
    await vscode.window.showNotebookDocument(nb);
  });

  const checkCell = () => nb.cellAt(3);
  const errors = () =>
    vscode.languages.getDiagnostics(checkCell().document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);

  test('before the model runs, the check is pending: a hint, not a problem', async () => {
    await waitFor(
      'the analysis',
      () => vscode.languages.getDiagnostics(checkCell().document.uri).some((d) => /not checked yet/.test(d.message)),
      20_000,
    );
    assert.deepEqual(errors(), []);
    const hint = vscode.languages.getDiagnostics(checkCell().document.uri).find((d) => /not checked yet/.test(d.message))!;
    assert.equal(hint.severity, vscode.DiagnosticSeverity.Hint);
  });

  test('one instance misses NFR1: the model report opens with it, the check cell fails, and the Problems panel has it at the require line', async () => {
    await vscode.commands.executeCommand('notebook.execute');
    await waitFor('every cell to run', () => [1, 2, 3].every((i) => nb.cellAt(i).executionSummary?.success !== undefined), 60_000);
    assert.match(markdownOf(nb.cellAt(2)), /✗ NFR1 not met/);
    assert.equal(checkCell().executionSummary?.success, false);
    assert.match(markdownOf(checkCell()), /\| NFR1 \| shop\.p99 \\<= 30 ms \| .* \| ✘ not met \|/);
    const [problem] = await waitFor('the failing check in the Problems panel', () => (errors().length ? errors() : undefined), 20_000);
    assert.match(problem.message, /^NFR1 not met: shop\.p99 = /);
    assert.equal(problem.range.start.line, 0);
    assert.equal(problem.range.start.character, 8);
    assert.equal(api.requirements.requirements.find((r) => r.id === 'NFR1')?.state, 'not met');
  });

  test('with four instances, run again: NFR1 is met and the problem is gone', async () => {
    const model = nb.cellAt(2).document;
    const line = model
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('instances: 1'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(model.uri, new vscode.Range(line, 0, line, model.lineAt(line).text.length), '    instances: 4');
    assert.ok(await vscode.workspace.applyEdit(edit));
    // Editing the model makes its names pending again until it runs.
    await waitFor('the check to be pending again', () => errors().length === 0, 20_000);
    await vscode.commands.executeCommand('notebook.execute');
    await waitFor('the check to be met', () => /\| ✔ met \|/.test(markdownOf(checkCell())), 60_000);
    assert.equal(checkCell().executionSummary?.success, true);
    assert.match(markdownOf(nb.cellAt(2)), /✓ NFR1 met/);
    assert.deepEqual(errors(), []);
    await waitFor('the Requirements view', () => api.requirements.requirements.find((r) => r.id === 'NFR1')?.state === 'met', 20_000);
  });

  test('a check with an error is a check with an error, not "no check": the view says where it broke', async () => {
    const check = checkCell().document;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(check.uri, check.lineAt(0).range, 'require NFR1: shop.p99 <=');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const r = await waitFor(
      'the Requirements view',
      () => api.requirements.requirements.find((x) => x.id === 'NFR1' && x.state === 'broken'),
      20_000,
    );
    assert.deepEqual(
      r.broken.map((b) => b.reason),
      ['line 1 of cell 4 has an error'],
    );
    assert.ok(errors().length > 0, 'the error is in the Problems panel');
  });
});
