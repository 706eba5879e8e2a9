// The API gateway kernel: a YAML cell (routes, services, clients, traffic, faults) simulated as a
// discrete-event model in virtual time. Pure: no vscode, no I/O.
import { Kernel, ParseContext, Position } from '../types';
import { errorOutput } from '../output';
import { reportOutput } from '../report';
import { completeModel, hoverModel, parseModel } from '../model';
import { hashLabel, mixSeed } from '../sim/random';
import { RunOutcome } from '../sim/environment';
import { Budget } from '../sim/budget';
import { Zipf } from '../sim/random';
import { GatewayModel, compileModel } from './config';
import { gatewaySchema } from './schema';
import { gatewaySpec } from './spec';
import { GatewaySim, GatewayStats } from './simulator';
import { RepSummary, buildReport, mergeStats, summarise } from './report';

export interface GatewayParsed {
  model: GatewayModel;
  reads: string[];
}

export interface GatewayRun {
  seed: number;
  total: GatewayStats;
  reps: RepSummary[];
  /** Each replication's own statistics, when asked for (they are merged into `total` as they finish). */
  perRep: GatewayStats[];
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
  const zipf = new Zipf(model.keyCount, model.zipf);
  const setup = GatewaySim.setupSteps(model);
  const total = new GatewayStats(model);
  const perRep: GatewayStats[] = [];
  const reps: RepSummary[] = [];
  const outcomes: RunOutcome[] = [];
  for (let r = 0; r < model.replications; r++) {
    if (!budget.spend(setup) && r > 0) {
      outcomes[r - 1] = { ...outcomes[r - 1], reason: budget.reason!, stoppedEarly: true, steps: budget.steps, ...(budget.detail ? { detail: budget.detail } : {}) };
      break;
    }
    const sim = new GatewaySim(model, hashLabel(`replication:${r}`, seed), budget, zipf, r === 0 ? model.trace ?? AUTO_TRACE : 0);
    const { stats, outcome } = sim.run();
    mergeStats(total, stats);
    reps.push(summarise(stats, model.percentiles));
    if (opts.keepReplications) perRep.push(stats);
    outcomes.push(outcome);
    if (outcome.stoppedEarly) break;
  }
  return { seed, total, reps, perRep, outcomes };
}

export const gatewayKernel: Kernel<GatewayParsed> = {
  spec: gatewaySpec,

  parse(source: string, ctx: ParseContext) {
    const p = parseModel(source, gatewaySchema, ctx);
    const shared = { reads: p.reads, uses: p.uses, syntax: p };
    if (!p.value) return { parsed: undefined, diagnostics: p.diagnostics, ...shared };
    const c = compileModel(p);
    const diagnostics = [...p.diagnostics, ...c.diagnostics];
    return { parsed: c.model && { model: c.model, reads: p.reads }, diagnostics, ...shared };
  },

  execute(parsed, ctx) {
    try {
      const seed = cellSeed(ctx.seed, parsed.model.seed);
      const run = runGateway(parsed.model, seed, ctx.budget, () => ctx.isCancelled());
      const report = buildReport(parsed.model, run.total, run.reps, run.outcomes, seed, parsed.model.replications);
      const cancelled = run.outcomes.some((o) => o.reason === 'cancelled');
      return { ok: !cancelled, outputs: [reportOutput('gateway', report)], reads: parsed.reads };
    } catch (e) {
      return { ok: false, outputs: [errorOutput('Gateway simulation failed', e instanceof Error ? e.message : String(e))], reads: parsed.reads };
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
