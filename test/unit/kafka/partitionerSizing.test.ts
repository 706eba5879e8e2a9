import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adaptiveFrequencyTable, BuiltInPartitioner, pickWeighted } from '../../../src/kernels/kafka/partitioner';
import { sizeCluster, SizingInput } from '../../../src/kernels/kafka/sizing';
import { Rng } from '../../../src/kernels/sim';

test('adaptive partitioning: queues 0 3 1 -> weights 4 1 3 -> cumulative 4 5 8 (BuiltInPartitioner comment)', () => {
  assert.deepEqual(adaptiveFrequencyTable([0, 3, 1]), [4, 5, 8]);
  assert.deepEqual([0, 3, 4, 5, 7, 8].map((r) => pickWeighted([4, 5, 8], r)), [0, 0, 1, 2, 2, 0]);
});

test('keyed records go to murmur2 partitions; null keys stick until batch.size bytes, then switch', () => {
  const p = new BuiltInPartitioner(new Rng(1, 'p'), 100, false);
  assert.equal(p.partition('4', 3), 1);
  const first = p.partition(null, 12);
  p.onAppend(first, 60, true, 12);
  assert.equal(p.partition(null, 12), first, 'under batch.size: still sticky');
  const seq: number[] = [];
  for (let i = 0; i < 20; i++) { const q = p.partition(null, 12); seq.push(q); p.onAppend(q, 100, true, 12); }
  assert.ok(new Set(seq).size > 3, 'switches among partitions');
  const q = p.partition(null, 12);
  p.onAppend(q, 150, false, 12);
  assert.equal(p.partition(null, 12), q, 'batch not ready: waits for 2x batch.size');
  p.onAppend(q, 50, false, 12);
  // 200 >= 2 * 100 forces a switch (may land on the same partition by chance; the counter resets)
  const r = p.partition(null, 12);
  p.onAppend(r, 99, true, 12);
  assert.equal(p.partition(null, 12), r);
});

const base: SizingInput = {
  messagesPerSecond: 2_000_000, messageBytes: 100, replicationFactor: 3, consumerGroups: 1, retentionSeconds: 86400,
  diskBytesPerSecond: 600e6, diskCapacityBytes: 0, nicBitsPerSecond: 1e9, cores: 8, tls: false, brokers: 3,
  targetUtilization: 1, coldReadFraction: 0,
};

test("sizing LinkedIn's 2M records/s of 100 B on 3 brokers with 1 GbE, RF 3: the NIC is the bottleneck", () => {
  const s = sizeCluster(base);
  assert.equal(s.ingressBytesPerSecond, 200e6);
  const netIn = s.rows.find((r) => r.resource === 'network in')!;
  assert.equal(netIn.perBroker, 200e6); // 600 MB/s in across 3 brokers
  assert.equal(netIn.utilization, 1.6);
  assert.equal(s.bottleneck, 'network in');
  assert.equal(s.maxIngressBytesPerSecond, 125e6, '3 x min(125 MB/s NIC, 600 MB/s disk) / 3');
  assert.equal(s.storageBytes, 200e6 * 86400 * 3);
});

test('random I/O: one 10 ms seek per 100 B append is 10 KB/s per disk, 60000x slower than 600 MB/s sequential', () => {
  const s = sizeCluster(base);
  assert.equal(s.randomIo.bytesPerSecondPerDisk, 10_000);
  assert.equal(s.randomIo.slowdown, 60_000);
  assert.equal(s.randomIo.brokersNeeded, 60_000);
});

test('zero copy: one copy per byte served; TLS turns it off (four copies, two through the CPU)', () => {
  const plain = sizeCluster({ ...base, consumerGroups: 2 });
  assert.equal(plain.zeroCopy.enabled, true);
  assert.equal(plain.zeroCopy.copiesPerByteServed, 1);
  assert.equal(plain.zeroCopy.cpuCopyBytesPerSecond, 0);
  const tls = sizeCluster({ ...base, consumerGroups: 2, tls: true });
  assert.equal(tls.zeroCopy.enabled, false);
  assert.equal(tls.zeroCopy.copiesPerByteServed, 4);
  assert.equal(tls.zeroCopy.cpuCopyBytesPerSecond, 2 * 400e6);
  assert.ok(tls.rows.find((r) => r.resource === 'CPU')!.perBroker > plain.rows.find((r) => r.resource === 'CPU')!.perBroker);
  assert.match(tls.notes.join(' '), /TLS/);
});

test('brokers: 0 picks the minimum that fits every resource, at least RF', () => {
  const s = sizeCluster({ ...base, brokers: 0, nicBitsPerSecond: 10e9, targetUtilization: 0.7 });
  // network in 600 MB/s over 1.25 GB/s x 0.7 -> 1 broker; disk 600 MB/s over 600 x 0.7 -> 2; RF -> 3
  assert.equal(s.brokers, 3);
  const small = sizeCluster({ ...base, brokers: 0, messagesPerSecond: 10_000_000, nicBitsPerSecond: 10e9, targetUtilization: 0.7 });
  assert.equal(small.rows.find((r) => r.resource === 'disk write+read')!.brokersNeeded, Math.ceil(3e9 / 420e6));
});

test('tiered storage (KIP-405): the brokers keep local.retention on every replica, the object store the whole retention once, and the uploads leave the leader', () => {
  const week = 7 * 86400, day = 86400;
  const plain = sizeCluster({ ...base, retentionSeconds: week });
  const tiered = sizeCluster({ ...base, retentionSeconds: week, tieredShare: 1, localRetentionSeconds: day });
  assert.equal(plain.storageBytes, 200e6 * week * 3);
  assert.equal(plain.remoteStorageBytes, 0);
  assert.equal(tiered.storageBytes, 200e6 * day * 3);
  assert.equal(tiered.remoteStorageBytes, 200e6 * week);
  const out = (r: typeof plain) => r.rows.find((x) => x.resource === 'network out')!.perBroker * r.brokers;
  assert.equal(out(tiered) - out(plain), 200e6, 'one upload copy of the ingress');
  // Half the ingress tiered: the local storage is the mean of the two retentions, weighted by bytes.
  const half = sizeCluster({ ...base, retentionSeconds: week, tieredShare: 0.5, localRetentionSeconds: day });
  assert.equal(half.storageBytes, 200e6 * (0.5 * week + 0.5 * day) * 3);
  assert.equal(half.remoteStorageBytes, 200e6 * 0.5 * week);
});
