// The "Requirements" view: every requirement the scope section states, and how the notebook checks
// it: met, not met, marginal, not run yet, or prose only. A requirement's checks are its children;
// clicking one reveals it in the notebook.
import * as vscode from 'vscode';
import type { BrokenCheck, Verdict } from '../kernels/types';
import { requirementsSummary, type RequirementState, type RequirementStatus } from '../review/requirements';
import { NotebookAnalyses, isSdnb, notebookData } from './analyses';

type Node = { kind: 'requirement'; r: RequirementStatus } | { kind: 'check'; v: Verdict } | { kind: 'broken'; b: BrokenCheck };

const ICON: Record<RequirementState, [string, string | undefined]> = {
  met: ['pass', 'testing.iconPassed'],
  'not met': ['error', 'testing.iconFailed'],
  marginal: ['warning', 'list.warningForeground'],
  pending: ['circle-outline', undefined],
  broken: ['error', 'list.errorForeground'],
  'prose only': ['note', undefined],
};

const stateText = (state: RequirementState): string =>
  ({
    met: vscode.l10n.t('met'),
    'not met': vscode.l10n.t('not met'),
    marginal: vscode.l10n.t('marginal'),
    pending: vscode.l10n.t('not run yet'),
    broken: vscode.l10n.t('check has an error'),
    'prose only': vscode.l10n.t('prose only: no check'),
  })[state];

export class RequirementsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private list: RequirementStatus[] = [];
  private notebook: vscode.NotebookDocument | undefined;

  constructor(private readonly analyses: NotebookAnalyses) {
    this.subscriptions = [
      this.changed,
      vscode.window.onDidChangeActiveNotebookEditor(() => this.refresh()),
      analyses.onDidChange((nb) => nb === vscode.window.activeNotebookEditor?.notebook && this.refresh()),
      vscode.commands.registerCommand('sdnb.revealRequirement', (cell: number, line: number, column: number) =>
        this.reveal(cell, line, column),
      ),
    ];
    this.refresh();
  }

  private refresh(): void {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    this.notebook = nb && isSdnb(nb) ? nb : undefined;
    this.list = this.notebook ? requirementsSummary(notebookData(this.notebook), this.analyses.get(this.notebook)) : [];
    this.changed.fire();
  }

  /** For the integration tier: the requirements as the view shows them. */
  get requirements(): readonly RequirementStatus[] {
    return this.list;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.list.map((r) => ({ kind: 'requirement', r }));
    if (node.kind !== 'requirement') return [];
    return [...node.r.checks.map((v): Node => ({ kind: 'check', v })), ...node.r.broken.map((b): Node => ({ kind: 'broken', b }))];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'requirement') {
      const { r } = node;
      const item = new vscode.TreeItem(
        r.id,
        r.checks.length || r.broken.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
      );
      item.description = `${stateText(r.state)} · ${r.stated?.text ?? vscode.l10n.t('not in the scope section')}`;
      const [icon, color] = ICON[r.state];
      item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
      item.tooltip = new vscode.MarkdownString(
        `**${r.id}**: ${r.stated?.text ?? vscode.l10n.t('(a check of an id the scope section does not list)')}\n\n${stateText(r.state)}`,
      );
      if (r.stated)
        item.command = {
          command: 'sdnb.revealRequirement',
          title: vscode.l10n.t('Reveal'),
          arguments: [r.stated.cellIndex, r.stated.lineIndex, 0],
        };
      return item;
    }
    if (node.kind === 'broken') {
      const { b } = node;
      const item = new vscode.TreeItem(vscode.l10n.t('check not judged'), vscode.TreeItemCollapsibleState.None);
      item.description = b.reason;
      item.iconPath = new vscode.ThemeIcon(ICON.broken[0], new vscode.ThemeColor(ICON.broken[1]!));
      item.tooltip = vscode.l10n.t('This check of {0} has an error, so it judges nothing: {1}.', b.id, b.reason);
      item.command = {
        command: 'sdnb.revealRequirement',
        title: vscode.l10n.t('Reveal'),
        arguments: [b.cellIndex, b.range.start.line, b.range.start.column],
      };
      return item;
    }
    const { v } = node;
    const item = new vscode.TreeItem(v.check, vscode.TreeItemCollapsibleState.None);
    item.description = v.measured
      ? vscode.l10n.t('{0} · limit {1} · {2}', v.measured, String(v.limit), String(v.margin))
      : stateText(v.status);
    const [icon, color] = ICON[v.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.tooltip = v.message;
    item.command = {
      command: 'sdnb.revealRequirement',
      title: vscode.l10n.t('Reveal'),
      arguments: [v.cellIndex, v.range.start.line, v.range.start.column],
    };
    return item;
  }

  private async reveal(cell: number, line: number, column: number): Promise<void> {
    const editor = vscode.window.activeNotebookEditor;
    if (!editor || cell >= editor.notebook.cellCount) return;
    const range = new vscode.NotebookRange(cell, cell + 1);
    editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    editor.selections = [range];
    const target = editor.notebook.cellAt(cell);
    if (target.kind === vscode.NotebookCellKind.Code) {
      const pos = new vscode.Position(line, column);
      await vscode.window.showTextDocument(target.document, { selection: new vscode.Range(pos, pos), viewColumn: editor.viewColumn });
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
