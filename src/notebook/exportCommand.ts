// "Export Notebook as HTML or Markdown…": runs the notebook in the kernel worker, then writes a
// self-contained HTML file (mermaid read from the extension's dist/, on the desktop and the web alike)
// or GitHub Markdown with the outputs.
import * as vscode from 'vscode';
import { exportHtml, exportMarkdown, MERMAID_RENDER_FILE } from '../export';
import { CellRun, plainCells, seedOf } from '../runtime/session';
import type { KernelRunner } from '../runtime/runner';
import { notebookData, notebookMeta } from './analyses';
import { budgetFromConfig } from './controller';
import { readExtensionFile } from './extensionFile';
import { NOTEBOOK_TYPE } from './serializer';

export async function exportNotebook(
  worker: KernelRunner,
  extensionUri: vscode.Uri,
  format?: 'html' | 'md',
): Promise<vscode.Uri | undefined> {
  const nb = vscode.window.activeNotebookEditor?.notebook;
  if (!nb || nb.notebookType !== NOTEBOOK_TYPE) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a System Design notebook to export it.'));
    return undefined;
  }
  format ??= (
    await vscode.window.showQuickPick(
      [
        {
          label: 'HTML',
          detail: vscode.l10n.t('One self-contained file: diagrams rendered, outputs included, light and dark.'),
          id: 'html' as const,
        },
        { label: 'Markdown', detail: vscode.l10n.t('Mermaid fences and output tables that render on GitHub.'), id: 'md' as const },
      ],
      { title: vscode.l10n.t('Export notebook as') },
    )
  )?.id;
  if (!format) return undefined;
  const base = nb.isUntitled ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file('/'), 'design') : nb.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: base.with({ path: base.path.replace(/\.sdnb$/, '') + (format === 'html' ? '.html' : '.md') }),
    filters: format === 'html' ? { HTML: ['html'] } : { Markdown: ['md'] },
  });
  if (!target) return undefined;
  const runs: CellRun[] = [];
  const meta = notebookMeta(nb);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Running the notebook for export…'), cancellable: true },
    async (_p, token) => {
      const cells = plainCells(notebookData(nb).cells);
      const handle = worker.run(
        {
          cells,
          run: cells.flatMap((c, i) => (c.kind === 'code' ? [i] : [])),
          seed: seedOf(meta),
          notebook: meta,
          budget: budgetFromConfig(),
          stopOnFirstFailure: false,
        },
        { onStart() {}, onEnd: (r) => runs.push(r) },
      );
      token.onCancellationRequested(handle.stop);
      await handle.done;
    },
  );
  const data = notebookData(nb);
  const mermaid = format === 'html' ? await readExtensionFile(extensionUri, 'dist', MERMAID_RENDER_FILE) : undefined;
  const text =
    format === 'html'
      ? exportHtml(data, runs, { mermaidScript: mermaid && new TextDecoder().decode(mermaid) })
      : exportMarkdown(data, runs);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  const failed = runs.filter((r) => !r.ok).length;
  const where = vscode.workspace.asRelativePath(target);
  void vscode.window.showInformationMessage(
    failed === 0
      ? vscode.l10n.t('Exported to {0}.', where)
      : failed === 1
        ? vscode.l10n.t('Exported to {0} (1 cell failed; its error is in the export).', where)
        : vscode.l10n.t('Exported to {0} ({1} cells failed; their errors are in the export).', where, failed),
  );
  return target;
}
