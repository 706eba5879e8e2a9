// The scenario's timeline: each event of the cell happens at its time, on the cluster (brokers) or on
// the group coordinator (members). What each action does lives with the part it acts on.
import { TimelineEvent, zonesOf } from '../model';
import { Cluster } from './cluster';
import { SimContext, US } from './context';
import { GroupCoordinator } from './groupCoordinator';
import { ProducerClients } from './producers';

export class Timeline {
  declare private readonly cluster: Cluster;
  declare private readonly coordinator: GroupCoordinator;

  declare private readonly ctx: SimContext;
  declare private readonly producers: ProducerClients;

  constructor(ctx: SimContext, cluster: Cluster, coordinator: GroupCoordinator, producers: ProducerClients) {
    this.ctx = ctx;
    this.cluster = cluster;
    this.coordinator = coordinator;
    this.producers = producers;
    for (const e of ctx.model.timeline) ctx.env.call(Math.round(e.atS * US), () => this.happen(e));
  }

  private happen(e: TimelineEvent): void {
    switch (e.action) {
      case 'kill_broker': return this.cluster.killBroker(e.broker!);
      case 'restart_broker': return this.cluster.restartBroker(e.broker!);
      case 'kill_zone': return this.zone(e.zone!, true);
      case 'elect_preferred': return this.cluster.electPreferred(e.topic);
      case 'reassign': return this.cluster.reassign(e.topic!, e.partition!, e.replicas!);
      case 'kill_producer':
      case 'restart_producer': {
        const down = e.action === 'kill_producer';
        this.producers.setProducerDown(this.ctx.model.producers.findIndex((p) => p.name === e.producer), down);
        const spec = this.ctx.model.producers.find((p) => p.name === e.producer)!;
        this.ctx.log(`${down ? 'kill' : 'restart'} producer ${e.producer}`, down
          ? (spec.transactional ? `it sends nothing more; its open transaction holds the LSO until transaction.timeout.ms (${spec.transactionTimeoutS} s) aborts it` : 'it sends nothing more')
          : 'it sends again');
        return;
      }
      case 'restart_zone': return this.zone(e.zone!, false);
    }
    const groups = this.coordinator;
    const g = groups.group(e.group!);
    if (e.action === 'add_consumer') return groups.addConsumer(g, e.member);
    if (e.action === 'restart_consumer') return groups.restartConsumer(g, e.member);
    if (e.action === 'resume_consumer') return groups.resumeConsumers(g, e.member);
    const m = groups.pick(g, e.member);
    if (!m) return;
    switch (e.action) {
      case 'remove_consumer': return groups.removeConsumer(g, m);
      case 'kill_consumer': return groups.killConsumer(g, m);
      case 'pause_consumer': return groups.pauseConsumer(g, m, e.forS ?? Infinity);
    }
  }

  /** A whole zone fails (its brokers, consumers and producers) or comes back (brokers and producers). */
  private zone(zone: string, down: boolean): void {
    const z = zonesOf(this.ctx.model.cluster).indexOf(zone);
    const brokers = this.cluster.brokersIn(zone);
    const producers = this.producers.setZoneDown(z, down);
    const consumers = down ? this.coordinator.killZone(z) : [];
    const list = (xs: (string | number)[]) => xs.join(', ') || 'none';
    this.ctx.log(down ? `zone ${zone} fails` : `zone ${zone} comes back`, down
      ? `brokers ${list(brokers)} stop; consumers ${list(consumers)} die; producers ${list(producers)} stop`
      : `brokers ${list(brokers)} restart; producers ${list(producers)} resume (consumers that died stay down)`);
    for (const b of brokers) {
      if (down) this.cluster.killBroker(b);
      else this.cluster.restartBroker(b);
    }
  }
}
