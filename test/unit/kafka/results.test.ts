import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaKernel } from '../../../src/kernels/kafka';
import { kafkaResultSpecs, kafkaResultValues } from '../../../src/kernels/kafka/results';
import type { KafkaModel } from '../../../src/kernels/kafka/model';
import type { SimResult } from '../../../src/kernels/kafka/sim/simulation';
import { emptyScope } from '../../../src/kernels/model';

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
