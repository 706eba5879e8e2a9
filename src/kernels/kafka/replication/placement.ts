// Replica placement (org.apache.kafka.admin.AdminUtils.assignReplicasToBrokers), statement by
// statement, with a fixed start index (the model's placement must not depend on luck). Without racks
// replicas go round the broker list; with racks the broker list alternates racks (racks sorted, brokers
// ascending within each) and each replica skips brokers whose rack already has one while some rack has
// none.

export interface BrokerMetadata {
  id: number;
  rack?: string;
}

export class PlacementError extends Error {}

/** AdminUtils.replicaIndex: where the (replicaIndex + 1)-th follower goes. */
function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, index: number, nBrokers: number): number {
  const shift = 1 + ((secondReplicaShift + index) % (nBrokers - 1));
  return (firstReplicaIndex + shift) % nBrokers;
}

/** Partition -> replicas (the first is the preferred leader). */
export function assignReplicasToBrokers(brokers: readonly BrokerMetadata[], nPartitions: number, replicationFactor: number, fixedStartIndex = 0, startPartitionId = 0): number[][] {
  if (nPartitions <= 0) throw new PlacementError('Number of partitions must be larger than 0.');
  if (replicationFactor <= 0) throw new PlacementError('Replication factor must be larger than 0.');
  if (replicationFactor > brokers.length) throw new PlacementError(`Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`);
  if (brokers.every((b) => b.rack === undefined)) return rackUnaware(nPartitions, replicationFactor, brokers.map((b) => b.id), fixedStartIndex, startPartitionId);
  if (brokers.some((b) => b.rack === undefined)) throw new PlacementError('Not all brokers have rack information for replica rack aware assignment.');
  return rackAware(nPartitions, replicationFactor, brokers, fixedStartIndex, startPartitionId);
}

function rackUnaware(nPartitions: number, replicationFactor: number, brokerList: number[], fixedStartIndex: number, startPartitionId: number): number[][] {
  const ret: number[][] = [];
  const n = brokerList.length;
  const startIndex = fixedStartIndex;
  let currentPartitionId = Math.max(0, startPartitionId);
  let nextReplicaShift = fixedStartIndex;
  for (let i = 0; i < nPartitions; i++) {
    if (currentPartitionId > 0 && currentPartitionId % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (currentPartitionId + startIndex) % n;
    const replicas = [brokerList[firstReplicaIndex]];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokerList[replicaIndex(firstReplicaIndex, nextReplicaShift, j, n)]);
    ret[currentPartitionId] = replicas;
    currentPartitionId += 1;
  }
  return ret;
}

function rackAware(nPartitions: number, replicationFactor: number, brokers: readonly BrokerMetadata[], fixedStartIndex: number, startPartitionId: number): number[][] {
  const brokerRackMap = new Map<number, string>(brokers.map((b) => [b.id, b.rack!]));
  const numRacks = new Set(brokerRackMap.values()).size;
  const arranged = getRackAlternatedBrokerList(brokerRackMap);
  const numBrokers = arranged.length;
  const ret: number[][] = [];
  const startIndex = fixedStartIndex;
  let currentPartitionId = Math.max(0, startPartitionId);
  let nextReplicaShift = fixedStartIndex;
  for (let i = 0; i < nPartitions; i++) {
    if (currentPartitionId > 0 && currentPartitionId % numBrokers === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (currentPartitionId + startIndex) % numBrokers;
    const leader = arranged[firstReplicaIndex];
    const replicas = [leader];
    const racksWithReplicas = new Set([brokerRackMap.get(leader)!]);
    const brokersWithReplicas = new Set([leader]);
    let k = 0;
    for (let j = 0; j < replicationFactor - 1; j++) {
      let done = false;
      while (!done) {
        const broker = arranged[replicaIndex(firstReplicaIndex, nextReplicaShift * numRacks, k, numBrokers)];
        const rack = brokerRackMap.get(broker)!;
        // Skip a broker whose rack has a replica while a rack has none, or that has one while a broker has none.
        if ((!racksWithReplicas.has(rack) || racksWithReplicas.size === numRacks) && (!brokersWithReplicas.has(broker) || brokersWithReplicas.size === numBrokers)) {
          replicas.push(broker);
          racksWithReplicas.add(rack);
          brokersWithReplicas.add(broker);
          done = true;
        }
        k += 1;
      }
    }
    ret[currentPartitionId] = replicas;
    currentPartitionId += 1;
  }
  return ret;
}

/** Brokers alternating racks: racks sorted, each rack's brokers ascending, one from each rack in turn. */
export function getRackAlternatedBrokerList(brokerRackMap: ReadonlyMap<number, string>): number[] {
  const byRack = new Map<string, number[]>();
  for (const [id, rack] of brokerRackMap) {
    const list = byRack.get(rack);
    if (list) list.push(id); else byRack.set(rack, [id]);
  }
  for (const list of byRack.values()) list.sort((a, b) => a - b);
  const racks = [...byRack.keys()].sort();
  const cursor = new Map(racks.map((r) => [r, 0]));
  const result: number[] = [];
  let rackIndex = 0;
  while (result.length < brokerRackMap.size) {
    const rack = racks[rackIndex];
    const at = cursor.get(rack)!;
    const list = byRack.get(rack)!;
    if (at < list.length) { result.push(list[at]); cursor.set(rack, at + 1); }
    rackIndex = (rackIndex + 1) % racks.length;
  }
  return result;
}
