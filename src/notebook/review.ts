// The design review in the Problems panel: findings against the interview framework (a missing
// phase, a requirement no endpoint serves, a diagram without storage…), with quick fixes that
// insert the missing section.
import * as vscode from 'vscode';
import { CellData, NotebookData } from '../format/sdnb';
import { ReviewFix, reviewNotebook } from '../review';
import { NOTEBOOK_TYPE } from './serializer';

/** The notebook as the pure modules see it. */
export function notebookData(nb: vscode.NotebookDocument): NotebookData {
  const cells: CellData[] = nb.getCells().map((c) => {
    const markdown = c.kind === vscode.NotebookCellKind.Markup;
    return { kind: markdown ? 'markdown' : 'code', language: markdown ? 'markdown' : c.document.languageId, source: c.document.getText(), metadata: { ...c.metadata } };
  });
  return { cells, metadata: { ...nb.metadata } };
}

const fixKey = (uri: vscode.Uri, code: string | number | undefined, message: string) => `${uri.toString()}\u0000${code}\u0000${message}`;

export class DesignReview implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('sdnb-review');
  private readonly fixes = new Map<string, { notebook: vscode.NotebookDocument; fix: ReviewFix }>();
  private readonly timers = new Map<vscode.NotebookDocument, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.schedule(nb, 0)),
      vscode.workspace.onDidChangeNotebookDocument((e) => this.schedule(e.notebook)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => nb.getCells().forEach((c) => this.collection.delete(c.document.uri))),
      vscode.languages.registerCodeActionsProvider([{ language: 'markdown' }, { language: 'sdnb-estimate' }, { language: 'mermaid' }, { language: 'sdnb-gateway' }, { language: 'sdnb-kafka' }], this, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
    ];
    for (const nb of vscode.workspace.notebookDocuments) this.schedule(nb, 0);
  }

  private schedule(nb: vscode.NotebookDocument, delay = 750): void {
    if (nb.notebookType !== NOTEBOOK_TYPE) return;
    clearTimeout(this.timers.get(nb));
    this.timers.set(nb, setTimeout(() => this.update(nb), delay));
  }

  update(nb: vscode.NotebookDocument): void {
    this.timers.delete(nb);
    if (nb.isClosed || nb.cellCount === 0) return;
    const byCell = new Map<number, vscode.Diagnostic[]>();
    for (const key of [...this.fixes.keys()]) if (this.fixes.get(key)!.notebook === nb) this.fixes.delete(key);
    for (const f of reviewNotebook(notebookData(nb))) {
      const index = Math.min(f.cellIndex ?? 0, nb.cellCount - 1);
      const d = new vscode.Diagnostic(new vscode.Range(f.line, f.column, f.line, f.column + 1), f.message, f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
      d.source = 'Design review';
      d.code = f.code;
      byCell.set(index, [...(byCell.get(index) ?? []), d]);
      if (f.fix) this.fixes.set(fixKey(nb.cellAt(index).document.uri, f.code, f.message), { notebook: nb, fix: f.fix });
    }
    for (const cell of nb.getCells()) this.collection.set(cell.document.uri, byCell.get(cell.index) ?? []);
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    return ctx.diagnostics.flatMap((d) => {
      const found = this.fixes.get(fixKey(doc.uri, d.code as string, d.message));
      if (!found) return [];
      const { notebook, fix } = found;
      const at = fix.insertAfterCell === 'end' ? notebook.cellCount : fix.insertAfterCell + 1;
      const language = fix.language ?? 'markdown';
      const cell = new vscode.NotebookCellData(language === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, fix.text, language);
      cell.metadata = { phase: fix.phase };
      const action = new vscode.CodeAction(`Insert a ${fix.phase} section`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.edit = new vscode.WorkspaceEdit();
      action.edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(at, [cell])]);
      return [action];
    });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.collection.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
