// The "Preview Diagram" webview panel: shows one mermaid source (a notebook cell or a .mmd/.mermaid
// file) beside the editor and redraws it as the document changes. The webview (dist/preview/index.js)
// does the drawing; this side only sends sources and handles what the webview posts back.
import * as vscode from 'vscode';
import type { ExportFormat, HostToWebview, WebviewToHost } from '../../webview/shared/messages';
import { clearDiagramDiagnostic, reportDiagramDiagnostic } from './diagnostics';
import { isExportMessage, saveDiagramExport } from './exportFile';
import { isRevealMessage, revealPosition } from './reveal';

const DEBOUNCE_MS = 150;

export class PreviewPanel implements vscode.Disposable {
  static readonly viewType = 'sdnb.diagramPreview';
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private document: vscode.TextDocument;
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposeEmitter.event;

  /** `restored`: a panel VS Code brings back after a reload (see PreviewSerializer). */
  constructor(
    private readonly extensionUri: vscode.Uri,
    document: vscode.TextDocument,
    restored?: vscode.WebviewPanel,
  ) {
    this.document = document;
    const options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
    this.panel =
      restored ??
      vscode.window.createWebviewPanel(
        PreviewPanel.viewType,
        this.title(),
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        options,
      );
    if (restored) {
      restored.webview.options = options;
      restored.title = this.title();
    }
    this.panel.webview.html = this.html();
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((m: WebviewToHost) => this.onMessage(m)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document) this.scheduleRender();
      }),
    );
  }

  get documentUri(): vscode.Uri {
    return this.document.uri;
  }

  get active(): boolean {
    return this.panel.active;
  }

  /** Follows another document (the mermaid cell the cursor moved to). */
  show(document: vscode.TextDocument, reveal = false): void {
    const changed = document !== this.document;
    // Nothing keeps the old document's render diagnostic current once the preview leaves it.
    if (changed) clearDiagramDiagnostic(this.document.uri);
    this.document = document;
    this.panel.title = this.title();
    if (reveal) this.panel.reveal(undefined, true);
    if (changed || reveal) this.renderNow();
  }

  requestExport(format: ExportFormat): void {
    this.post({ type: 'exportRequest', format });
  }

  private title(): string {
    const uri = this.document.uri;
    const base = uri.path.split('/').pop() ?? 'diagram';
    if (uri.scheme === 'vscode-notebook-cell') {
      const nb = vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document === this.document));
      const cell = nb?.getCells().find((c) => c.document === this.document);
      return cell ? vscode.l10n.t('Preview {0}, cell {1}', base, cell.index + 1) : vscode.l10n.t('Preview {0}', base);
    }
    return vscode.l10n.t('Preview {0}', base);
  }

  private scheduleRender(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.renderNow(), DEBOUNCE_MS);
  }

  private renderNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.ready) return;
    this.post({ type: 'render', source: this.document.getText(), uri: this.document.uri.toString(), title: this.title() });
  }

  private post(m: HostToWebview): void {
    void this.panel.webview.postMessage(m);
  }

  private async onMessage(m: WebviewToHost): Promise<void> {
    switch (m?.type) {
      case 'ready':
        this.ready = true;
        this.renderNow();
        return;
      case 'diagnostic':
      case 'diagnostic-clear': {
        // Only the document on show, and only if the text is still what was drawn.
        if (m.uri !== this.document.uri.toString() || m.source !== this.document.getText()) return;
        reportDiagramDiagnostic(this.document.uri, m);
        return;
      }
      case 'export':
        if (isExportMessage(m)) await saveDiagramExport(m, notebookOrFileUri(this.document));
        return;
      case 'exportFailed':
        void vscode.window.showWarningMessage(vscode.l10n.t('Could not export the diagram: {0}', String(m.message)));
        return;
      case 'reveal':
        if (isRevealMessage(m) && m.uri === this.document.uri.toString()) await revealPosition(this.document, m.line, m.column);
        return;
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = Array.from(
      { length: 32 },
      () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 62)],
    ).join('');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'preview', 'index.js'));
    // Mermaid puts a <style> in every SVG, so inline styles are needed; scripts are not, nor eval.
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}' ${webview.cspSource}`,
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource} data:`,
    ].join('; ');
    const text = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    return `<!DOCTYPE html>
<html lang="${text(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${text(vscode.l10n.t('Diagram preview'))}</title>
<style>
  html, body { height: 100%; margin: 0; padding: 0; }
  body { display: flex; flex-direction: column; background: var(--vscode-editor-background); color: var(--vscode-foreground); font-family: var(--vscode-font-family); }
  #toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 6px 10px; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
  #title { padding: 4px 10px; opacity: .8; font-size: .9em; }
  #diagram { flex: 1; min-height: 0; display: flex; flex-direction: column; padding: 0 10px 10px; }
  #diagram .sdnb-diagram { flex: 1; min-height: 0; display: flex; flex-direction: column; }
  #diagram .sdnb-viewport { flex: 1; min-height: 120px; }
</style>
</head>
<body>
<header id="toolbar" role="toolbar" aria-label="${text(vscode.l10n.t('Diagram'))}"></header>
<div id="title"></div>
<main id="diagram"></main>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearDiagramDiagnostic(this.document.uri);
    if (this.timer) clearTimeout(this.timer);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
    this.onDisposeEmitter.fire();
    this.onDisposeEmitter.dispose();
  }
}

/** The document a restored preview showed: a `.mmd` file, or a cell of a notebook that is open. */
export async function documentForUri(uri: string | undefined): Promise<vscode.TextDocument | undefined> {
  if (!uri) return undefined;
  const parsed = vscode.Uri.parse(uri);
  if (parsed.scheme === 'vscode-notebook-cell') {
    return vscode.workspace.notebookDocuments.flatMap((nb) => nb.getCells()).find((c) => c.document.uri.toString() === uri)?.document;
  }
  try {
    return await vscode.workspace.openTextDocument(parsed);
  } catch {
    return undefined;
  }
}

/** The file a document belongs to: a cell's notebook, or the document itself. */
export function notebookOrFileUri(document: vscode.TextDocument): vscode.Uri {
  if (document.uri.scheme === 'vscode-notebook-cell') {
    const nb = vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document === document));
    if (nb) return nb.uri;
  }
  return document.uri;
}
