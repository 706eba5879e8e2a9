// Turns a simulation result into report blocks: tables before/after, events, assignments, lag chart,
// losses and duplicates, ordering, sizing and a mermaid diagram of brokers and replicas.
import { Block, Level, Report, Verdict, fold, worstLevel } from '../report';
import { KafkaModel, localRetentionSeconds, rackOfBroker, TopicSpec, zonesOf } from './model';
export { buildRecordLogs } from './log/explicitRecords';
export type { RecordLogs } from './log/explicitRecords';
import { SimResult, PartitionSnapshot } from './sim/simulation';
import { sizeCluster, SizingResult } from './sizing';
import { RecordLogs, RECORDS_BATCH_SIZE } from './log/explicitRecords';
import { describeStop, figureText, meanCI95 } from '../sim';
import { recordSizeInBytes } from './log/config';
import { mermaidLabelText } from '../mermaid';

// One formatter per digit count: toLocaleString with options builds a new one per call (20k-row tables).
const formats: Intl.NumberFormat[] = [];
const fmt = (n: number, digits = 0) => (formats[digits] ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: digits })).format(n);
export function bytes(n: number): string {
  const u = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1000 && i < u.length - 1) {
    v /= 1000;
    i++;
  }
  return `${+v.toPrecision(3)} ${u[i]}`;
}
const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

/** The partition table; with transactions it shows the last stable offset, with a state set by the cell each replica's log end. */
function partitionTable(title: string, rows: PartitionSnapshot[], dead: Set<number>, withLso: boolean, withLeos: boolean): Block {
  return {
    type: 'table',
    title,
    columns: [
      'Partition',
      'Replicas',
      'Leader',
      'ISR',
      'LEO',
      ...(withLeos ? ['Replica LEOs'] : []),
      'HW',
      ...(withLso ? ['LSO'] : []),
      'Log start',
      'Segments',
      'Size',
    ],
    align: ['l', 'l', 'r', 'l', 'r', ...(withLeos ? ['l' as const] : []), 'r', ...(withLso ? ['r' as const] : []), 'r', 'r', 'r'],
    rows: rows.map((p) => [
      `${p.topic}-${p.partition}`,
      p.replicas.map((r) => (dead.has(r) ? `${r}✗` : String(r))).join(','),
      p.leader < 0 ? 'none (offline)' : p.leader,
      `[${p.isr.join(',')}]`,
      fmt(p.logEndOffset),
      ...(withLeos ? [p.replicas.map((r, i) => `${r}: ${fmt(p.replicaLeos[i])}`).join(', ')] : []),
      fmt(p.highWatermark),
      ...(withLso ? [fmt(p.lastStableOffset)] : []),
      fmt(p.logStartOffset),
      p.segments,
      bytes(p.sizeBytes),
    ]),
  };
}

export function mermaidCluster(model: KafkaModel, snap: PartitionSnapshot[], dead: Set<number>): string {
  const lines = ['flowchart LR'];
  for (let b = 1; b <= model.cluster.brokers; b++) {
    lines.push(`  subgraph B${b}["broker ${b}${dead.has(b) ? ' (down)' : ''}"]`);
    for (const p of snap) {
      if (!p.replicas.includes(b)) continue;
      const id = `b${b}_${sanitize(p.topic)}_${p.partition}`;
      const role = p.leader === b ? 'leader' : p.isr.includes(b) ? 'in sync' : 'out of sync';
      const label = `${mermaidLabelText(p.topic)}-${p.partition}<br/>${role}`;
      lines.push(p.leader === b ? `    ${id}[["${label}"]]` : `    ${id}("${label}")`);
    }
    lines.push('  end');
  }
  for (const p of snap) {
    if (p.leader < 0) continue;
    for (const r of p.replicas) {
      if (r === p.leader) continue;
      lines.push(
        `  b${p.leader}_${sanitize(p.topic)}_${p.partition} ${p.isr.includes(r) ? '-->' : '-.->'} b${r}_${sanitize(p.topic)}_${p.partition}`,
      );
    }
  }
  for (const b of dead) lines.push(`  style B${b} stroke-dasharray: 5 5`);
  return lines.join('\n');
}

const sanitize = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

export function sizingFor(model: KafkaModel): SizingResult | undefined {
  const s = model.sizing;
  if (!s) return undefined;
  const topicOf = (name: string) => model.topics.find((t) => t.name === name)!;
  let rate = 0,
    bytesW = 0,
    rfW = 0,
    fanW = 0,
    retW = 0,
    tieredBytes = 0,
    localW = 0;
  for (const p of model.producers) {
    const t = topicOf(p.topic);
    const keyLen = p.keys > 0 ? `key-${p.keys - 1}`.length : null;
    const size = recordSizeInBytes(keyLen, p.recordBytes);
    rate += p.rate;
    bytesW += p.rate * size;
    rfW += p.rate * t.replicationFactor;
    fanW += p.rate * model.groups.filter((g) => g.topics.includes(t.name)).length;
    retW += p.rate * size * (t.retentionS < 0 ? 0 : t.retentionS);
    if (t.remoteStorage) {
      tieredBytes += p.rate * size;
      localW += p.rate * size * localRetentionSeconds(t);
    }
  }
  if (rate === 0) return undefined;
  return sizeCluster({
    messagesPerSecond: rate,
    messageBytes: bytesW / rate,
    replicationFactor: Math.round(rfW / rate),
    consumerGroups: fanW / rate,
    retentionSeconds: retW / bytesW,
    tieredShare: tieredBytes / bytesW,
    localRetentionSeconds: tieredBytes > 0 ? localW / tieredBytes : undefined,
    diskBytesPerSecond: s.diskBytesPerSecond,
    diskCapacityBytes: s.diskCapacityBytes,
    nicBitsPerSecond: s.nicGbps * 1e9,
    cores: s.cores,
    tls: s.tls,
    brokers: s.brokers || model.cluster.brokers,
    targetUtilization: s.targetUtilization,
    coldReadFraction: s.coldReadFraction,
  });
}

function sizingBlocks(r: SizingResult): Block[] {
  const show = (v: number, unit: string) => (unit === 'cores' ? v.toFixed(2) : unit === 'B' ? bytes(v) : `${bytes(v)}/s`);
  return [
    {
      type: 'table',
      title: `Sizing: ${r.brokers} brokers, bottleneck ${r.bottleneck}`,
      columns: ['Resource', 'Per broker', 'Capacity', 'Utilization', 'Brokers needed'],
      align: ['l', 'r', 'r', 'r', 'r'],
      rows: r.rows.map((x) => [
        x.resource + (x.resource === r.bottleneck ? ' ◀ bottleneck' : ''),
        show(x.perBroker, x.unit),
        show(x.capacity, x.unit),
        pct(x.utilization),
        x.brokersNeeded,
      ]),
      note: `Ingress ${bytes(r.ingressBytesPerSecond)}/s; storage ${bytes(r.storageBytes)} on the brokers with replication${r.remoteStorageBytes > 0 ? `, ${bytes(r.remoteStorageBytes)} in the object store (tiered storage: one copy; the uploads add to network out)` : ''}; cluster ingress ceiling ≈ brokers × min(NIC, disk) / RF = ${bytes(r.maxIngressBytesPerSecond)}/s.`,
    },
    {
      type: 'table',
      title: 'What sequential I/O and zero copy buy',
      columns: ['Design choice', 'With it', 'Without it'],
      rows: [
        [
          'Sequential appends',
          `disk writes at full sequential speed; brokers needed for disk: ${r.rows.find((x) => x.resource.startsWith('disk'))?.brokersNeeded ?? '-'}`,
          `one 10 ms seek per append: ${bytes(r.randomIo.bytesPerSecondPerDisk)}/s per disk (${fmt(r.randomIo.slowdown)}× slower), ${fmt(r.randomIo.brokersNeeded)} brokers`,
        ],
        [
          'Zero copy (sendfile)',
          r.zeroCopy.enabled
            ? `1 copy per byte served (page cache → NIC by DMA), ${r.zeroCopy.coresForCopies.toFixed(2)} cores on copies`
            : 'off: TLS encrypts in user space, so sendfile is not used',
          `4 copies and 2 system calls per read, ${r.zeroCopy.coresWithout.toFixed(2)} cores on copies`,
        ],
      ],
    },
    ...r.notes.map((text): Block => ({ type: 'notice', level: 'warning', text })),
  ];
}

/** Compacts (when the policy says so) and returns the report blocks for a topic's explicit records. */
export function recordBlocks(t: TopicSpec, built: RecordLogs | undefined): Block[] {
  if (!built) return [];
  const { logs, written } = built;
  const blocks: Block[] = [
    {
      type: 'table',
      title: `${t.name}: records as written`,
      columns: ['Partition', 'Offset', 'Key', 'Value', 'Batch', 'Segment', 'Position'],
      align: ['r', 'r', 'l', 'l', 'r', 'r', 'r'],
      rows: written.map((w) => [
        w.partition,
        w.offset,
        built.keys[w.index],
        built.values[w.index],
        w.batchBaseOffset,
        w.segment,
        w.position,
      ]),
      note: `One producer sends the records in order (batch.size ${fmt(RECORDS_BATCH_SIZE)} B, batches fill before they are sent). Keys go to toPositive(murmur2(key bytes)) % partitions; null keys stick to a partition until batch.size bytes went to it and its batch is full (BuiltInPartitioner, KIP-794). Batch is the base offset of the record's batch; segments are named by base offset; position is the byte offset of the batch in its segment.`,
    },
  ];
  if (t.cleanupPolicy !== 'delete') {
    const after: (string | number)[][] = [];
    const now = Math.max(t.records!.length, ...t.records!.map((r) => Math.round(r.timestampS * 1000) + 1));
    logs.forEach((log, p) => {
      log.roll();
      log.clean(now);
      for (const r of log.read(0)) {
        const i = built.byOffset.get(`${p}:${r.offset}`)!;
        after.push([p, r.offset, built.keys[i], built.values[i]]);
      }
    });
    blocks.push({
      type: 'table',
      title: `${t.name}: after compaction`,
      columns: ['Partition', 'Offset', 'Key', 'Value'],
      align: ['r', 'r', 'l', 'l'],
      rows: after,
      note: `Latest value per key kept; offsets never change; tombstones stay for delete.retention.ms (${fmt(t.deleteRetentionS)} s).`,
    });
  }
  return blocks;
}

/** Batches the run's samples are cut into for the intervals of rates and mean lag. */
const BATCHES = 10;

/**
 * The batch means of a quantity over the run: the samples cut into BATCHES consecutive batches of
 * equal length (fewer when there are fewer sample intervals), each batch's mean rate or level.
 */
export function batchMeans(r: SimResult, of: (from: SimResult['samples'][number], to: SimResult['samples'][number]) => number): number[] {
  const s = r.samples;
  const intervals = s.length - 1;
  const k = Math.min(BATCHES, intervals);
  const out: number[] = [];
  for (let b = 0; b < k; b++) {
    const i = Math.floor((b * intervals) / k),
      j = Math.floor(((b + 1) * intervals) / k);
    if (j > i && s[j].timeS > s[i].timeS) out.push(of(s[i], s[j]));
  }
  return out;
}

/** A group's lag, mean over the samples (records). */
export function meanLag(r: SimResult, group: number): number {
  const lags = r.samples.map((x) => x.lag[group] ?? 0);
  return lags.length ? lags.reduce((a, x) => a + x, 0) / lags.length : NaN;
}

/** The batch means of a group's lag: each batch's mean over the samples it ends (its first sample is the batch before's). */
export function lagBatchMeans(r: SimResult, group: number): number[] {
  const at = new Map(r.samples.map((x, i) => [x, i]));
  return batchMeans(r, (a, b) => {
    const from = at.get(a)!,
      to = at.get(b)!;
    let sum = 0;
    for (let i = from + 1; i <= to; i++) sum += r.samples[i].lag[group] ?? 0;
    return sum / (to - from);
  });
}

/** The batch means of the rate at which producers were acknowledged (records/s). */
export const ackedBatchMeans = (r: SimResult) => batchMeans(r, (a, b) => (b.acked - a.acked) / (b.timeS - a.timeS));

/**
 * Every figure at full precision, for `--json` and anyone who reads the numbers. Counts are exact.
 * Rates and mean lag carry a 95% interval by batch means: the run cut into 10 batches, a Student-t
 * interval over the batch means (the run's start is in the first batch).
 */
export function precisionTable(model: KafkaModel, r: SimResult): Block {
  const rows: (string | number)[][] = [];
  const exact = (name: string, value: number) => rows.push([name, figureText(value), '', '', '', '', '']);
  const estimated = (name: string, value: number, means: number[]) => {
    const c = meanCI95(means);
    if (means.length < 2) {
      rows.push([name, figureText(value), '', '', '', '', '']);
      return;
    }
    const f = (x: number) => figureText(x, c.halfWidth);
    // Every figure here is a rate or a count of records: its interval stops at 0.
    rows.push([name, f(value), f(c.mean), f(c.halfWidth), f(Math.max(0, c.lo)), f(c.hi), means.map(f).join(' ')]);
  };
  const s = r.simulatedS > 0 ? r.simulatedS : NaN;
  estimated(
    'write throughput (records/s)',
    r.records / s,
    batchMeans(r, (a, b) => (b.produced - a.produced) / (b.timeS - a.timeS)),
  );
  estimated(
    'read throughput, all groups (records/s)',
    r.groups.reduce((a, g) => a + g.consumed, 0) / s,
    batchMeans(r, (a, b) => (b.consumed - a.consumed) / (b.timeS - a.timeS)),
  );
  estimated('acknowledged throughput (records/s)', r.producers.reduce((a, p) => a + p.acked, 0) / s, ackedBatchMeans(r));
  r.groups.forEach((g, gi) => {
    estimated(`${g.name}: lag, mean over the samples (records)`, meanLag(r, gi), lagBatchMeans(r, gi));
    exact(
      `${g.name}: lag at the end (records)`,
      g.lagByPartition.reduce((a, x) => a + x.lag, 0),
    );
    exact(`${g.name}: records delivered`, g.consumed);
    exact(`${g.name}: redelivered`, g.redelivered);
    exact(`${g.name}: partition-seconds unread`, g.idlePartitionSeconds);
  });
  r.producers.forEach((p) => {
    exact(`${p.name}: acknowledged`, p.acked);
    exact(`${p.name}: acknowledged, then lost`, p.ackedLost);
    exact(`${p.name}: duplicates`, p.duplicates);
    exact(`${p.name}: expired`, p.expired);
  });
  exact('leader changes', r.leaderChanges);
  if (model.cluster.racks.length) {
    const t = r.traffic;
    exact('cross-zone bytes/s', (t.produceCross + t.replicationCross + t.consumeCross) / s);
  }
  return {
    type: 'table',
    title: 'Figures at full precision',
    columns: ['Figure', 'Value', 'Mean of batches', '± 95%', 'Low', 'High', 'Batch means'],
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
    rows,
    note: 'Counts are exact; other figures show 6 significant digits (more where the interval is narrow: rounding stays under a hundredth of its half-width). Rates and mean lag vary with the seed, so they carry a 95% Student-t interval over the means of 10 consecutive batches of the run (batch means; the start-up is in the first batch); the low end stops at 0, since none of them can be negative.',
  };
}

/** Seconds in a month (a year / 12, as the estimate language's month). */
const MONTH_S = (365.25 * 86400) / 12;

/** Zones: where brokers, leaders and replicas are, and the traffic that stays in a zone or crosses zones. */
function zoneBlocks(model: KafkaModel, r: SimResult, dead: Set<number>): Block[] {
  const racks = zonesOf(model.cluster);
  const rackOf = (b: number) => rackOfBroker(model.cluster, b);
  const rows = racks.map((z) => {
    const brokers: number[] = [];
    for (let b = 1; b <= model.cluster.brokers; b++) if (rackOf(b) === z) brokers.push(b);
    const leaders = r.after.filter((p) => p.leader > 0 && rackOf(p.leader) === z).length;
    const replicas = r.after.reduce((a, p) => a + p.replicas.filter((b) => rackOf(b) === z).length, 0);
    const partitionsAllHere = r.after.filter((p) => p.replicas.every((b) => rackOf(b) === z)).length;
    return [z, brokers.map((b) => (dead.has(b) ? `${b}✗` : String(b))).join(','), leaders, replicas, partitionsAllHere];
  });
  const t = r.traffic,
    s = r.simulatedS > 0 ? r.simulatedS : 1;
  const flows: [string, number, number][] = [
    ['Producers → leaders', t.produceSame, t.produceCross],
    ['Leaders → followers (replication)', t.replicationSame, t.replicationCross],
    ['Brokers → consumers', t.consumeSame, t.consumeCross],
  ];
  const cross = t.produceCross + t.replicationCross + t.consumeCross;
  const perMonth = (cross / s) * MONTH_S;
  const price = model.cluster.crossZonePricePerGB;
  const cost = price !== undefined ? (perMonth / 1e9) * price : undefined;
  return [
    {
      type: 'table',
      title: 'Zones (racks) at the end',
      columns: ['Zone', 'Brokers', 'Leaders', 'Replicas', 'Partitions with every replica here'],
      align: ['l', 'l', 'r', 'r', 'r'],
      rows,
      note: 'A partition with every replica in one zone is lost with that zone. Rack-aware placement (AdminUtils) spreads each partition over min(RF, zones) zones.',
    },
    {
      type: 'table',
      title: 'Traffic within and across zones',
      columns: ['Flow', 'Same zone', 'Cross zone', 'Cross zone per second', 'Cross zone per month'],
      align: ['l', 'r', 'r', 'r', 'r'],
      rows: [
        ...flows.map(([name, same, x]) => [name, bytes(same), bytes(x), `${bytes(x / s)}/s`, bytes((x / s) * MONTH_S)]),
        ['All', bytes(flows.reduce((a, f) => a + f[1], 0)), bytes(cross), `${bytes(cross / s)}/s`, bytes(perMonth)],
      ],
      note: `Clients without a rack are taken to be spread evenly over the ${racks.length} zones. ${model.cluster.replicaSelector === 'rack-aware' ? 'Consumers read from an in-sync replica in their own zone when the leader is elsewhere (KIP-392).' : 'Consumers read from leaders (replica_selector: rack-aware would let them read from their zone).'} A month is a year / 12.`,
    },
    ...(cost !== undefined
      ? [
          {
            type: 'notice',
            level: 'info',
            text: `Cross-zone transfer: ${fmt(perMonth / 1e9, 1)} GB/month × ${fmt(price!, 4)} ${model.cluster.currency}/GB = ${fmt(cost, 2)} ${model.cluster.currency}/month.`,
          } as Block,
        ]
      : []),
  ];
}

function crossZoneHeadline(model: KafkaModel, r: SimResult): { label: string; value: string; hint: string } {
  const t = r.traffic;
  const perS = (t.produceCross + t.replicationCross + t.consumeCross) / Math.max(r.simulatedS, 1e-9);
  const price = model.cluster.crossZonePricePerGB;
  const cost = price !== undefined ? ((perS * MONTH_S) / 1e9) * price : undefined;
  return {
    label: 'Cross-zone traffic',
    value: `${bytes(perS)}/s`,
    hint:
      cost !== undefined
        ? `${fmt(cost, 2)} ${model.cluster.currency}/month at ${fmt(price!, 4)} ${model.cluster.currency}/GB`
        : 'set cluster.cross_zone_price for its cost',
  };
}

/** How each group's rebalances cost it: rounds, moves, partitions nobody read and for how long, redelivery. */
function rebalanceComparison(r: SimResult): Block {
  return {
    type: 'table',
    title: 'Rebalances compared',
    columns: [
      'Group',
      'Protocol',
      'Assignor',
      'Rounds',
      'Partitions moved',
      'Partition-seconds unread',
      'Longest a partition went unread (s)',
      'Redelivered',
    ],
    align: ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r'],
    rows: r.groups.map((g) => [
      g.name,
      g.protocol === 'consumer' ? 'consumer (KIP-848)' : 'classic',
      g.assignor,
      g.rebalances.length,
      fmt(g.partitionsMoved),
      fmt(g.idlePartitionSeconds, 1),
      fmt(g.longestIdleS, 1),
      fmt(g.redelivered),
    ]),
    note: "Rounds: join/sync rounds (classic) or target assignments (consumer protocol). Unread: no live member owned the partition, sampled every poll interval. An eager classic rebalance stops every partition for its round; cooperative-sticky stops only the partitions that move, over two rounds; the consumer protocol stops only the partitions that move, each for the time from its owner's revocation to its new owner's next heartbeat.",
  };
}

// No wall-clock figures: the same notebook must give the same outputs (cells show their own timing).
export function buildReport(
  model: KafkaModel,
  r: SimResult,
  seed: number,
  extra: { inspect: Block | undefined; recordBlocks: Block[] },
): Report {
  const dead = new Set<number>();
  for (const e of r.events) {
    const m = /^kill broker (\d+)/.exec(e.event);
    if (m) dead.add(Number(m[1]));
    const up = /^restart broker (\d+)/.exec(e.event);
    if (up) dead.delete(Number(up[1]));
  }
  const throughput = r.simulatedS > 0 ? r.records / r.simulatedS : 0;
  const bytesPerS = r.simulatedS > 0 ? r.bytesWritten / r.simulatedS : 0;
  const produceRate = model.producers.reduce((a, p) => a + p.rate, 0);

  // Findings, worst first in the verdict.
  const findings: { level: Level; headline: string; text: string }[] = [];
  const notices: Block[] = [];
  if (r.outcome.stoppedEarly) {
    const text = `The run ${describeStop(r.outcome)} at ${fmt(r.simulatedS, 3)} s of ${fmt(model.durationS)} s; figures cover the simulated part.`;
    notices.push({ type: 'notice', level: 'warning', text });
    findings.push({ level: 'marginal', headline: `incomplete: ${fmt(r.simulatedS, 3)} s of ${fmt(model.durationS)} s simulated`, text });
  }
  const lost = r.producers.reduce((a, p) => a + p.ackedLost, 0);
  for (const p of r.producers) {
    if (p.ackedLost > 0)
      findings.push({
        level: 'fail',
        headline: `data loss: ${fmt(lost)} acknowledged record${lost === 1 ? '' : 's'} lost`,
        text: `${p.name}: ${fmt(p.ackedLost)} acknowledged record${p.ackedLost === 1 ? ' was' : 's were'} lost (acks=${p.acks}).`,
      });
  }
  const P = r.after.length;
  const offline = r.after.filter((p) => p.leader < 0);
  const under = r.after.filter((p) => p.leader >= 0 && p.isr.length < p.replicas.length);
  const deadText = dead.size ? ` (broker${dead.size > 1 ? 's' : ''} ${[...dead].join(', ')} down)` : '';
  if (offline.length)
    findings.push({
      level: 'fail',
      headline: `unavailable: ${offline.length} of ${P} partitions offline at the end`,
      text: `${offline.length} of ${P} partitions have no leader at the end${deadText}: ${offline.map((p) => `${p.topic}-${p.partition}`).join(', ')}.`,
    });
  if (under.length)
    findings.push({
      level: 'marginal',
      headline: `degraded: ${under.length} of ${P} partitions under-replicated at the end${deadText}`,
      text: `${under.length} of ${P} partitions have fewer in-sync replicas than replicas at the end${deadText}; one more failure ${under.some((p) => p.isr.length <= 1) ? 'can lose acknowledged data or availability' : 'narrows the margin'}.`,
    });
  for (const g of r.groups) {
    if (g.readThenLost > 0)
      findings.push({
        level: 'fail',
        headline: `data loss: group ${g.name} read ${fmt(g.readThenLost)} records that were then lost`,
        text: `Group ${g.name} read ${fmt(g.readThenLost)} records that an unclean election then removed.`,
      });
    if (g.orderViolations > 0)
      findings.push({
        level: 'marginal',
        headline: `out of order: ${fmt(g.orderViolations)} per-key order violations`,
        text: `Group ${g.name}: ${fmt(g.orderViolations)} per-key order violations (first: ${g.firstViolation ?? '?'}).`,
      });
  }
  for (const p of r.producers) {
    if (p.duplicates > 0)
      findings.push({
        level: 'marginal',
        headline: `duplicates: ${fmt(p.duplicates)} records written twice`,
        text: `${p.name}: ${fmt(p.duplicates)} records written twice by retries (enable.idempotence would deduplicate them).`,
      });
    if (p.expired > 0)
      findings.push({
        level: 'marginal',
        headline: `undelivered: ${fmt(p.expired)} records expired`,
        text: `${p.name}: ${fmt(p.expired)} records expired before delivery (delivery.timeout.ms).`,
      });
  }
  const lagAtEnd = r.groups.map((g) => g.lagByPartition.reduce((a, x) => a + x.lag, 0));
  const maxLag = lagAtEnd.length ? Math.max(...lagAtEnd) : 0;
  r.groups.forEach((g) => {
    // More than a second of production held back from read_committed readers by an unfinished transaction.
    if (produceRate > 0 && g.maxUnstable > produceRate)
      findings.push({
        level: 'marginal',
        headline: `held back: group ${g.name} waited behind an open transaction`,
        text: `Group ${g.name} (read_committed) could not read up to ${fmt(g.maxUnstable)} records below the HW: a transaction not yet complete held the last stable offset.`,
      });
  });
  r.groups.forEach((g, gi) => {
    // A consumer more than a second of production behind at the end is not keeping up.
    if (produceRate > 0 && lagAtEnd[gi] > produceRate)
      findings.push({
        level: 'marginal',
        headline: `behind: group ${g.name} lags ${fmt(lagAtEnd[gi])} records at the end`,
        text: `Group ${g.name} ends ${fmt(lagAtEnd[gi])} records behind (${fmt(lagAtEnd[gi] / produceRate, 1)} s of production).`,
      });
  });
  const level = worstLevel(findings.map((f) => f.level));
  const verdict: Verdict = {
    level,
    text:
      level === 'pass'
        ? `healthy: no acknowledged record lost; every partition led and fully in sync at the end${r.groups.length ? (maxLag === 0 ? '; consumers caught up at the end' : `; consumers keep up (lag ≤ ${fmt(maxLag)} records at the end)`) : ''}`
        : findings.find((f) => f.level === level)!.headline,
    items: findings.map((f) => ({ level: f.level, text: f.text })),
  };

  const blocks: Block[] = [
    {
      type: 'headline',
      verdict,
      items: [
        {
          label: 'Write throughput',
          value: `${fmt(throughput)} rec/s`,
          hint: `${bytes(bytesPerS)}/s over ${fmt(r.simulatedS, 3)} s simulated; seed ${seed}`,
        },
        { label: 'Acknowledged, then lost', value: fmt(lost), level: lost > 0 ? 'fail' : undefined },
        {
          label: 'Under-replicated at the end',
          value: `${fmt(under.length + offline.length)} of ${fmt(P)}`,
          hint: `${offline.length} offline (no leader)`,
          level: offline.length ? 'fail' : under.length ? 'marginal' : undefined,
        },
        ...(r.groups.length
          ? [
              {
                label: 'Consumer lag at the end',
                value: fmt(maxLag),
                hint: 'records (HW − position), the largest of the groups',
                level: produceRate > 0 && maxLag > produceRate ? ('marginal' as const) : undefined,
              },
            ]
          : []),
        { label: 'Leader changes', value: fmt(r.leaderChanges) },
        ...(model.cluster.racks.length ? [crossZoneHeadline(model, r)] : []),
        {
          label: 'Simulated time',
          value: `${fmt(r.simulatedS, 3)} s`,
          hint: r.events.map((e) => `${fmt(e.timeS, 3)} s: ${e.event}`).join('; ') || 'no timeline events',
        },
      ],
    },
    ...notices,
  ];

  const protocols = [...new Set(model.groups.map((g) => g.protocol))];
  const protocolText =
    protocols.length === 0 || (protocols.length === 1 && protocols[0] === 'classic')
      ? 'classic group protocol'
      : protocols.length === 1
        ? 'consumer group protocol (KIP-848)'
        : 'classic and consumer (KIP-848) group protocols';
  blocks.push(
    fold(
      `Run: Kafka ${model.kafkaVersion} (${protocolText}), seed ${seed}`,
      [
        {
          type: 'metrics',
          title: `Kafka ${model.kafkaVersion} (${protocolText}), seed ${seed}`,
          items: [
            { label: 'Simulated time', value: `${fmt(r.simulatedS, 3)} s`, hint: describeStop(r.outcome) },
            { label: 'Records written', value: fmt(r.records) },
            { label: 'Write throughput', value: `${fmt(throughput)} rec/s (${bytes(bytesPerS)}/s)` },
            { label: 'Batches', value: fmt(r.batches) },
            { label: 'Leader changes', value: fmt(r.leaderChanges) },
            { label: 'Simulation events', value: fmt(r.outcome.events) },
          ],
        },
      ],
      false,
    ),
  );

  if (r.events.length) {
    blocks.push(
      fold(`Timeline (${r.events.length} event${r.events.length > 1 ? 's' : ''})`, [
        {
          type: 'table',
          title: 'Events',
          columns: ['t (s)', 'Event', 'Effect'],
          align: ['r', 'l', 'l'],
          rows: r.events.map((e) => [fmt(e.timeS, 3), e.event, e.effect]),
        },
      ]),
    );
  }
  const transactional = model.producers.some((p) => p.transactional);
  const withState = model.topics.some((t) => t.states?.length);
  blocks.push(
    fold(
      `Partitions (${P})${under.length + offline.length ? `: ${under.length} under-replicated, ${offline.length} offline at the end` : ': all in sync at the end'}`,
      [
        partitionTable('Partitions before events', r.before, new Set(), transactional, withState),
        partitionTable('Partitions after events', r.after, dead, transactional, withState),
      ],
    ),
  );

  const producerBlocks: Block[] = [
    {
      type: 'table',
      title: 'Producers: acknowledgements, losses and duplicates',
      columns: [
        'Producer',
        'acks',
        'Idempotent',
        'Sent',
        'Written',
        'Acked',
        'Acked then lost',
        'Unacked, truncated (resent)',
        'Duplicates',
        'Expired',
        'NOT_ENOUGH_REPLICAS',
        '…AFTER_APPEND',
        'Timeouts',
        'NOT_LEADER',
        'Pending',
      ],
      align: ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows: r.producers.map((p) => [
        p.name,
        p.acks,
        p.idempotent ? 'yes' : 'no',
        fmt(p.sent),
        fmt(p.written),
        fmt(p.acked),
        fmt(p.ackedLost),
        fmt(p.unackedLost),
        fmt(p.duplicates),
        fmt(p.expired),
        fmt(p.notEnoughReplicas),
        fmt(p.notEnoughReplicasAfterAppend),
        fmt(p.timedOut),
        fmt(p.notLeader),
        fmt(p.pending),
      ]),
      note: 'Acked then lost: acknowledged records removed by a leader change (acks=1 before replication, or an unclean election). Duplicates: a retried batch written again although its first copy survived (idempotent producers are deduplicated by the broker). Error columns count requests.',
    },
  ];
  for (const p of r.producers) {
    if (p.ackedLost > 0)
      producerBlocks.push({
        type: 'notice',
        level: 'error',
        text: `${p.name}: ${fmt(p.ackedLost)} acknowledged record${p.ackedLost === 1 ? ' was' : 's were'} lost (acks=${p.acks}).`,
      });
  }
  if (transactional) {
    producerBlocks.push({
      type: 'table',
      title: 'Transactions',
      columns: [
        'Producer',
        'Committed',
        'Aborted',
        'Of which at transaction.timeout.ms',
        'Markers written',
        'Records in aborted transactions',
      ],
      align: ['l', 'r', 'r', 'r', 'r', 'r'],
      rows: model.producers.flatMap((p, i) =>
        p.transactional
          ? [
              [
                p.name,
                fmt(r.transactions[i].committed),
                fmt(r.transactions[i].aborted),
                fmt(r.transactions[i].timedOut),
                fmt(r.transactions[i].markers),
                fmt(r.transactions[i].abortedRecords),
              ],
            ]
          : [],
      ),
      note: 'Each commit or abort writes a one-offset marker to every partition the transaction wrote to; the last stable offset (LSO) stops at the first transaction not yet complete, and read_committed consumers read up to it, skipping aborted records and markers.',
    });
  }
  blocks.push(
    fold(
      `Producers (${r.producers.length}): ${fmt(r.producers.reduce((a, p) => a + p.acked, 0))} acknowledged, ${fmt(lost)} lost`,
      producerBlocks,
    ),
  );

  r.groups.forEach((g, gi) => {
    const consumer = g.protocol === 'consumer';
    const label = consumer ? `${g.assignor}, consumer protocol` : g.assignor;
    const groupBlocks: Block[] = [
      {
        type: 'table',
        title: `Group ${g.name} (${label}): assignment at the end`,
        columns: ['Member', 'group.instance.id', 'State', 'Partitions'],
        rows: g.assignment.map((a) => [a.member, a.instanceId ?? '', a.state, a.partitions.join(' ') || '(none)']),
        note: g.departed.length
          ? `Left the group: ${g.departed.map((d) => `${d.member} (${d.why}; removed at ${fmt(d.timeS, 3)} s, generation ${d.generation})`).join(', ')}.`
          : undefined,
      },
    ];
    if (g.rebalances.length) {
      groupBlocks.push(
        consumer
          ? {
              type: 'table',
              title: `Group ${g.name}: target assignments (group epochs)`,
              columns: ['t (s)', 'Group epoch', 'Reason', 'Partitions to new owners', 'Still held by their previous owner'],
              align: ['r', 'r', 'l', 'r', 'r'],
              rows: g.rebalances.map((x) => [fmt(x.timeS, 3), x.generation, x.reason, x.moved, x.withheld]),
              note: 'Each membership change bumps the group epoch; the next heartbeat computes a new target assignment. Members reconcile at their own heartbeats: an owner revokes first, and the new owner gets the partition at its next heartbeat after that.',
            }
          : {
              type: 'table',
              title: `Group ${g.name}: rebalances`,
              columns: ['t (s)', 'Generation', 'Reason', 'Partitions newly assigned', 'Withheld (cooperative)'],
              align: ['r', 'r', 'l', 'r', 'r'],
              rows: g.rebalances.map((x) => [fmt(x.timeS, 3), x.generation, x.reason, x.moved, x.withheld]),
            },
      );
    }
    groupBlocks.push({
      type: 'table',
      ...(model.groups[gi].isolationLevel === 'read_committed'
        ? {
            title: `Group ${g.name}: lag per partition (LSO − position, read_committed)`,
            columns: ['Partition', 'Owner', 'HW', 'LSO', 'Position', 'Lag', 'Unread (s)'],
            align: ['l', 'l', 'r', 'r', 'r', 'r', 'r'] as ('l' | 'r')[],
            rows: g.lagByPartition.map((x) => [
              `${x.topic}-${x.partition}`,
              x.owner,
              fmt(x.hw),
              fmt(x.lso),
              fmt(x.position),
              fmt(x.lag),
              fmt(x.unreadS, 1),
            ]),
          }
        : {
            title: `Group ${g.name}: lag per partition (HW − position)`,
            columns: ['Partition', 'Owner', 'HW', 'Position', 'Lag', 'Unread (s)'],
            align: ['l', 'l', 'r', 'r', 'r', 'r'] as ('l' | 'r')[],
            rows: g.lagByPartition.map((x) => [
              `${x.topic}-${x.partition}`,
              x.owner,
              fmt(x.hw),
              fmt(x.position),
              fmt(x.lag),
              fmt(x.unreadS, 1),
            ]),
          }),
    });
    const rounds = consumer
      ? `${g.rebalances.length} target assignment${g.rebalances.length === 1 ? '' : 's'}`
      : `${g.rebalances.length} rebalance${g.rebalances.length === 1 ? '' : 's'}`;
    blocks.push(
      fold(
        `Group ${g.name} (${label}): ${g.assignment.length} member${g.assignment.length === 1 ? '' : 's'}, ${rounds}, lag ${fmt(lagAtEnd[gi])} at the end`,
        groupBlocks,
      ),
    );
  });
  if (r.groups.length > 1 || r.groups.some((g) => g.protocol === 'consumer'))
    blocks.push(fold('Rebalances compared', [rebalanceComparison(r)], false));
  if (r.groups.length && r.samples.length > 1) {
    const step = Math.max(1, Math.ceil(r.samples.length / 60));
    const s = r.samples.filter((_, i) => i % step === 0 || i === r.samples.length - 1);
    blocks.push(
      fold('Consumer lag over time (records)', [
        {
          type: 'chart',
          title: 'Consumer lag over time (records)',
          chart: {
            kind: 'line',
            xLabel: 't (s)',
            yLabel: 'lag',
            x: s.map((x) => +x.timeS.toFixed(3)),
            series: r.groups.map((g, gi) => ({ name: g.name, values: s.map((x) => x.lag[gi]) })),
          },
        },
      ]),
    );
    const rates = s.slice(1).map((x, i) => {
      const dt = x.timeS - s[i].timeS;
      return {
        t: +x.timeS.toFixed(3),
        w: dt > 0 ? (x.produced - s[i].produced) / dt : 0,
        c: dt > 0 ? (x.consumed - s[i].consumed) / dt : 0,
      };
    });
    blocks.push(
      fold('Throughput (records/s)', [
        {
          type: 'chart',
          title: 'Throughput (records/s)',
          chart: {
            kind: 'line',
            xLabel: 't (s)',
            yLabel: 'records/s',
            x: rates.map((x) => x.t),
            series: [
              { name: 'written', values: rates.map((x) => Math.round(x.w)), color: 'blue' },
              { name: 'consumed', values: rates.map((x) => Math.round(x.c)), color: 'green' },
            ],
          },
        },
      ]),
    );
  }
  if (r.groups.length) {
    const violations = r.groups.reduce((a, g) => a + g.orderViolations, 0);
    blocks.push(
      fold(`Ordering check: ${fmt(violations)} per-key violation${violations === 1 ? '' : 's'}`, [
        {
          type: 'table',
          title: 'Ordering check (per key, within each partition)',
          columns: [
            'Group',
            'Records consumed',
            'Redelivered (after rebalance)',
            'Read, then lost (unclean election)',
            'Checked (keyed)',
            'Per-key order violations',
            'First violation',
          ],
          align: ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
          rows: r.groups.map((g) => [
            g.name,
            fmt(g.consumed),
            fmt(g.redelivered),
            fmt(g.readThenLost),
            fmt(g.orderChecked),
            fmt(g.orderViolations),
            g.firstViolation ?? '—',
          ]),
          note: 'A violation is a record read after a later record with the same key from the same producer (non-idempotent retries rewrite batches behind newer ones). Redelivery after a rebalance re-reads from the committed offset and is counted separately.',
        },
      ]),
    );
  }
  if (model.cluster.racks.length) {
    const z = zoneBlocks(model, r, dead);
    const t = r.traffic;
    const cross = t.produceCross + t.replicationCross + t.consumeCross;
    blocks.push(fold(`Zones (${zonesOf(model.cluster).length}): ${bytes(cross / Math.max(r.simulatedS, 1e-9))}/s across zones`, z));
  }
  const sizing = sizingFor(model);
  if (sizing) blocks.push(fold(`Sizing: ${sizing.brokers} brokers, bottleneck ${sizing.bottleneck}`, sizingBlocks(sizing)));
  if (extra.recordBlocks.length)
    blocks.push(fold('Records as written' + (extra.recordBlocks.length > 1 ? ' and after compaction' : ''), extra.recordBlocks));
  if (extra.inspect)
    blocks.push(fold(extra.inspect.type === 'table' && extra.inspect.title ? extra.inspect.title : 'Inspect', [extra.inspect]));
  blocks.push(fold('Figures at full precision', [precisionTable(model, r)], false));
  blocks.push(
    fold('Brokers, partitions and replicas (end of run)', [
      { type: 'mermaid', title: 'Brokers, partitions and replicas (end of run)', source: mermaidCluster(model, r.after, dead) },
    ]),
  );
  return { title: 'Kafka model', blocks };
}
