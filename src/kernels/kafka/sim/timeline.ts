// The scenario's timeline: each event of the cell happens at its time, on the cluster (brokers) or on
// the group coordinator (members). What each action does lives with the part it acts on.
import { TimelineEvent } from '../model';
import { Cluster } from './cluster';
import { SimContext, US } from './context';
import { GroupCoordinator } from './groupCoordinator';

export class Timeline {
  declare private readonly cluster: Cluster;
  declare private readonly coordinator: GroupCoordinator;

  constructor(ctx: SimContext, cluster: Cluster, coordinator: GroupCoordinator) {
    this.cluster = cluster;
    this.coordinator = coordinator;
    for (const e of ctx.model.timeline) ctx.env.call(Math.round(e.atS * US), () => this.happen(e));
  }

  private happen(e: TimelineEvent): void {
    switch (e.action) {
      case 'kill_broker': return this.cluster.killBroker(e.broker!);
      case 'restart_broker': return this.cluster.restartBroker(e.broker!);
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
}
