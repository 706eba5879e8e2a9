// The API gateway kernel: a YAML cell (routes, services, clients, traffic, faults) simulated as a
// discrete-event model in virtual time. Pure: no vscode, no I/O.
import { Kernel, ParseContext, Position } from '../types';
import { errorOutput } from '../output';
import { reportOutput } from '../report';
import { completeModel, hoverModel, parseModel } from '../model';
import { hashLabel } from '../sim/random';
import { RunOutcome } from '../sim/environment';
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
  perRep: GatewayStats[];
  outcomes: RunOutcome[];
}

/** The seed a cell runs with: the notebook seed, mixed with the cell's own `seed:` when it has one. */
export function cellSeed(notebookSeed: number, cellSeed?: number): number {
  return cellSeed === undefined ? notebookSeed >>> 0 : hashLabel(`cell-seed:${cellSeed}`, notebookSeed >>> 0);
}

/** Runs every replication within one shared budget. */
export function runGateway(model: GatewayModel, seed: number, budget: { maxEvents: number; maxWallMs: number }, isCancelled?: () => boolean): GatewayRun {
  const started = Date.now();
  let eventsLeft = budget.maxEvents;
  const perRep: GatewayStats[] = [];
  const outcomes: RunOutcome[] = [];
  for (let r = 0; r < model.replications; r++) {
    const sim = new GatewaySim(model, hashLabel(`replication:${r}`, seed));
    const { stats, outcome } = sim.run(eventsLeft, budget.maxWallMs - (Date.now() - started), isCancelled);
    eventsLeft -= outcome.events;
    perRep.push(stats);
    outcomes.push(outcome);
    if (outcome.stoppedEarly) break;
  }
  const total = new GatewayStats(model);
  for (const s of perRep) mergeStats(total, s);
  return { seed, total, reps: perRep.map(summarise), perRep, outcomes };
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
