// The validated cell, in SI units (seconds, bytes, records per second). The YAML front end produces it;
// the simulation and the report read it.
import type { Range } from '../types';
import { AssignorName } from './assignors';
import { ServerAssignorName } from './assignors/server';
import { CleanupPolicy } from './log/config';

export interface TopicSpec {
  name: string;
  /** Topic id (base64 Uuid) when the cell sets it; else random from the seed. */
  id?: string;
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
  retentionS: number;
  /** Per partition, -1 = unlimited. */
  retentionBytes: number;
  segmentBytes: number;
  segmentS: number;
  indexIntervalBytes: number;
  cleanupPolicy: CleanupPolicy;
  deleteRetentionS: number;
  /** Topic override of the cluster setting. */
  uncleanLeaderElection?: boolean;
  /** Tiered storage (KIP-405, `remote.storage.enable`). */
  remoteStorage: boolean;
  /** `local.retention.ms` in seconds; -2 = the topic's retention. */
  localRetentionS: number;
  /** Explicit records produced through the exact log model (keys/values; null value = tombstone). */
  records?: ExplicitRecord[];
  /** Partitions whose state at the start the cell sets. */
  states?: PartitionState[];
}

/** A partition's state at the start, set by the cell: replicas, leader, ISR, each replica's log end. */
export interface PartitionState {
  partition: number;
  /** Replaces the placement (the first is the preferred leader). */
  replicas?: number[];
  leader?: number;
  isr?: number[];
  /** Log end offset of each replica, in `replicas` order; the leader's is the partition's. */
  leos?: number[];
}

/** A record key as the producer serializes it: a string (UTF-8), an int (IntegerSerializer, 4 bytes big-endian) or raw bytes. */
export type RecordKey = { type: 'string'; text: string } | { type: 'int'; value: number } | { type: 'bytes'; bytes: Uint8Array } | null;

export interface ExplicitRecord {
  key: RecordKey;
  /** Null = tombstone. */
  value: string | null;
  partition?: number;
  /** CreateTime, in seconds from the start of the run (negative: before it). */
  timestampS: number;
}

export type AcksSetting = '0' | '1' | 'all';

export interface ProducerSpec {
  name: string;
  topic: string;
  rate: number;
  /** Value bytes per record. */
  recordBytes: number;
  /** Distinct keys, produced in rotation (key-0, key-1, ...); 0 = null keys (sticky partitioning). */
  keys: number;
  acks: AcksSetting;
  /** Undefined = Kafka's default: on unless acks is not `all` (3.0+). */
  idempotence?: boolean;
  batchBytes: number;
  lingerS: number;
  maxInFlight: number;
  requestTimeoutS: number;
  deliveryTimeoutS: number;
  retryBackoffS: number;
  partitioner: 'adaptive' | 'uniform';
  /** `client.rack`-like: the zone the producer runs in (for cross-zone traffic). */
  rack?: string;
  /** A transactional producer (`transactional.id`): it commits every `transactionIntervalS`. */
  transactional: boolean;
  transactionIntervalS: number;
  /** Share of transactions the producer aborts. */
  abortRate: number;
  /** `transaction.timeout.ms`: a transaction still waiting for its records after this aborts. */
  transactionTimeoutS: number;
}

export type GroupProtocolName = 'classic' | 'consumer';

/** A member the cell lists: its ids, subscription and what it owns when the run starts. */
export interface MemberSpec {
  id?: string;
  instanceId?: string;
  /** Undefined: the group's topics. */
  topics?: string[];
  owns: { topic: string; partition: number }[];
  /** Classic: the generation of the owned partitions. */
  generation?: number;
  /** `client.rack`. */
  rack?: string;
}

export interface GroupSpec {
  name: string;
  topics: string[];
  /** `group.protocol`: classic (client-side assignors, join/sync rounds) or consumer (KIP-848, 4.0+). */
  protocol: GroupProtocolName;
  /** Offsets committed by hand at the start, by `<topic>-<partition>`. */
  committed?: { topic: string; partition: number; offset: number }[];
  /** Classic: `partition.assignment.strategy`; consumer: `group.remote.assignor` (uniform or range). */
  assignor: AssignorName | ServerAssignorName;
  /** Consumer protocol: `group.consumer.heartbeat.interval.ms` (a broker setting). */
  heartbeatIntervalS: number;
  consumers: number;
  /** The members at start, when the cell lists them (then `consumers` is their count). */
  members?: MemberSpec[];
  /** Members get group.instance.id (static membership). */
  static: boolean;
  /** Records per second one consumer can process; 0 = keeps up with anything. */
  rate: number;
  autoOffsetReset: 'latest' | 'earliest';
  /** `isolation.level`: read_committed reads up to the last stable offset and skips aborted records. */
  isolationLevel: 'read_uncommitted' | 'read_committed';
  autoCommitIntervalS: number;
  sessionTimeoutS: number;
  maxPollIntervalS: number;
  /** Time a join/sync round takes. */
  rebalanceS: number;
  pollS: number;
}

export type TimelineAction =
  | 'kill_broker'
  | 'restart_broker'
  | 'add_consumer'
  | 'remove_consumer'
  | 'kill_consumer'
  | 'pause_consumer'
  | 'resume_consumer'
  | 'restart_consumer'
  | 'kill_zone'
  | 'restart_zone'
  | 'kill_producer'
  | 'restart_producer'
  | 'elect_preferred'
  | 'reassign';

export interface TimelineEvent {
  atS: number;
  action: TimelineAction;
  broker?: number;
  zone?: string;
  producer?: string;
  /** elect_preferred: a topic, or undefined for every partition; reassign: the topic. */
  topic?: string;
  /** reassign: the partition and its new replicas. */
  partition?: number;
  replicas?: number[];
  group?: string;
  member?: string;
  forS?: number;
  /** Line of the event in the cell (for messages). */
  index: number;
}

export interface ClusterSpec {
  brokers: number;
  /** Rack (zone) names; broker b is in racks[(b - 1) mod length] (a name may repeat). Empty: no racks. */
  racks: string[];
  /** Rack-aware replica placement when there are racks (Kafka's default with broker.rack set). */
  rackAwarePlacement: boolean;
  /** `auto.leader.rebalance.enable`: the controller moves leadership back to preferred replicas. */
  autoLeaderRebalance: boolean;
  /** `leader.imbalance.check.interval.seconds`. */
  leaderImbalanceCheckIntervalS: number;
  /** Replication quota for reassignments, bytes/s (`leader/follower.replication.throttled.rate`); 0 = none. */
  reassignmentThrottle: number;
  /** `replica.selector.class`: consumers with a rack read from a replica in it (KIP-392), or from the leader. */
  replicaSelector: 'leader' | 'rack-aware';
  /** Price of a GB crossing zones (both directions counted once each), for the cost line. */
  crossZonePricePerGB?: number;
  currency: 'USD' | 'EUR' | 'GBP';
  replicaFetchS: number;
  brokerSessionTimeoutS: number;
  replicaLagTimeMaxS: number;
  uncleanLeaderElection: boolean;
  networkRttS: number;
}

export interface SizingSpec {
  diskBytesPerSecond: number;
  diskCapacityBytes: number;
  nicGbps: number;
  cores: number;
  tls: boolean;
  targetUtilization: number;
  coldReadFraction: number;
  /** Brokers to evaluate; 0 = the simulated cluster's count. */
  brokers: number;
  retentionS?: number;
}

export interface InspectSpec {
  topic: string;
  partition: number;
  offset: number;
}

export interface KafkaModel {
  /** The name its measured figures are published under (`clicks` → `clicks.max_lag`). */
  name?: string;
  /** Where the name is written, for the definitions it publishes. */
  nameRange?: Range;
  kafkaVersion: string;
  seed?: number;
  durationS: number;
  sampleS?: number;
  cluster: ClusterSpec;
  topics: TopicSpec[];
  producers: ProducerSpec[];
  groups: GroupSpec[];
  timeline: TimelineEvent[];
  sizing?: SizingSpec;
  inspect: InspectSpec[];
}

/** The zones: the distinct rack names, in order of first appearance. */
export function zonesOf(c: ClusterSpec): string[] {
  return [...new Set(c.racks)];
}

/** The rack of broker `b` (ids from 1), or undefined without racks. */
export function rackOfBroker(c: ClusterSpec, b: number): string | undefined {
  return c.racks.length ? c.racks[(b - 1) % c.racks.length] : undefined;
}

/** Major and minor of a `kafka_version` (`4.0` -> [4, 0]). */
export function versionOf(version: string): [number, number] {
  const [maj, min] = version.split('.').map(Number);
  return [maj, min];
}

export function atLeast(version: string, major: number, minor: number): boolean {
  const [maj, min] = versionOf(version);
  return maj > major || (maj === major && min >= minor);
}

/** 3.7 and later freeze the high watermark while the ISR is below min.insync.replicas (KAFKA-15583). */
export function freezesHwUnderMinIsr(version: string): boolean {
  return atLeast(version, 3, 7);
}

/** Effective idempotence: explicit, else on only with acks=all (3.0+ default when not conflicting). */
export function idempotenceOn(p: ProducerSpec): boolean {
  return p.idempotence ?? p.acks === 'all';
}

/**
 * How long a topic's records stay on the brokers' disks, in seconds: its retention, or for a tiered
 * topic (KIP-405) `local.retention.ms`, where -2 means the retention and a larger value is capped by it
 * (the broker rejects local.retention.ms > retention.ms). An unlimited retention (-1) counts as 0.
 */
export function localRetentionSeconds(t: TopicSpec): number {
  const retention = t.retentionS < 0 ? 0 : t.retentionS;
  if (!t.remoteStorage || t.localRetentionS < 0) return retention;
  return Math.min(t.localRetentionS, retention);
}
