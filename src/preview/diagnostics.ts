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

/** Called by the renderer/preview message handlers once they know which document a message is about. */
export function reportDiagramDiagnostic(uri: vscode.Uri, message: DiagnosticMessage | DiagnosticClearMessage): void {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  emitter.fire({ uri, diagnostics: message.type === 'diagnostic' ? [toDiagnostic(message, document)] : [] });
}

/**
 * Keeps `collection` in step with the webviews' parse errors (use a collection of its own, e.g.
 * `vscode.languages.createDiagnosticCollection('sdnb-mermaid')`, so kernel diagnostics are not overwritten).
 */
export function attachDiagramDiagnostics(collection: vscode.DiagnosticCollection): vscode.Disposable {
  return vscode.Disposable.from(
    onDidChangeDiagramDiagnostics((e) => collection.set(e.uri, e.diagnostics)),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
  );
}
