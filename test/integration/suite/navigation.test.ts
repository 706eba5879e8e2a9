// Navigation that falls out of the notebook analysis: go to definition, find references and rename
// across cells, the cells' symbols for the outline, and running a cell with its dependents.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { markdownOf, waitFor, workspaceUri } from './util';

suite('Navigation across cells', () => {
  let nb: vscode.NotebookDocument;
  suiteSetup(async () => {
    await vscode.extensions.getExtension('sdnb.system-design-notebook')!.activate();
    nb = await vscode.workspace.openNotebookDocument(workspaceUri('fixtures', 'navigation.sdnb'));
    await vscode.window.showNotebookDocument(nb);
  });

  const where = (l: vscode.Location | vscode.LocationLink) => {
    const uri = 'uri' in l ? l.uri : l.targetUri;
    const range = 'range' in l ? l.range : (l.targetSelectionRange ?? l.targetRange);
    const cell = nb.getCells().findIndex((c) => c.document.uri.toString() === uri.toString());
    return `cell ${cell} ${range.start.line}:${range.start.character}-${range.end.character}`;
  };

  test('go to definition from an estimate cell and from a model cell', async () => {
    const fromEstimate = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      nb.cellAt(2).document.uri,
      new vscode.Position(0, 11),
    );
    assert.deepEqual(fromEstimate.map(where), ['cell 1 1:0-4']);
    const fromModel = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      nb.cellAt(3).document.uri,
      new vscode.Position(10, 9),
    );
    assert.deepEqual(fromModel.map(where), ['cell 1 1:0-4']);
  });

  test('find references lists the definition and every read, in every cell', async () => {
    const refs = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      nb.cellAt(1).document.uri,
      new vscode.Position(1, 1),
    );
    assert.deepEqual(refs.map(where).sort(), ['cell 1 1:0-4', 'cell 2 0:10-14', 'cell 3 10:8-12']);
  });

  test('the outline lists the names each cell defines', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      nb.cellAt(1).document.uri,
    );
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['users', 'peak'],
    );
    assert.ok(symbols.every((s) => s.kind === vscode.SymbolKind.Variable));
  });

  test('rename changes the name in every cell that uses it, and refuses a name already taken', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      nb.cellAt(2).document.uri,
      new vscode.Position(0, 11),
      'peak_qps',
    );
    assert.ok(edit, 'a rename edit');
    assert.deepEqual(
      edit
        .entries()
        .map(([uri, edits]) => `${where(new vscode.Location(uri, edits[0].range))} x${edits.length}`)
        .sort(),
      ['cell 1 1:0-4 x1', 'cell 2 0:10-14 x1', 'cell 3 10:8-12 x1'],
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(nb.cellAt(1).document.lineAt(1).text, 'peak_qps = users * 10 req/user/day -> req/s');
    assert.equal(nb.cellAt(2).document.getText(), 'doubled = peak_qps * 2');
    assert.equal(nb.cellAt(3).document.lineAt(10).text, '  rate: peak_qps');
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand(
          'vscode.executeDocumentRenameProvider',
          nb.cellAt(2).document.uri,
          new vscode.Position(0, 11),
          'users',
        ),
      ),
      /already defined/,
    );
  });

  test('Run Cell and Its Precedents runs the cells it reads from, and no others', async () => {
    await vscode.commands.executeCommand('sdnb.runPrecedents', nb.cellAt(3));
    await waitFor(
      'the gateway cell and its precedent to run',
      () => [1, 3].every((i) => nb.cellAt(i).executionSummary?.success !== undefined),
      60_000,
    );
    assert.equal(nb.cellAt(3).executionSummary?.success, true, markdownOf(nb.cellAt(3)).slice(0, 300));
    assert.equal(nb.cellAt(2).executionSummary?.success, undefined, 'a cell the gateway does not read did not run');
    assert.equal(nb.cellAt(4).outputs.length, 0);
  });

  test('Run Cell and Its Dependents runs the cell and the cells that read it, and no others', async () => {
    await vscode.commands.executeCommand('sdnb.runDependents', nb.cellAt(1));
    await waitFor('the dependent estimate to run', () => nb.cellAt(2).executionSummary?.success !== undefined, 60_000);
    assert.match(markdownOf(nb.cellAt(2)), /doubled/);
    assert.equal(nb.cellAt(4).executionSummary?.success, undefined, 'the unrelated cell did not run');
    assert.equal(nb.cellAt(4).outputs.length, 0);
  });
});
