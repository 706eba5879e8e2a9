// Language features of every cell language, all read from the notebook analysis (one parse per cell
// version): diagnostics as you type, hover, completion, go to definition, find references, rename
// and the cells' symbols for the outline and breadcrumbs.
import * as vscode from 'vscode';
import { CellAnalysis, NotebookAnalysis } from '../analysis/analysis';
import { CODE_LANGUAGE_IDS } from '../format/languages';
import { Completion, Diagnostic, NameUse, Range } from '../kernels/types';
import { phaseById, phaseOfMetadata } from '../templates/phases';
import { NotebookAnalyses } from './analyses';

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export const toVsRange = (r: Range) => new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);

export function toVsDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const diag = new vscode.Diagnostic(toVsRange(d.range), d.message, SEVERITY[d.severity]);
  diag.source = 'System Design';
  if (d.code) diag.code = d.code;
  return diag;
}

/** Publishes each cell's diagnostics from the analysis, only for cells whose analysis changed. */
export class NotebookDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('sdnb');
  private readonly published = new WeakMap<vscode.TextDocument, CellAnalysis>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analyses: NotebookAnalyses) {
    this.subscriptions = [
      analyses.onDidChange((nb) => this.update(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        for (const c of nb.getCells()) this.collection.delete(c.document.uri);
      }),
      // A deleted cell's problems go with it.
      vscode.workspace.onDidChangeNotebookDocument((e) =>
        e.contentChanges.forEach((c) => c.removedCells.forEach((cell) => this.collection.delete(cell.document.uri))),
      ),
    ];
  }

  update(nb: vscode.NotebookDocument): void {
    const analysis = this.analyses.get(nb);
    for (const cell of nb.getCells()) {
      const info = analysis.cell(cell.index);
      if (!info || this.published.get(cell.document) === info) continue;
      this.published.set(cell.document, info);
      // A new, empty cell is not an error yet: running it still says what it needs.
      const blank = cell.document.getText().trim() === '';
      this.collection.set(cell.document.uri, blank ? [] : info.diagnostics.map(toVsDiagnostic));
    }
  }

  dispose(): void {
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

const contains = (r: Range, pos: vscode.Position) =>
  (pos.line > r.start.line || (pos.line === r.start.line && pos.character >= r.start.column)) &&
  (pos.line < r.end.line || (pos.line === r.end.line && pos.character <= r.end.column));

/** The name use under the cursor, in a notebook cell. */
function useAt(analyses: NotebookAnalyses, doc: vscode.TextDocument, pos: vscode.Position) {
  const found = analyses.cellOf(doc);
  const use = found?.info.uses.find((u) => contains(u.range, pos));
  return found && use && { ...found, use };
}

/** Where the name read (or defined) by `use` in cell `index` is defined. */
function definitionOf(analysis: NotebookAnalysis, index: number, use: NameUse): { cell: number; range: Range } | undefined {
  if (use.role === 'define') return { cell: index, range: use.range };
  const own = analysis.cell(index)!.uses.filter((u) => u.role === 'define' && u.name === use.name && before(u.range, use.range));
  if (own.length) return { cell: index, range: own[own.length - 1].range };
  const def = analysis.lookup(use.name, index);
  return def && { cell: def.cellIndex, range: def.range };
}

const before = (a: Range, b: Range) => a.start.line < b.start.line || (a.start.line === b.start.line && a.start.column < b.start.column);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function registerLanguageFeatures(analyses: NotebookAnalyses): vscode.Disposable[] {
  const selector = CODE_LANGUAGE_IDS.map((language) => ({ language }));
  const location = (nb: vscode.NotebookDocument, cell: number, range: Range) =>
    new vscode.Location(nb.cellAt(cell).document.uri, toVsRange(range));
  return [
    vscode.languages.registerHoverProvider(selector, {
      provideHover(doc, pos) {
        const found = analyses.cellOf(doc);
        const { info } = found ?? {};
        const h = info?.kernel?.hover?.(
          doc.getText(),
          { line: pos.line, column: pos.character },
          { cellIndex: info.index, scope: info.scope, parse: info.parse },
        );
        return h && new vscode.Hover(new vscode.MarkdownString(h.markdown), h.range && toVsRange(h.range));
      },
    }),
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        provideCompletionItems(doc, pos) {
          const info = analyses.cellOf(doc)?.info;
          const items =
            info?.kernel?.complete?.(
              doc.getText(),
              { line: pos.line, column: pos.character },
              { cellIndex: info.index, scope: info.scope, parse: info.parse },
            ) ?? [];
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
    vscode.languages.registerDefinitionProvider(selector, {
      provideDefinition(doc, pos) {
        const at = useAt(analyses, doc, pos);
        const def = at && definitionOf(at.analysis, at.info.index, at.use);
        return def && location(at.notebook, def.cell, def.range);
      },
    }),
    vscode.languages.registerReferenceProvider(selector, {
      provideReferences(doc, pos, ctx) {
        const at = useAt(analyses, doc, pos);
        if (!at) return [];
        return at.analysis
          .usesOf(at.use.name)
          .filter((u) => ctx.includeDeclaration || u.use.role !== 'define')
          .map((u) => location(at.notebook, u.cell, u.use.range));
      },
    }),
    vscode.languages.registerRenameProvider(selector, {
      prepareRename(doc, pos) {
        const at = useAt(analyses, doc, pos);
        if (!at) throw new Error(vscode.l10n.t('Only a name defined in an estimate cell can be renamed here.'));
        return { range: toVsRange(at.use.range), placeholder: at.use.name };
      },
      provideRenameEdits(doc, pos, newName) {
        const at = useAt(analyses, doc, pos);
        if (!at) return undefined;
        if (!IDENTIFIER.test(newName))
          throw new Error(vscode.l10n.t('`{0}` is not a name: use letters, digits and _, starting with a letter.', newName));
        if (newName !== at.use.name && at.analysis.definitionsOf(newName).length)
          throw new Error(vscode.l10n.t('`{0}` is already defined in this notebook; renaming would merge two names.', newName));
        const edit = new vscode.WorkspaceEdit();
        for (const u of at.analysis.usesOf(at.use.name))
          edit.replace(at.notebook.cellAt(u.cell).document.uri, toVsRange(u.use.range), newName);
        return edit;
      },
    }),
    vscode.languages.registerDocumentSymbolProvider([...selector, { language: 'markdown', scheme: 'vscode-notebook-cell' }], {
      provideDocumentSymbols(doc) {
        const found = analyses.cellOf(doc);
        if (!found) return [];
        const symbols: vscode.DocumentSymbol[] = [];
        const phase = phaseById(phaseOfMetadata(found.cell.metadata) ?? '');
        if (phase) {
          const whole = new vscode.Range(0, 0, Math.max(0, doc.lineCount - 1), doc.lineAt(Math.max(0, doc.lineCount - 1)).text.length);
          symbols.push(new vscode.DocumentSymbol(phase.title, 'phase', vscode.SymbolKind.Namespace, whole, new vscode.Range(0, 0, 0, 0)));
        }
        for (const u of found.info.uses) {
          if (u.role !== 'define') continue;
          const def = found.info.defines.find((d) => d.name === u.name);
          const line = doc.lineAt(u.range.start.line).range;
          symbols.push(
            new vscode.DocumentSymbol(u.name, def?.quantity.display ?? '', vscode.SymbolKind.Variable, line, toVsRange(u.range)),
          );
        }
        return symbols;
      },
    }),
  ];
}
