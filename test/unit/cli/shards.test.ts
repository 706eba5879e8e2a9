// Sweeps across machines: `sdnb sweep FILE --shard I/N --json` and `sdnb merge` give the report of
// one unsharded run, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { parseShard } from '../../../src/cli/shards';

async function sdnb(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'sdnb-shards-'));
const file = join(dir, 'sweep.sdnb');
writeFileSync(
  file,
  `---\nseed: 11\n---\n\n# Sweep\n\n- NFR1: performance — p99 within 30 ms.\n\n\`\`\`estimate\npeak = 2000 req/s\n\`\`\`\n\n` +
    `\`\`\`gateway\nname: shop\nreplications: 3\nsolve:\n  parameter: services.orders.instances\n  max: 16\nsweep:\n  parameter: traffic.rate\n  from: peak / 2\n  to: 3 * peak\n  points: 7\n` +
    `services:\n  orders:\n    instances: 1\n    concurrency: 8\n    latency: { mean: 5 ms }\nroutes:\n  - path: /x\n    service: orders\ntraffic:\n  duration: 1 s\n  rate: peak\n  requests:\n    - path: /x\n\`\`\`\n\n` +
    `\`\`\`estimate\nrequire NFR1: shop.p99 <= 30 ms\n\`\`\`\n`,
);
const withoutDurations = (json: string) => {
  const r = JSON.parse(json);
  for (const c of r.cells) delete c.durationMs;
  return JSON.stringify(r);
};

test('4 shards merged give the unsharded run byte for byte', async () => {
  const whole = await sdnb('run', file, '--json');
  assert.equal(whole.code, 0, whole.out.slice(0, 2000));
  const shardFiles: string[] = [];
  let points = 0;
  for (let i = 1; i <= 4; i++) {
    const r = await sdnb('sweep', file, '--shard', `${i}/4`, '--json');
    assert.equal(r.code, 0, r.err);
    const shard = JSON.parse(r.out);
    assert.deepEqual(shard.shard, { index: i, count: 4 });
    // Point k goes to shard k mod 4: 7 points make shards of 2, 2, 2 and 1.
    assert.deepEqual(
      shard.points.map((p: { k: number }) => p.k),
      [0, 1, 2, 3, 4, 5, 6].filter((k) => k % 4 === i - 1),
    );
    points += shard.points.length;
    const f = join(dir, `shard-${i}.json`);
    writeFileSync(f, r.out);
    shardFiles.push(f);
  }
  assert.equal(points, 7);
  const merged = await sdnb('merge', ...shardFiles);
  assert.equal(merged.code, 0, merged.err);
  assert.equal(merged.err, '');
  assert.equal(withoutDurations(merged.out), withoutDurations(whole.out));
  // A missing shard's points are run by merge itself, and it says so.
  const partial = await sdnb('merge', ...shardFiles.slice(0, 3));
  assert.match(partial.err, /shard 4 of 4 missing: those points run here/);
  assert.equal(withoutDurations(partial.out), withoutDurations(whole.out));
});

test('shard arguments', async () => {
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) assert.equal(typeof parseShard(bad), 'string', bad);
  const r = await sdnb('sweep', file, '--shard', '5/4', '--json');
  assert.equal(r.code, 2);
  assert.match(r.err, /I must be from 1 to N/);
  const m = await sdnb('merge', file);
  assert.equal(m.code, 2);
});
