// The issue's reproducers and variants through the real CLI, in a child process under a memory ceiling
// (`ulimit -v`, and the peak resident size read from /proc): every cell ends within the run's budget with
// a positioned error or a "stopped early" notice, and `sdnb` exits 0, 1 or 2, never on a signal.
// Figures are docs/limits.md's: models refused past 256 MB of state, runs under 640 MB resident.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

/** Address space for the child (node reserves about 1 GB of it before running anything). */
const ULIMIT_KB = 2_000_000;
/** Peak resident size a cell run may reach (docs/limits.md). */
const RSS_CEILING_MB = 640;

const dir = mkdtempSync(join(tmpdir(), 'sdnb-hostile-'));
const cli = join(dir, 'cli.js');

before(async () => {
  // A fresh bundle of the CLI (as `npm run build` makes dist/cli.js), so the test runs the code under test.
  await esbuild.build({
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: cli,
    external: ['vscode'],
    logLevel: 'warning',
  });
});

interface Run {
  code: number | null;
  signal: string | null;
  out: string;
  err: string;
  rssMb: number;
  seconds: number;
}

function sdnb(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('sh', ['-c', `ulimit -v ${ULIMIT_KB}; exec "${process.execPath}" "${cli}" "$@"`, 'sh', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '',
      err = '',
      hwmKb = 0;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
      } catch {
        /* exited */
      }
    }, 50);
    const kill = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(kill);
      resolve({ code, signal, out, err, rssMb: hwmKb / 1024, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');
function notebook(name: string, cells: [string, string][]): string {
  const file = join(dir, name);
  writeFileSync(file, `---\ntitle: hostile\nseed: 1\n---\n\n${cells.map(([lang, src]) => '```' + lang + '\n' + src + '```\n').join('\n')}`);
  return file;
}
const gw = (services: string, traffic: string, top = '') =>
  `${top}services:\n${services}\nroutes:\n  - { path: /a, service: s }\ntraffic:\n${traffic}\n`;

interface CellJson {
  index: number;
  status: string;
  outputs: Record<string, unknown>[];
}
const markdownOf = (c: CellJson) => c.outputs.map((o) => String(o['text/markdown'] ?? '')).join('\n');

function checkRun(r: Run, code: number): void {
  assert.equal(r.signal, null, `ended by ${r.signal}: ${r.err.slice(-500)}`);
  assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `exit ${r.code}`);
  assert.equal(r.code, code, r.err.slice(-1000) || r.out.slice(-1000));
  assert.ok(r.rssMb > 0 && r.rssMb < RSS_CEILING_MB, `peak RSS ${r.rssMb.toFixed(0)} MB`);
  assert.doesNotMatch(r.out, /NaN|Infinity|This is a bug/);
}

// Each refused cell: [language, source, expected position (1-based, in the cell) and message start].
const refused: [string, string, string][] = [
  [
    'gateway',
    gw('  s: { instances: 1e9 }', '  rate: 100'),
    '**2:19** error: `services.s.instances: 1e9` — at most 100,000 instances per service',
  ],
  [
    'gateway',
    gw('  s: { instances: 1e7 }', '  rate: 100'),
    '**2:19** error: `services.s.instances: 1e7` — at most 100,000 instances per service',
  ],
  [
    'gateway',
    gw('  s: {}', '  rate: 100\n  keys: { count: 1e9 }'),
    '**7:18** error: `traffic.keys.count: 1e9` — at most 1,000,000 distinct keys',
  ],
  [
    'gateway',
    gw('  s: {}', '  rate: 100\n  keys: { count: 1e12 }'),
    '**7:18** error: `traffic.keys.count: 1e12` — at most 1,000,000 distinct keys',
  ],
  ['gateway', gw('  s: {}', '  rate: 100', 'replications: 1e9\n'), '**1:15** error: `replications: 1e9` — at most 1,000 replications'],
  [
    'gateway',
    gw('  s: { instances: 2, weights: [1e9, 1], balancer: consistent_hash }', '  rate: 100'),
    '**2:31** error: `services.s.weights`: consistent hashing places 100 ring points per unit of weight',
  ],
  [
    'gateway',
    gw('  s: { instances: .inf }', '  rate: 100'),
    '**2:19** error: `services.s.instances` should be a finite number, got `.inf`',
  ],
  [
    'gateway',
    gw('  s: { latency: { mean: .nan } }', '  rate: 100'),
    '**2:25** error: `services.s.latency.mean` should be a finite number, got `.nan`',
  ],
  [
    'kafka',
    'topics:\n  - { name: t, partitions: 6 }\nproducers:\n  - { name: p, topic: t, rate: 100, keys: 1e12 }\n',
    '**4:43** error: `producers[0].keys: 1e12` — at most 1,000,000 distinct keys per producer',
  ],
  [
    'kafka',
    'topics:\n  - { name: t, partitions: 6 }\nconsumer_groups:\n  - { name: g, topics: [t], consumers: 1e9 }\n',
    '**4:40** error: `consumer_groups[0].consumers: 1e9` — at most 10,000 members per group',
  ],
  [
    'kafka',
    `topics:\n  - name: t\n    records:\n${lines(50_000, (i) => `      - { key: k${i}, value: v${i} }`)}\n`,
    '**14016:8** error: the cell is 1,927,812 characters — at most 524,288 in a model cell',
  ],
  [
    'kafka',
    'cluster: { brokers: 1000 }\ntopics:\n  - { name: t, partitions: 10000, replication_factor: 100, min_insync_replicas: 2 }\n',
    '**3:55** error: `topics[0]`: 10,000 partitions × replication factor 100, 1,000,000 partition replicas',
  ],
  ['kafka', 'duration: .nan\ntopics:\n  - { name: t }\n', '**1:11** error: `duration` should be a finite number, got `.nan`'],
  [
    'kafka',
    'duration: 1e8 s\ncluster: { replica_fetch_interval: 1 µs }\ntopics:\n  - { name: t, partitions: 100 }\n',
    '**2:36** error: `cluster.replica_fetch_interval`: about 3.0e16 steps',
  ],
];

test('refused at parse time: every reproducer cell fails with its position and limit, exit 1, within the ceiling', async () => {
  const file = notebook(
    'refused.sdnb',
    refused.map(([lang, src]) => [lang, src]),
  );
  const r = await sdnb(['run', file, '--json']);
  checkRun(r, 1);
  assert.ok(r.seconds < 20, `${r.seconds} s`);
  const cells = (JSON.parse(r.out) as { cells: CellJson[] }).cells;
  assert.equal(cells.length, refused.length);
  cells.forEach((c, i) => {
    assert.equal(c.status, 'error', `cell ${i}`);
    assert.ok(markdownOf(c).includes(refused[i][2]), `cell ${i}: ${markdownOf(c).slice(0, 600)}`);
  });
  // `sdnb check` says the same with file positions
  const check = await sdnb(['check', file]);
  checkRun(check, 1);
  assert.match(check.out, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:19: error: \`services.s.instances: 1e9\``, 'm'));
});

// Each cell runs, and ends within the budget: [language, source, what its report must say].
const stopped: [string, string, RegExp][] = [
  [
    'gateway',
    gw('  s: { instances: 2 }', '  rate: 100\n  duration: 10 s\n  spike: { at: 1 s, duration: 1 s, factor: 1e9 }'),
    /stopped early: reached the (event budget \(100,000,000 steps[^)]*\)|wall-clock budget \(\d+ ms\)) after 1 of 5 replications/,
  ], // which comes first depends on the machine
  [
    'gateway',
    gw('  s: { latency: { dist: constant, mean: 1 s }, queue_limit: 1e9 }', '  rate: 200000\n  duration: 60 s', 'replications: 1\n'),
    /stopped early: reached the memory ceiling \(more than 1,048,576 requests/,
  ],
  [
    'kafka',
    'duration: 60 s\ncluster: { brokers: 1000 }\ntopics:\n  - { name: t, partitions: 2000, replication_factor: 100, min_insync_replicas: 1 }\nproducers:\n  - { name: p, topic: t, rate: 1000 }\n',
    /The run stopped early: reached the (event budget \(100,000,000 steps[^)]*\)|wall-clock budget \(\d+ ms\)) at 0\.0\d+ s of 60 s/,
  ], // the steps come first on a quiet machine, the 30 s wall clock on a loaded one
  [
    'kafka',
    'duration: 100 s\ncluster: { brokers: 1 }\ntopics:\n  - { name: t, partitions: 1, replication_factor: 1, min_insync_replicas: 1 }\nproducers:\n  - { name: p, topic: t, rate: 1000000, keys: 0, batch_size: 100, delivery_timeout: 1e6 s, acks: 1 }\ntimeline:\n  - { at: 0 s, kill_broker: 1 }\n',
    /stopped early: reached the memory ceiling \(more than 4,000,000 batches/,
  ],
  [
    'kafka',
    `topics:\n  - name: t\n    cleanup_policy: compact\n    records:\n${lines(10_000, (i) => `      - { key: k${i % 700}, value: v${i} }`)}\n`,
    /t: after compaction/,
  ],
];

test('stopped by the budget or the memory ceiling: each cell reports what ran, exit 0, within the ceiling', async () => {
  // One process per cell: the ceiling is per cell run (a notebook keeps every cell's outputs).
  for (const [i, [lang, src, says]] of stopped.entries()) {
    const file = notebook(`stopped-${i}.sdnb`, [[lang, src]]);
    const r = await sdnb(['run', file, '--json']);
    checkRun(r, 0);
    const [cell] = (JSON.parse(r.out) as { cells: CellJson[] }).cells;
    assert.equal(cell.status, 'ok', `cell ${i}`);
    assert.match(markdownOf(cell), says, `cell ${i}`);
    // a cell's wall-clock budget is 30 s; these stop on steps or memory before it (the bound leaves room for process start-up on a loaded machine)
    assert.ok(r.seconds < 60, `cell ${i}: ${r.seconds} s`);
  }
});

test('a file that cannot be read exits 2, not a crash', async () => {
  const r = await sdnb(['run', join(dir, 'missing.sdnb')]);
  assert.equal(r.signal, null);
  assert.equal(r.code, 2);
});
