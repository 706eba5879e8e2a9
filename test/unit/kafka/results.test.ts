import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaKernel } from '../../../src/kernels/kafka';
import { kafkaResultSpecs, kafkaResultValues } from '../../../src/kernels/kafka/results';
import { precisionTable } from '../../../src/kernels/kafka/report';
import { figureText } from '../../../src/kernels/sim/ci';
import type { KafkaModel } from '../../../src/kernels/kafka/model';
import type { SimResult } from '../../../src/kernels/kafka/sim/simulation';
import { emptyScope, measuredResults } from '../../../src/kernels/model';
import { richMime } from '../../../src/kernels/types';
import type { Report } from '../../../src/kernels/report';
import { runCell, scopeOf } from '../estimate/helpers';

function model(src: string): KafkaModel {
  const p = kafkaKernel.parse(src, { cellIndex: 0, scope: emptyScope });
  assert.deepEqual(
    p.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return p.parsed!.model;
}

/** A run of `seconds` that wrote `bytes` and acknowledged `acked` records, with the given samples. */
function run(m: KafkaModel, seconds: number, bytes: number, acked: number, samples: SimResult['samples'] = []): SimResult {
  return {
    simulatedS: seconds,
    bytesWritten: bytes,
    records: acked,
    producers: m.producers.map(() => ({ acked: acked / m.producers.length, ackedLost: 0 })),
    groups: m.groups.map(() => ({ lagByPartition: [] })),
    samples,
  } as unknown as SimResult;
}

const cell = (topic: string) => `name: chat
duration: 10 s
topics:
  - name: messages
    partitions: 6
    replication_factor: 3
    retention: 30 d
${topic}
producers:
  - { name: p, topic: messages, rate: 1000, record_size: 100 }
consumer_groups:
  - { name: a, topics: [messages] }
  - { name: b, topics: [messages] }
`;

// 1 MB over 10 s: 100 kB/s into 3 brokers at RF 3. 30 d = 2,592,000 s; 1 d = 86,400 s.
const storageCases: [string, string, number, number | undefined, number][] = [
  // what, topic settings, storage per broker, remote storage, network per broker
  ['no tiered storage: the whole retention on the brokers', '', 1e5 * 2_592_000, undefined, (1e5 * (3 + 2 + 2)) / 3],
  [
    'tiered, local 1 d: the brokers keep a day, the object store 30 d once',
    '    remote_storage: true\n    local_retention: 1 d',
    1e5 * 86_400,
    1e5 * 2_592_000,
    (1e5 * (3 + 2 + 2 + 1)) / 3,
  ],
  [
    'tiered, local_retention -2 (default): the retention stays local too',
    '    remote_storage: true',
    1e5 * 2_592_000,
    1e5 * 2_592_000,
    (1e5 * (3 + 2 + 2 + 1)) / 3,
  ],
  [
    'local_retention longer than the retention is capped by it',
    '    remote_storage: true\n    local_retention: 60 d',
    1e5 * 2_592_000,
    1e5 * 2_592_000,
    (1e5 * (3 + 2 + 2 + 1)) / 3,
  ],
  ['local_retention without remote storage is ignored', '    local_retention: 1 d', 1e5 * 2_592_000, undefined, (1e5 * (3 + 2 + 2)) / 3],
];

for (const [what, topic, storage, remote, network] of storageCases) {
  test(`storage and network per broker: ${what}`, () => {
    const m = model(cell(topic));
    const v = kafkaResultValues(m, run(m, 10, 1e6, 10_000));
    assert.equal(v.get('storage_per_broker')!.value, storage);
    assert.ok(Math.abs(v.get('network_per_broker')!.value - network) < 1e-6, `${v.get('network_per_broker')!.value} vs ${network}`);
    const published = kafkaResultSpecs(m).some((s) => s.key === 'remote_storage');
    assert.equal(published, remote !== undefined);
    if (remote !== undefined) assert.equal(v.get('remote_storage')!.value, remote);
  });
}

// ---------------------------------------------------------------- intervals by batch means

/** 11 samples, one a second: acknowledgements alternate 90 and 110 a second; lag alternates 20 and 40 records. */
const sampled = (): SimResult['samples'] => {
  const out: SimResult['samples'] = [{ timeS: 0, lag: [0, 0], produced: 0, acked: 0, consumed: 0 }];
  for (let i = 1; i <= 10; i++) {
    const acked = out[i - 1].acked + (i % 2 ? 90 : 110);
    out.push({ timeS: i, lag: [i % 2 ? 20 : 40, 0], produced: acked, acked, consumed: 0 });
  }
  return out;
};
// Ten batch means alternating m − 10 and m + 10: s = √(1000/9), half-width t(0.975, 9) · s / √10 = t · 10/3.
const T_975_9 = 2.262; // Student t, 9 degrees of freedom, two-sided 95%, to three decimals as the kernels' table (NIST/SEMATECH 1.3.6.7.2)
const HW = (T_975_9 * 10) / 3;

test('Kafka named results: throughput and mean lag carry the batch-means interval; counts and maxima none', () => {
  const m = model(cell(''));
  const values = kafkaResultValues(m, run(m, 10, 1e6, 1000, sampled()));
  const defs = new Map(measuredResults('chat', kafkaResultSpecs(m), values, 0, m.nameRange!).map((d) => [d.name, d.quantity]));
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  const cases: [string, number, number | undefined][] = [
    // name, value, half-width (undefined: no interval)
    ['chat.produce_throughput', 100, HW],
    ['chat.a.mean_lag', 300 / 11, HW],
    ['chat.a.mean_lag_time', 300 / 11 / 100, HW / 100],
    ['chat.b.mean_lag', 0, undefined],
    ['chat.mean_lag', 300 / 11, HW],
    ['chat.mean_lag_time', 300 / 11 / 100, HW / 100],
    ['chat.max_lag', 40, undefined],
    ['chat.a.max_lag_time', 0.4, undefined],
    ['chat.acked_lost', 0, undefined],
    ['chat.storage_per_broker', 1e5 * 2_592_000, undefined],
  ];
  for (const [name, value, hw] of cases) {
    const q = defs.get(name)!;
    assert.ok(q, name);
    assert.ok(near(q.value, value), `${name}: ${q.value} vs ${value}`);
    if (hw === undefined) assert.equal(q.ci, undefined, name);
    else assert.ok(q.ci && near(q.ci.low, value - hw) && near(q.ci.high, value + hw), `${name}: ${JSON.stringify(q.ci)}`);
  }
});

test('a check on a Kafka throughput is met, marginal or not met by its batch-means interval', () => {
  const m = model(cell(''));
  const values = kafkaResultValues(m, run(m, 10, 1e6, 1000, sampled()));
  const scope = scopeOf(measuredResults('chat', kafkaResultSpecs(m), values, 0, m.nameRange!));
  // 100 records/s, 95% CI 92.46–107.54.
  const cases: [string, string][] = [
    ['chat.produce_throughput >= 90 records/s', '✔ met'],
    ['chat.produce_throughput >= 95 records/s', '≈ marginal'],
    ['chat.produce_throughput >= 110 records/s', '✘ not met'],
    ['chat.mean_lag_time <= 300 ms', '≈ marginal'],
    ['chat.max_lag <= 40 records', '✔ met'],
  ];
  const r = runCell(cases.map(([c], i) => `require NFR${i + 1}: ${c}`).join('\n'), 1, scope);
  const t = (r.outputs[0].items[richMime('estimate')] as Report).blocks.find((b) => b.type === 'table' && b.title === 'Requirements');
  assert.ok(t && t.type === 'table');
  assert.deepEqual(
    t.rows.map((row) => [row[1], row[5]]),
    cases,
  );
});

// ---------------------------------------------------------------- figures at full precision

test('full-precision figures: counts exact, others to 6 significant digits, more when the interval is narrow', () => {
  // [value, half-width, shown]
  const cases: [number, number, string][] = [
    [299.700000610799, NaN, '299.7'],
    [69444.30000190003, 7813.0575556658605, '69444.3'],
    [138856.8000553997, 14518.534936819222, '138857'],
    [2766.5409836065573, 1054.7591442744122, '2766.54'],
    [694284, NaN, '694284'],
    [123456789, NaN, '123456789'],
    [0.2, NaN, '0.2'],
    [0, NaN, '0'],
    // A half-width of 0.01 at 1,000: rounding must stay under 0.0001, so 8 digits (1000.0001).
    [1000.00012345, 0.01, '1000.0001'],
    [NaN, NaN, '–'],
  ];
  for (const [x, hw, want] of cases) assert.equal(figureText(x, hw), want, `${x} ± ${hw}`);
});

test('full-precision table: the interval of a mean lag stops at 0', () => {
  const m = model(cell(''));
  // Lag 0 at every sample but the last (100 records): batch means nine 0s and a 100, mean 10,
  // s = √1000, half-width 2.262 · √1000 / √10 = 22.62; the low end 10 − 22.62 is clamped to 0.
  const samples: SimResult['samples'] = Array.from({ length: 11 }, (_, i) => ({
    timeS: i,
    lag: [i === 10 ? 100 : 0, 0],
    produced: 100 * i,
    acked: 100 * i,
    consumed: 0,
  }));
  const r = {
    ...run(m, 10, 1e6, 1000, samples),
    groups: m.groups.map((g) => ({ name: g.name, lagByPartition: [], consumed: 0, redelivered: 0, idlePartitionSeconds: 0 })),
    producers: [{ name: 'p', acked: 1000, ackedLost: 0, duplicates: 0, expired: 0 }],
    leaderChanges: 0,
  } as unknown as SimResult;
  const t = precisionTable(m, r);
  assert.ok(t.type === 'table');
  assert.deepEqual(
    t.rows.find((row) => row[0] === 'a: lag, mean over the samples (records)'),
    ['a: lag, mean over the samples (records)', '9.09091', '10', '22.62', '0', '32.62', '0 0 0 0 0 0 0 0 0 100'],
  );
});
