// Extension-host side of diagrams: the "Preview Diagram" panel, diagram export (from the preview
// or a notebook output, through renderer messaging), and parse errors the webviews report.
// Mermaid never loads here: the webviews draw, this side saves files and routes messages.
import * as vscode from 'vscode';
import type { DiagnosticClearMessage, DiagnosticMessage, ExportFormat, ExportRequest } from '../../webview/shared/messages';
import { dropStaleDiagramDiagnostics, reportDiagramDiagnostic } from './diagnostics';
import { isExportMessage, saveDiagramExport } from './exportFile';
import { documentForUri, PreviewPanel } from './panel';
import { cellWithError, isRevealMessage, revealPosition } from './reveal';
import { MERMAID_MIME } from '../kernels/mermaid';

export { attachDiagramDiagnostics, onDidChangeDiagramDiagnostics, toDiagnostic } from './diagnostics';
export type { DiagramDiagnosticsEvent } from './diagnostics';

export const RENDERER_ID = 'sdnb-renderer';
export { MERMAID_MIME };

export function isMermaidDocument(d: vscode.TextDocument | undefined): d is vscode.TextDocument {
  return !!d && (d.languageId === 'mermaid' || /\.(mmd|mermaid)$/i.test(d.uri.path));
}

/** The mermaid source a cell's rich output carries, if it has one. */
export function mermaidOutputSource(cell: vscode.NotebookCell): string | undefined {
  for (const output of cell.outputs) {
    for (const item of output.items) {
      if (item.mime !== MERMAID_MIME) continue;
      try {
        const data = JSON.parse(new TextDecoder().decode(item.data)) as { source?: unknown };
        if (typeof data.source === 'string') return data.source;
      } catch {
        // Not ours to judge: skip malformed outputs.
      }
    }
  }
  return undefined;
}

/** The cell whose mermaid output was drawn from `source` (the renderer cannot name cells). */
function cellForSource(notebook: vscode.NotebookDocument, source: string): vscode.NotebookCell | undefined {
  const cells = notebook.getCells();
  return (
    cells.find((c) => mermaidOutputSource(c) === source) ??
    cells.find((c) => isMermaidDocument(c.document) && c.document.getText() === source)
  );
}

/** Registers `sdnb.previewDiagram`, `sdnb.exportDiagram` and the renderer message handling. */
export function registerPreview(context: vscode.ExtensionContext): void {
  let panel: PreviewPanel | undefined;
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);

  const currentMermaidDocument = (): vscode.TextDocument | undefined => {
    const active = vscode.window.activeTextEditor?.document;
    if (isMermaidDocument(active)) return active;
    const nb = vscode.window.activeNotebookEditor;
    const cell = nb && nb.notebook.cellAt(nb.selection.start);
    return cell && cell.index >= 0 && isMermaidDocument(cell.document) ? cell.document : undefined;
  };

  const follow = (document: vscode.TextDocument | undefined) => {
    if (panel && isMermaidDocument(document) && document.uri.toString() !== panel.documentUri.toString()) panel.show(document);
  };

  context.subscriptions.push(
    dropStaleDiagramDiagnostics(),
    messaging.onDidReceiveMessage(async ({ editor, message }) => {
      if (isExportMessage(message)) {
        await saveDiagramExport(message, editor.notebook.uri);
      } else if (isRevealMessage(message)) {
        const cell =
          message.source !== undefined
            ? cellForSource(editor.notebook, message.source)
            : message.error && cellWithError(editor.notebook, message.error, message.line, message.column);
        if (cell) await revealPosition(cell.document, message.line, message.column);
      } else if (message?.type === 'exportFailed') {
        void vscode.window.showWarningMessage(vscode.l10n.t('Could not export the diagram: {0}', String(message.message)));
      } else if ((message?.type === 'diagnostic' || message?.type === 'diagnostic-clear') && typeof message.source === 'string') {
        const m = message as DiagnosticMessage | DiagnosticClearMessage;
        const cell = cellForSource(editor.notebook, m.source);
        // Positions are in the cell's text; only meaningful while the cell still holds that text.
        if (cell && cell.document.getText() === m.source) reportDiagramDiagnostic(cell.document.uri, m);
      }
    }),

    // Invoked from the palette (no argument), an editor title menu (the file's Uri) or a notebook
    // cell menu (an object holding the cell).
    vscode.commands.registerCommand(
      'sdnb.previewDiagram',
      (arg?: vscode.Uri | { cell?: vscode.NotebookCell; document?: vscode.TextDocument }) => {
        const fromArg =
          arg instanceof vscode.Uri
            ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === arg.toString())
            : ((arg as { cell?: vscode.NotebookCell } | undefined)?.cell?.document ??
              (arg as { document?: vscode.TextDocument } | undefined)?.document);
        const document = (isMermaidDocument(fromArg) ? fromArg : undefined) ?? currentMermaidDocument();
        if (!document) {
          void vscode.window.showInformationMessage(
            vscode.l10n.t('Put the cursor in a mermaid cell, or open a .mmd or .mermaid file, to preview its diagram.'),
          );
          return;
        }
        if (panel) {
          panel.show(document, true);
          return;
        }
        panel = new PreviewPanel(context.extensionUri, document);
        panel.onDidDispose(() => (panel = undefined));
      },
    ),

    // After a reload VS Code brings the preview back; show the same document if it is still there.
    vscode.window.registerWebviewPanelSerializer(PreviewPanel.viewType, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: { uri?: string } | undefined) {
        const document = await documentForUri(state?.uri);
        if (!document || panel) {
          webviewPanel.dispose();
          return;
        }
        panel = new PreviewPanel(context.extensionUri, document, webviewPanel);
        panel.onDidDispose(() => (panel = undefined));
      },
    }),

    vscode.commands.registerCommand('sdnb.exportDiagram', async (format?: ExportFormat) => {
      if (format !== 'svg' && format !== 'png') {
        const pick = await vscode.window.showQuickPick(
          [
            { label: 'SVG', description: vscode.l10n.t('Scalable vector image'), format: 'svg' as const },
            { label: 'PNG', description: vscode.l10n.t('Bitmap at twice the diagram size'), format: 'png' as const },
          ],
          { title: vscode.l10n.t('Export diagram as') },
        );
        if (!pick) return;
        format = pick.format;
      }
      const nb = vscode.window.activeNotebookEditor;
      if (panel && (panel.active || !nb)) {
        panel.requestExport(format);
        return;
      }
      if (nb) {
        const selected = nb.selections.flatMap((r) => nb.notebook.getCells(r));
        const cell = selected.find((c) => mermaidOutputSource(c) !== undefined);
        if (cell) {
          const request: ExportRequest = { type: 'exportRequest', format, source: mermaidOutputSource(cell) };
          const delivered = await messaging.postMessage(request, nb);
          if (!delivered)
            void vscode.window.showWarningMessage(vscode.l10n.t('The diagram output is not on screen yet; scroll to it and try again.'));
          return;
        }
      }
      if (panel) {
        panel.requestExport(format);
        return;
      }
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Select a mermaid cell that has been run (or open the diagram preview) to export its diagram.'),
      );
    }),

    vscode.window.onDidChangeActiveTextEditor((e) => follow(e?.document)),
    vscode.window.onDidChangeNotebookEditorSelection((e) => {
      const cell = e.notebookEditor.notebook.cellAt(e.selections[0]?.start ?? 0);
      if (cell) follow(cell.document);
    }),
    { dispose: () => panel?.dispose() },
  );
}
