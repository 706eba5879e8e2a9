// Saves a diagram a webview exported (SVG text or base64 PNG) to a file the user picks.
import * as vscode from 'vscode';
import type { ExportMessage } from '../../webview/shared/messages';

const MAX_BYTES = 64 * 1024 * 1024;

export function isExportMessage(m: unknown): m is ExportMessage {
  const x = m as ExportMessage;
  return (
    !!x && x.type === 'export' && (x.format === 'svg' || x.format === 'png') && typeof x.data === 'string' && x.data.length < MAX_BYTES
  );
}

function safeName(name: unknown): string {
  const s = String(name ?? 'diagram')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+/, '')
    .slice(0, 80);
  return s || 'diagram';
}

/** Shows a save dialog (next to `near` when it is a file) and writes the export. Returns the file, if saved. */
export async function saveDiagramExport(message: ExportMessage, near?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const ext = message.format;
  // `photos-flowchart.svg` beside photos.sdnb, rather than a bare `flowchart.svg`.
  const owner = near?.path
    .split('/')
    .pop()
    ?.replace(/\.sdnb(\.md)?$|\.(mmd|mermaid)$/i, '');
  const fileName = `${safeName(message.titled || !owner ? message.suggestedName : `${owner}-${message.suggestedName}`)}.${ext}`;
  const folder = near && near.scheme !== 'untitled' ? vscode.Uri.joinPath(near, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export diagram as {0}', ext.toUpperCase()),
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters: ext === 'svg' ? { [vscode.l10n.t('SVG image')]: ['svg'] } : { [vscode.l10n.t('PNG image')]: ['png'] },
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) return undefined;
  const bytes = ext === 'svg' ? new TextEncoder().encode(message.data) : Uint8Array.from(atob(message.data), (c) => c.charCodeAt(0));
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(vscode.l10n.t('Diagram exported to {0}.', vscode.workspace.asRelativePath(target)));
  return target;
}
