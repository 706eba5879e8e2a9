// docs/gateway.md documents every key of the schema, and its example cell parses without errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayKernel, gatewaySchema } from '../../../src/kernels/gateway';
import { Field } from '../../../src/kernels/model';
import { Scope } from '../../../src/kernels/types';

const doc = readFileSync(join(__dirname, '../../../docs/gateway.md'), 'utf8');

function keyPaths(f: Field, path: string, out: string[]): string[] {
  if (f.type === 'object')
    for (const [k, v] of Object.entries(f.fields)) {
      const p = path ? `${path}.${k}` : k;
      out.push(p);
      keyPaths(v, p, out);
    }
  else if (f.type === 'list') keyPaths(f.items, path + '[]', out);
  else if (f.type === 'map') keyPaths(f.values, `${path}.<${f.keyHint ?? 'name'}>`, out);
  return out;
}

test('every schema key is in the key reference', () => {
  const missing = keyPaths(gatewaySchema, '', []).filter((p) => !doc.includes('`' + p + '`'));
  assert.deepEqual(missing, []);
});

test('the example cell parses cleanly', () => {
  const yaml = /## Example cell\n\n```yaml\n([\s\S]*?)```/.exec(doc)![1];
  const def = {
    name: 'peak_qps',
    quantity: { value: 800, dims: { req: 1, time: -1 } },
    cellIndex: 0,
    range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
    expression: '800 req/s',
  };
  const scope: Scope = { get: (n) => (n === 'peak_qps' ? def : undefined), names: () => ['peak_qps'] };
  const p = gatewayKernel.parse(yaml, { cellIndex: 1, scope });
  assert.deepEqual(
    p.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const m = p.parsed!.model;
  assert.equal(m.rate, 800);
  assert.deepEqual(p.parsed!.reads, ['peak_qps']);
  assert.equal(m.services[0].meanUs, 20_000); // `mean: 20 ms`
  assert.equal(m.kinds[2].size, 2000); // `size: 2 KB` (decimal)
  assert.equal(m.routes[1].cache!.ttlUs, 30_000_000);
});
