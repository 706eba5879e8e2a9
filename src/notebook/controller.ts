// The "System Design" notebook controller: runs every cell language through the kernel worker.
import * as vscode from 'vscode';
import { CODE_LANGUAGE_IDS } from '../format/languages';
import { frontMatterOf } from '../format/sdnb';
import { CellOutput, RunBudget } from '../kernels/types';
import { CellInput, CellRun, ESTIMATE, seedOf } from '../runtime/session';
import { KernelWorker } from '../runtime/workerClient';
import { errorOutput } from '../kernels/output';
import { NOTEBOOK_TYPE } from './serializer';

export function cellInputs(notebook: vscode.NotebookDocument): CellInput[] {
  return notebook.getCells().map((c) => ({
    index: c.index,
    language: c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : c.document.languageId,
    source: c.document.getText(),
  }));
}

export function notebookMeta(notebook: vscode.NotebookDocument): Record<string, unknown> {
  const fm = notebook.metadata?.frontMatter;
  return typeof fm === 'string' ? frontMatterOf({ cells: [], metadata: { frontMatter: fm } }) : {};
}

export function budgetFromConfig(): RunBudget {
  const cfg = vscode.workspace.getConfiguration('sdnb');
  return {
    maxEvents: cfg.get<number>('simulation.maxEvents', 20_000_000),
    maxWallMs: cfg.get<number>('simulation.maxWallSeconds', 30) * 1000,
  };
}

export function toVsOutput(o: CellOutput): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(
    Object.entries(o.items).map(([mime, data]) =>
      typeof data === 'string' ? vscode.NotebookCellOutputItem.text(data, mime) : vscode.NotebookCellOutputItem.json(data, mime),
    ),
  );
}

/** Each estimate name's latest value, and the values each cell read when it last ran. */
interface NotebookState {
  order: number;
  values: Map<string, string>;
  /** Name -> value as each cell saw it in its last run. */
  seen: WeakMap<vscode.NotebookCell, Map<string, string | undefined>>;
  stale: WeakSet<vscode.NotebookCell>;
}

export class SystemDesignController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly states = new WeakMap<vscode.NotebookDocument, NotebookState>();
  private readonly running = new Map<vscode.NotebookDocument, () => void>();
  private readonly staleChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeStale = this.staleChanged.event;

  constructor(private readonly worker: KernelWorker) {
    this.controller = vscode.notebooks.createNotebookController('sdnb-controller', NOTEBOOK_TYPE, 'System Design');
    this.controller.supportedLanguages = CODE_LANGUAGE_IDS;
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Estimates, diagrams, API gateway and Kafka models';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    this.controller.interruptHandler = (notebook) => this.running.get(notebook)?.();
  }

  private state(nb: vscode.NotebookDocument): NotebookState {
    let s = this.states.get(nb);
    if (!s) this.states.set(nb, (s = { order: 0, values: new Map(), seen: new WeakMap(), stale: new WeakSet() }));
    return s;
  }

  isStale(cell: vscode.NotebookCell): boolean {
    return this.states.get(cell.notebook)?.stale.has(cell) ?? false;
  }

  /** Names whose value changed since the cell last ran. */
  changedReads(cell: vscode.NotebookCell): string[] {
    const state = this.states.get(cell.notebook);
    const seen = state?.seen.get(cell);
    if (!state || !seen) return [];
    return [...seen].filter(([name, value]) => state.values.get(name) !== value).map(([name]) => name);
  }

  async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    await this.runBatch(cells.filter((c) => c.kind === vscode.NotebookCellKind.Code), notebook);
    await this.propagate(notebook);
  }

  private async runBatch(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const state = this.state(notebook);
    if (cells.length === 0) return;
    const executions = new Map<number, vscode.NotebookCellExecution>();
    for (const cell of cells) executions.set(cell.index, this.controller.createNotebookCellExecution(cell));
    const meta = notebookMeta(notebook);
    const stopOnFirstFailure = vscode.workspace.getConfiguration('sdnb').get<boolean>('stopOnFirstFailure', false);
    const started = new Set<number>();
    const { done, stop } = this.worker.run(
      {
        cells: cellInputs(notebook),
        run: cells.map((c) => c.index),
        seed: seedOf(meta),
        notebook: meta,
        budget: budgetFromConfig(),
        stopOnFirstFailure,
      },
      {
        onStart: (index) => {
          const exec = executions.get(index);
          if (!exec) return;
          started.add(index);
          exec.executionOrder = ++state.order;
          exec.start(Date.now());
          void exec.clearOutput();
        },
        onEnd: (run: CellRun) => {
          const exec = executions.get(run.index);
          if (!exec) return;
          void exec.replaceOutput(run.outputs.map(toVsOutput));
          exec.end(run.ok, Date.now());
          executions.delete(run.index);
          const cell = exec.cell;
          // Cells end in notebook order, so the values this cell read are the current ones.
          state.seen.set(cell, new Map(run.reads.map((n) => [n, state.values.get(n)])));
          if (state.stale.delete(cell)) this.staleChanged.fire();
          for (const d of run.definitions) state.values.set(d.name, `${d.quantity.value}|${JSON.stringify(d.quantity.dims)}`);
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

  /**
   * Spreadsheet behaviour: estimate cells that read a value that has since changed run again (and
   * so on down); model cells that did are marked stale until they run again.
   */
  private async propagate(notebook: vscode.NotebookDocument): Promise<void> {
    const state = this.state(notebook);
    for (let guard = 0; guard < 100; guard++) {
      const outdated = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && this.changedReads(c).length > 0);
      let marked = false;
      for (const c of outdated) {
        if (c.document.languageId !== ESTIMATE && !state.stale.has(c)) {
          state.stale.add(c);
          marked = true;
        }
      }
      if (marked) this.staleChanged.fire();
      const estimates = outdated.filter((c) => c.document.languageId === ESTIMATE);
      if (!estimates.length) return;
      await this.runBatch(estimates, notebook);
    }
  }

  dispose(): void {
    this.controller.dispose();
    this.staleChanged.dispose();
  }
}

/** Shows "stale" on model cells whose estimate inputs changed since they last ran. */
export class StaleStatusProvider implements vscode.NotebookCellStatusBarItemProvider {
  readonly onDidChangeCellStatusBarItems: vscode.Event<void>;
  constructor(private readonly controller: SystemDesignController) {
    this.onDidChangeCellStatusBarItems = controller.onDidChangeStale;
  }
  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    if (!this.controller.isStale(cell)) return [];
    const item = new vscode.NotebookCellStatusBarItem('$(warning) stale', vscode.NotebookCellStatusBarAlignment.Left);
    item.tooltip = `An estimate this cell reads changed since it ran (${this.controller.changedReads(cell).join(', ')}). Run the cell again.`;
    item.command = 'notebook.cell.execute';
    return [item];
  }
}
