// The `sdnb-kafka` kernel: a YAML model of a Kafka cluster, simulated in virtual time.
// Semantics: Apache Kafka 3.9 (classic group protocol) by default; `kafka_version: 3.6` turns off the
// 3.7 high-watermark freeze under min ISR. Pure: no `vscode`, no I/O.
import { errorOutput } from '../output';
import { Block, reportOutput, withRequirementVerdicts } from '../report';
import { completeModel, declaredResults, hoverModel, measuredResults, runPoints, shareBudget, solveCapacity, sweepBlocks, withParameter, withWhatIf, type ParameterRef, type SolveResult } from '../model';
import { kafkaCapacityGuess, kafkaModelAt, kafkaPoint, kafkaWhatIf, type KafkaWhatIf } from './whatif';
import { ExecContext, ExecResult, Kernel, ParseContext, ParseResult } from '../types';
import { parseKafkaCell } from './cell/parse';
import { kafkaSchema } from './cell/schema';
import { kafkaSpec } from './spec';
import { kafkaResultSpecs, kafkaResultValues } from './results';
import { KafkaModel } from './model';
import { buildReport, recordBlocks } from './report';
import { RecordLogs } from './log/explicitRecords';
import { KafkaSimulation } from './sim/simulation';
import { Budget } from '../sim/budget';
import { mixSeed } from '../sim/random';

export interface ParsedKafkaCell {
  model: KafkaModel;
  reads: string[];
  whatIf: KafkaWhatIf;
}

/** Notebook seed combined with a cell's own seed (when it has one). */
export const combineSeeds = (notebookSeed: number, cellSeed: number | undefined): number => mixSeed(notebookSeed, cellSeed);

export function runKafkaModel(model: KafkaModel, ctx: Pick<ExecContext, 'seed' | 'budget' | 'isCancelled'>) {
  const seed = combineSeeds(ctx.seed, model.seed);
  const started = Date.now();
  const budget = new Budget({ ...ctx.budget, isCancelled: ctx.isCancelled });
  // Placing the explicit records is work of this run too (the simulation starts with them in its logs).
  budget.spend(model.topics.reduce((a, t) => a + (t.records?.length ?? 0), 0));
  const sim = new KafkaSimulation(model, seed, budget);
  const result = sim.run();
  const wallMs = Date.now() - started;
  // Topics with explicit records also have the exact log model (compacted when the policy says so).
  const exact = sim.cluster.recordLogs;
  const recordReport = model.topics.flatMap((t) => recordBlocks(t, exact.get(t.name)));
  // After compaction: reading a removed offset finds the next surviving one.
  const inspect = inspectBlock(model, sim, exact);
  return { seed, result, wallMs, report: buildReport(model, result, seed, { inspect, recordBlocks: recordReport }) };
}

function inspectBlock(model: KafkaModel, sim: KafkaSimulation, exact: Map<string, RecordLogs>): Block | undefined {
  let inspect: Block | undefined;
  if (model.inspect.length) {
    inspect = {
      type: 'table',
      title: 'Where records live',
      columns: ['Partition', 'Offset', 'Segment', 'Index entry (offset → position)', 'Batch (base @ position)', 'Bytes scanned', 'Visible (< HW)', 'Read from the offset'],
      align: ['l', 'r', 'r', 'l', 'l', 'r', 'l', 'l'],
      rows: model.inspect.map((q) => {
        const label = `${q.topic}-${q.partition}`;
        const logs = exact.get(q.topic);
        const log = logs?.logs[q.partition];
        const loc = log?.locate(q.offset);
        if (logs && log && loc) {
          const read = log.read(q.offset, 3).map((r) => {
            const i = logs.byOffset.get(`${q.partition}:${r.offset}`)!;
            return `${r.offset}: ${logs.keys[i]} = ${logs.values[i]}`;
          }).join(', ');
          return [label, q.offset, loc.segmentBaseOffset, `${loc.indexEntry.offset} → ${loc.indexEntry.position}`, `${loc.batchBaseOffset} @ ${loc.batchPosition}`, loc.scannedBytes, 'yes', read];
        }
        // Past the explicit records: the simulated log (producers of the run wrote there).
        const r = sim.locate(q.topic, q.partition, q.offset);
        if ('error' in r) return [label, q.offset, '—', r.error ?? '', '', '', '', ''];
        const l = r.loc;
        return [label, q.offset, l.segmentBaseOffset, `${l.indexOffset} → ${l.indexPosition}`, `${l.batchBaseOffset} @ ${l.batchPosition}`, l.scannedBytes, r.visible ? 'yes' : 'no', '(simulated records carry no contents)'];
      }),
      note: 'OffsetIndex.lookup finds the largest entry at or below the offset (else the segment base at position 0), then the log is scanned from that position. A compacted gap reads as the next surviving offset. Offsets of `records:` are answered from the exact log, with their contents.',
    };
  }
  return inspect;
}

export const kafkaKernel: Kernel<ParsedKafkaCell> = {
  spec: kafkaSpec,

  parse(source: string, ctx: ParseContext): ParseResult<ParsedKafkaCell> {
    const p = parseKafkaCell(source, ctx);
    const w = p.model ? kafkaWhatIf(p.doc, source, ctx) : undefined;
    const diagnostics = [...p.diagnostics, ...(w?.diagnostics ?? [])];
    const parsed = p.model && w && !w.diagnostics.length ? { model: p.model, reads: p.reads, whatIf: w.whatIf } : undefined;
    return { parsed, diagnostics, reads: p.reads, uses: p.doc.uses, syntax: p.doc, pending: p.doc.pending };
  },

  define({ model: m }, ctx) {
    return { definitions: m.name ? declaredResults(m.name, kafkaResultSpecs(m), ctx.cellIndex, m.nameRange!) : [] };
  },

  sweepPoint(parsed, value, ctx, solved) {
    // The solved design, when the cell solves: the sweep varies it.
    const { solve } = parsed.whatIf;
    const again = solve && solved !== undefined ? kafkaKernel.parse(withParameter(parsed.whatIf.source, solve.parameter, solved), ctx).parsed : undefined;
    const w = again?.whatIf ?? parsed.whatIf;
    return kafkaPoint(w, w.sweep!.parameter, value, ctx, shareBudget(ctx.budget));
  },

  execute(parsed: ParsedKafkaCell, ctx: ExecContext): ExecResult | Promise<ExecResult> {
    const fail = (e: unknown) => ({ ok: false, outputs: [errorOutput('Kafka model failed', e instanceof Error ? e.message : String(e))], reads: parsed.reads });
    try {
      const budget = shareBudget(ctx.budget);
      const finish = (m: KafkaModel, solved?: SolveResult, sweep?: Block[]): ExecResult => {
        const { report, result } = runKafkaModel(m, { ...ctx, budget: budget.left() });
        budget.spend(result.outcome.steps);
        const definitions = m.name ? measuredResults(m.name, kafkaResultSpecs(m), kafkaResultValues(m, result), ctx.cellIndex, m.nameRange!) : [];
        const judged = withRequirementVerdicts(report, ctx.judge?.(definitions) ?? []);
        const out = withWhatIf(judged, solved && { sentence: solved.sentence, met: !!solved.answer }, sweep);
        return { ok: !ctx.isCancelled(), outputs: [reportOutput('kafka', out)], reads: parsed.reads, definitions };
      };
      const { sweep, solve } = parsed.whatIf;
      if (!sweep && !solve) return finish(parsed.model);
      // What-if runs: solving first (the run that follows, and the names it publishes, use the answer), the sweep after.
      const pointAt = (w: KafkaWhatIf, param: ParameterRef) => (v: number) => kafkaPoint(w, param, v, ctx, budget);
      return (async () => {
        let m = parsed.model;
        let w = parsed.whatIf;
        const solved = solve && (await solveCapacity(solve, kafkaCapacityGuess(m, solve.parameter), pointAt(w, solve.parameter), () => ctx.isCancelled()));
        if (solve && solved?.answer) {
          const at = kafkaModelAt(w, solve.parameter, solved.answer.value, ctx);
          if (typeof at !== 'string') m = at;
          // The sweep varies the solved design: the cell with the answer written in.
          const again = kafkaKernel.parse(withParameter(w.source, solve.parameter, solved.answer.value), ctx).parsed;
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

  hover(source, position, ctx) {
    return hoverModel(source, position, kafkaSchema, ctx);
  },

  complete(source, position, ctx) {
    return completeModel(source, position, kafkaSchema, ctx);
  },
};

export { parseKafkaCell } from './cell/parse';
export { kafkaSchema } from './cell/schema';
export type { KafkaModel } from './model';
export { KafkaSimulation } from './sim/simulation';
export { sizeCluster } from './sizing';
export { murmur2, partitionForKey, toPositive } from './murmur2';
export * as assignors from './assignors';
