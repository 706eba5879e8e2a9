// The API gateway kernel: a YAML cell (routes, services, clients, traffic, faults) simulated as a
// discrete-event model in virtual time. Pure: no vscode, no I/O.
import { ExecResult, Kernel, ParseContext, Position } from '../types';
import { errorOutput } from '../output';
import { Block, reportOutput, withRequirementVerdicts } from '../report';
import { completeModel, declaredResults, hoverModel, measuredResults, parseModel, runPoints, shareBudget, solveCapacity, sweepBlocks, withParameter, withWhatIf, type ParameterRef, type SolveResult } from '../model';
import { capacityGuess, gatewayPoint, gatewayWhatIf, modelAt, type WhatIf } from './whatif';
import { hashLabel, mixSeed } from '../sim/random';
import { RunOutcome } from '../sim/environment';
import { Budget } from '../sim/budget';
import { Zipf } from '../sim/random';
import { GatewayModel, compileModel } from './config';
import { gatewaySchema } from './schema';
import { gatewaySpec } from './spec';
import { GatewaySim, GatewayStats } from './simulator';
import { RepSummary, buildReport, mergeStats, summarise } from './report';
import { gatewayFigures, gatewayResultSpecs, gatewayResultValues } from './results';

export interface GatewayParsed {
  model: GatewayModel;
  reads: string[];
  whatIf: WhatIf;
}

export interface GatewayRun {
  seed: number;
  total: GatewayStats;
  reps: RepSummary[];
  /** Each replication's own statistics, when asked for (they are merged into `total` as they finish). */
  perRep: GatewayStats[];
  /** Each replication's published figures (`gatewayFigures`), for the intervals of named results. */
  repFigures: Map<string, number>[];
  outcomes: RunOutcome[];
}

/** The seed a cell runs with (the shared mixer; kept under its old name). */
export const cellSeed = mixSeed;

/** Requests of a small run listed in its trace when the cell does not say (`trace:`). */
export const AUTO_TRACE = 50;

export interface GatewayRunOptions {
  isCancelled?: () => boolean;
  /** Keep each replication's statistics in `perRep` (tests; a run otherwise keeps only the merged total). */
  keepReplications?: boolean;
}

/**
 * Runs the replications on one budget: setup (the key table once, each replication's instances, ring
 * and caches) and events spend from it, and a replication that would start on a spent budget does not
 * start: the last one that ran carries the reason.
 */
export function runGateway(model: GatewayModel, seed: number, limits: { maxEvents: number; maxWallMs: number }, options: GatewayRunOptions | (() => boolean) = {}): GatewayRun {
  const opts = typeof options === 'function' ? { isCancelled: options } : options;
  const budget = new Budget({ ...limits, isCancelled: opts.isCancelled });
  budget.spend(model.keyCount);
  const zipf = Zipf.of(model.keyCount, model.zipf);
  const setup = GatewaySim.setupSteps(model);
  const total = new GatewayStats(model);
  const perRep: GatewayStats[] = [];
  const reps: RepSummary[] = [];
  const outcomes: RunOutcome[] = [];
  const repFigures: Map<string, number>[] = [];
  for (let r = 0; r < model.replications; r++) {
    if (!budget.spend(setup) && r > 0) {
      outcomes[r - 1] = { ...outcomes[r - 1], reason: budget.reason!, stoppedEarly: true, steps: budget.steps, ...(budget.detail ? { detail: budget.detail } : {}) };
      break;
    }
    const sim = new GatewaySim(model, hashLabel(`replication:${r}`, seed), budget, zipf, r === 0 ? model.trace ?? AUTO_TRACE : 0);
    const { stats, outcome } = sim.run();
    mergeStats(total, stats);
    reps.push(summarise(stats, model.percentiles));
    repFigures.push(gatewayFigures(model, stats));
    if (opts.keepReplications) perRep.push(stats);
    outcomes.push(outcome);
    if (outcome.stoppedEarly) break;
  }
  return { seed, total, reps, perRep, repFigures, outcomes };
}

export const gatewayKernel: Kernel<GatewayParsed> = {
  spec: gatewaySpec,

  parse(source: string, ctx: ParseContext) {
    const p = parseModel(source, gatewaySchema, ctx);
    const shared = { reads: p.reads, uses: p.uses, syntax: p, pending: p.pending };
    if (!p.value) return { parsed: undefined, diagnostics: p.diagnostics, ...shared };
    const c = compileModel(p);
    const w = gatewayWhatIf(p, source, ctx);
    const diagnostics = [...p.diagnostics, ...c.diagnostics, ...w.diagnostics];
    return { parsed: c.model && !w.diagnostics.length ? { model: c.model, reads: p.reads, whatIf: w.whatIf } : undefined, diagnostics, ...shared };
  },

  define({ model: m }, ctx) {
    return { definitions: m.name ? declaredResults(m.name, gatewayResultSpecs(m), ctx.cellIndex, m.nameRange!) : [] };
  },

  sweepPoint(parsed, value, ctx, solved) {
    // The solved design, when the cell solves: the sweep varies it.
    const { solve } = parsed.whatIf;
    const again = solve && solved !== undefined ? gatewayKernel.parse(withParameter(parsed.whatIf.source, solve.parameter, solved), ctx).parsed : undefined;
    const w = again?.whatIf ?? parsed.whatIf;
    return gatewayPoint(w, w.sweep!.parameter, value, cellSeed(ctx.seed, parsed.model.seed), ctx, shareBudget(ctx.budget));
  },

  execute(parsed, ctx) {
    const fail = (e: unknown) => ({ ok: false, outputs: [errorOutput('Gateway simulation failed', e instanceof Error ? e.message : String(e))], reads: parsed.reads });
    try {
      const seed = cellSeed(ctx.seed, parsed.model.seed);
      const budget = shareBudget(ctx.budget);
      const finish = (m: GatewayModel, solved?: SolveResult, sweep?: Block[]): ExecResult => {
        const run = runGateway(m, seed, budget.left(), () => ctx.isCancelled());
        budget.spend(run.outcomes.reduce((a, o) => Math.max(a, o.steps), 0));
        const definitions = m.name ? measuredResults(m.name, gatewayResultSpecs(m), gatewayResultValues(m, run), ctx.cellIndex, m.nameRange!) : [];
        const judged = withRequirementVerdicts(buildReport(m, run.total, run.reps, run.outcomes, seed, m.replications), ctx.judge?.(definitions) ?? []);
        const report = withWhatIf(judged, solved && { sentence: solved.sentence, met: !!solved.answer }, sweep);
        const cancelled = ctx.isCancelled() || run.outcomes.some((o) => o.reason === 'cancelled');
        return { ok: !cancelled, outputs: [reportOutput('gateway', report)], reads: parsed.reads, definitions };
      };
      const { sweep, solve } = parsed.whatIf;
      if (!sweep && !solve) return finish(parsed.model);
      // What-if runs: solving first (the run that follows, and the names it publishes, use the answer), the sweep after.
      const pointAt = (w: WhatIf, param: ParameterRef) => (v: number) => gatewayPoint(w, param, v, seed, ctx, budget);
      return (async () => {
        let m = parsed.model;
        let w = parsed.whatIf;
        const solved = solve && (await solveCapacity(solve, capacityGuess(m, solve.parameter), pointAt(w, solve.parameter), () => ctx.isCancelled()));
        if (solve && solved?.answer) {
          const at = modelAt(w, solve.parameter, solved.answer.value, ctx);
          if (typeof at !== 'string') m = at;
          // The sweep varies the solved design: the cell with the answer written in.
          const again = gatewayKernel.parse(withParameter(w.source, solve.parameter, solved.answer.value), ctx).parsed;
          if (again) w = again.whatIf;
        }
        const points =
          sweep && w.sweep && (ctx.runSweep ? await ctx.runSweep(w.sweep.values, solved?.answer?.value, budget.left()) : await runPoints(w.sweep.values, pointAt(w, w.sweep.parameter), () => ctx.isCancelled()));
        for (const p of ctx.runSweep ? (points ?? []) : []) budget.spend(p.steps ?? 0);
        return finish(m, solved, w.sweep && points ? sweepBlocks(w.sweep, points, w.sweep.values.length) : undefined);
      })().catch(fail);
    } catch (e) {
      return fail(e);
    }
  },

  hover(source: string, position: Position, ctx: ParseContext) {
    return hoverModel(source, position, gatewaySchema, ctx);
  },

  complete(source: string, position: Position, ctx: ParseContext) {
    return completeModel(source, position, gatewaySchema, ctx);
  },
};

export { gatewaySchema } from './schema';
export { compileModel } from './config';
export type { GatewayModel } from './config';
export { GatewaySim, GatewayStats } from './simulator';
export { buildReport, serviceFigures, summarise } from './report';
export { hitRatioOf, hopFigures, topology } from './report';
export { saturationOrder } from './callgraph';
export type { HopLoad } from './callgraph';
