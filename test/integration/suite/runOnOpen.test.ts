// Opening a notebook runs its estimate and mermaid cells (sdnb.runOnOpen); model cells wait for Run.
// The integration workspace turns the setting off for the other suites, which start from no outputs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceUri } from './util';

const mimes = (c: vscode.NotebookCell) => c.outputs.flatMap((o) => o.items.map((i) => i.mime));

suite('Run on open', () => {
  const config = () => vscode.workspace.getConfiguration('sdnb');
  teardown(() => config().update('runOnOpen', false, vscode.ConfigurationTarget.Workspace));

  test('estimate and mermaid cells render by themselves, with execution orders; empty and model cells do not run', async () => {
    await config().update('runOnOpen', true, vscode.ConfigurationTarget.Workspace);
    const nb = await vscode.workspace.openNotebookDocument(workspaceUri('fixtures', 'open.sdnb'));
    await vscode.window.showNotebookDocument(nb);
    const [estimate, diagram, empty, gateway] = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    await waitFor(
      'the estimate and the diagram to run',
      () => [estimate, diagram].every((c) => c.executionSummary?.success === true),
      30_000,
    );
    assert.ok(mimes(estimate).includes('application/vnd.sdnb.estimate+json'));
    assert.ok(mimes(diagram).includes('application/vnd.sdnb.mermaid+json'));
    assert.deepEqual(
      [estimate, diagram].map((c) => c.executionSummary?.executionOrder),
      [1, 2],
    );
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(empty.outputs.length, 0, 'an empty diagram waits until it has text');
    assert.equal(gateway.outputs.length, 0, 'a model cell waits for Run');
    assert.equal(gateway.executionSummary?.executionOrder, undefined);
  });

  test('with sdnb.runOnOpen off, nothing runs', async () => {
    const nb = await vscode.workspace.openNotebookDocument(workspaceUri('fixtures', 'open-off.sdnb'));
    await vscode.window.showNotebookDocument(nb);
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(
      nb.getCells().map((c) => c.outputs.length),
      [0, 0, 0, 0, 0],
    );
  });
});
