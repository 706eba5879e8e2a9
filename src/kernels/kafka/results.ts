// The figures a named Kafka model publishes (`clicks.produce_throughput`, `clicks.max_lag`, …) from
// one run: a single seeded run has no replications, so its figures carry no interval.
import { Measured, ResultSpec } from '../model';
import type { KafkaModel } from './model';
import type { SimResult } from './sim/simulation';

const RECORDS = { record: 1 };
const RECORD_RATE = { record: 1, time: -1 };

export function kafkaResultSpecs(m: KafkaModel): ResultSpec[] {
  const specs: ResultSpec[] = [
    { key: 'produce_throughput', dims: RECORD_RATE, what: 'records acknowledged to producers per second' },
    { key: 'acked_lost', dims: RECORDS, what: 'records acknowledged to a producer and then lost' },
    { key: 'brokers', dims: {}, what: 'brokers in the cluster' },
    { key: 'partitions', dims: {}, what: 'partitions of every topic together' },
    {
      key: 'storage_per_broker',
      dims: { information: 1 },
      what: "bytes each broker stores at the measured ingress (replicas included, for the topics' retention)",
    },
    {
      key: 'network_per_broker',
      dims: { information: 1, time: -1 },
      what: "bytes per second through each broker's network (in and out: producers, replication, consumers)",
    },
  ];
  if (m.groups.length) {
    specs.push(
      { key: 'max_lag', dims: RECORDS, what: 'largest consumer lag of any group during the run (records)' },
      {
        key: 'max_lag_time',
        dims: { time: 1 },
        what: 'largest consumer lag of any group, as time behind the producers at their measured rate',
      },
    );
    for (const g of m.groups) {
      specs.push(
        { key: `${nameKey(g.name)}.max_lag`, dims: RECORDS, what: `largest lag of group \`${g.name}\` during the run (records)` },
        {
          key: `${nameKey(g.name)}.max_lag_time`,
          dims: { time: 1 },
          what: `largest lag of group \`${g.name}\`, as time behind the producers of its topics at their measured rate`,
        },
      );
    }
  }
  return specs;
}

/** A group's name as part of a dotted name: characters other than letters, digits and `_` become `_`. */
export const nameKey = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

export function kafkaResultValues(m: KafkaModel, r: SimResult): Map<string, Measured> {
  const seconds = r.simulatedS > 0 ? r.simulatedS : NaN;
  const acked = r.producers.reduce((a, p) => a + p.acked, 0);
  const produceRate = acked / seconds;
  // Largest lag of each group over the samples and at the end.
  const groupMax = m.groups.map((_, k) =>
    Math.max(0, ...r.samples.map((s) => s.lag[k] ?? 0), r.groups[k]?.lagByPartition.reduce((a, p) => a + p.lag, 0) ?? 0),
  );
  const maxLag = Math.max(0, ...groupMax);
  const topicRate = (topics: string[]) =>
    r.producers.reduce((a, p, i) => a + (topics.includes(m.producers[i]?.topic) ? p.acked : 0), 0) / seconds;
  // Bytes per second written to leaders, with each topic's replication and readers.
  const ingress = r.bytesWritten / seconds;
  const rfOf = (topic: string) => m.topics.find((t) => t.name === topic)?.replicationFactor ?? 1;
  const produced = m.producers.reduce((a, p) => a + p.rate, 0) || 1;
  const share = (f: (p: KafkaModel['producers'][number]) => number) => m.producers.reduce((a, p) => a + (p.rate / produced) * f(p), 0);
  const rf = share((p) => rfOf(p.topic));
  const readers = share((p) => m.groups.filter((g) => g.topics.includes(p.topic)).length);
  const retention = share((p) => Math.max(0, m.topics.find((t) => t.name === p.topic)?.retentionS ?? 0));
  const brokers = m.cluster.brokers;
  const out = new Map<string, Measured>([
    ['produce_throughput', { value: produceRate }],
    ['acked_lost', { value: r.producers.reduce((a, p) => a + p.ackedLost, 0) }],
    ['brokers', { value: brokers }],
    ['partitions', { value: m.topics.reduce((a, t) => a + t.partitions, 0) }],
    ['storage_per_broker', { value: (ingress * retention * rf) / brokers }],
    ['network_per_broker', { value: (ingress * rf + ingress * (rf - 1) + ingress * readers) / brokers }],
    ['max_lag', { value: maxLag }],
    ['max_lag_time', { value: produceRate > 0 ? maxLag / produceRate : NaN }],
  ]);
  m.groups.forEach((g, k) => {
    const rate = topicRate(g.topics);
    out.set(`${nameKey(g.name)}.max_lag`, { value: groupMax[k] });
    out.set(`${nameKey(g.name)}.max_lag_time`, { value: rate > 0 ? groupMax[k] / rate : NaN });
  });
  return out;
}
