// Opening a notebook shows its estimate tables and diagrams without Run All: both kernels are cheap
// and deterministic, and outputs are never stored in the file. Model cells (simulations) wait for
// Run. The cells run through the controller's execute handler, so they get real execution orders
// and outputs, as if the user had run them. `sdnb.runOnOpen` turns it off.
import * as vscode from 'vscode';
import { ESTIMATE_LANGUAGE } from '../kernels/estimate';
import { mermaidKernel } from '../kernels/mermaid';
import { isSdnb } from './analyses';

/** Languages of the cells that run by themselves when a notebook opens. */
export const RUN_ON_OPEN_LANGUAGES: readonly string[] = [ESTIMATE_LANGUAGE, mermaidKernel.spec.id];
/** A notebook with more of these cells than this waits for Run All: opening stays quick. */
export const RUN_ON_OPEN_MAX_CELLS = 200;
const EXTENSION_ID = 'sdnb.system-design-notebook';

export function cellsToRunOnOpen(nb: vscode.NotebookDocument): vscode.NotebookCell[] {
  if (!vscode.workspace.getConfiguration('sdnb', nb.uri).get<boolean>('runOnOpen', true)) return [];
  const cells = nb
    .getCells()
    .filter(
      (c) =>
        c.kind === vscode.NotebookCellKind.Code &&
        RUN_ON_OPEN_LANGUAGES.includes(c.document.languageId) &&
        c.document.getText().trim() !== '' &&
        c.outputs.length === 0,
    );
  return cells.length <= RUN_ON_OPEN_MAX_CELLS ? cells : [];
}

/**
 * Runs a notebook's estimate and mermaid cells once it shows in an editor with `controller` selected
 * for it. VS Code shows the only matching controller but selects it on the first run, and a cell
 * execution needs it selected, so the controller is selected for the active notebook when it opens.
 */
export function runOnOpen(controller: vscode.NotebookController): vscode.Disposable {
  // A notebook runs once per opening (a new document), not each time its tab shows.
  const done = new WeakSet<vscode.NotebookDocument>();
  const selected = new WeakSet<vscode.NotebookDocument>();
  const visible = (nb: vscode.NotebookDocument) => vscode.window.visibleNotebookEditors.some((e) => e.notebook === nb);

  const run = async (nb: vscode.NotebookDocument) => {
    if (!isSdnb(nb) || done.has(nb) || !selected.has(nb) || !visible(nb)) return;
    done.add(nb);
    const cells = cellsToRunOnOpen(nb);
    if (cells.length) await controller.executeHandler(cells, nb, controller);
  };

  const update = () => {
    for (const e of vscode.window.visibleNotebookEditors) void run(e.notebook);
    const active = vscode.window.activeNotebookEditor?.notebook;
    if (active && isSdnb(active) && !selected.has(active) && !done.has(active) && cellsToRunOnOpen(active).length) {
      void vscode.commands.executeCommand('notebook.selectKernel', { id: controller.id, extension: EXTENSION_ID });
    }
  };

  return vscode.Disposable.from(
    controller.onDidChangeSelectedNotebooks(({ notebook, selected: now }) => {
      if (now) selected.add(notebook);
      else selected.delete(notebook);
      update();
    }),
    vscode.window.onDidChangeVisibleNotebookEditors(update),
    vscode.window.onDidChangeActiveNotebookEditor(update),
  );
}
