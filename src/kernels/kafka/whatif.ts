// What the Kafka model tells a sweep and a capacity search (src/kernels/model/cell.ts runs them): its
// saturation is the consumer group furthest behind and why; a first guess for partitions or
// consumers comes from Confluent's sizing rule (partitions ≥ t / c for a consumer throughput c).
import type { ParameterRef, PointRun } from '../model';
import { kafkaPartitions } from '../sim/capacity';
import type { KafkaModel } from './model';
import type { SimResult } from './sim/simulation';

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

/** A first guess for partitions or consumers (enough members at their rate for what is produced), or brokers (the replication factor). */
export function kafkaCapacityGuess(m: KafkaModel, param: ParameterRef): number | undefined {
  const [section, index, key] = param.path;
  // Brokers: no fewer than the largest replication factor (fewer cannot place the replicas).
  if (section === 'cluster' && index === 'brokers') return Math.max(1, ...m.topics.map((t) => t.replicationFactor));
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
