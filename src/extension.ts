// Wires the extension together; the logic lives in the modules it builds.
import * as vscode from 'vscode';
import * as path from 'node:path';
import './kernels/all';
import { readNotebook } from './format/sdnb';
import { NOTEBOOK_TYPE, SdnbSerializer, toVsNotebook } from './notebook/serializer';
import { StaleStatusProvider, SystemDesignController } from './notebook/controller';
import { NotebookDiagnostics, registerLanguageFeatures } from './notebook/language';
import { EstimatesView } from './notebook/estimatesView';
import { KernelWorker } from './node/workerClient';
import { NotebookAnalyses } from './notebook/analyses';
import { TEMPLATES } from './templates';
import { registerPhases } from './notebook/phases';
import { DesignReview } from './notebook/review';
import { exportNotebook } from './notebook/exportCommand';
import { attachDiagramDiagnostics, registerPreview } from './preview';

export function activate(context: vscode.ExtensionContext) {
  const started = performance.now();
  const worker = new KernelWorker(path.join(context.extensionPath, 'dist', 'worker.js'));
  const analyses = new NotebookAnalyses();
  const controller = new SystemDesignController(worker, analyses);
  const review = new DesignReview(analyses);
  const estimates = new EstimatesView(analyses);
  context.subscriptions.push(
    { dispose: () => worker.dispose() },
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new SdnbSerializer(), { transientOutputs: true }),
    controller,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, new StaleStatusProvider(controller)),
    analyses,
    new NotebookDiagnostics(analyses),
    ...registerLanguageFeatures(analyses),
    vscode.commands.registerCommand('sdnb.runDependents', (arg?: unknown) => runRelated(controller, arg, 'dependents')),
    vscode.commands.registerCommand('sdnb.runPrecedents', (arg?: unknown) => runRelated(controller, arg, 'precedents')),
    vscode.window.registerTreeDataProvider('sdnb.estimates', estimates),
    vscode.commands.registerCommand('sdnb.newNotebook', newNotebook),
    ...registerPhases(),
    review,
    estimates,
    vscode.commands.registerCommand('sdnb.exportNotebook', (format?: 'html' | 'md') => exportNotebook(worker, format)),
  );
  registerPreview(context);
  context.subscriptions.push(attachDiagramDiagnostics(vscode.languages.createDiagnosticCollection('sdnb-mermaid')));
  // Exposed for the integration tier, which reports it.
  return { activationMs: performance.now() - started, isStale: (cell: vscode.NotebookCell) => controller.isStale(cell), review, estimates };
}

/** The cell a cell-toolbar command was invoked on, or the selected cell of the active notebook editor. */
function targetCell(arg: unknown): vscode.NotebookCell | undefined {
  const c = arg as Partial<vscode.NotebookCell> | undefined;
  if (c && typeof c.index === 'number' && c.notebook) return c as vscode.NotebookCell;
  const editor = vscode.window.activeNotebookEditor;
  const sel = editor?.selections[0];
  return editor && sel && sel.start < editor.notebook.cellCount ? editor.notebook.cellAt(sel.start) : undefined;
}

async function runRelated(controller: SystemDesignController, arg: unknown, which: 'precedents' | 'dependents'): Promise<void> {
  const cell = targetCell(arg);
  if (cell) await controller.runRelated(cell, which);
}

/** Opens an untitled notebook from a template (asks which, unless `templateId` is given). */
async function newNotebook(templateId?: string): Promise<vscode.NotebookEditor | undefined> {
  const template =
    TEMPLATES.find((t) => t.id === templateId) ??
    (await vscode.window.showQuickPick(
      TEMPLATES.map((t) => ({ label: t.label, detail: t.description, template: t })),
      { title: 'New System Design Notebook', placeHolder: 'Start from a template' },
    ))?.template;
  if (!template) return undefined;
  const data = toVsNotebook(readNotebook(new TextEncoder().encode(template.text)));
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  return vscode.window.showNotebookDocument(doc);
}

export function deactivate() {}
