// The API gateway kernel: a YAML cell (routes, services, clients, traffic, faults) simulated as a
// discrete-event model in virtual time. Pure: no vscode, no I/O.
import { Kernel, ParseContext, Position } from '../types';
import {
  completeModel,
  declaredResults,
  executeModelCell,
  hoverModel,
  measuredResults,
  parseModel,
  sweepPoint,
  whatIfOf,
  type ModelKernel,
  type ParsedModelCell,
} from '../model';
import { capacityGuess, closedForm, saturation } from './whatif';
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

export type GatewayParsed = ParsedModelCell<GatewayModel>;

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
export function runGateway(
  model: GatewayModel,
  seed: number,
  limits: { maxEvents: number; maxWallMs: number },
  options: GatewayRunOptions | (() => boolean) = {},
): GatewayRun {
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
      outcomes[r - 1] = {
        ...outcomes[r - 1],
        reason: budget.reason!,
        stoppedEarly: true,
        steps: budget.steps,
        ...(budget.detail ? { detail: budget.detail } : {}),
      };
      break;
    }
    const sim = new GatewaySim(model, hashLabel(`replication:${r}`, seed), budget, zipf, r === 0 ? (model.trace ?? AUTO_TRACE) : 0);
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

/** How a cell runs its model, for the execution and what-if runs every model cell shares. */
const gatewayRuns: ModelKernel<GatewayModel> = {
  kind: 'gateway',
  failure: 'Gateway simulation failed',
  parse: (source, ctx) => gatewayKernel.parse(source, ctx),
  capacityGuess,
  run(m, budget, ctx) {
    const seed = mixSeed(ctx.seed, m.seed);
    const run = runGateway(m, seed, budget, () => ctx.isCancelled());
    const last = run.outcomes[run.outcomes.length - 1];
    return {
      definitions: m.name ? measuredResults(m.name, gatewayResultSpecs(m), gatewayResultValues(m, run), ctx.cellIndex, m.nameRange!) : [],
      steps: run.outcomes.reduce((a, o) => Math.max(a, o.steps), 0),
      stopped: last?.stoppedEarly ? last.reason : undefined,
      cancelled: ctx.isCancelled() || run.outcomes.some((o) => o.reason === 'cancelled'),
      report: () => buildReport(m, run.total, run.reps, run.outcomes, seed, m.replications),
      saturation: () => saturation(m, run),
      closedForm: (verdicts) => closedForm(m, verdicts),
    };
  },
};

export const gatewayKernel: Kernel<GatewayParsed> = {
  spec: gatewaySpec,

  parse(source: string, ctx: ParseContext) {
    const p = parseModel(source, gatewaySchema, ctx);
    const shared = { reads: p.reads, uses: p.uses, syntax: p, pending: p.pending };
    if (!p.value) return { parsed: undefined, diagnostics: p.diagnostics, ...shared };
    const c = compileModel(p);
    const w = whatIfOf(p, gatewaySchema, source, ctx);
    const diagnostics = [...p.diagnostics, ...c.diagnostics, ...w.diagnostics];
    return {
      parsed: c.model && !w.diagnostics.length ? { model: c.model, reads: p.reads, whatIf: w.whatIf } : undefined,
      diagnostics,
      ...shared,
    };
  },

  define({ model: m }, ctx) {
    return { definitions: m.name ? declaredResults(m.name, gatewayResultSpecs(m), ctx.cellIndex, m.nameRange!) : [] };
  },

  sweepPoint: (parsed, value, ctx, solved) => sweepPoint(gatewayRuns, parsed, value, ctx, solved),
  execute: (parsed, ctx) => executeModelCell(gatewayRuns, parsed, ctx),

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
