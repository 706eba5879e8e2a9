// The interview framework in the editor: each cell's phase and budget in its status bar, a
// "Design Phases" view that groups cells by phase, and the interview timer in the status bar.
import * as vscode from 'vscode';
import { InterviewClock, OutlineEntry, formatClock, phaseAt, phaseOutline } from '../interview/clock';
import { PHASES, PhaseId, phaseBudgets, phaseById, phaseOfMetadata } from '../templates/phases';
import { notebookMeta } from './analyses';
import { NOTEBOOK_TYPE } from './serializer';

const isOurs = (nb: vscode.NotebookDocument | undefined): nb is vscode.NotebookDocument => nb?.notebookType === NOTEBOOK_TYPE;
const metadataOf = (nb: vscode.NotebookDocument) => nb.getCells().map((c) => c.metadata as Record<string, unknown> | undefined);

/** Shows a cell's phase and budget on cells that start a phase; click to change it. */
export class PhaseStatusProvider implements vscode.NotebookCellStatusBarItemProvider {
  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    const id = phaseOfMetadata(cell.metadata);
    if (!id) return [];
    const phase = phaseById(id)!;
    const budget = phaseBudgets(notebookMeta(cell.notebook))[id];
    const item = new vscode.NotebookCellStatusBarItem(
      `$(milestone) ${phase.title} · ${vscode.l10n.t('{0} min', budget)}`,
      vscode.NotebookCellStatusBarAlignment.Right,
    );
    const within = phase.parent
      ? vscode.l10n.t('{0} ({1} min, within {2})', phase.title, budget, phaseById(phase.parent)!.title)
      : vscode.l10n.t('{0} ({1} min)', phase.title, budget);
    item.tooltip = [within, phase.prompts.map((p) => `• ${p}`).join('\n'), vscode.l10n.t('Click to change the phase.')].join('\n\n');
    item.command = { title: vscode.l10n.t('Set Phase'), command: 'sdnb.setPhase', arguments: [cell] };
    return [item];
  }
}

export async function setPhase(cell?: vscode.NotebookCell): Promise<void> {
  const editor = vscode.window.activeNotebookEditor;
  cell ??= editor && editor.notebook.cellAt(editor.selection.start);
  if (!cell || !isOurs(cell.notebook)) return;
  const current = phaseOfMetadata(cell.metadata);
  const picked = await vscode.window.showQuickPick(
    [
      ...PHASES.map((p) => ({
        label: `${p.parent ? '    ' : ''}${p.title}`,
        description: p.id === current ? vscode.l10n.t('{0} min · current', p.minutes) : vscode.l10n.t('{0} min', p.minutes),
        id: p.id as PhaseId | '',
      })),
      { label: vscode.l10n.t('No phase'), description: vscode.l10n.t('the cell belongs to the phase above it'), id: '' as const },
    ],
    { title: vscode.l10n.t('Phase of this cell'), placeHolder: vscode.l10n.t('Which stage of the design is this cell?') },
  );
  if (!picked) return;
  const metadata: Record<string, unknown> = { ...cell.metadata };
  if (picked.id) metadata.phase = picked.id;
  else delete metadata.phase;
  const edit = new vscode.WorkspaceEdit();
  edit.set(cell.notebook.uri, [vscode.NotebookEdit.updateCellMetadata(cell.index, metadata)]);
  await vscode.workspace.applyEdit(edit);
}

type PhaseNode = { kind: 'phase'; id: PhaseId } | { kind: 'cell'; cell: vscode.NotebookCell };

/**
 * The "Design Phases" view: the framework's phases (sub-phases under their parent) with their cells,
 * budgets and, while the timer runs, the time spent. The tree is rebuilt only when the notebook or
 * the current phase changes, never on the timer's tick: VS Code forgets the commands of the items a
 * refresh replaces, so a tree refreshed every second loses the click that reveals a cell. The running
 * clock is shown in the view's description instead.
 */
export class PhasesView implements vscode.TreeDataProvider<PhaseNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private view: vscode.TreeView<PhaseNode> | undefined;

  constructor(private readonly timer: InterviewTimer) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveNotebookEditor(() => this.changed.fire()),
      vscode.workspace.onDidChangeNotebookDocument(
        (e) => e.notebook === vscode.window.activeNotebookEditor?.notebook && this.changed.fire(),
      ),
      timer.onDidChangePhase(() => this.changed.fire()),
      timer.onDidTick((text) => this.view && (this.view.description = text)),
    ];
  }

  attach(view: vscode.TreeView<PhaseNode>): void {
    this.view = view;
  }

  /** The active notebook's outline, by phase (top-level and sub-phases alike). */
  private outline(nb: vscode.NotebookDocument): { top: OutlineEntry[]; byId: Map<PhaseId, OutlineEntry> } {
    const top = phaseOutline(metadataOf(nb), notebookMeta(nb));
    const byId = new Map<PhaseId, OutlineEntry>();
    const walk = (e: OutlineEntry) => (byId.set(e.id, e), e.children.forEach(walk));
    top.forEach(walk);
    return { top, byId };
  }

  getChildren(node?: PhaseNode): PhaseNode[] {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (!isOurs(nb) || node?.kind === 'cell') return [];
    const { top, byId } = this.outline(nb);
    if (!node) return top.map((e) => ({ kind: 'phase', id: e.id }));
    const entry = byId.get(node.id);
    return entry
      ? [
          ...entry.cells.map((i): PhaseNode => ({ kind: 'cell', cell: nb.cellAt(i) })),
          ...entry.children.map((c): PhaseNode => ({ kind: 'phase', id: c.id })),
        ]
      : [];
  }

  getParent(node: PhaseNode): PhaseNode | undefined {
    if (node.kind === 'phase') {
      const parent = phaseById(node.id)!.parent;
      return parent && { kind: 'phase', id: parent };
    }
    const id = phaseAt(metadataOf(node.cell.notebook), node.cell.index);
    return id && { kind: 'phase', id };
  }

  getTreeItem(node: PhaseNode): vscode.TreeItem {
    if (node.kind === 'cell') {
      const text =
        node.cell.document
          .getText()
          .split('\n')
          .find((l) => l.trim() !== '' && !l.startsWith('<!--')) ?? vscode.l10n.t('(empty)');
      const item = new vscode.TreeItem(text.replace(/^#+\s*/, '').slice(0, 80));
      item.description =
        node.cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : node.cell.document.languageId.replace('sdnb-', '');
      item.command = { title: vscode.l10n.t('Reveal'), command: 'sdnb.revealCell', arguments: [node.cell] };
      return item;
    }
    const phase = phaseById(node.id)!;
    const nb = vscode.window.activeNotebookEditor!.notebook;
    const entry = this.outline(nb).byId.get(node.id);
    const hasChildren = !!entry && (entry.cells.length > 0 || entry.children.length > 0);
    const item = new vscode.TreeItem(
      phase.title,
      hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `phase:${node.id}`;
    const budget = phaseBudgets(notebookMeta(nb))[node.id];
    const spent = phase.parent ? undefined : this.timer.spentMs(nb, node.id);
    const now = this.timer.currentPhase(nb) === node.id;
    item.description = [
      vscode.l10n.t('{0} min', budget),
      now ? vscode.l10n.t('now') : spent ? vscode.l10n.t('spent {0}', formatClock(spent)) : '',
      entry?.missing ? vscode.l10n.t('missing') : '',
    ]
      .filter(Boolean)
      .join(' · ');
    item.tooltip = new vscode.MarkdownString(phase.prompts.map((p) => `- ${p}`).join('\n'));
    item.iconPath = new vscode.ThemeIcon(entry?.missing ? 'circle-large-outline' : 'milestone');
    return item;
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

export async function revealCell(cell: vscode.NotebookCell): Promise<void> {
  const editor = await vscode.window.showNotebookDocument(cell.notebook);
  const range = new vscode.NotebookRange(cell.index, cell.index + 1);
  editor.selections = [range];
  editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
}

/** The interview timer: the phase of the selected cell is the current phase. */
export class InterviewTimer implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sdnb.interviewTimer', vscode.StatusBarAlignment.Left, 100);
  private session:
    { notebook: vscode.NotebookDocument; clock: InterviewClock; interval: ReturnType<typeof setInterval>; phase?: PhaseId } | undefined;
  private readonly ticked = new vscode.EventEmitter<string>();
  /** Every second while the timer runs, with the clock's text ("Scope · 3:10 left"); '' when it stops. */
  readonly onDidTick = this.ticked.event;
  private readonly phaseChanged = new vscode.EventEmitter<void>();
  /** When the timer starts, stops or moves to another phase. */
  readonly onDidChangePhase = this.phaseChanged.event;

  constructor() {
    this.item.name = 'Interview timer';
    this.showIdle();
  }

  private selectedPhase(nb: vscode.NotebookDocument): PhaseId | undefined {
    const editor = vscode.window.activeNotebookEditor;
    if (editor?.notebook !== nb) return undefined;
    return phaseAt(metadataOf(nb), editor.selection.start);
  }

  /** The phase the running timer counts (sub-phases count within their parent). */
  currentPhase(nb: vscode.NotebookDocument): PhaseId | undefined {
    return this.session?.notebook === nb ? this.session.clock.status(Date.now())?.phase.id : undefined;
  }

  private showIdle(): void {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (!isOurs(nb)) return this.item.hide();
    this.item.text = `$(watch) ${vscode.l10n.t('Start interview')}`;
    this.item.tooltip = vscode.l10n.t(
      'Start the interview timer: it follows the phase of the cell you work in and warns when a phase runs over its budget.',
    );
    this.item.command = 'sdnb.startInterview';
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  refresh(): void {
    if (!this.session) return this.showIdle();
  }

  start(): void {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (!isOurs(nb)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a System Design notebook to start the interview timer.'));
      return;
    }
    this.stopTimerOnly();
    const clock = new InterviewClock(phaseBudgets(notebookMeta(nb)));
    clock.start(Date.now(), this.selectedPhase(nb) ?? 'intro');
    this.session = { notebook: nb, clock, interval: setInterval(() => this.tick(), 1000) };
    void vscode.commands.executeCommand('setContext', 'sdnb.interviewRunning', true);
    this.tick();
  }

  private tick(): void {
    const s = this.session;
    if (!s) return;
    const now = Date.now();
    s.clock.tick(now, this.selectedPhase(s.notebook));
    const status = s.clock.status(now);
    if (!status) return;
    const left = status.overrun
      ? vscode.l10n.t('over by {0}', formatClock(-status.leftMs))
      : vscode.l10n.t('{0} left', formatClock(status.leftMs));
    this.item.text = `$(watch) ${status.phase.short} ${left}`;
    this.item.tooltip = vscode.l10n.t(
      '{0}: {1} of {2}. Interview time {3}. Click to stop and record the timing in the notebook.',
      status.phase.title,
      formatClock(status.spentMs),
      formatClock(status.budgetMs),
      formatClock(status.totalMs),
    );
    this.item.backgroundColor = status.overrun ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = 'sdnb.stopInterview';
    this.item.show();
    if (s.clock.shouldWarn(now)) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('{0} is over its {1} budget. Time to move on?', status.phase.title, formatClock(status.budgetMs)),
      );
    }
    this.ticked.fire(`${status.phase.short} · ${left} · ${vscode.l10n.t('{0} in', formatClock(status.totalMs))}`);
    if (s.phase !== status.phase.id) {
      s.phase = status.phase.id;
      this.phaseChanged.fire();
    }
  }

  spentMs(nb: vscode.NotebookDocument, id: PhaseId): number | undefined {
    return this.session?.notebook === nb ? this.session.clock.spentMs(id) : undefined;
  }

  private stopTimerOnly(): InterviewClock | undefined {
    const s = this.session;
    if (!s) return undefined;
    clearInterval(s.interval);
    s.clock.tick(Date.now(), undefined);
    this.session = undefined;
    void vscode.commands.executeCommand('setContext', 'sdnb.interviewRunning', false);
    this.ticked.fire('');
    this.phaseChanged.fire();
    return s.clock;
  }

  /**
   * Stops the timer and records the time spent per phase as a markdown cell at the end, and says so
   * (with auto save on, as in VS Code for the Web, the file is saved soon after): Show goes to the
   * cell, Undo takes it out again.
   */
  async stop(): Promise<vscode.NotebookCell | undefined> {
    const nb = this.session?.notebook;
    const clock = this.stopTimerOnly();
    this.showIdle();
    if (!clock || !nb || nb.isClosed) return undefined;
    const text = clock.summary();
    const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, text, 'markdown');
    const edit = new vscode.WorkspaceEdit();
    const at = nb.cellCount;
    edit.set(nb.uri, [vscode.NotebookEdit.insertCells(at, [cell])]);
    if (!(await vscode.workspace.applyEdit(edit))) return undefined;
    const inserted = nb.cellAt(at);
    const show = vscode.l10n.t('Show');
    const undo = vscode.l10n.t('Undo');
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t('Interview timing recorded in a new cell at the end of {0}.', nb.uri.path.split('/').pop() ?? ''),
        show,
        undo,
      )
      .then(async (choice) => {
        if (choice === show) await revealCell(inserted);
        if (choice === undo && inserted.index >= 0 && inserted.document.getText() === text) {
          const removal = new vscode.WorkspaceEdit();
          removal.set(nb.uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(inserted.index, inserted.index + 1))]);
          await vscode.workspace.applyEdit(removal);
        }
      });
    return inserted;
  }

  dispose(): void {
    this.stopTimerOnly();
    this.item.dispose();
    this.ticked.dispose();
    this.phaseChanged.dispose();
  }
}

/** Registers the phase status bar items, the Design Phases view and the timer; `view` is exposed to the integration tier. */
export function registerPhases(): { view: PhasesView; disposables: vscode.Disposable[] } {
  const timer = new InterviewTimer();
  const view = new PhasesView(timer);
  const tree = vscode.window.createTreeView('sdnb.phases', { treeDataProvider: view });
  view.attach(tree);
  const disposables = [
    timer,
    view,
    tree,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, new PhaseStatusProvider()),
    vscode.window.onDidChangeActiveNotebookEditor(() => timer.refresh()),
    vscode.commands.registerCommand('sdnb.setPhase', setPhase),
    vscode.commands.registerCommand('sdnb.revealCell', revealCell),
    vscode.commands.registerCommand('sdnb.startInterview', () => timer.start()),
    vscode.commands.registerCommand('sdnb.stopInterview', () => timer.stop()),
  ];
  return { view, disposables };
}
