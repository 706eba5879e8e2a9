// The "System Design" notebook controller: runs every cell language through the kernel worker.
// After a run, cells that read a value that has since changed are dependents of what ran: estimate
// cells run again (a spreadsheet; `sdnb.runDependents` turns it off) and model cells are marked stale.
import * as vscode from 'vscode';
import { fingerprint } from '../analysis/analysis';
import { CODE_LANGUAGE_IDS } from '../format/languages';
import { errorOutput } from '../kernels/output';
import { CellOutput, DEFAULT_BUDGET, RunBudget } from '../kernels/types';
import { CellRun, plainCells, seedOf } from '../runtime/session';
import type { KernelRunner } from '../runtime/runner';
import { NotebookAnalyses, notebookData, notebookMeta } from './analyses';
import { NOTEBOOK_TYPE } from './serializer';

export function budgetFromConfig(): RunBudget {
  const cfg = vscode.workspace.getConfiguration('sdnb');
  return {
    maxEvents: cfg.get<number>('simulation.maxEvents', DEFAULT_BUDGET.maxEvents),
    maxWallMs: cfg.get<number>('simulation.maxWallSeconds', DEFAULT_BUDGET.maxWallMs / 1000) * 1000,
  };
}

export function toVsOutput(o: CellOutput): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(
    Object.entries(o.items).map(([mime, data]) =>
      typeof data === 'string' ? vscode.NotebookCellOutputItem.text(data, mime) : vscode.NotebookCellOutputItem.json(data, mime),
    ),
  );
}

export class SystemDesignController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private order = new WeakMap<vscode.NotebookDocument, number>();
  /** What each cell saw of the names it read when it last ran. */
  private readonly ranWith = new WeakMap<vscode.TextDocument, Record<string, string>>();
  private readonly running = new Map<vscode.NotebookDocument, () => void>();
  private readonly staleChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeStale = this.staleChanged.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly worker: KernelRunner,
    private readonly analyses: NotebookAnalyses,
  ) {
    this.controller = vscode.notebooks.createNotebookController('sdnb-controller', NOTEBOOK_TYPE, 'System Design');
    this.controller.supportedLanguages = CODE_LANGUAGE_IDS;
    this.controller.supportsExecutionOrder = true;
    this.controller.description = vscode.l10n.t('Estimates, diagrams, API gateway and Kafka models');
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    this.controller.interruptHandler = (notebook) => this.running.get(notebook)?.();
    this.subscriptions = [analyses.onDidChange(() => this.staleChanged.fire()), this.staleChanged];
  }

  /** Names whose value changed since the cell last ran. */
  changedReads(cell: vscode.NotebookCell): string[] {
    const seen = this.ranWith.get(cell.document);
    if (!seen) return [];
    const analysis = this.analyses.get(cell.notebook);
    return Object.keys(seen).filter((name) => fingerprint(analysis.lookup(name, cell.index)) !== seen[name]);
  }

  isStale(cell: vscode.NotebookCell): boolean {
    return this.changedReads(cell).length > 0;
  }

  async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    await this.runBatch(
      cells.filter((c) => c.kind === vscode.NotebookCellKind.Code),
      notebook,
    );
    if (vscode.workspace.getConfiguration('sdnb').get<boolean>('runDependents', true)) await this.rerunOutdatedEstimates(notebook);
    this.staleChanged.fire();
  }

  private async runBatch(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    if (cells.length === 0) return;
    const executions = new Map<number, vscode.NotebookCellExecution>();
    for (const cell of cells) executions.set(cell.index, this.controller.createNotebookCellExecution(cell));
    const meta = notebookMeta(notebook);
    const stopOnFirstFailure = vscode.workspace.getConfiguration('sdnb').get<boolean>('stopOnFirstFailure', false);
    const started = new Set<number>();
    const { done, stop } = this.worker.run(
      {
        cells: plainCells(notebookData(notebook).cells),
        run: cells.map((c) => c.index),
        seed: seedOf(meta),
        notebook: meta,
        budget: budgetFromConfig(),
        stopOnFirstFailure,
        results: this.analyses.get(notebook).resultsByIndex(),
      },
      {
        onStart: (index) => {
          const exec = executions.get(index);
          if (!exec) return;
          started.add(index);
          const order = (this.order.get(notebook) ?? 0) + 1;
          this.order.set(notebook, order);
          exec.executionOrder = order;
          exec.start(Date.now());
          void exec.clearOutput();
        },
        onEnd: (run: CellRun) => {
          const exec = executions.get(run.index);
          if (!exec) return;
          void exec.replaceOutput(run.outputs.map(toVsOutput));
          exec.end(run.ok, Date.now());
          executions.delete(run.index);
          this.ranWith.set(exec.cell.document, run.inputs);
          if (run.definitions.length && !this.analyses.get(notebook).cell(run.index)?.kernel?.spec.definesNames)
            this.analyses.setResults(exec.cell, run.definitions);
        },
      },
    );
    this.running.set(notebook, stop);
    for (const exec of executions.values()) exec.token.onCancellationRequested(stop);
    const { outcome, message } = await done;
    if (this.running.get(notebook) === stop) this.running.delete(notebook);
    for (const [index, exec] of executions) {
      // Cells the run did not reach: stopped, crashed, or skipped after a failure.
      if (!started.has(index)) {
        exec.end(undefined);
        continue;
      }
      const why =
        outcome === 'crashed'
          ? errorOutput('The kernel worker crashed', `${message ?? 'unknown error'}. The worker restarts on the next run.`)
          : errorOutput('Stopped', 'The run was stopped before this cell finished. Run the cell again to see its results.');
      void exec.replaceOutput([toVsOutput(why)]);
      exec.end(false, Date.now());
    }
  }

  /** Estimate cells that ran before and read a value that has since changed run again, so their tables are current. */
  private async rerunOutdatedEstimates(notebook: vscode.NotebookDocument): Promise<void> {
    const analysis = this.analyses.get(notebook);
    const outdated = notebook.getCells().filter((c) => analysis.cell(c.index)?.kernel?.spec.definesNames && this.isStale(c));
    await this.runBatch(outdated, notebook);
  }

  /** Runs a cell with the cells it depends on (`precedents`) or the cells that depend on it (`dependents`). */
  async runRelated(cell: vscode.NotebookCell, which: 'precedents' | 'dependents'): Promise<void> {
    const analysis = this.analyses.get(cell.notebook);
    const related = which === 'precedents' ? analysis.precedents(cell.index) : analysis.dependents(cell.index);
    const ranges = [...new Set([...related, cell.index])].sort((a, b) => a - b).map((i) => ({ start: i, end: i + 1 }));
    // Through the workbench, which runs them with the notebook's selected controller (ours).
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges, document: cell.notebook.uri });
  }

  dispose(): void {
    this.controller.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Shows "stale" on cells whose inputs changed since they last ran. */
export class StaleStatusProvider implements vscode.NotebookCellStatusBarItemProvider {
  readonly onDidChangeCellStatusBarItems: vscode.Event<void>;
  constructor(private readonly controller: SystemDesignController) {
    this.onDidChangeCellStatusBarItems = controller.onDidChangeStale;
  }
  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    const changed = this.controller.changedReads(cell);
    if (!changed.length) return [];
    const item = new vscode.NotebookCellStatusBarItem(`$(warning) ${vscode.l10n.t('stale')}`, vscode.NotebookCellStatusBarAlignment.Left);
    item.tooltip = vscode.l10n.t('A name this cell reads changed since it ran ({0}). Run the cell again.', changed.join(', '));
    item.command = 'notebook.cell.execute';
    return [item];
  }
}
