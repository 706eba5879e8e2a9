// Explicit `records:`: how one producer batches and partitions them (RecordAccumulator +
// BuiltInPartitioner), the keys it serializes (string, int, bytes), record timestamps, and the
// simulated partitions that start with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaKernel, runKafkaModel } from '../../../src/kernels/kafka';
import { formBatches, RecordToSend } from '../../../src/kernels/kafka/log/recordBatcher';
import { BuiltInPartitioner } from '../../../src/kernels/kafka/partitioner';
import { murmur2 } from '../../../src/kernels/kafka/murmur2';
import { emptyScope } from '../../../src/kernels/model';
import { Rng } from '../../../src/kernels/sim';
import { Report, walkBlocks } from '../../../src/kernels/report';

const pctx = { cellIndex: 0, scope: emptyScope };
const run = (src: string, seed = 7) => {
  const p = kafkaKernel.parse(src, pctx);
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error'), []);
  return runKafkaModel(p.parsed!.model, { seed, budget: { maxEvents: 1e7, maxWallMs: 60_000 }, isCancelled: () => false });
};
const table = (report: Report, title: RegExp) => {
  const t = [...walkBlocks(report.blocks)].find((b) => b.type === 'table' && title.test(b.title ?? ''));
  assert.ok(t && t.type === 'table', String(title));
  return t;
};

/** RecordAccumulatorTest's SequentialPartitioner: the "random" partition is 0, 1, 2, … (mockRandom.getAndIncrement). */
function sequential(): { rng: Rng; calls: () => number } {
  let n = 0;
  const rng = { nextU32: () => n++ } as unknown as Rng;
  return { rng, calls: () => n };
}

const nullKey = (valueBytes: number): RecordToSend => ({ key: null, valueBytes, timestamp: 0 });

test('RecordAccumulatorTest.testUniformBuiltInPartitioner: batch.size 1024; a small record, then 1024-byte records switch once the batch they fill is closed', () => {
  const { rng, calls } = sequential();
  const sticky = new BuiltInPartitioner(rng, 1024, false);
  const records = [nullKey(5), nullKey(1024), nullKey(1024), nullKey(1024), nullKey(1024)];
  // Kafka's assertions after each append: partition and mockRandom's count.
  const expected: [number, number][] = [[0, 1], [0, 1], [1, 2], [2, 3], [0, 4]];
  for (let n = 1; n <= records.length; n++) {
    const { rng: r, calls: c } = sequential();
    const batches = formBatches(records.slice(0, n), 3, 1024, new BuiltInPartitioner(r, 1024, false));
    assert.deepEqual([batches[batches.length - 1].partition, c()], expected[n - 1], `after append ${n}`);
  }
  const batches = formBatches(records, 3, 1024, sticky);
  assert.deepEqual(batches.map((b) => [b.partition, b.records]), [[0, [0]], [0, [1]], [1, [2]], [2, [3]], [0, [4]]]);
  assert.equal(calls(), 4);
});

test('1,000 null-key records of 100 B on 6 partitions: 148 records fill a 16,384-byte batch; the partition switches when its second batch is full (296 records)', () => {
  const value = 'x'.repeat(100);
  const src = `duration: 1 s\ntopics:\n  - name: t\n    partitions: 6\n    records:\n${Array.from({ length: 1000 }, () => `      - { value: "${value}" }`).join('\n')}\n`;
  const { result, report } = run(src);
  const written = table(report, /records as written/).rows;
  // Consecutive records on one partition: full runs of 296 (two batches), then the rest.
  const runs: number[] = [];
  written.forEach((row, i) => { if (i > 0 && row[0] === written[i - 1][0]) runs[runs.length - 1]++; else runs.push(1); });
  assert.ok(runs.length >= 4, `runs ${runs}`);
  runs.slice(0, -1).forEach((n) => assert.equal(n % 296, 0, `runs ${runs}`));
  // A batch: 61 B header + 64 records of 109 B (offset delta < 64) + 84 of 110 B = 16,277 B; the 149th would pass 16,384.
  const batchBases = new Set(written.filter((r) => r[0] === written[0][0]).map((r) => r[4]));
  assert.deepEqual([...batchBases].slice(0, 2), [0, 148]);
  // The simulated partitions start with the records (LEO, HW and size were 0 before the fix).
  const before = result.before.filter((p) => p.logEndOffset > 0);
  assert.equal(before.reduce((a, p) => a + p.logEndOffset, 0), 1000);
  for (const p of before) {
    assert.equal(p.highWatermark, p.logEndOffset);
    if (p.logEndOffset === 296) assert.equal(p.sizeBytes, 2 * 16_277);
  }
});

test('keys: a null key shows as null, the string "null" quoted; int keys are 4 big-endian bytes; raw bytes in hex', () => {
  const src = `duration: 1 s
topics:
  - name: t
    partitions: 3
    cleanup_policy: compact
    records:
      - { value: a }
      - { key: "null", value: b }
      - { key_int: 42, value: c }
      - { key_bytes: "0x0000002a", value: d }
      - { key_bytes: "616263", value: e }
      - { key: abc, value: f }
`;
  const { report } = run(src);
  const rows = table(report, /records as written/).rows;
  assert.deepEqual(rows.map((r) => [r[2], r[3]]), [['null', '"a"'], ['"null"', '"b"'], ['42', '"c"'], ['0x0000002a', '"d"'], ['0x616263', '"e"'], ['"abc"', '"f"']]);
  // UtilsTest.testMurmur2: the bytes {'a','b','c'} hash to 479470107, as the string "abc" does.
  assert.equal(murmur2(new Uint8Array([0x61, 0x62, 0x63])), 479470107);
  assert.equal(rows[4][0], 479470107 % 3);
  assert.equal(rows[5][0], rows[4][0]);
  // key_int 42 serializes to 0x0000002a: same partition, and compaction keeps only the later of the two.
  assert.equal(rows[2][0], rows[3][0]);
  const after = table(report, /after compaction/).rows;
  assert.ok(after.some((r) => r[3] === '"d"') && !after.some((r) => r[3] === '"c"'), JSON.stringify(after));
  assert.ok(after.some((r) => r[3] === '"f"') && !after.some((r) => r[3] === '"e"'), 'string "abc" and bytes 616263 are one key');
});

test('record timestamps: records older than retention.ms are deleted by the first retention pass', () => {
  const src = `duration: 10 s
topics:
  - name: t
    partitions: 1
    retention: 7 d
    records:
      - { key: a, value: old, timestamp: -8 d }
      - { key: b, value: old, timestamp: -8 d }
  - name: u
    partitions: 1
    retention: 7 d
    records:
      - { key: a, value: recent, timestamp: -6 d }
`;
  const { result } = run(src);
  const t = result.after.find((p) => p.topic === 't')!, u = result.after.find((p) => p.topic === 'u')!;
  assert.deepEqual([t.logStartOffset, t.logEndOffset, t.sizeBytes], [2, 2, 0]);
  assert.deepEqual([u.logStartOffset, u.logEndOffset], [0, 1]);
});

test('a record takes one key: key and key_int together is an error at the second', () => {
  const p = kafkaKernel.parse('topics:\n  - name: t\n    records:\n      - { key: a, key_int: 1 }\n', pctx);
  const e = p.diagnostics.find((d) => d.code === 'two-keys');
  assert.ok(e, JSON.stringify(p.diagnostics));
  assert.equal(e!.range.start.line, 3);
});
