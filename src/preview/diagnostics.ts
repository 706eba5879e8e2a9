// Mermaid's real parser runs only in webviews (the notebook renderer and the preview panel). They
// post its errors here; this turns them into VS Code diagnostics on the cell (or .mmd file).
import * as vscode from 'vscode';
import type { DiagnosticClearMessage, DiagnosticMessage } from '../../webview/shared/messages';

export interface DiagramDiagnosticsEvent {
  /** The cell's (or file's) document. */
  uri: vscode.Uri;
  /** Empty when the diagram now draws: clear what was reported before. */
  diagnostics: vscode.Diagnostic[];
}

const emitter = new vscode.EventEmitter<DiagramDiagnosticsEvent>();

/** Fires whenever a webview reports that a diagram failed to parse, or drew after failing. */
export const onDidChangeDiagramDiagnostics: vscode.Event<DiagramDiagnosticsEvent> = emitter.event;

export function toDiagnostic(m: Pick<DiagnosticMessage, 'line' | 'column' | 'message'>, document?: vscode.TextDocument): vscode.Diagnostic {
  const line = Math.max(0, Math.floor(Number(m.line) || 0));
  const column = Math.max(0, Math.floor(Number(m.column) || 0));
  let range = new vscode.Range(line, column, line, column + 1);
  if (document) {
    const l = document.lineAt(Math.min(line, document.lineCount - 1));
    // Underline from the error to the end of its line (at least one character).
    const start = Math.min(column, l.range.end.character);
    range = new vscode.Range(l.lineNumber, start, l.lineNumber, Math.max(l.range.end.character, start + 1));
    range = document.validateRange(range);
  }
  const d = new vscode.Diagnostic(range, String(m.message ?? 'Mermaid syntax error').slice(0, 2000), vscode.DiagnosticSeverity.Error);
  d.source = 'mermaid';
  d.code = 'mermaid-parse';
  return d;
}

/** Documents that currently carry a render diagnostic. */
const reported = new Set<string>();

/** Called by the renderer/preview message handlers once they know which document a message is about. */
export function reportDiagramDiagnostic(uri: vscode.Uri, message: DiagnosticMessage | DiagnosticClearMessage): void {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (message.type === 'diagnostic') reported.add(uri.toString());
  else reported.delete(uri.toString());
  emitter.fire({ uri, diagnostics: message.type === 'diagnostic' ? [toDiagnostic(message, document)] : [] });
}

export function clearDiagramDiagnostic(uri: vscode.Uri): void {
  if (reported.delete(uri.toString())) emitter.fire({ uri, diagnostics: [] });
}

/**
 * A render diagnostic describes the text that was drawn; once the text changes it may point at the
 * wrong place, so it is dropped (the kernel's own checks keep running, and an open preview re-reports).
 */
export function dropStaleDiagramDiagnostics(): vscode.Disposable {
  return vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length) clearDiagramDiagnostic(e.document.uri);
  });
}

/**
 * Keeps `collection` in step with the webviews' parse errors (use a collection of its own, e.g.
 * `vscode.languages.createDiagnosticCollection('sdnb-mermaid')`, so kernel diagnostics are not overwritten).
 */
export function attachDiagramDiagnostics(collection: vscode.DiagnosticCollection): vscode.Disposable {
  return vscode.Disposable.from(
    onDidChangeDiagramDiagnostics((e) => collection.set(e.uri, e.diagnostics)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      reported.delete(d.uri.toString());
      collection.delete(d.uri);
    }),
  );
}
