// Wires the extension together; the logic lives in the modules it builds. The entries give it the
// kernel runner of their runtime: src/node/extension.ts (desktop), src/web/extension.ts (the web).
import * as vscode from 'vscode';
import './kernels/all';
import { readNotebook, writeNotebook } from './format/sdnb';
import type { Flavour } from './format/languages';
import { NOTEBOOK_TYPE, SdnbSerializer, flavourFromFileName, toVsNotebook } from './notebook/serializer';
import { StaleStatusProvider, SystemDesignController } from './notebook/controller';
import { NotebookDiagnostics, registerLanguageFeatures } from './notebook/language';
import { EstimatesView } from './notebook/estimatesView';
import { RequirementsView } from './notebook/requirementsView';
import type { KernelRunner } from './runtime/runner';
import { NotebookAnalyses } from './notebook/analyses';
import { TEMPLATES } from './templates';
import { registerPhases } from './notebook/phases';
import { DesignReview } from './notebook/review';
import { exportNotebook } from './notebook/exportCommand';
import { announcingFailures } from './notebook/announce';
import { attachDiagramDiagnostics, registerPreview } from './preview';
import { trackMermaidCells } from './notebook/mermaidCells';
import { runOnOpen } from './notebook/runOnOpen';

export function activateWith(context: vscode.ExtensionContext, worker: KernelRunner) {
  const started = performance.now();
  const analyses = new NotebookAnalyses();
  const controller = new SystemDesignController(announcingFailures(worker), analyses);
  const review = new DesignReview(analyses);
  const estimates = new EstimatesView(analyses);
  const requirements = new RequirementsView(analyses);
  const phases = registerPhases();
  context.subscriptions.push(
    { dispose: () => worker.dispose() },
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new SdnbSerializer(), { transientOutputs: true }),
    controller,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, new StaleStatusProvider(controller)),
    analyses,
    flavourFromFileName(),
    new NotebookDiagnostics(analyses),
    ...registerLanguageFeatures(analyses),
    vscode.commands.registerCommand('sdnb.runDependents', (arg?: unknown) => runRelated(controller, arg, 'dependents')),
    vscode.commands.registerCommand('sdnb.runPrecedents', (arg?: unknown) => runRelated(controller, arg, 'precedents')),
    vscode.window.registerTreeDataProvider('sdnb.estimates', estimates),
    vscode.window.registerTreeDataProvider('sdnb.requirements', requirements),
    requirements,
    vscode.commands.registerCommand('sdnb.newNotebook', newNotebook),
    ...phases.disposables,
    review,
    estimates,
    trackMermaidCells(),
    runOnOpen(controller.controller),
    vscode.commands.registerCommand('sdnb.exportNotebook', (format?: 'html' | 'md') =>
      exportNotebook(worker, context.extensionUri, format),
    ),
  );
  registerPreview(context);
  context.subscriptions.push(attachDiagramDiagnostics(vscode.languages.createDiagnosticCollection('sdnb-mermaid')));
  // Exposed for the integration tier, which reports it.
  return {
    activationMs: performance.now() - started,
    isStale: (cell: vscode.NotebookCell) => controller.isStale(cell),
    review,
    estimates,
    requirements,
    phases: phases.view,
  };
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

/**
 * Opens a new notebook from a template (asks which, unless `templateId` is given): an untitled
 * `.sdnb` notebook, or a `.sdnb.md` design doc (GitHub renders it as Markdown) saved where the user says.
 */
async function newNotebook(templateId?: string, flavour?: Flavour): Promise<vscode.NotebookEditor | undefined> {
  const given = TEMPLATES.find((t) => t.id === templateId);
  const picked = given
    ? { template: given, flavour: flavour ?? 'sdnb' }
    : await vscode.window.showQuickPick(
        TEMPLATES.flatMap((t) => [
          { label: t.label, description: vscode.l10n.t('.sdnb notebook'), detail: t.description, template: t, flavour: 'sdnb' as Flavour },
          {
            label: t.label,
            description: vscode.l10n.t('.sdnb.md design doc'),
            detail: vscode.l10n.t('{0} Saved as Markdown that GitHub renders, diagrams drawn.', t.description),
            template: t,
            flavour: 'github' as Flavour,
          },
        ]),
        { title: vscode.l10n.t('New System Design Notebook'), placeHolder: vscode.l10n.t('Start from a template') },
      );
  if (!picked) return undefined;
  const nb = readNotebook(new TextEncoder().encode(picked.template.text), { flavour: picked.flavour });
  if (picked.flavour === 'sdnb') {
    const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, toVsNotebook(nb));
    return vscode.window.showNotebookDocument(doc);
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the design doc'),
    defaultUri: folder && vscode.Uri.joinPath(folder, 'design.sdnb.md'),
    filters: { [vscode.l10n.t('Design doc')]: ['sdnb.md', 'md'] },
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, writeNotebook(nb));
  return vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(target));
}
