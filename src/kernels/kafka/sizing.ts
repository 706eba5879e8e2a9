// Back-of-envelope cluster sizing from the seed's "pros": sequential I/O and zero copy. Numbers come
// from Kafka's design doc (600 MB/s linear vs ~100 KB/s random writes, 10 ms seeks, sendfile turns
// "four copies and two system calls" into one NIC copy, not with SSL) and LinkedIn's 2014 benchmark.

export interface SizingInput {
  messagesPerSecond: number;
  messageBytes: number;
  replicationFactor: number;
  /** Consumer groups reading everything (each adds one egress copy). */
  consumerGroups: number;
  retentionSeconds: number;
  /**
   * Tiered storage (KIP-405): the share of ingress to topics with remote storage, and how long those
   * keep segments on the brokers' disks (local.retention.ms). Optional: no tiered topics.
   */
  tieredShare?: number;
  localRetentionSeconds?: number;
  /** Sequential disk throughput per broker, bytes/s. */
  diskBytesPerSecond: number;
  /** Disk capacity per broker, bytes (0 = not checked). */
  diskCapacityBytes: number;
  /** NIC bandwidth per broker, bits/s (full duplex). */
  nicBitsPerSecond: number;
  cores: number;
  tls: boolean;
  /** Brokers to evaluate; 0 = the minimum that fits. */
  brokers: number;
  /** Keep each resource under this fraction. */
  targetUtilization: number;
  /** Fraction of consumer reads served from disk instead of the page cache (lagging consumers). */
  coldReadFraction: number;
}

export const SIZING_ASSUMPTIONS = {
  seekSeconds: 0.01,
  /** Per-core memcpy bandwidth for copies through user space. */
  memcpyBytesPerCoreSecond: 5e9,
  /** Per-core AES-GCM throughput (TLS) with AES-NI. */
  tlsBytesPerCoreSecond: 1.5e9,
  /** Broker request handling per core (records/s) for batched produce/fetch. */
  recordsPerCoreSecond: 1.5e6,
};

export interface SizingRow {
  resource: string;
  perBroker: number;
  capacity: number;
  unit: 'B/s' | 'B' | 'cores';
  utilization: number;
  brokersNeeded: number;
}

export interface SizingResult {
  ingressBytesPerSecond: number;
  /** On the brokers' disks, all replicas. */
  storageBytes: number;
  /** In the object store (tiered storage): one copy. */
  remoteStorageBytes: number;
  brokers: number;
  rows: SizingRow[];
  bottleneck: string;
  /** Cluster ingress ceiling: brokers x min(NIC in, disk) / RF. */
  maxIngressBytesPerSecond: number;
  randomIo: { bytesPerSecondPerDisk: number; brokersNeeded: number; slowdown: number };
  zeroCopy: { enabled: boolean; copiesPerByteServed: number; cpuCopyBytesPerSecond: number; coresForCopies: number; coresWithout: number };
  notes: string[];
}

export function sizeCluster(i: SizingInput): SizingResult {
  const A = SIZING_ASSUMPTIONS;
  const ingress = i.messagesPerSecond * i.messageBytes;
  const rf = i.replicationFactor;
  const util = i.targetUtilization;
  const nicBytes = i.nicBitsPerSecond / 8;
  const diskWrite = ingress * rf;
  const diskRead = ingress * i.consumerGroups * i.coldReadFraction;
  const netIn = ingress * rf; // producers to leaders + followers fetching from leaders
  const tiered = i.tieredShare ?? 0;
  // Tiered topics keep local.retention on the brokers (every replica) and the whole retention once in
  // the object store: the leader uploads each rolled segment, one more copy out of the broker.
  const netOut = ingress * (rf - 1) + ingress * i.consumerGroups + ingress * tiered;
  const localSeconds = tiered > 0 ? (1 - tiered) * i.retentionSeconds + tiered * (i.localRetentionSeconds ?? i.retentionSeconds) : i.retentionSeconds;
  const storage = ingress * localSeconds * rf;
  const remoteStorage = ingress * tiered * i.retentionSeconds;
  const zeroCopy = !i.tls;
  const egressToConsumers = ingress * i.consumerGroups;
  // Copies through the CPU per byte served: 0 with sendfile (DMA to the NIC), 2 without (kernel->user->socket).
  const cpuCopies = zeroCopy ? 0 : 2;
  const copyCores = (egressToConsumers * cpuCopies) / A.memcpyBytesPerCoreSecond;
  const tlsCores = i.tls ? (netIn + netOut) / A.tlsBytesPerCoreSecond : 0;
  const requestCores = (i.messagesPerSecond * (rf + i.consumerGroups)) / A.recordsPerCoreSecond;
  const cores = copyCores + tlsCores + requestCores;
  const need = (total: number, cap: number) => (cap > 0 ? Math.max(1, Math.ceil(total / (cap * util))) : 0);
  const perResource: [string, number, number, SizingRow['unit']][] = [
    ['disk write+read', diskWrite + diskRead, i.diskBytesPerSecond, 'B/s'],
    ['network in', netIn, nicBytes, 'B/s'],
    ['network out', netOut, nicBytes, 'B/s'],
    ['storage', storage, i.diskCapacityBytes, 'B'],
    ['CPU', cores, i.cores, 'cores'],
  ];
  const minBrokers = Math.max(rf, ...perResource.map(([, t, c]) => need(t, c)));
  const brokers = i.brokers > 0 ? i.brokers : minBrokers;
  const rows: SizingRow[] = perResource
    .filter(([, , c]) => c > 0)
    .map(([resource, total, capacity, unit]) => ({
      resource,
      perBroker: total / brokers,
      capacity,
      unit,
      utilization: total / brokers / capacity,
      brokersNeeded: need(total, capacity),
    }));
  const bottleneck = rows.reduce((a, b) => (b.utilization > a.utilization ? b : a)).resource;
  const randomPerDisk = i.messageBytes / A.seekSeconds; // one seek per append
  const notes: string[] = [];
  if (i.tls) notes.push('TLS is on: sendfile (zero copy) is not used, data is copied through user space and encrypted.');
  if (rf > brokers) notes.push(`Replication factor ${rf} needs at least ${rf} brokers.`);
  if (i.brokers > 0 && i.brokers < minBrokers) notes.push(`${i.brokers} brokers are too few: ${bottleneck} needs ${minBrokers}.`);
  return {
    ingressBytesPerSecond: ingress,
    storageBytes: storage,
    remoteStorageBytes: remoteStorage,
    brokers,
    rows,
    bottleneck,
    maxIngressBytesPerSecond: (brokers * Math.min(nicBytes, i.diskBytesPerSecond)) / rf,
    randomIo: {
      bytesPerSecondPerDisk: randomPerDisk,
      brokersNeeded: need(diskWrite, randomPerDisk),
      slowdown: i.diskBytesPerSecond / randomPerDisk,
    },
    zeroCopy: {
      enabled: zeroCopy,
      copiesPerByteServed: zeroCopy ? 1 : 4,
      cpuCopyBytesPerSecond: egressToConsumers * cpuCopies,
      coresForCopies: copyCores,
      coresWithout: (egressToConsumers * 2) / A.memcpyBytesPerCoreSecond,
    },
    notes,
  };
}
