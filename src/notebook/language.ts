// Diagnostics as you type, hover and completion for every cell language, answered by the kernels'
// own parsers (the same parse that execution uses).
import * as vscode from 'vscode';
import { CODE_LANGUAGE_IDS } from '../format/languages';
import { kernelFor } from '../kernels/registry';
import { Completion, Diagnostic } from '../kernels/types';
import { CheckState, checkCells, ESTIMATE, scopeBefore } from '../runtime/session';
import { budgetFromConfig, cellInputs, notebookMeta } from './controller';
import { NOTEBOOK_TYPE } from './serializer';

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toVsDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.range.start.line, d.range.start.column, d.range.end.line, d.range.end.column);
  const diag = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
  diag.source = 'System Design';
  if (d.code) diag.code = d.code;
  return diag;
}

function findCell(doc: vscode.TextDocument): vscode.NotebookCell | undefined {
  for (const nb of vscode.workspace.notebookDocuments) {
    if (nb.notebookType !== NOTEBOOK_TYPE) continue;
    const cell = nb.getCells().find((c) => c.document === doc);
    if (cell) return cell;
  }
  return undefined;
}

const options = () => ({ seed: 1, notebook: {}, budget: budgetFromConfig(), isCancelled: () => false });

export class NotebookDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('sdnb');
  private readonly timers = new Map<vscode.NotebookDocument, ReturnType<typeof setTimeout>>();
  /** Per notebook: estimate names from the last check, and the cells changed since (undefined = all). */
  private readonly states = new WeakMap<vscode.NotebookDocument, CheckState>();
  private readonly dirty = new WeakMap<vscode.NotebookDocument, Set<number> | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.schedule(nb, 0)),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.contentChanges.length) this.dirty.set(e.notebook, undefined);
        else if (this.dirty.get(e.notebook) !== undefined || !this.dirty.has(e.notebook)) {
          const set = this.dirty.get(e.notebook) ?? new Set<number>();
          for (const c of e.cellChanges) if (c.document) set.add(c.cell.index);
          this.dirty.set(e.notebook, set);
        }
        this.schedule(e.notebook);
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        for (const c of nb.getCells()) this.collection.delete(c.document.uri);
      }),
    );
    for (const nb of vscode.workspace.notebookDocuments) this.schedule(nb, 0);
  }

  private schedule(nb: vscode.NotebookDocument, delay = 200): void {
    if (nb.notebookType !== NOTEBOOK_TYPE) return;
    if (delay === 0) this.dirty.set(nb, undefined);
    clearTimeout(this.timers.get(nb));
    this.timers.set(nb, setTimeout(() => void this.update(nb), delay));
  }

  /**
   * Re-checks what a change can affect: the edited cells, and every cell below an edited estimate
   * cell (its names flow down). Structural changes (cells added, removed, moved) re-check all.
   */
  async update(nb: vscode.NotebookDocument): Promise<void> {
    this.timers.delete(nb);
    const cells = cellInputs(nb);
    const changed = this.dirty.get(nb);
    this.dirty.delete(nb);
    let state = this.states.get(nb);
    let only: Set<number> | undefined;
    if (changed && state) {
      const firstEstimate = Math.min(...[...changed].filter((i) => cells[i]?.language === ESTIMATE));
      only = new Set([...changed, ...cells.filter((c) => c.index > firstEstimate).map((c) => c.index)]);
    } else {
      state = new Map();
      this.states.set(nb, state);
    }
    const found = await checkCells(cells, { ...options(), notebook: notebookMeta(nb) }, state, only);
    for (const cell of nb.getCells()) {
      if (only && !only.has(cell.index)) continue;
      this.collection.set(cell.document.uri, (found.get(cell.index) ?? []).map(toVsDiagnostic));
    }
  }

  /** Extra diagnostics reported from outside the parsers (e.g. mermaid's own parser in the renderer). */
  set(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): void {
    this.collection.set(uri, diagnostics);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.collection.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

const COMPLETION_KIND: Record<Completion['kind'], vscode.CompletionItemKind> = {
  variable: vscode.CompletionItemKind.Variable,
  unit: vscode.CompletionItemKind.Unit,
  function: vscode.CompletionItemKind.Function,
  constant: vscode.CompletionItemKind.Constant,
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  keyword: vscode.CompletionItemKind.Keyword,
  snippet: vscode.CompletionItemKind.Snippet,
};

async function contextFor(doc: vscode.TextDocument) {
  const cell = findCell(doc);
  const kernel = kernelFor(doc.languageId);
  if (!kernel) return undefined;
  const cells = cell ? cellInputs(cell.notebook) : [];
  const scope = await scopeBefore(cells, cell?.index ?? 0, options());
  return { kernel, ctx: { cellIndex: cell?.index ?? 0, scope } };
}

export function registerLanguageFeatures(): vscode.Disposable[] {
  const selector = CODE_LANGUAGE_IDS.map((language) => ({ language }));
  return [
    vscode.languages.registerHoverProvider(selector, {
      async provideHover(doc, pos) {
        const c = await contextFor(doc);
        const h = c?.kernel.hover?.(doc.getText(), { line: pos.line, column: pos.character }, c.ctx);
        if (!h) return undefined;
        const range = h.range && new vscode.Range(h.range.start.line, h.range.start.column, h.range.end.line, h.range.end.column);
        return new vscode.Hover(new vscode.MarkdownString(h.markdown), range);
      },
    }),
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        async provideCompletionItems(doc, pos) {
          const c = await contextFor(doc);
          const items = c?.kernel.complete?.(doc.getText(), { line: pos.line, column: pos.character }, c.ctx) ?? [];
          return items.map((i) => {
            const item = new vscode.CompletionItem(i.label, COMPLETION_KIND[i.kind]);
            item.detail = i.detail;
            if (i.documentation) item.documentation = new vscode.MarkdownString(i.documentation);
            if (i.insertText) item.insertText = i.insertText;
            return item;
          });
        },
      },
      ' ',
      ':',
      '-',
    ),
  ];
}
