// docs/limits.md states the limits the code enforces: every limit with a reason in the schemas, every
// bound in the kernels' LIMITS, the shared ceilings and the default budget, with the same figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewaySchema } from '../../../src/kernels/gateway';
import { LIMITS as GATEWAY } from '../../../src/kernels/gateway/schema';
import { kafkaSchema } from '../../../src/kernels/kafka';
import { LIMITS as KAFKA } from '../../../src/kernels/kafka/cell/schema';
import {
  Field,
  MAX_DURATION_S,
  MAX_MODEL_SOURCE,
  MAX_RATE,
  MAX_WORK_STEPS,
  MODEL_MEMORY_BYTES,
  formatBytes,
} from '../../../src/kernels/model';
import { DEFAULT_BUDGET } from '../../../src/kernels/types';

const doc = readFileSync(join(__dirname, '../../../docs/limits.md'), 'utf8');
const n = (x: number) => x.toLocaleString('en-US');

/** Key paths (as docs/gateway.md writes them) of fields whose maximum has a reason, with that maximum. */
function limited(f: Field, path: string, out: [string, number][]): [string, number][] {
  if ((f.type === 'number' || f.type === 'integer') && f.limit && f.max !== undefined && !f.limit.what.startsWith('('))
    out.push([path, f.max]);
  if (f.type === 'list' && f.limit && f.maxItems !== undefined) out.push([path, f.maxItems]);
  if (f.type === 'object') for (const [k, v] of Object.entries(f.fields)) limited(v, path ? `${path}.${k}` : k, out);
  else if (f.type === 'list') limited(f.items, path + '[]', out);
  else if (f.type === 'map') limited(f.values, `${path}.<${f.keyHint ?? 'name'}>`, out);
  return out;
}

test('every limit with a reason in the schemas is in docs/limits.md, with its figure', () => {
  const fields = [...limited(gatewaySchema, '', []), ...limited(kafkaSchema, '', [])];
  assert.ok(fields.length >= 6, fields.join(' '));
  for (const [path, max] of fields) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${path}\``));
    assert.ok(row, `no row for \`${path}\``);
    assert.ok(row.includes(n(max)), `${path}: ${n(max)} not in ${row}`);
  }
});

test("every bound in the kernels' LIMITS and the shared ceilings are in docs/limits.md", () => {
  for (const [name, limits] of [
    ['gateway', GATEWAY],
    ['kafka', KAFKA],
  ] as const) {
    for (const [key, value] of Object.entries(limits)) {
      if (/bytes$/i.test(key)) continue; // per-unit costs and byte sizes are written in units (550 B, 1 TB)
      assert.ok(doc.includes(n(value)), `${name} LIMITS.${key} = ${n(value)}`);
    }
  }
  for (const figure of [
    `${formatBytes(MODEL_MEMORY_BYTES)}`,
    `${MAX_MODEL_SOURCE / 1024} KB`,
    `10^${Math.log10(MAX_WORK_STEPS)} steps`,
    `${n(MAX_DURATION_S)} s`,
    `${n(MAX_RATE)} per second`,
    `| ${n(DEFAULT_BUDGET.maxEvents)} |`,
    `| ${DEFAULT_BUDGET.maxWallMs / 1000} |`,
    '`sdnb.simulation.maxEvents`',
    '`sdnb.simulation.maxWallSeconds`',
  ])
    assert.ok(doc.includes(figure), figure);
});
