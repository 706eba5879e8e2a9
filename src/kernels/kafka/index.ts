// The `sdnb-kafka` kernel: a YAML model of a Kafka cluster, simulated in virtual time.
// Semantics: Apache Kafka 3.9 (classic group protocol) by default; `kafka_version: 3.6` turns off the
// 3.7 high-watermark freeze under min ISR. Pure: no `vscode`, no I/O.
import { errorOutput } from '../output';
import { Block, reportOutput } from '../report';
import { completeModel, hoverModel } from '../model';
import { ExecContext, ExecResult, Kernel, ParseContext, ParseResult } from '../types';
import { parseKafkaCell } from './cell/parse';
import { kafkaSchema } from './cell/schema';
import { kafkaSpec } from './spec';
import { KafkaModel } from './model';
import { buildReport, recordBlocks } from './report';
import { RecordLogs } from './log/explicitRecords';
import { KafkaSimulation } from './sim/simulation';
import { Budget } from '../sim/budget';

export interface ParsedKafkaCell {
  model: KafkaModel;
  reads: string[];
}

/** Notebook seed combined with a cell's own seed (when it has one). */
export function combineSeeds(notebookSeed: number, cellSeed: number | undefined): number {
  if (cellSeed === undefined) return notebookSeed >>> 0;
  return (Math.imul((notebookSeed | 0) ^ 0x5bd1e995, 0x9e3779b1) ^ (cellSeed | 0)) >>> 0;
}

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
    return { parsed: p.model ? { model: p.model, reads: p.reads } : undefined, diagnostics: p.diagnostics, reads: p.reads, uses: p.doc.uses, syntax: p.doc };
  },

  execute(parsed: ParsedKafkaCell, ctx: ExecContext): ExecResult {
    try {
      const { report } = runKafkaModel(parsed.model, ctx);
      return { ok: true, outputs: [reportOutput('kafka', report)], reads: parsed.reads };
    } catch (e) {
      return { ok: false, outputs: [errorOutput('Kafka model failed', e instanceof Error ? e.message : String(e))], reads: parsed.reads };
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
