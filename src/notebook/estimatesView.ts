// The "Estimates" view: every estimate name in the active notebook with its value, where it is
// defined, and the expression. Clicking a name reveals its cell.
import * as vscode from 'vscode';
import { Definition } from '../kernels/types';
import { NotebookAnalyses, isSdnb } from './analyses';

export class EstimatesView implements vscode.TreeDataProvider<Definition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private definitions: Definition[] = [];

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
      this.definitions = nb && isSdnb(nb) ? this.analyses.get(nb).definitions() : [];
      void vscode.commands.executeCommand('setContext', 'sdnb.hasEstimates', this.definitions.length > 0);
      this.changed.fire();
    }, delay);
  }

  getChildren(element?: Definition): Definition[] {
    return element ? [] : this.definitions;
  }

  getTreeItem(d: Definition): vscode.TreeItem {
    const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.None);
    item.description = d.quantity.display ?? String(d.quantity.value);
    item.tooltip = new vscode.MarkdownString(
      `**${d.name}** = ${d.quantity.display ?? d.quantity.value}\n\n\`${d.expression}\`\n\n${vscode.l10n.t('cell {0}, line {1}', d.cellIndex + 1, d.range.start.line + 1)}`,
    );
    item.iconPath = new vscode.ThemeIcon('symbol-variable');
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
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, new vscode.Position(d.range.end.line, d.range.end.column)), viewColumn: editor.viewColumn });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
