// Discrete-event simulation of a Kafka cluster in virtual time (integer microseconds, seeded, stoppable).
// Events are per producer batch, per follower fetch round, per consumer poll and per timeline action, so
// high rates stay cheap while offsets, acks, losses, duplicates and per-key order stay exact.
// This file assembles the parts on one environment (context.ts): the cluster (cluster.ts), the producer
// clients (producers.ts), the group coordinator (groupCoordinator.ts) and the timeline (timeline.ts),
// and samples lag and throughput as the run goes.
import { KafkaModel } from '../model';
import { Budget, Environment, RunOutcome } from '../../sim';
import { Cluster, Part, PartitionSnapshot } from './cluster';
import { EventLogEntry, SimContext, toTicks, US, ZoneTraffic } from './context';
import { GroupCoordinator, GroupStats } from './groupCoordinator';
import { ProducerClients, ProducerStats } from './producers';
import { Timeline } from './timeline';
import { TransactionCoordinator, TransactionStats } from './transactions';

export type { EventLogEntry, GroupStats, PartitionSnapshot, ProducerStats };
export { assignReplicasToBrokers } from '../replication/placement';

export interface SimResult {
  outcome: RunOutcome;
  simulatedS: number;
  before: PartitionSnapshot[];
  after: PartitionSnapshot[];
  events: EventLogEntry[];
  producers: ProducerStats[];
  groups: GroupStats[];
  samples: { timeS: number; lag: number[]; produced: number; acked: number; consumed: number }[];
  batches: number;
  records: number;
  bytesWritten: number;
  leaderChanges: number;
  /** Bytes by flow within and across zones (zero without racks). */
  traffic: ZoneTraffic;
  /** Per producer (transactional ones count). */
  transactions: TransactionStats[];
  heapUsedBytes?: number;
}

export class KafkaSimulation {
  declare readonly model: KafkaModel;
  declare readonly env: Environment;
  declare readonly cluster: Cluster;
  declare readonly producers: ProducerClients;
  declare readonly transactions: TransactionCoordinator;
  declare readonly coordinator: GroupCoordinator;
  declare readonly timeline: Timeline;
  readonly samples: SimResult['samples'] = [];
  declare private readonly ctx: SimContext;
  declare private readonly sampleTicks: number;
  declare private readonly kSample: number;

  /** Setup spends from `budget` as well (placement, key hashing, members); pass the run's budget. */
  constructor(model: KafkaModel, seed: number, budget: Budget = new Budget()) {
    this.model = model;
    const ctx = (this.ctx = new SimContext(model, seed, budget));
    this.env = ctx.env;
    // The order below is the order of the first events (ties run first-scheduled first): keep it.
    this.cluster = new Cluster(ctx);
    this.transactions = new TransactionCoordinator(ctx, this.cluster);
    this.producers = new ProducerClients(ctx, this.cluster, this.transactions);
    this.transactions.start();
    this.coordinator = new GroupCoordinator(ctx, this.cluster);
    this.cluster.startReplication();
    this.sampleTicks = toTicks(model.sampleS ?? Math.max(model.durationS / 60, 0.001));
    this.kSample = ctx.env.on(() => this.sample());
    ctx.env.schedule(0, this.kSample);
    this.cluster.startRetention();
    this.timeline = new Timeline(ctx, this.cluster, this.coordinator, this.producers);
  }

  get parts(): Part[] {
    return this.cluster.parts;
  }

  snapshot(): PartitionSnapshot[] {
    return this.cluster.snapshot();
  }

  locate(topic: string, partition: number, offset: number) {
    return this.cluster.locate(topic, partition, offset);
  }

  private sample(): void {
    const groups = this.coordinator.groups;
    for (const g of groups) this.ctx.budget.spend(g.partitions.length + g.members.length);
    const lag = groups.map((g) => {
      const rows = this.coordinator.lag(g);
      if (g.spec.isolationLevel === 'read_committed') {
        const unstable = rows.reduce((a, r) => a + r.hw - r.lso, 0);
        if (unstable > g.stats.maxUnstable) g.stats.maxUnstable = unstable;
      }
      return rows.reduce((a, r) => a + r.lag, 0);
    });
    this.samples.push({
      timeS: this.env.now / US,
      lag,
      produced: this.producers.records,
      acked: this.producers.acked,
      consumed: this.coordinator.consumed,
    });
    this.env.schedule(this.sampleTicks, this.kSample);
  }

  /** Runs on the budget given to the constructor (which setup has already spent from). */
  run(): SimResult {
    const before = this.snapshot();
    const outcome = this.env.run({ until: Math.round(this.model.durationS * US), budget: this.ctx.budget });
    this.sample();
    const groups = this.coordinator.finish();
    this.producers.countPending();
    return {
      outcome,
      simulatedS: outcome.now / US,
      before,
      after: this.snapshot(),
      events: this.ctx.events,
      producers: this.producers.stats,
      groups,
      samples: this.samples,
      batches: this.producers.batches,
      records: this.producers.records,
      bytesWritten: this.producers.bytesWritten,
      leaderChanges: this.cluster.leaderChanges,
      traffic: this.ctx.traffic,
      transactions: this.transactions.stats,
    };
  }
}
