// The "Estimates" view: every name in the active notebook, grouped by the cell that defines it —
// an estimate cell's names with their values, a named model's results with their 95% intervals
// (or "pending" before it runs). Clicking a name reveals where it is defined.
import * as vscode from 'vscode';
import { formatQuantity } from '../kernels/estimate';
import { Definition } from '../kernels/types';
import { NotebookAnalyses, isSdnb } from './analyses';

/** The cells that define names, each with its names; estimates open, model results folded. */
interface Group {
  cellIndex: number;
  label: string;
  /** What the label leaves out: the model's kind and cell. */
  detail: string;
  model: boolean;
  defs: Definition[];
}
type Node = Group | Definition;
const isGroup = (n: Node): n is Group => 'defs' in n;

export class EstimatesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private groups: Group[] = [];

  constructor(private readonly analyses: NotebookAnalyses) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveNotebookEditor(() => this.refresh(0)),
      analyses.onDidChange((nb) => {
        if (nb === vscode.window.activeNotebookEditor?.notebook) this.refresh(0);
      }),
      vscode.commands.registerCommand('sdnb.revealEstimate', (d: Definition) => this.reveal(d)),
    ];
    this.refresh(0);
  }

  private refresh(delay = 300): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const nb = vscode.window.activeNotebookEditor?.notebook;
      this.groups = nb && isSdnb(nb) ? this.group(nb) : [];
      void vscode.commands.executeCommand('setContext', 'sdnb.hasEstimates', this.groups.length > 0);
      this.changed.fire();
    }, delay);
  }

  private group(nb: vscode.NotebookDocument): Group[] {
    const analysis = this.analyses.get(nb);
    const groups = new Map<number, Group>();
    for (const d of analysis.definitions()) {
      let g = groups.get(d.cellIndex);
      if (!g) {
        const spec = analysis.cell(d.cellIndex)?.kernel?.spec;
        const model = spec?.definesNames !== true;
        const name = d.name.includes('.') && model ? d.name.slice(0, d.name.indexOf('.')) : undefined;
        // A named model leads with its name (what its results start with); an estimate cell with its kind.
        const where = vscode.l10n.t('cell {0}', d.cellIndex + 1);
        const label = name ?? `${spec?.label ?? 'Estimate'}, ${where}`;
        const detail = name ? `${spec?.label ?? 'model'}, ${where}` : '';
        g = { cellIndex: d.cellIndex, label, detail, model, defs: [] };
        groups.set(d.cellIndex, g);
      }
      g.defs.push(d);
    }
    return [...groups.values()].sort((a, b) => a.cellIndex - b.cellIndex);
  }

  getChildren(element?: Node): Node[] {
    if (!element) return this.groups;
    return isGroup(element) ? element.defs : [];
  }

  getTreeItem(n: Node): vscode.TreeItem {
    if (isGroup(n)) {
      const item = new vscode.TreeItem(
        n.label,
        n.model ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
      );
      item.id = `cell-${n.cellIndex}-${n.label}`;
      item.iconPath = new vscode.ThemeIcon(n.model ? 'pulse' : 'symbol-number');
      const pending = n.defs.every((d) => d.pending !== undefined);
      const count = n.model
        ? pending
          ? vscode.l10n.t('not run yet')
          : n.defs.length === 1
            ? vscode.l10n.t('1 result')
            : vscode.l10n.t('{0} results', n.defs.length)
        : n.defs.length === 1
          ? vscode.l10n.t('1 name')
          : vscode.l10n.t('{0} names', n.defs.length);
      item.description = n.detail ? `${count} · ${n.detail}` : count;
      item.tooltip = n.detail ? `${n.label}: ${n.detail}` : n.label;
      return item;
    }
    const d = n;
    const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.None);
    const ci = d.quantity.ci;
    item.description = d.pending !== undefined ? vscode.l10n.t('pending') : (d.quantity.display ?? String(d.quantity.value));
    const lines = [
      `**${d.name}** = ${d.pending !== undefined ? vscode.l10n.t('no value yet: {0}', d.pending) : (d.quantity.display ?? d.quantity.value)}`,
    ];
    if (ci && d.pending === undefined)
      lines.push(
        vscode.l10n.t('95% interval: {0} to {1}', formatQuantity(ci.low, d.quantity.dims), formatQuantity(ci.high, d.quantity.dims)),
      );
    // A model's result describes itself in prose; an estimate's expression is code.
    const model = this.groups.find((g) => g.cellIndex === d.cellIndex)?.model;
    lines.push(model ? d.expression : `\`${d.expression}\``, vscode.l10n.t('cell {0}, line {1}', d.cellIndex + 1, d.range.start.line + 1));
    const tooltip = new vscode.MarkdownString(lines.join('\n\n'));
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(d.pending !== undefined ? 'watch' : 'symbol-variable');
    item.command = { command: 'sdnb.revealEstimate', title: vscode.l10n.t('Reveal'), arguments: [d] };
    return item;
  }

  private async reveal(d: Definition): Promise<void> {
    const editor = vscode.window.activeNotebookEditor;
    if (!editor) return;
    const range = new vscode.NotebookRange(d.cellIndex, d.cellIndex + 1);
    editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    editor.selections = [range];
    const doc = editor.notebook.cellAt(d.cellIndex).document;
    const pos = new vscode.Position(d.range.start.line, d.range.start.column);
    await vscode.window.showTextDocument(doc, {
      selection: new vscode.Range(pos, new vscode.Position(d.range.end.line, d.range.end.column)),
      viewColumn: editor.viewColumn,
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
