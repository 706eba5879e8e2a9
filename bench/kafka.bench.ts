// Kafka kernel benchmark: `npx tsx bench/kafka.bench.ts` (add `node --expose-gc --import tsx` for settled heap figures)
// 1. Batch-level: 60 s of a 3-broker cluster taking 2M records/s (LinkedIn's 2014 scale), RF 3, one group.
// 2. Per-record path: every record its own batch and event.
import { loadavg } from 'node:os';
import { KafkaSimulation, kafkaKernel } from '../src/kernels/kafka';
import { emptyScope } from '../src/kernels/model';
import { DEFAULT_BUDGET } from '../src/kernels/types';
import { Budget } from '../src/kernels/sim';

function cell(rate: string, duration: string, producer: string, retention = 'retention_bytes: 1 GB\n    segment_bytes: 268435456'): string {
  return `
duration: ${duration}
cluster:
  brokers: 3
topics:
  - name: events
    partitions: 6
    replication_factor: 3
    min_insync_replicas: 2
    ${retention}
producers:
  - name: load
    topic: events
    rate: ${rate}
    record_size: 100 B
    keys: 10000
    acks: all
${producer}
consumer_groups:
  - name: readers
    topics: [events]
    consumers: 3
`;
}

function run(label: string, source: string, maxWallMs = 60_000) {
  const ctx = { cellIndex: 0, scope: emptyScope };
  const parsed = kafkaKernel.parse(source, ctx);
  if (!parsed.parsed) throw new Error(JSON.stringify(parsed.diagnostics));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const sim = new KafkaSimulation(parsed.parsed.model, 1, new Budget({ maxEvents: Math.max(DEFAULT_BUDGET.maxEvents, 1e9), maxWallMs }));
  const result = sim.run();
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  global.gc?.();
  const mem = process.memoryUsage();
  const heap = mem.heapUsed;
  const retained = result.after.reduce((a, p) => a + p.logEndOffset - p.logStartOffset, 0);
  console.log(`\n${label}`);
  console.log(`  simulated      ${result.simulatedS.toFixed(1)} s (${result.outcome.reason})`);
  console.log(
    `  wall           ${wallS.toFixed(2)} s (CPU ${cpuS.toFixed(2)} s; the machine is shared, load average ${loadavg()[0].toFixed(1)})`,
  );
  console.log(
    `  records        ${result.records.toLocaleString('en-US')} in ${result.batches.toLocaleString('en-US')} batches; ${result.outcome.events.toLocaleString('en-US')} events`,
  );
  console.log(
    `  simulated rate ${(result.records / result.simulatedS).toLocaleString('en-US', { maximumFractionDigits: 0 })} records/s of virtual time`,
  );
  console.log(
    `  wall rate      ${(result.records / wallS).toLocaleString('en-US', { maximumFractionDigits: 0 })} records/s, ${(result.outcome.events / wallS).toLocaleString('en-US', { maximumFractionDigits: 0 })} events/s`,
  );
  console.log(
    `  CPU rate       ${(result.records / cpuS).toLocaleString('en-US', { maximumFractionDigits: 0 })} records per CPU-second (one thread)`,
  );
  console.log(
    `  retained log   ${retained.toLocaleString('en-US')} records (${result.after.reduce((a, p) => a + p.segments, 0)} segments), heap ${(heap / 1e6).toFixed(0)} MB (before run ${(heapBefore / 1e6).toFixed(0)} MB), typed-array log columns ${(mem.arrayBuffers / 1e6).toFixed(0)} MB, rss ${(mem.rss / 1e6).toFixed(0)} MB`,
  );
  void sim.parts.length; // keep the simulation (and its log) alive until memory is measured
  console.log(
    `  consumed       ${result.groups[0].consumed.toLocaleString('en-US')}, lag at end ${result.groups[0].lagByPartition.reduce((a, x) => a + x.lag, 0).toLocaleString('en-US')}`,
  );
  return { wallS, cpuS, result };
}

const batch = run(
  'Batch level: 60 s, 2M records/s, 3 brokers, RF 3, acks=all, 1 group (linger 5 ms, batch 16384 B)',
  cell('2M', '60 s', '    linger: 5 ms\n    batch_size: 16384'),
);
const perRecord = run(
  'Per-record path: every record its own batch and event (2M records/s for 1 s: the 4M batches a cell may keep hold under 2 s)',
  cell('2M', '1 s', '    batch_size: 1 B', 'retention_bytes: 64 MB\n    segment_bytes: 16 MB'),
);
const perRecordWall = perRecord.result.records / perRecord.wallS,
  perRecordCpu = perRecord.result.records / perRecord.cpuS;
console.log(
  `\nTargets: batch level < 5 s wall -> ${batch.wallS < 5 ? 'met' : 'MISSED'}; per-record >= 2M records/s -> wall ${perRecordWall >= 2e6 ? 'met' : 'MISSED'}, per CPU-second ${perRecordCpu >= 2e6 ? 'met' : 'MISSED'}`,
);
