// A sweep spread over threads gives the report the same sweep gives in one thread, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import '../../../src/kernels/all';
import { parseNotebook } from '../../../src/format/sdnb';
import { CellRun, runCells } from '../../../src/runtime/session';
import { KernelWorker } from '../../../src/node/workerClient';
import { PointPool } from '../../../src/node/pointPool';
import { DEFAULT_BUDGET } from '../../../src/kernels/types';

const script = join(mkdtempSync(join(tmpdir(), 'sdnb-sweep-')), 'worker.js');
buildSync({
  entryPoints: ['src/node/worker.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: script,
  logLevel: 'error',
});

const NOTEBOOK = `# Sweep

- NFR1: performance — p99 within 30 ms.

\`\`\`estimate
peak = 2000 req/s
\`\`\`

\`\`\`gateway
name: shop
replications: 3
solve:
  parameter: services.orders.instances
  max: 16
sweep:
  parameter: traffic.rate
  from: peak / 2
  to: 2 * peak
  points: 5
services:
  orders:
    instances: 1
    concurrency: 8
    latency: { mean: 5 ms }
routes:
  - path: /x
    service: orders
traffic:
  duration: 1 s
  rate: peak
  requests:
    - path: /x
\`\`\`

\`\`\`estimate
require NFR1: shop.p99 <= 30 ms
\`\`\`
`;

test('a sweep run on point threads gives the same report as in one thread', async () => {
  const nb = parseNotebook(NOTEBOOK);
  const code = nb.cells.flatMap((c, i) => (c.kind === 'code' ? [i] : []));
  const opts = { seed: 3, notebook: {}, budget: DEFAULT_BUDGET, isCancelled: () => false };
  const here = await runCells(nb.cells, code, opts);
  const pool = new PointPool(script, 2, new SharedArrayBuffer(4));
  try {
    const spread = await runCells(nb.cells, code, { ...opts, sweepPoints: (job, values) => pool.run(job, values) });
    assert.deepEqual(
      spread.map((r) => r.outputs),
      here.map((r) => r.outputs),
    );
    assert.match(String(here[1].outputs[0].items['text/markdown']), /Sweep: /);
  } finally {
    pool.dispose();
  }
  // And through the kernel worker, which makes its own pool.
  const worker = new KernelWorker(script);
  try {
    const runs: CellRun[] = [];
    await worker.run(
      {
        cells: nb.cells.map((c) => ({ kind: c.kind, language: c.language, source: c.source })),
        run: code,
        seed: 3,
        notebook: {},
        budget: DEFAULT_BUDGET,
        stopOnFirstFailure: false,
      },
      { onStart() {}, onEnd: (r) => runs.push(r) },
    ).done;
    assert.deepEqual(
      runs.map((r) => r.outputs),
      here.map((r) => r.outputs),
    );
  } finally {
    worker.dispose();
  }
});
