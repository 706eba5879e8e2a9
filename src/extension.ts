// Wires the extension together; the logic lives in the modules it builds.
import * as vscode from 'vscode';
import * as path from 'node:path';
import './kernels/all';
import { readNotebook } from './format/sdnb';
import { NOTEBOOK_TYPE, SdnbSerializer, toVsNotebook } from './notebook/serializer';
import { StaleStatusProvider, SystemDesignController } from './notebook/controller';
import { NotebookDiagnostics, registerLanguageFeatures } from './notebook/language';
import { EstimatesView } from './notebook/estimatesView';
import { KernelWorker } from './runtime/workerClient';
import { TEMPLATES } from './templates';
import { registerPhases } from './notebook/phases';
import { DesignReview } from './notebook/review';
import { exportNotebook } from './notebook/exportCommand';
import { attachDiagramDiagnostics, registerPreview } from './preview';

export function activate(context: vscode.ExtensionContext) {
  const started = performance.now();
  const worker = new KernelWorker(path.join(context.extensionPath, 'dist', 'worker.js'));
  const controller = new SystemDesignController(worker);
  const review = new DesignReview();
  const estimates = new EstimatesView();
  context.subscriptions.push(
    { dispose: () => worker.dispose() },
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new SdnbSerializer(), { transientOutputs: true }),
    controller,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, new StaleStatusProvider(controller)),
    new NotebookDiagnostics(),
    ...registerLanguageFeatures(),
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
