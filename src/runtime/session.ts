// Runs a notebook's cells through their kernels. Pure: the controller (in a worker thread), the CLI
// and the tests drive it the same way.
//
// Estimate names flow downwards like a spreadsheet: the scope a cell sees is rebuilt from the
// estimate cells above it every run, so there is no hidden state and the same notebook always gives
// the same outputs.
import { notebookSeed } from '../format/frontMatter';
import { errorOutput } from '../kernels/output';
import { kernelFor } from '../kernels/registry';
import { MapScope } from '../kernels/scope';

export { MapScope };
import { CellOutput, Definition, Diagnostic, ExecContext, RunBudget, Scope } from '../kernels/types';

export interface CellInput {
  index: number;
  language: string;
  source: string;
}

export interface CellRun {
  index: number;
  ok: boolean;
  outputs: CellOutput[];
  durationMs: number;
  /** Estimate names this cell read. */
  reads: string[];
  definitions: Definition[];
  cancelled?: boolean;
}

export interface RunOptions {
  seed: number;
  notebook: Record<string, unknown>;
  budget: RunBudget;
  isCancelled: () => boolean;
  stopOnFirstFailure?: boolean;
  /** Called as each cell starts; a cell's result goes to `onEnd`. */
  onStart?: (index: number) => void;
  onEnd?: (run: CellRun) => void;
}

export const ESTIMATE = 'sdnb-estimate';
export const MARKDOWN = 'markdown';

function missingKernel(language: string): CellOutput {
  return errorOutput(
    'No kernel for this cell language',
    `Cells of language \`${language}\` cannot run in System Design Notebook yet. ` +
      'Change the cell language to one of estimate, mermaid, gateway or kafka, or leave the cell as documentation.',
  );
}

function crashOutput(e: unknown): CellOutput {
  const err = e instanceof Error ? e : new Error(String(e));
  return errorOutput('The kernel failed', `${err.name}: ${err.message}. This is a bug in System Design Notebook; the rest of the notebook still runs.`);
}

/** Definitions an estimate cell makes, for the cells below it; failures define nothing. */
async function definitionsOf(cell: CellInput, scope: Scope, opts: RunOptions): Promise<Definition[]> {
  const run = await runOne(cell, scope, opts);
  return run.definitions;
}

async function runOne(cell: CellInput, scope: Scope, opts: RunOptions): Promise<CellRun> {
  const started = performance.now();
  const base = { index: cell.index, reads: [] as string[], definitions: [] as Definition[] };
  const kernel = kernelFor(cell.language);
  if (!kernel) return { ...base, ok: false, outputs: [missingKernel(cell.language)], durationMs: 0 };
  const ctx: ExecContext = {
    cellIndex: cell.index,
    scope,
    seed: opts.seed,
    budget: opts.budget,
    isCancelled: opts.isCancelled,
    notebook: opts.notebook,
  };
  try {
    const parsed = kernel.parse(cell.source, ctx);
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    if (parsed.parsed === undefined || errors.length > 0) {
      return {
        ...base,
        reads: parsed.reads ?? [],
        ok: false,
        outputs: [errorOutput('The cell has errors', 'Fix the problems below (also shown in the editor) and run the cell again.', errors.length ? errors : parsed.diagnostics)],
        durationMs: performance.now() - started,
      };
    }
    const result = await kernel.execute(parsed.parsed, ctx);
    return {
      index: cell.index,
      ok: result.ok,
      outputs: result.outputs,
      reads: result.reads ?? [],
      definitions: result.definitions ?? [],
      durationMs: performance.now() - started,
      cancelled: opts.isCancelled() || undefined,
    };
  } catch (e) {
    return { ...base, ok: false, outputs: [crashOutput(e)], durationMs: performance.now() - started };
  }
}

/**
 * Runs the cells whose indexes are in `toRun` (in notebook order). Estimate cells above a cell that
 * runs are evaluated (silently) so that their names are in scope.
 */
export async function runCells(cells: CellInput[], toRun: number[], opts: RunOptions): Promise<CellRun[]> {
  const wanted = new Set(toRun);
  const last = Math.max(-1, ...toRun);
  const scope = new MapScope();
  const results: CellRun[] = [];
  for (const cell of cells) {
    if (cell.index > last || opts.isCancelled()) break;
    if (cell.language === MARKDOWN) continue;
    if (!wanted.has(cell.index)) {
      if (cell.language === ESTIMATE) for (const d of await definitionsOf(cell, scope, opts)) scope.define(d);
      continue;
    }
    opts.onStart?.(cell.index);
    const run = await runOne(cell, scope, opts);
    for (const d of run.definitions) scope.define(d);
    results.push(run);
    opts.onEnd?.(run);
    if (!run.ok && opts.stopOnFirstFailure) break;
  }
  return results;
}

/** What a check learnt about estimate cells, so the next check can skip the cells that did not change. */
export type CheckState = Map<number, Definition[]>;

/**
 * Parses every cell (nothing runs but estimates, which only compute) and returns diagnostics per
 * cell. With `only`, just those cells are parsed; the others' estimate names come from `state`.
 */
export async function checkCells(
  cells: CellInput[],
  opts: Omit<RunOptions, 'onStart' | 'onEnd'>,
  state: CheckState = new Map(),
  only?: Set<number>,
): Promise<Map<number, Diagnostic[]>> {
  const scope = new MapScope();
  const out = new Map<number, Diagnostic[]>();
  for (const cell of cells) {
    if (cell.language === MARKDOWN) continue;
    if (only && !only.has(cell.index)) {
      for (const d of state.get(cell.index) ?? []) scope.define(d);
      continue;
    }
    const kernel = kernelFor(cell.language);
    if (!kernel) {
      out.set(cell.index, [{ range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } }, severity: 'warning', message: `no kernel runs \`${cell.language}\` cells` }]);
      continue;
    }
    const ctx: ExecContext = { ...opts, cellIndex: cell.index, scope };
    state.delete(cell.index);
    try {
      const parsed = kernel.parse(cell.source, ctx);
      out.set(cell.index, parsed.diagnostics);
      // Estimates only compute: run them so the names they define are in scope below.
      if (cell.language === ESTIMATE && parsed.parsed !== undefined && !parsed.diagnostics.some((d) => d.severity === 'error')) {
        const result = await kernel.execute(parsed.parsed, ctx);
        state.set(cell.index, result.definitions ?? []);
        for (const d of result.definitions ?? []) scope.define(d);
      }
    } catch (e) {
      out.set(cell.index, [{ range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } }, severity: 'error', message: `the ${cell.language} kernel failed to parse this cell: ${(e as Error).message}` }]);
    }
  }
  return out;
}

/** The notebook seed from front matter (`seed: 42`), or 1. */
export function seedOf(meta: Record<string, unknown>): number {
  return notebookSeed(meta);
}

/** The estimate names visible to cell `index`: those defined by estimate cells above it. */
export async function scopeBefore(cells: CellInput[], index: number, opts: Omit<RunOptions, 'onStart' | 'onEnd'>): Promise<MapScope> {
  const scope = new MapScope();
  for (const cell of cells) {
    if (cell.index >= index) break;
    if (cell.language === ESTIMATE) for (const d of await definitionsOf(cell, scope, opts)) scope.define(d);
  }
  return scope;
}
