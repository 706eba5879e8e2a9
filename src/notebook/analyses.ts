// The host's view of the notebook analysis: one NotebookAnalysis per open notebook, brought up to
// date from the cells' documents on demand (a cell whose document version did not change is not
// re-analysed) and announced, debounced, to the views and diagnostics that follow it.
import * as vscode from 'vscode';
import { AnalysisCell, CellAnalysis, NotebookAnalysis } from '../analysis/analysis';
import type { Definition } from '../kernels/types';
import { NotebookData, frontMatterOf } from '../format/sdnb';
import { NOTEBOOK_TYPE } from './serializer';

/** The notebook as the pure modules see it; each cell carries its document as key and its version. */
export function notebookData(nb: vscode.NotebookDocument): NotebookData & { cells: AnalysisCell[] } {
  const cells = nb.getCells().map((c): AnalysisCell => {
    const markdown = c.kind === vscode.NotebookCellKind.Markup;
    const doc = c.document;
    return {
      kind: markdown ? 'markdown' : 'code',
      language: markdown ? 'markdown' : doc.languageId,
      get source() {
        return doc.getText();
      },
      metadata: { ...c.metadata },
      key: doc,
      version: doc.version,
    };
  });
  return { cells, metadata: { ...nb.metadata } };
}

/** The notebook's front matter as an object. */
export function notebookMeta(notebook: vscode.NotebookDocument): Record<string, unknown> {
  const fm = notebook.metadata?.frontMatter;
  return typeof fm === 'string' ? frontMatterOf({ cells: [], metadata: { frontMatter: fm } }) : {};
}

export const isSdnb = (nb: vscode.NotebookDocument) => nb.notebookType === NOTEBOOK_TYPE;

export class NotebookAnalyses implements vscode.Disposable {
  private readonly analyses = new WeakMap<vscode.NotebookDocument, NotebookAnalysis>();
  private readonly timers = new Map<vscode.NotebookDocument, ReturnType<typeof setTimeout>>();
  private readonly changed = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** Fires shortly after a notebook changed, with its analysis up to date. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly delayMs = 150) {
    this.subscriptions = [
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.schedule(nb, 0)),
      vscode.workspace.onDidChangeNotebookDocument((e) => this.schedule(e.notebook)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        clearTimeout(this.timers.get(nb));
        this.timers.delete(nb);
        this.analyses.delete(nb);
      }),
      this.changed,
    ];
    for (const nb of vscode.workspace.notebookDocuments) this.schedule(nb, 0);
  }

  /** Announces a notebook's analysis again soon (after a run changed what its cells read, say). */
  schedule(nb: vscode.NotebookDocument, delay = this.delayMs): void {
    if (!isSdnb(nb)) return;
    clearTimeout(this.timers.get(nb));
    this.timers.set(
      nb,
      setTimeout(() => {
        this.timers.delete(nb);
        if (nb.isClosed) return;
        this.get(nb);
        this.changed.fire(nb);
      }, delay),
    );
  }

  /** The notebook's analysis, up to date with its cells now. */
  get(nb: vscode.NotebookDocument): NotebookAnalysis {
    let a = this.analyses.get(nb);
    if (!a) this.analyses.set(nb, (a = new NotebookAnalysis()));
    return a.update(notebookData(nb).cells);
  }

  /** Records what a model cell measured in a run; its dependents are analysed again and announced. */
  setResults(cell: vscode.NotebookCell, definitions: Definition[]): void {
    this.get(cell.notebook).setResults(cell.document, definitions, cell.document.version);
    this.schedule(cell.notebook, 0);
  }

  /** The notebook cell a text document belongs to, with its analysis. */
  cellOf(
    doc: vscode.TextDocument,
  ): { notebook: vscode.NotebookDocument; cell: vscode.NotebookCell; analysis: NotebookAnalysis; info: CellAnalysis } | undefined {
    for (const notebook of vscode.workspace.notebookDocuments) {
      if (!isSdnb(notebook)) continue;
      const cell = notebook.getCells().find((c) => c.document === doc);
      if (!cell) continue;
      const analysis = this.get(notebook);
      const info = analysis.cell(cell.index);
      return info && { notebook, cell, analysis, info };
    }
    return undefined;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
  }
}
