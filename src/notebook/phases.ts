// The interview framework in the editor: each cell's phase and budget in its status bar, a
// "Design Phases" view that groups cells by phase, and the interview timer in the status bar.
import * as vscode from 'vscode';
import { InterviewClock, formatClock, phaseAt } from '../interview/clock';
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
    const item = new vscode.NotebookCellStatusBarItem(`$(milestone) ${phase.title} · ${budget} min`, vscode.NotebookCellStatusBarAlignment.Right);
    item.tooltip = `${phase.title} (${budget} min${phase.parent ? `, within ${phaseById(phase.parent)!.title}` : ''})\n\n${phase.prompts.map((p) => `• ${p}`).join('\n')}\n\nClick to change the phase.`;
    item.command = { title: 'Set Phase', command: 'sdnb.setPhase', arguments: [cell] };
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
      ...PHASES.map((p) => ({ label: `${p.parent ? '    ' : ''}${p.title}`, description: `${p.minutes} min${p.id === current ? ' · current' : ''}`, id: p.id as PhaseId | '' })),
      { label: 'No phase', description: 'the cell belongs to the phase above it', id: '' as const },
    ],
    { title: 'Phase of this cell', placeHolder: 'Which stage of the design is this cell?' },
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

/** The "Design Phases" view: the framework's phases with their cells, budgets and time spent. */
export class PhasesView implements vscode.TreeDataProvider<PhaseNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly timer: InterviewTimer) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveNotebookEditor(() => this.changed.fire()),
      vscode.workspace.onDidChangeNotebookDocument((e) => e.notebook === vscode.window.activeNotebookEditor?.notebook && this.changed.fire()),
      timer.onDidTick(() => this.changed.fire()),
    ];
  }

  private cellsByPhase(): Map<PhaseId | undefined, vscode.NotebookCell[]> {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    const out = new Map<PhaseId | undefined, vscode.NotebookCell[]>();
    if (!isOurs(nb)) return out;
    const meta = metadataOf(nb);
    for (const cell of nb.getCells()) {
      const id = phaseAt(meta, cell.index);
      out.set(id, [...(out.get(id) ?? []), cell]);
    }
    return out;
  }

  getChildren(node?: PhaseNode): PhaseNode[] {
    if (!isOurs(vscode.window.activeNotebookEditor?.notebook)) return [];
    const groups = this.cellsByPhase();
    if (!node) return PHASES.map((p) => ({ kind: 'phase', id: p.id }));
    if (node.kind === 'phase') return (groups.get(node.id) ?? []).map((cell) => ({ kind: 'cell', cell }));
    return [];
  }

  getTreeItem(node: PhaseNode): vscode.TreeItem {
    if (node.kind === 'cell') {
      const text = node.cell.document.getText().split('\n').find((l) => l.trim() !== '') ?? '(empty)';
      const item = new vscode.TreeItem(text.replace(/^#+\s*/, '').slice(0, 80));
      item.description = node.cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : node.cell.document.languageId.replace('sdnb-', '');
      item.command = { title: 'Reveal', command: 'sdnb.revealCell', arguments: [node.cell] };
      return item;
    }
    const phase = phaseById(node.id)!;
    const nb = vscode.window.activeNotebookEditor!.notebook;
    const count = this.cellsByPhase().get(node.id)?.length ?? 0;
    const budget = phaseBudgets(notebookMeta(nb))[node.id];
    const item = new vscode.TreeItem(`${phase.parent ? '· ' : ''}${phase.title}`, count ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    const spent = this.timer.spentMs(nb, node.id);
    item.description = `${budget} min${spent !== undefined && !phase.parent ? ` · spent ${formatClock(spent)}` : ''}${count ? '' : ' · missing'}`;
    item.tooltip = new vscode.MarkdownString(phase.prompts.map((p) => `- ${p}`).join('\n'));
    item.iconPath = new vscode.ThemeIcon(count ? 'milestone' : 'circle-large-outline');
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
  private session: { notebook: vscode.NotebookDocument; clock: InterviewClock; interval: ReturnType<typeof setInterval> } | undefined;
  private readonly ticked = new vscode.EventEmitter<void>();
  readonly onDidTick = this.ticked.event;

  constructor() {
    this.item.name = 'Interview timer';
    this.showIdle();
  }

  private currentPhase(nb: vscode.NotebookDocument): PhaseId | undefined {
    const editor = vscode.window.activeNotebookEditor;
    if (editor?.notebook !== nb) return undefined;
    return phaseAt(metadataOf(nb), editor.selection.start);
  }

  private showIdle(): void {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (!isOurs(nb)) return this.item.hide();
    this.item.text = '$(watch) Start interview';
    this.item.tooltip = 'Start the interview timer: it follows the phase of the cell you work in and warns when a phase runs over its budget.';
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
      void vscode.window.showInformationMessage('Open a System Design notebook to start the interview timer.');
      return;
    }
    this.stopTimerOnly();
    const clock = new InterviewClock(phaseBudgets(notebookMeta(nb)));
    clock.start(Date.now(), this.currentPhase(nb) ?? 'intro');
    this.session = { notebook: nb, clock, interval: setInterval(() => this.tick(), 1000) };
    void vscode.commands.executeCommand('setContext', 'sdnb.interviewRunning', true);
    this.tick();
  }

  private tick(): void {
    const s = this.session;
    if (!s) return;
    const now = Date.now();
    s.clock.tick(now, this.currentPhase(s.notebook));
    const status = s.clock.status(now);
    if (!status) return;
    this.item.text = `$(watch) ${status.phase.title.split(' ')[0]} ${status.overrun ? 'over by ' + formatClock(-status.leftMs) : formatClock(status.leftMs) + ' left'}`;
    this.item.tooltip = `${status.phase.title}: ${formatClock(status.spentMs)} of ${formatClock(status.budgetMs)}. Interview time ${formatClock(status.totalMs)}. Click to stop and record the timing in the notebook.`;
    this.item.backgroundColor = status.overrun ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = 'sdnb.stopInterview';
    this.item.show();
    if (s.clock.shouldWarn(now)) {
      void vscode.window.showWarningMessage(`${status.phase.title} is over its ${formatClock(status.budgetMs)} budget. Time to move on?`);
    }
    this.ticked.fire();
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
    return s.clock;
  }

  /** Stops the timer and records the time spent per phase as a markdown cell at the end. */
  async stop(): Promise<void> {
    const nb = this.session?.notebook;
    const clock = this.stopTimerOnly();
    this.showIdle();
    if (!clock || !nb || nb.isClosed) return;
    const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, clock.summary(), 'markdown');
    const edit = new vscode.WorkspaceEdit();
    edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [cell])]);
    await vscode.workspace.applyEdit(edit);
  }

  dispose(): void {
    this.stopTimerOnly();
    this.item.dispose();
    this.ticked.dispose();
  }
}

export function registerPhases(): vscode.Disposable[] {
  const timer = new InterviewTimer();
  const view = new PhasesView(timer);
  return [
    timer,
    view,
    vscode.window.registerTreeDataProvider('sdnb.phases', view),
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, new PhaseStatusProvider()),
    vscode.window.onDidChangeActiveNotebookEditor(() => timer.refresh()),
    vscode.commands.registerCommand('sdnb.setPhase', setPhase),
    vscode.commands.registerCommand('sdnb.revealCell', revealCell),
    vscode.commands.registerCommand('sdnb.startInterview', () => timer.start()),
    vscode.commands.registerCommand('sdnb.stopInterview', () => timer.stop()),
  ];
}
