// Runs a notebook's cells through their kernels. Pure: the controller (in a worker thread), the CLI
// and the tests drive it the same way.
//
// Names flow downwards like a spreadsheet. What each cell sees comes from the notebook analysis
// (src/analysis), which evaluates the estimate cells above a cell, so there is no hidden state and
// the same notebook always gives the same outputs.
import { AnalysisCell, CellAnalysis, NotebookAnalysis, inputsOf } from '../analysis/analysis';
import { notebookSeed } from '../format/frontMatter';
import { errorOutput } from '../kernels/output';
import { CellOutput, Definition, Diagnostic, ExecContext, PointRun, RunBudget } from '../kernels/types';

export interface CellRun {
  index: number;
  ok: boolean;
  outputs: CellOutput[];
  durationMs: number;
  /** Names this cell read. */
  reads: string[];
  /** What the cell saw of each name it read (see `fingerprint`), to tell later whether it is stale. */
  inputs: Record<string, string>;
  definitions: Definition[];
  cancelled?: boolean;
}

export interface RunOptions {
  seed: number;
  notebook: Record<string, unknown>;
  budget: RunBudget;
  isCancelled: () => boolean;
  stopOnFirstFailure?: boolean;
  /** Results of earlier runs of model cells that are not run now (the host keeps them), by index. */
  results?: { index: number; definitions: Definition[] }[];
  /** Runs a cell's sweep points on other threads (a runtime with cores to spare); absent, kernels run them. */
  sweepPoints?: (job: SweepJob, values: number[], isCancelled: () => boolean) => Promise<PointRun[]>;
  /** Called as each cell starts; a cell's result goes to `onEnd`. */
  onStart?: (index: number) => void;
  onEnd?: (run: CellRun) => void;
}

function missingKernel(language: string): CellOutput {
  return errorOutput(
    'No kernel for this cell language',
    `Cells of language \`${language}\` cannot run in System Design Notebook yet. ` +
      'Change the cell language to one of estimate, mermaid, gateway or kafka, or leave the cell as documentation.',
  );
}

function crashOutput(e: unknown): CellOutput {
  const err = e instanceof Error ? e : new Error(String(e));
  return errorOutput(
    'The kernel failed',
    `${err.name}: ${err.message}. This is a bug in System Design Notebook; the rest of the notebook still runs.`,
  );
}

/** What another thread needs to run points of one cell's sweep: the notebook as the cell sees it. */
export interface SweepJob {
  cells: AnalysisCell[];
  results: { index: number; definitions: Definition[] }[];
  index: number;
  solved: number | undefined;
  seed: number;
  notebook: Record<string, unknown>;
  budget: RunBudget;
}

/** Runs one point of a sweep job, on whichever thread: the notebook analysed afresh, the cell's kernel asked for the point. */
export function servePoint(job: SweepJob, value: number, isCancelled: () => boolean): PointRun {
  const analysis = new NotebookAnalysis();
  for (const r of job.results) if (job.cells[r.index]) analysis.setResults(r.index, r.definitions, job.cells[r.index].source);
  analysis.update(job.cells);
  const cell = analysis.cell(job.index);
  if (!cell?.kernel?.sweepPoint || cell.parse?.parsed === undefined)
    return { value, results: [], verdicts: [], invalid: 'the cell cannot be run' };
  const ctx: ExecContext = {
    cellIndex: job.index,
    scope: cell.scope,
    seed: job.seed,
    budget: job.budget,
    isCancelled,
    notebook: job.notebook,
    judge: (results) => analysis.judgeResults(job.cells, job.index, results),
  };
  return cell.kernel.sweepPoint(cell.parse.parsed, value, ctx, job.solved);
}

/** Runs one analysed cell; `judge` judges the requirement checks that depend on what it measures. */
export async function runAnalysed(
  cell: CellAnalysis,
  opts: RunOptions,
  judge?: ExecContext['judge'],
  runSweep?: ExecContext['runSweep'],
): Promise<CellRun> {
  const started = performance.now();
  const base = { index: cell.index, reads: [...cell.reads], inputs: inputsOf(cell), definitions: [] as Definition[] };
  const { kernel, parse } = cell;
  if (!kernel) return { ...base, ok: false, outputs: [missingKernel(cell.language)], durationMs: 0 };
  const failed = (outputs: CellOutput[]) => ({ ...base, ok: false, outputs, durationMs: performance.now() - started });
  const errors = cell.diagnostics.filter((d) => d.severity === 'error');
  if (!parse) return failed([errorOutput('The kernel failed', errors[0]?.message ?? 'the cell could not be parsed')]);
  if (parse.pending !== undefined && errors.length === 0)
    return failed([errorOutput('Not run yet', `${parse.pending}. Run that cell first; Run All runs the notebook in order.`)]);
  // A cell that defines names (an estimate) still runs with errors: it evaluates the lines that do not depend on them.
  if (parse.parsed === undefined || (errors.length > 0 && !kernel.spec.definesNames)) {
    return failed([
      errorOutput(
        'The cell has errors',
        'Fix the problems below (also shown in the editor) and run the cell again.',
        errors.length ? errors : (cell.diagnostics as Diagnostic[]),
      ),
    ]);
  }
  const ctx: ExecContext = {
    cellIndex: cell.index,
    scope: cell.scope,
    seed: opts.seed,
    budget: opts.budget,
    isCancelled: opts.isCancelled,
    notebook: opts.notebook,
    judge,
    runSweep,
  };
  try {
    const result = await kernel.execute(parse.parsed, ctx);
    const reads = result.reads ?? base.reads;
    return {
      ...base,
      reads,
      inputs: inputsOf(cell, reads),
      ok: result.ok,
      outputs: result.outputs,
      definitions: result.definitions ?? [],
      durationMs: performance.now() - started,
      cancelled: opts.isCancelled() || undefined,
    };
  } catch (e) {
    return failed([crashOutput(e)]);
  }
}

/**
 * Runs the cells whose indexes are in `toRun`, in notebook order. The cells above a cell that runs
 * are analysed (estimates evaluated) so their names are in scope; nothing else runs.
 */
export async function runCells(
  cells: readonly AnalysisCell[],
  toRun: number[],
  opts: RunOptions,
  analysis = new NotebookAnalysis(),
): Promise<CellRun[]> {
  const versionOf = (i: number) => cells[i].version ?? cells[i].source;
  for (const r of opts.results ?? [])
    if (cells[r.index]) analysis.setResults(cells[r.index].key ?? r.index, r.definitions, versionOf(r.index));
  analysis.update(cells);
  const runs: CellRun[] = [];
  for (const index of [...new Set(toRun)].sort((a, b) => a - b)) {
    const cell = analysis.cell(index);
    if (opts.isCancelled()) break;
    if (!cell || cell.kind === 'markdown') continue;
    opts.onStart?.(index);
    const sweepPoints = opts.sweepPoints;
    const runSweep: ExecContext['runSweep'] = sweepPoints
      ? (values, solved, budget) =>
          sweepPoints(
            {
              cells: plainCells(cells),
              results: analysis.resultsByIndex(),
              index,
              solved,
              seed: opts.seed,
              notebook: opts.notebook,
              budget,
            },
            values,
            opts.isCancelled,
          )
      : undefined;
    const run = await runAnalysed(cell, opts, (results) => analysis.judgeResults(cells, index, results), runSweep);
    // A model publishes what it measured: the cells below read it from here on.
    if (cell.kernel && !cell.kernel.spec.definesNames && run.definitions.length) {
      analysis.setResults(cell.key, run.definitions, versionOf(index)).update(cells);
    }
    runs.push(run);
    opts.onEnd?.(run);
    if (!run.ok && opts.stopOnFirstFailure) break;
  }
  return runs;
}

/** The cells as plain data (for a worker message: no keys, getters or metadata). */
export function plainCells(cells: readonly AnalysisCell[]): AnalysisCell[] {
  return cells.map((c) => ({ kind: c.kind, language: c.language, source: c.source }));
}

/** Diagnostics per code cell, nothing run (estimates only compute). */
export function checkCells(cells: readonly AnalysisCell[], analysis = new NotebookAnalysis()): Map<number, Diagnostic[]> {
  analysis.update(cells);
  const out = new Map<number, Diagnostic[]>();
  for (const c of analysis.cells) if (c.kind === 'code') out.set(c.index, [...c.diagnostics]);
  return out;
}

/** The notebook seed from front matter (`seed: 42`), or 1. */
export function seedOf(meta: Record<string, unknown>): number {
  return notebookSeed(meta);
}
