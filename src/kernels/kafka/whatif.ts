// Sweeps and capacity solving for the Kafka model: a point is the cell with one value changed, parsed
// and run; its saturation is the consumer group furthest behind and why; a first guess for partitions
// or consumers comes from Confluent's sizing rule (partitions ≥ t / c for a consumer throughput c).
import { compileWhatIf, measuredResults, shareBudget, withParameter, type ModelParse, type ParameterRef, type PointRun, type SolveSpec, type SweepSpec } from '../model';
import { kafkaPartitions } from '../sim/capacity';
import type { ExecContext, ParseContext } from '../types';
import { parseKafkaCell } from './cell/parse';
import { kafkaSchema } from './cell/schema';
import { runKafkaModel } from './index';
import type { KafkaModel } from './model';
import { kafkaResultSpecs, kafkaResultValues } from './results';
import type { SimResult } from './sim/simulation';

export interface KafkaWhatIf {
  source: string;
  sweep?: SweepSpec;
  solve?: SolveSpec;
}

export function kafkaWhatIf(doc: ModelParse, source: string, ctx: ParseContext) {
  const w = compileWhatIf(doc, kafkaSchema, ctx);
  return { whatIf: { source, sweep: w.sweep, solve: w.solve } as KafkaWhatIf, diagnostics: w.diagnostics };
}

export function kafkaModelAt(w: KafkaWhatIf, param: ParameterRef, si: number, ctx: ParseContext): KafkaModel | string {
  const p = parseKafkaCell(withParameter(w.source, param, si), ctx);
  const error = p.diagnostics.find((d) => d.severity === 'error');
  return p.model && !error ? p.model : (error?.message ?? `\`${param.label}\` cannot take that value`);
}

/** Records per second produced into each topic. */
function topicRates(m: KafkaModel): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of m.producers) out.set(p.topic, (out.get(p.topic) ?? 0) + p.rate);
  return out;
}

/** The consumer group closest to falling behind (offered over what its members process), and why. */
export function kafkaSaturation(m: KafkaModel, r: SimResult): PointRun['saturation'] {
  const rates = topicRates(m);
  let best: PointRun['saturation'];
  for (const g of m.groups) {
    if (g.rate <= 0) continue;
    const offered = g.topics.reduce((a, t) => a + (rates.get(t) ?? 0), 0);
    const partitions = g.topics.reduce((a, t) => a + (m.topics.find((x) => x.name === t)?.partitions ?? 0), 0);
    const busy = Math.min(g.consumers, partitions);
    const capacity = busy * g.rate;
    const u = capacity > 0 ? offered / capacity : Infinity;
    if (best && u <= best.utilisation) continue;
    const lag = r.groups.find((x) => x.name === g.name)?.lagByPartition.reduce((a, p) => a + p.lag, 0) ?? 0;
    const shown = (x: number) => Math.round(x).toLocaleString('en-US');
    best = {
      component: g.name,
      utilisation: u,
      reason: `group \`${g.name}\` ${u >= 1 ? 'falls behind' : 'keeps up'}: ${busy} busy member${busy === 1 ? '' : 's'} (of ${g.consumers}, on ${partitions} partition${partitions === 1 ? '' : 's'}) × ${shown(g.rate)} rec/s = ${shown(capacity)} rec/s against ${shown(offered)} rec/s produced${lag ? `; lag at the end ${shown(lag)} records` : ''}.`,
    };
  }
  return best;
}

/** A first guess for partitions or consumers: enough members at their rate for what is produced. */
export function kafkaCapacityGuess(m: KafkaModel, param: ParameterRef): number | undefined {
  const [section, index, key] = param.path;
  const rates = topicRates(m);
  if (section === 'topics' && key === 'partitions') {
    const topic = m.topics[index as number];
    const groups = m.groups.filter((g) => g.topics.includes(topic.name) && g.rate > 0);
    if (!groups.length) return undefined;
    return kafkaPartitions(rates.get(topic.name) ?? 0, Infinity, Math.min(...groups.map((g) => g.rate)));
  }
  if (section === 'consumer_groups' && key === 'consumers') {
    const g = m.groups[index as number];
    if (!g || g.rate <= 0) return undefined;
    return Math.ceil(g.topics.reduce((a, t) => a + (rates.get(t) ?? 0), 0) / g.rate);
  }
  return undefined;
}

export function kafkaPoint(w: KafkaWhatIf, param: ParameterRef, si: number, ctx: ExecContext, budget: ReturnType<typeof shareBudget>): PointRun {
  const model = kafkaModelAt(w, param, si, ctx);
  if (typeof model === 'string') return { value: si, results: [], verdicts: [], stopped: model };
  const { result } = runKafkaModel(model, { ...ctx, budget: budget.left() });
  const steps = result.outcome.steps;
  budget.spend(steps);
  const results = model.name ? measuredResults(model.name, kafkaResultSpecs(model), kafkaResultValues(model, result), ctx.cellIndex, model.nameRange!) : [];
  return { value: si, results, verdicts: ctx.judge?.(results) ?? [], saturation: kafkaSaturation(model, result), stopped: result.outcome.stoppedEarly ? result.outcome.reason : undefined, steps };
}
