// What every part of the Kafka simulation shares: the environment (clock and event queue), the run's
// budget, the model, the seeded random source, the event log the report shows, and the memory ceiling.
import { Budget, Environment, Rng, TICKS_PER_SECOND } from '../../sim';
import { LIMITS } from '../cell/schema';
import { KafkaModel } from '../model';

export const US = TICKS_PER_SECOND;
/** Seconds -> ticks, at least one (a periodic event never reschedules itself at the same tick). */
export const toTicks = (s: number) => Math.max(1, Math.round(s * US));

export interface EventLogEntry {
  timeS: number;
  event: string;
  effect: string;
}

/**
 * The memory ceiling (docs/limits.md): batch slots of every partition log, request slots of every
 * acks=all queue, and batches waiting in producers. Past it the run stops after the current event.
 */
export class MemoryCeiling {
  logSlots = 0;
  requestSlots = 0;
  queuedBatches = 0;
  declare private readonly budget: Budget;

  constructor(budget: Budget) {
    this.budget = budget;
  }

  addLogSlots(n: number): void {
    this.logSlots += n;
    if (this.logSlots > LIMITS.liveBatches) this.exceeded();
  }

  addRequestSlots(n: number): void {
    this.requestSlots += n;
    if (this.requestSlots > LIMITS.pendingRequests) this.exceeded();
  }

  addQueuedBatches(n: number): void {
    this.queuedBatches += n;
    if (this.queuedBatches > LIMITS.pendingRequests) this.exceeded();
  }

  exceeded(): void {
    const n = (x: number) => x.toLocaleString('en-US');
    this.budget.stop('memory', `more than ${n(LIMITS.liveBatches)} batches kept in the partition logs, or ${n(LIMITS.pendingRequests)} produce requests waiting, at once: shorten retention or lower the rates`);
  }
}

/** Bytes that stayed in a zone or crossed zones, by flow (only counted when the cluster has racks). */
export interface ZoneTraffic {
  produceSame: number;
  produceCross: number;
  replicationSame: number;
  replicationCross: number;
  consumeSame: number;
  consumeCross: number;
}

export class SimContext {
  declare readonly model: KafkaModel;
  declare readonly seed: number;
  declare readonly env: Environment;
  declare readonly budget: Budget;
  declare readonly rng: Rng;
  declare readonly memory: MemoryCeiling;
  readonly events: EventLogEntry[] = [];
  readonly traffic: ZoneTraffic = { produceSame: 0, produceCross: 0, replicationSame: 0, replicationCross: 0, consumeSame: 0, consumeCross: 0 };

  constructor(model: KafkaModel, seed: number, budget: Budget) {
    this.model = model;
    this.seed = seed;
    this.env = new Environment(4096);
    this.budget = budget;
    this.rng = new Rng(seed, 'kafka');
    this.memory = new MemoryCeiling(budget);
  }

  nowMs(): number {
    return this.env.now / 1000;
  }

  nowS(): number {
    return this.env.now / US;
  }

  log(event: string, effect: string): void {
    this.events.push({ timeS: this.env.now / US, event, effect });
  }
}
