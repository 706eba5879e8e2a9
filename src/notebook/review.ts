// The design review in the Problems panel: findings against the interview framework (a missing
// phase, a requirement no endpoint serves, a diagram without storage…), with quick fixes that
// insert the missing section.
import * as vscode from 'vscode';
import { CODE_LANGUAGE_IDS } from '../format/languages';
import { ReviewFix, reviewNotebook } from '../review';
import { phaseById } from '../templates/phases';
import { NotebookAnalyses, notebookData } from './analyses';

const fixKey = (uri: vscode.Uri, code: string | number | undefined, message: string) => `${uri.toString()}\u0000${code}\u0000${message}`;

export class DesignReview implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('sdnb-review');
  private readonly fixes = new Map<string, { notebook: vscode.NotebookDocument; fix: ReviewFix }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analyses: NotebookAnalyses) {
    this.subscriptions = [
      analyses.onDidChange((nb) => this.update(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => nb.getCells().forEach((c) => this.collection.delete(c.document.uri))),
      vscode.workspace.onDidChangeNotebookDocument((e) =>
        e.contentChanges.forEach((c) => c.removedCells.forEach((cell) => this.collection.delete(cell.document.uri))),
      ),
      vscode.languages.registerCodeActionsProvider(
        ['markdown', ...CODE_LANGUAGE_IDS].map((language) => ({ language })),
        this,
        {
          providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
        },
      ),
    ];
  }

  update(nb: vscode.NotebookDocument): void {
    if (nb.isClosed || nb.cellCount === 0) return;
    const byCell = new Map<number, vscode.Diagnostic[]>();
    for (const key of [...this.fixes.keys()]) if (this.fixes.get(key)!.notebook === nb) this.fixes.delete(key);
    for (const f of reviewNotebook(notebookData(nb), this.analyses.get(nb))) {
      const index = Math.min(f.cellIndex ?? 0, nb.cellCount - 1);
      const d = new vscode.Diagnostic(
        new vscode.Range(f.line, f.column, f.line, f.column + (f.length ?? 1)),
        f.message,
        f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
      );
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
      const cell = new vscode.NotebookCellData(
        language === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
        fix.text,
        language,
      );
      cell.metadata = { phase: fix.phase };
      const action = new vscode.CodeAction(
        `Insert a “${phaseById(fix.phase)?.short ?? fix.phase}” cell to fill in`,
        vscode.CodeActionKind.QuickFix,
      );
      action.diagnostics = [d];
      action.edit = new vscode.WorkspaceEdit();
      action.edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(at, [cell])]);
      return [action];
    });
  }

  dispose(): void {
    this.collection.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
