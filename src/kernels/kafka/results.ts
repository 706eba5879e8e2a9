// The figures a named Kafka model publishes (`clicks.produce_throughput`, `clicks.max_lag`, …) from
// one run. A run has no replications: the rates and mean lags carry the batch-means interval of the
// report's "Figures at full precision" (the run cut into 10 batches, Student-t over the batch means).
// Counts, sizes and maxima carry none: a maximum is not a mean, and batch means say nothing of it.
import { Measured, ResultSpec } from '../model';
import { KafkaModel, localRetentionSeconds, TopicSpec } from './model';
import { recordSizeInBytes } from './log/config';
import type { SimResult } from './sim/simulation';
import { ackedBatchMeans, lagBatchMeans, meanLag } from './report';

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
      what: "bytes each broker keeps on its disk at the measured ingress (replicas included, for the topics' retention; a tiered topic's local retention)",
    },
    {
      key: 'network_per_broker',
      dims: { information: 1, time: -1 },
      what: "bytes per second through each broker's network (in and out: producers, replication, consumers, uploads to tiered storage)",
    },
  ];
  if (m.topics.some((t) => t.remoteStorage))
    specs.push({
      key: 'remote_storage',
      dims: { information: 1 },
      what: "bytes the tiered topics keep in the object store at the measured ingress (one copy, for the topics' retention)",
    });
  if (m.groups.length) {
    specs.push(
      { key: 'max_lag', dims: RECORDS, what: 'largest consumer lag of any group during the run (records)' },
      {
        key: 'max_lag_time',
        dims: { time: 1 },
        what: 'largest consumer lag of any group, as time behind the producers at their measured rate',
      },
      { key: 'mean_lag', dims: RECORDS, what: 'mean consumer lag over the run of the group furthest behind (records)' },
      {
        key: 'mean_lag_time',
        dims: { time: 1 },
        what: 'mean consumer lag over the run of the group furthest behind, as time behind the producers of its topics',
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
        { key: `${nameKey(g.name)}.mean_lag`, dims: RECORDS, what: `mean lag of group \`${g.name}\` over the run (records)` },
        {
          key: `${nameKey(g.name)}.mean_lag_time`,
          dims: { time: 1 },
          what: `mean lag of group \`${g.name}\` over the run, as time behind the producers of its topics at their measured rate`,
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
  // Bytes per second written to leaders, with each topic's replication and readers, shared out by
  // the producers' nominal bytes per second (as the sizing table weighs them).
  const ingress = r.bytesWritten / seconds;
  const topicOf = (name: string) => m.topics.find((t) => t.name === name);
  const weights = m.producers.map((p) => p.rate * recordSizeInBytes(p.keys > 0 ? `key-${p.keys - 1}`.length : null, p.recordBytes));
  const total = weights.reduce((a, w) => a + w, 0) || 1;
  const share = (f: (t: TopicSpec | undefined) => number) =>
    m.producers.reduce((a, p, i) => a + (weights[i] / total) * f(topicOf(p.topic)), 0);
  const rf = share((t) => t?.replicationFactor ?? 1);
  const readers = share((t) => (t ? m.groups.filter((g) => g.topics.includes(t.name)).length : 0));
  // Tiered storage (KIP-405): the brokers keep local.retention on their disks, every replica; the
  // object store keeps the whole retention once, uploaded by the leader (one more copy out).
  const local = share((t) => (t ? localRetentionSeconds(t) : 0));
  const tiered = share((t) => (t?.remoteStorage ? 1 : 0));
  const remote = share((t) => (t?.remoteStorage ? Math.max(0, t.retentionS) : 0));
  const brokers = m.cluster.brokers;
  const out = new Map<string, Measured>([
    ['produce_throughput', { value: produceRate, replications: ackedBatchMeans(r) }],
    ['acked_lost', { value: r.producers.reduce((a, p) => a + p.ackedLost, 0) }],
    ['brokers', { value: brokers }],
    ['partitions', { value: m.topics.reduce((a, t) => a + t.partitions, 0) }],
    ['storage_per_broker', { value: (ingress * local * rf) / brokers }],
    ['remote_storage', { value: ingress * remote }],
    ['network_per_broker', { value: (ingress * rf + ingress * (rf - 1) + ingress * readers + ingress * tiered) / brokers }],
    ['max_lag', { value: maxLag }],
    ['max_lag_time', { value: produceRate > 0 ? maxLag / produceRate : NaN }],
  ]);
  // Mean lag, in records and in seconds of the group's producers, with its batch means.
  const means = m.groups.map((g, k) => {
    const rate = topicRate(g.topics);
    const perSecond = (x: number) => (rate > 0 ? x / rate : NaN);
    const batches = lagBatchMeans(r, k);
    const lag: Measured = { value: meanLag(r, k), replications: batches };
    const time: Measured = { value: perSecond(lag.value), replications: batches.map(perSecond) };
    return { lag, time };
  });
  m.groups.forEach((g, k) => {
    const rate = topicRate(g.topics);
    out.set(`${nameKey(g.name)}.max_lag`, { value: groupMax[k] });
    out.set(`${nameKey(g.name)}.max_lag_time`, { value: rate > 0 ? groupMax[k] / rate : NaN });
    out.set(`${nameKey(g.name)}.mean_lag`, means[k].lag);
    out.set(`${nameKey(g.name)}.mean_lag_time`, means[k].time);
  });
  // The group furthest behind on average, in records and (separately) in time.
  const furthest = (of: (x: (typeof means)[number]) => Measured) =>
    means.reduce<Measured | undefined>((a, x) => (!a || of(x).value > a.value ? of(x) : a), undefined);
  const lag = furthest((x) => x.lag),
    time = furthest((x) => x.time);
  if (lag) out.set('mean_lag', lag);
  if (time) out.set('mean_lag_time', time);
  return out;
}
