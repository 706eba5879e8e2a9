// The `sdnb-kafka` kernel: a YAML model of a Kafka cluster, simulated in virtual time.
// Semantics: Apache Kafka 3.9 (classic group protocol) by default; `kafka_version: 3.6` turns off the
// 3.7 high-watermark freeze under min ISR. Pure: no `vscode`, no I/O.
import { Block } from '../report';
import {
  completeModel,
  declaredResults,
  executeModelCell,
  hoverModel,
  measuredResults,
  sweepPoint,
  whatIfOf,
  type ModelKernel,
  type ParsedModelCell,
} from '../model';
import { kafkaCapacityGuess, kafkaSaturation } from './whatif';
import { ExecContext, Kernel, ParseContext, ParseResult } from '../types';
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

export type ParsedKafkaCell = ParsedModelCell<KafkaModel>;

export function runKafkaModel(model: KafkaModel, ctx: Pick<ExecContext, 'seed' | 'budget' | 'isCancelled'>) {
  const seed = mixSeed(ctx.seed, model.seed);
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
      columns: [
        'Partition',
        'Offset',
        'Segment',
        'Index entry (offset → position)',
        'Batch (base @ position)',
        'Bytes scanned',
        'Visible (< HW)',
        'Read from the offset',
      ],
      align: ['l', 'r', 'r', 'l', 'l', 'r', 'l', 'l'],
      rows: model.inspect.map((q) => {
        const label = `${q.topic}-${q.partition}`;
        const logs = exact.get(q.topic);
        const log = logs?.logs[q.partition];
        const loc = log?.locate(q.offset);
        if (logs && log && loc) {
          const read = log
            .read(q.offset, 3)
            .map((r) => {
              const i = logs.byOffset.get(`${q.partition}:${r.offset}`)!;
              return `${r.offset}: ${logs.keys[i]} = ${logs.values[i]}`;
            })
            .join(', ');
          return [
            label,
            q.offset,
            loc.segmentBaseOffset,
            `${loc.indexEntry.offset} → ${loc.indexEntry.position}`,
            `${loc.batchBaseOffset} @ ${loc.batchPosition}`,
            loc.scannedBytes,
            'yes',
            read,
          ];
        }
        // Past the explicit records: the simulated log (producers of the run wrote there).
        const r = sim.locate(q.topic, q.partition, q.offset);
        if ('error' in r) return [label, q.offset, '—', r.error ?? '', '', '', '', ''];
        const l = r.loc;
        return [
          label,
          q.offset,
          l.segmentBaseOffset,
          `${l.indexOffset} → ${l.indexPosition}`,
          `${l.batchBaseOffset} @ ${l.batchPosition}`,
          l.scannedBytes,
          r.visible ? 'yes' : 'no',
          '(simulated records carry no contents)',
        ];
      }),
      note: 'OffsetIndex.lookup finds the largest entry at or below the offset (else the segment base at position 0), then the log is scanned from that position. A compacted gap reads as the next surviving offset. Offsets of `records:` are answered from the exact log, with their contents.',
    };
  }
  return inspect;
}

/** How a cell runs its model, for the execution and what-if runs every model cell shares. */
const kafkaRuns: ModelKernel<KafkaModel> = {
  kind: 'kafka',
  failure: 'Kafka model failed',
  parse: (source, ctx) => kafkaKernel.parse(source, ctx),
  capacityGuess: kafkaCapacityGuess,
  run(m, budget, ctx) {
    const { report, result } = runKafkaModel(m, { ...ctx, budget });
    return {
      definitions: m.name ? measuredResults(m.name, kafkaResultSpecs(m), kafkaResultValues(m, result), ctx.cellIndex, m.nameRange!) : [],
      steps: result.outcome.steps,
      stopped: result.outcome.stoppedEarly ? result.outcome.reason : undefined,
      cancelled: ctx.isCancelled(),
      report: () => report,
      saturation: () => kafkaSaturation(m, result),
    };
  },
};

export const kafkaKernel: Kernel<ParsedKafkaCell> = {
  spec: kafkaSpec,

  parse(source: string, ctx: ParseContext): ParseResult<ParsedKafkaCell> {
    const p = parseKafkaCell(source, ctx);
    const w = p.model ? whatIfOf(p.doc, kafkaSchema, source, ctx) : undefined;
    const diagnostics = [...p.diagnostics, ...(w?.diagnostics ?? [])];
    const parsed = p.model && w && !w.diagnostics.length ? { model: p.model, reads: p.reads, whatIf: w.whatIf } : undefined;
    return { parsed, diagnostics, reads: p.reads, uses: p.doc.uses, syntax: p.doc, pending: p.doc.pending };
  },

  define({ model: m }, ctx) {
    return { definitions: m.name ? declaredResults(m.name, kafkaResultSpecs(m), ctx.cellIndex, m.nameRange!) : [] };
  },

  sweepPoint: (parsed, value, ctx, solved) => sweepPoint(kafkaRuns, parsed, value, ctx, solved),
  execute: (parsed, ctx) => executeModelCell(kafkaRuns, parsed, ctx),

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
