// A model cell's execution, the same for every model kernel: the run, the named results it publishes
// and the checks that read them, and the what-if runs around it (the capacity search first, so the
// run and its names use the answer, then the sweep over the solved design). A kernel says how to
// read its cell and how to run its model; which runs to make and what they mean is decided here.
import { errorOutput } from '../output';
import { reportOutput, withRequirementVerdicts, type Block, type Report } from '../report';
import type {
  ClosedForm,
  Definition,
  Diagnostic,
  ExecContext,
  ExecResult,
  Kernel,
  ParseContext,
  PointRun,
  RunBudget,
  Verdict,
} from '../types';
import type { ModelParse } from './document';
import type { ObjectField } from './schema';
import { compileWhatIf, withParameter, type ParameterRef, type SolveSpec, type SweepSpec } from './sweep';
import { runPoints, shareBudget, solveCapacity, sweepBlocks, withWhatIf, type SolveResult } from './whatif';

/** A cell's what-if keys, with the source they are applied to. */
export interface WhatIf {
  source: string;
  sweep?: SweepSpec;
  solve?: SolveSpec;
}

/** A parsed cell's what-if keys (`sweep:`, `solve:`), with their diagnostics. */
export function whatIfOf(
  p: ModelParse,
  schema: ObjectField,
  source: string,
  ctx: ParseContext,
): { whatIf: WhatIf; diagnostics: Diagnostic[] } {
  const w = compileWhatIf(p, schema, ctx);
  return { whatIf: { source, sweep: w.sweep, solve: w.solve }, diagnostics: w.diagnostics };
}

export interface ParsedModelCell<M> {
  model: M;
  reads: string[];
  whatIf: WhatIf;
}

/** One run of a model, as a cell and its what-if points use it. */
export interface ModelRun {
  /** The named results it measured (none when the model has no name). */
  definitions: Definition[];
  /** Budget steps it spent. */
  steps: number;
  /** Why it stopped before its end (budget, Stop), when it did: its figures cover what ran. */
  stopped?: string;
  cancelled: boolean;
  report(): Report;
  /** The component closest to saturation, with a sentence that says why. */
  saturation(): PointRun['saturation'];
  /** Closed-form predictions of the checks' measured sides, where the model has one. */
  closedForm?(verdicts: readonly Verdict[]): ClosedForm | undefined;
}

/** What a kernel tells the shared execution about its model. */
export interface ModelKernel<M> {
  /** The report's MIME kind. */
  kind: string;
  /** The title of the error output when a run throws. */
  failure: string;
  parse: Kernel<ParsedModelCell<M>>['parse'];
  run(model: M, budget: RunBudget, ctx: ExecContext): ModelRun;
  /** A first guess at the value a solve looks for (the search starts there). */
  capacityGuess(model: M, param: ParameterRef): number | undefined;
}

/** The cell with the parameter at `si`, parsed, or why it cannot take that value. */
function cellAt<M>(k: ModelKernel<M>, source: string, param: ParameterRef, si: number, ctx: ParseContext): ParsedModelCell<M> | string {
  const p = k.parse(withParameter(source, param, si), ctx);
  const error = p.diagnostics.find((d) => d.severity === 'error');
  return p.parsed && !error ? p.parsed : (error?.message ?? `\`${param.label}\` cannot take that value`);
}

type SharedBudget = ReturnType<typeof shareBudget>;

/** Runs the cell at one value of a parameter and judges it. */
function runPoint<M>(k: ModelKernel<M>, source: string, param: ParameterRef, si: number, ctx: ExecContext, budget: SharedBudget): PointRun {
  const at = cellAt(k, source, param, si, ctx);
  if (typeof at === 'string') return { value: si, results: [], verdicts: [], invalid: at };
  const run = k.run(at.model, budget.left(), ctx);
  budget.spend(run.steps);
  const verdicts = ctx.judge?.(run.definitions) ?? [];
  return {
    value: si,
    results: run.definitions,
    verdicts,
    saturation: run.saturation(),
    closedForm: run.closedForm?.(verdicts),
    stopped: run.stopped,
    steps: run.steps,
  };
}

/** One point of the cell's sweep, run apart from the cell (a worker of the sweep pool); `solved` is the solve's answer. */
export function sweepPoint<M>(
  k: ModelKernel<M>,
  parsed: ParsedModelCell<M>,
  value: number,
  ctx: ExecContext,
  solved: number | undefined,
): PointRun {
  const { solve } = parsed.whatIf;
  const again = solve && solved !== undefined ? cellAt(k, parsed.whatIf.source, solve.parameter, solved, ctx) : undefined;
  const w = again && typeof again !== 'string' ? again.whatIf : parsed.whatIf;
  return runPoint(k, w.source, w.sweep!.parameter, value, ctx, shareBudget(ctx.budget));
}

export function executeModelCell<M>(k: ModelKernel<M>, parsed: ParsedModelCell<M>, ctx: ExecContext): ExecResult | Promise<ExecResult> {
  const fail = (e: unknown): ExecResult => ({
    ok: false,
    outputs: [errorOutput(k.failure, e instanceof Error ? e.message : String(e))],
    reads: parsed.reads,
  });
  try {
    const budget = shareBudget(ctx.budget);
    const run = (m: M): ModelRun => {
      const r = k.run(m, budget.left(), ctx);
      budget.spend(r.steps);
      return r;
    };
    const output = (r: ModelRun, solved?: SolveResult, sweep?: Block[]): ExecResult => {
      const judged = withRequirementVerdicts(r.report(), ctx.judge?.(r.definitions) ?? []);
      const report = withWhatIf(judged, solved && { sentence: solved.sentence, met: !!solved.answer }, sweep);
      return {
        ok: !r.cancelled && !ctx.isCancelled(),
        outputs: [reportOutput(k.kind, report)],
        reads: parsed.reads,
        definitions: r.definitions,
      };
    };
    const { sweep, solve } = parsed.whatIf;
    if (!sweep && !solve) return output(run(parsed.model));
    const pointAt = (w: WhatIf, param: ParameterRef) => (v: number) => runPoint(k, w.source, param, v, ctx, budget);
    return (async () => {
      let cell = parsed;
      const solved =
        solve &&
        (await solveCapacity(solve, k.capacityGuess(cell.model, solve.parameter), pointAt(cell.whatIf, solve.parameter), () =>
          ctx.isCancelled(),
        ));
      if (solve && solved?.answer) {
        // The run and the sweep use the solved design: the cell with the answer written in.
        const at = cellAt(k, cell.whatIf.source, solve.parameter, solved.answer.value, ctx);
        if (typeof at !== 'string') cell = at;
      }
      // The cell's own run before the sweep: a sweep that uses up the budget cuts its points short, not the run.
      const main = run(cell.model);
      const w = cell.whatIf;
      const points =
        sweep &&
        w.sweep &&
        (ctx.runSweep
          ? await ctx.runSweep(w.sweep.values, solved?.answer?.value, budget.left())
          : await runPoints(w.sweep.values, pointAt(w, w.sweep.parameter), () => ctx.isCancelled()));
      for (const p of ctx.runSweep ? (points ?? []) : []) budget.spend(p.steps ?? 0);
      return output(main, solved, w.sweep && points ? sweepBlocks(w.sweep, points, w.sweep.values.length) : undefined);
    })().catch(fail);
  } catch (e) {
    return fail(e);
  }
}
