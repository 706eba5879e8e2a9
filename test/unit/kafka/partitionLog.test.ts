import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionLog, ProducedRecord } from '../../../src/kernels/kafka/log/partitionLog';
import { BATCH_OVERHEAD, recordSizeInBytes } from '../../../src/kernels/kafka/log/config';

const recs = (keys: (number | string)[], value: string | null = 'v', ts = 0): ProducedRecord[] =>
  keys.map((k) => ({ key: String(k), value, timestamp: ts }));

test('LogCleanerTest.testDuplicateCheckAfterCleaning: keys, offsets and batch last offsets after cleaning', () => {
  const log = new PartitionLog({ cleanupPolicy: 'compact' });
  log.append(recs([1, 2, 3]));
  log.append(recs([3, 1, 4]));
  log.append(recs([1, 4]));
  log.roll();
  log.clean(0);
  const all = log.read(0);
  assert.deepEqual(
    all.map((r) => Number(r.key)),
    [2, 3, 1, 4],
  );
  assert.deepEqual(
    all.map((r) => r.offset),
    [1, 3, 6, 7],
  );
  assert.deepEqual(
    log.segments.flatMap((s) => s.batches.map((b) => b.lastOffset)),
    [2, 5, 7],
  );
});

test('compaction: a gap reads as the next surviving offset, and the active segment is never cleaned', () => {
  const log = new PartitionLog({ cleanupPolicy: 'compact' });
  log.append(recs(['a', 'b', 'a']));
  log.roll();
  log.append(recs(['a']));
  log.clean(0);
  assert.deepEqual(
    log.read(0).map((r) => r.offset),
    [1, 2, 3],
    'offset 0 (a, superseded in the cleaned range) goes; active offset 3 stays',
  );
  assert.equal(log.read(0, 1)[0].offset, 1);
  assert.equal(log.locate(0)!.offset, 1);
});

test('LogCleanerTest.testCleanTombstone: a tombstone younger than delete.retention.ms stays, an older one goes', () => {
  const log = new PartitionLog({ cleanupPolicy: 'compact', deleteRetentionMs: 1000 });
  log.append(recs(['k'], 'v1'));
  log.append([{ key: 'k', value: null, timestamp: 0 }]);
  log.roll();
  log.append(recs(['other']));
  const first = log.clean(0);
  assert.equal(first.keptTombstones, 1);
  assert.deepEqual(
    log.read(0).map((r) => [r.offset, r.value]),
    [
      [1, null],
      [2, 'v'],
    ],
  );
  log.clean(999);
  assert.deepEqual(
    log.read(0).map((r) => r.offset),
    [1, 2],
    'still inside delete.retention.ms',
  );
  const late = log.clean(1000);
  assert.equal(late.removedTombstones, 1);
  assert.deepEqual(
    log.read(0).map((r) => r.offset),
    [2],
  );
});

test('record and batch sizes follow the v2 format', () => {
  // key "k" (1 B) value "v" (1 B): attributes 1 + ts 1 + offsetDelta 1 + keylen 1 + key 1 + vallen 1 + val 1 + headers 1 = 8, +1 length varint
  assert.equal(recordSizeInBytes(1, 1), 9);
  assert.equal(recordSizeInBytes(null, 1), 8);
  const log = new PartitionLog();
  const b = log.append(recs(['k']));
  assert.equal(b.sizeInBytes, BATCH_OVERHEAD + 9);
});

test('sparse offset index: entry added when bytesSinceLastIndexEntry > index.interval.bytes, before the batch, holding its last offset', () => {
  const log = new PartitionLog({ indexIntervalBytes: 100 });
  // each opaque batch: 10 records, 60 bytes
  for (let i = 0; i < 6; i++) log.appendOpaque(10, 60, 0);
  // bytes before batches: 0,60,120(>100 -> entry for batch 2),60 after reset...
  const seg = log.activeSegment;
  assert.deepEqual(seg.index, [
    { offset: 29, position: 120 },
    { offset: 49, position: 240 },
  ]);
  const loc = log.locate(45)!;
  assert.deepEqual(loc.indexEntry, { offset: 29, position: 120 });
  assert.equal(loc.batchPosition, 240);
  assert.equal(loc.scannedBytes, 120);
  assert.deepEqual(log.locate(5)!.indexEntry, { offset: 0, position: 0 }, 'below the first entry: (base, 0)');
});

test('segments roll when size > segment.bytes - batch size, and are named by base offset', () => {
  const log = new PartitionLog({ segmentBytes: 250 });
  for (let i = 0; i < 5; i++) log.appendOpaque(10, 100, 0);
  assert.deepEqual(
    log.segments.map((s) => s.baseOffset),
    [0, 20, 40],
  );
  assert.equal(log.locate(25)!.segmentBaseOffset, 20);
});

test('retention by size is per partition: delete while size - segment >= retention.bytes, oldest first', () => {
  const log = new PartitionLog({ segmentBytes: 250, retentionBytes: 200 });
  for (let i = 0; i < 5; i++) log.appendOpaque(10, 100, 0); // segments 200, 200, 100 = 500
  const r = log.applyRetention(0);
  assert.equal(r.reason, 'size');
  assert.deepEqual(r.deletedSegments, [0]); // 500-200=300>=200 -> delete; 300-200=100 < 200 stop
  assert.equal(log.logStartOffset, 20);
});

test('retention by time deletes segments whose largest timestamp is older than retention.ms, never past the HW', () => {
  const log = new PartitionLog({ segmentBytes: 250, retentionMs: 1000 });
  for (const ts of [0, 0, 500, 500, 5000]) log.appendOpaque(10, 100, ts);
  assert.deepEqual(
    log.segments.map((s) => s.baseOffset),
    [0, 20, 40],
  );
  assert.deepEqual(log.applyRetention(2000, 10).deletedSegments, [], 'HW 10 is inside the first segment');
  assert.deepEqual(log.applyRetention(1001, 50).deletedSegments, [0]);
  assert.deepEqual(log.applyRetention(1501, 50).deletedSegments, [20]);
  assert.deepEqual(log.applyRetention(5000, 50).deletedSegments, []);
  assert.equal(log.logStartOffset, 40);
});

test('truncation removes offsets at and above the point (follower after a leader change)', () => {
  const log = new PartitionLog();
  log.append(recs([1, 2, 3]));
  log.append(recs([4, 5]));
  log.truncateTo(3);
  assert.equal(log.logEndOffset, 3);
  assert.deepEqual(
    log.read(0).map((r) => r.key),
    ['1', '2', '3'],
  );
  const next = log.append(recs([9]));
  assert.equal(next.baseOffset, 3);
});

test('simulation batch log: retention frees column memory, offsets and lookups stay right', async () => {
  const { BatchLog } = await import('../../../src/kernels/kafka/sim/batchLog');
  const { DEFAULT_LOG_CONFIG } = await import('../../../src/kernels/kafka/log/config');
  const log = new BatchLog({ ...DEFAULT_LOG_CONFIG, segmentBytes: 1000, retentionBytes: 2000 });
  for (let i = 0; i < 5000; i++) log.append(2, 100, i, 0, 2 * i);
  const grown = log.base.length;
  assert.ok(grown >= 5000);
  log.applyRetention(5000, log.logEndOffset);
  assert.ok(log.size <= 3000 && log.size >= 2000, String(log.size));
  assert.ok(log.base.length < grown / 4, 'columns shrank');
  assert.equal(log.logEndOffset, 10000);
  const i = log.batchAt(9991);
  assert.equal(log.base[i], 9990);
  assert.equal(log.seq[i], 9990);
  const loc = log.locate(9991)!;
  assert.equal(loc.batchBaseOffset, 9990);
  assert.equal(loc.segmentBaseOffset % 20, 0, 'segments of 10 batches x 2 records');
  log.append(1, 100, 5001, 0, 10000);
  assert.equal(log.logEndOffset, 10001);
});
