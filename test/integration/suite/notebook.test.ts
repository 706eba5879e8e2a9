// Integration tier: the extension inside a real VS Code extension host, through the vscode API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceUri } from './util';

const NOTEBOOK_TYPE = 'system-design-notebook';
const EXTENSION_ID = 'sdnb.system-design-notebook';

const bytes = async (uri: vscode.Uri) => Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');

function mimes(cell: vscode.NotebookCell): string[] {
  return cell.outputs.flatMap((o) => o.items.map((i) => i.mime));
}

async function runAll(nb: vscode.NotebookDocument): Promise<void> {
  await vscode.window.showNotebookDocument(nb);
  await vscode.commands.executeCommand('notebook.execute');
  const code = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
  await waitFor(
    'every code cell to finish',
    () => code.every((c) => c.executionSummary?.success !== undefined && c.outputs.length > 0),
    60_000,
  );
}

suite('System Design Notebook in VS Code', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await ext.activate();
  });

  test('declares untrusted-workspace support and the cell languages', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    const ids = pkg.contributes.languages.map((l: { id: string }) => l.id).sort();
    assert.deepEqual(ids, ['mermaid', 'sdnb-estimate', 'sdnb-gateway', 'sdnb-kafka']);
  });

  test('opens an .sdnb file as a notebook with one cell per block', async () => {
    const nb = await vscode.workspace.openNotebookDocument(workspaceUri('fixtures', 'basic.sdnb'));
    assert.equal(nb.notebookType, NOTEBOOK_TYPE);
    assert.deepEqual(
      nb.getCells().map((c) => [c.kind === vscode.NotebookCellKind.Markup ? 'markup' : 'code', c.document.languageId]),
      [
        ['markup', 'markdown'],
        ['code', 'sdnb-estimate'],
        ['code', 'mermaid'],
        ['markup', 'markdown'],
        ['markup', 'markdown'],
      ],
    );
    assert.equal(nb.cellAt(3).document.getText(), 'First of two adjacent markdown cells.');
  });

  test('Run All runs every cell with execution order, timing and rich + markdown outputs', async () => {
    const nb = await vscode.workspace.openNotebookDocument(workspaceUri('fixtures', 'basic.sdnb'));
    await runAll(nb);
    const code = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    const orders = code.map((c) => c.executionSummary?.executionOrder);
    assert.ok(
      orders.every((o) => typeof o === 'number'),
      `execution orders: ${orders}`,
    );
    assert.deepEqual(
      [...orders].sort((a, b) => a! - b!),
      orders,
      'cells ran in notebook order',
    );
    for (const c of code) {
      const t = c.executionSummary?.timing;
      assert.ok(t && t.endTime >= t.startTime, 'each cell has its timing');
      assert.ok(mimes(c).includes('text/markdown'), `cell ${c.index} has a markdown fallback`);
      assert.ok(
        mimes(c).some((m) => /^application\/vnd\.sdnb\.[a-z]+\+json$/.test(m)),
        `cell ${c.index} has a rich output: ${mimes(c)}`,
      );
    }
    const mermaid = code.find((c) => c.document.languageId === 'mermaid')!;
    assert.equal(mermaid.executionSummary?.success, true);
    assert.ok(mimes(mermaid).includes('application/vnd.sdnb.mermaid+json'));
  });

  test('a cell in a language no kernel runs keeps its language and is not run', async () => {
    const uri = workspaceUri('fixtures', 'other-language.sdnb');
    const before = await bytes(uri);
    const nb = await vscode.workspace.openNotebookDocument(uri);
    const cell = nb.cellAt(0);
    assert.equal(cell.document.languageId, 'python');
    await vscode.window.showNotebookDocument(nb);
    // With no controller for python, the workbench may answer the command with its kernel picker,
    // and the command's promise then waits for a choice. Do not await it: close the picker instead.
    const executed = Promise.resolve(
      vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: uri }),
    ).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await Promise.race([executed, new Promise((r) => setTimeout(r, 5_000))]);
    assert.equal(cell.outputs.length, 0, 'the System Design controller does not claim python cells');
    assert.ok(await nb.save());
    assert.equal(await bytes(uri), before);
  });

  test('edit, save, reopen: only the edit changes the file', async () => {
    const uri = workspaceUri('fixtures', 'basic.sdnb');
    const before = await bytes(uri);
    const nb = await vscode.workspace.openNotebookDocument(uri);
    const cell = nb.cellAt(1);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(cell.document.uri, new vscode.Range(0, 0, 0, 0), '# edited\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await nb.save());
    const after = await bytes(uri);
    assert.equal(after, before.replace('```estimate\n', '```estimate\n# edited\n'));
    // Undo the edit: the file is byte for byte what it was.
    const undo = new vscode.WorkspaceEdit();
    undo.replace(cell.document.uri, new vscode.Range(0, 0, 1, 0), '');
    assert.ok(await vscode.workspace.applyEdit(undo));
    assert.ok(await nb.save());
    assert.equal(await bytes(uri), before);
  });

  test('saving an unedited notebook writes the same bytes, layout included', async () => {
    const uri = workspaceUri('fixtures', 'layout.sdnb');
    const before = await bytes(uri);
    const nb = await vscode.workspace.openNotebookDocument(uri);
    // Make the notebook dirty without changing content: an edit and its inverse.
    const cell = nb.cellAt(0);
    const e1 = new vscode.WorkspaceEdit();
    e1.insert(cell.document.uri, new vscode.Position(0, 0), 'x');
    await vscode.workspace.applyEdit(e1);
    const e2 = new vscode.WorkspaceEdit();
    e2.delete(cell.document.uri, new vscode.Range(0, 0, 0, 1));
    await vscode.workspace.applyEdit(e2);
    assert.ok(await nb.save());
    assert.equal(await bytes(uri), before);
  });

  test('a malformed file does not open and is left as it was', async () => {
    const uri = workspaceUri('fixtures', 'broken.sdnb');
    const before = await bytes(uri);
    await assert.rejects(Promise.resolve(vscode.workspace.openNotebookDocument(uri)), /never closed/);
    assert.equal(await bytes(uri), before);
  });

  test('"System Design: New Notebook" opens an untitled .sdnb notebook', async () => {
    await vscode.commands.executeCommand('sdnb.newNotebook', 'interview');
    const editor = await waitFor('a notebook editor', () => vscode.window.activeNotebookEditor);
    assert.equal(editor.notebook.notebookType, NOTEBOOK_TYPE);
    assert.ok(editor.notebook.isUntitled);
    assert.ok(editor.notebook.getCells().some((c) => c.document.languageId === 'sdnb-estimate'));
  });

  test('diagnostics from the kernels appear on cells as you type', async () => {
    const nb = await vscode.workspace.openNotebookDocument(workspaceUri('fixtures', 'basic.sdnb'));
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.cellAt(2);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(cell.document.uri, new vscode.Range(0, 0, 0, cell.document.lineAt(0).text.length), 'flowhcart LR');
    await vscode.workspace.applyEdit(edit);
    const diags = await waitFor('a diagnostic on the mermaid cell', () => {
      const d = vscode.languages.getDiagnostics(cell.document.uri);
      return d.length ? d : undefined;
    });
    assert.equal(diags[0].range.start.line, 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
