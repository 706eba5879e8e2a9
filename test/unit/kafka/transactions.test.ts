// Exactly-once: transactional producers, COMMIT/ABORT markers, the last stable offset, and
// read_committed consumers (which stop at the LSO and skip aborted records) beside read_uncommitted ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaKernel, runKafkaModel } from '../../../src/kernels/kafka';
import { MARKER_BYTES } from '../../../src/kernels/kafka/sim/transactions';
import { emptyScope } from '../../../src/kernels/model';

const pctx = { cellIndex: 0, scope: emptyScope };
function run(src: string) {
  const p = kafkaKernel.parse(src, pctx);
  assert.deepEqual(
    p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  return runKafkaModel(p.parsed!.model, { seed: 7, budget: { maxEvents: 1e8, maxWallMs: 60_000 }, isCancelled: () => false });
}
const cell = (producer: string, extra = '', duration = '3.5 s') => `duration: ${duration}
topics:
  - { name: t, partitions: 1 }
producers:
  - ${producer}
consumer_groups:
  - { name: rc, topics: [t], isolation_level: read_committed, auto_offset_reset: earliest }
  - { name: ru, topics: [t], auto_offset_reset: earliest }
${extra}`;

test('a control record is 78 bytes: the 61-byte batch header and a 17-byte record (ControlRecordType key: version and type, INT16 each; EndTransactionMarker value: version INT16, coordinator epoch INT32)', () => {
  assert.equal(MARKER_BYTES, 78);
});

test('commits every second: one marker per transaction; the LSO is the first offset of the open transaction; read_committed stops there, read_uncommitted at the HW', () => {
  const { result } = run(cell('{ name: p, topic: t, rate: 100, keys: 1, transactional: true, transaction_interval: 1 s }'));
  const [tx] = result.transactions;
  // Commits at 1, 2 and 3 s; the fourth transaction is still open at 3.5 s.
  assert.deepEqual([tx.committed, tx.aborted, tx.markers], [3, 0, 3]);
  const p = result.after[0];
  const [rc, ru] = result.groups;
  // Records written before the third marker, plus the three markers: the open transaction starts right after.
  assert.ok(p.lastStableOffset < p.highWatermark);
  assert.equal(rc.lagByPartition[0].position, p.lastStableOffset);
  assert.equal(ru.lagByPartition[0].position, p.highWatermark);
  // rc got every committed record and skipped the three markers; ru got everything up to the HW but the markers.
  assert.deepEqual([rc.consumed, rc.skipped], [p.lastStableOffset - 3, 3]);
  assert.deepEqual([ru.consumed, ru.skipped], [p.highWatermark - 3, 3]);
  assert.equal(rc.lagByPartition[0].lag, 0, 'read_committed lag counts to the LSO');
});

test('aborted transactions: read_committed consumers skip their records, read_uncommitted ones get them', () => {
  const { result } = run(cell('{ name: p, topic: t, rate: 100, keys: 1, transactional: true, transaction_interval: 1 s, abort_rate: 1 }'));
  const [tx] = result.transactions;
  assert.deepEqual([tx.committed, tx.aborted], [0, 3]);
  const [rc, ru] = result.groups;
  assert.equal(rc.consumed, 0);
  assert.equal(rc.skipped, tx.abortedRecords + tx.markers);
  assert.equal(ru.consumed, result.after[0].highWatermark - tx.markers);
});

test('a producer killed mid-transaction holds the LSO until transaction.timeout.ms aborts its transaction; read_committed readers wait meanwhile', () => {
  const { result, report } = run(`duration: 30 s
topics:
  - { name: t, partitions: 1 }
producers:
  - { name: tx, topic: t, rate: 100, keys: 1, transactional: true, transaction_interval: 1 s, transaction_timeout: 10 s }
  - { name: plain, topic: t, rate: 100, keys: 1 }
consumer_groups:
  - { name: rc, topics: [t], isolation_level: read_committed, auto_offset_reset: earliest }
timeline:
  - { at: 5.5 s, kill_producer: tx }
`);
  const [tx] = result.transactions;
  // The transaction begun at 5 s is aborted at 15 s: five commits, one abort at the timeout.
  assert.deepEqual([tx.committed, tx.aborted, tx.timedOut], [5, 1, 1]);
  const rc = result.groups[0];
  // Meanwhile the plain producer's 100 records/s piled up below the HW, unreadable under read_committed.
  assert.ok(rc.maxUnstable >= 900 && rc.maxUnstable <= 1100, String(rc.maxUnstable));
  assert.equal(rc.skipped, tx.abortedRecords + tx.markers);
  assert.match(
    report.blocks[0].type === 'headline' ? report.blocks[0].verdict!.text : '',
    /held back: group rc waited behind an open transaction/,
  );
});

test('validation: a transactional producer needs acks=all and idempotence', () => {
  const d = kafkaKernel.parse(
    'topics:\n  - name: t\nproducers:\n  - { name: p, topic: t, rate: 1, acks: 1, transactional: true }\n',
    pctx,
  ).diagnostics;
  assert.ok(
    d.some((x) => x.code === 'transactional-idempotence' && x.range.start.line === 3),
    JSON.stringify(d),
  );
});

test('a killed transactional producer that starts again aborts the transaction it left open (initTransactions fences the old epoch) instead of committing it', () => {
  const { result } = run(`duration: 10 s
topics:
  - { name: t, partitions: 1 }
producers:
  - { name: tx, topic: t, rate: 100, keys: 1, transactional: true, transaction_interval: 1 s, transaction_timeout: 10 s }
consumer_groups:
  - { name: rc, topics: [t], isolation_level: read_committed, auto_offset_reset: earliest }
timeline:
  - { at: 5.5 s, kill_producer: tx }
  - { at: 6.5 s, restart_producer: tx }
`);
  const [tx] = result.transactions;
  // Commits at 1 to 5 s; the transaction begun at 5 s is aborted at the restart (6.5 s), not at the
  // 10 s timeout; the ones begun after it commit at 7, 8, 9 and 10 s.
  assert.deepEqual([tx.committed, tx.aborted, tx.timedOut], [9, 1, 0]);
  // What it wrote from 5 to 5.5 s at 100 records/s, aborted.
  assert.ok(tx.abortedRecords >= 45 && tx.abortedRecords <= 55, String(tx.abortedRecords));
});
