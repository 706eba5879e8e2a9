// The CLI in CI: several files and globs, JSON for check, a warning budget, GitHub annotations,
// --version, and Ctrl-C that stops a running simulation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { main } from '../../../src/cli/main';
import { annotation } from '../../../src/cli/annotations';
import { expandGlob } from '../../../src/cli/glob';

async function sdnb(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'sdnb-ci-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};
const GOOD = '# Design\n\n```estimate\nx = 2 req/s\n```\n';
const BAD = '# Design\n\n```estimate\ny = 1 s + 1 GB\n```\n';
write('docs/a.sdnb', GOOD);
write('docs/deep/b.sdnb.md', GOOD);
write('docs/deep/c.sdnb', BAD);
write('docs/notes.md', '# not a notebook\n');

test('globs: ** crosses folders, * stays in one, {a,b} picks either, and the result is sorted', () => {
  const rel = (xs: string[]) => xs.map((x) => x.slice(dir.length + 1));
  assert.deepEqual(rel(expandGlob(`${dir}/docs/**/*.sdnb*`)), ['docs/a.sdnb', 'docs/deep/b.sdnb.md', 'docs/deep/c.sdnb']);
  assert.deepEqual(rel(expandGlob(`${dir}/docs/*.sdnb`)), ['docs/a.sdnb']);
  assert.deepEqual(rel(expandGlob(`${dir}/docs/deep/{b,c}.sdnb*`)), ['docs/deep/b.sdnb.md', 'docs/deep/c.sdnb']);
  assert.deepEqual(rel(expandGlob(`${dir}/docs/deep/?.sdnb`)), ['docs/deep/c.sdnb']);
  assert.deepEqual(expandGlob('plain/path.sdnb'), ['plain/path.sdnb']);
});

test('check takes several files and globs; the exit status is the worst file', async () => {
  const r = await sdnb('check', `${dir}/docs/**/*.sdnb*`);
  assert.equal(r.code, 1);
  const errors = r.out.split('\n').filter((l) => / error: /.test(l));
  assert.deepEqual(
    errors.map((l) => l.slice(dir.length + 1).replace(/: error: .*/, '')),
    ['docs/deep/c.sdnb:4:9'],
  );
  const ok = await sdnb('check', join(dir, 'docs/a.sdnb'), join(dir, 'docs/deep/b.sdnb.md'));
  assert.equal(ok.code, 0);
});

test('check --json: one object per file with its findings and requirements', async () => {
  const r = await sdnb('check', '--json', `${dir}/docs/deep/*.sdnb*`);
  const files = JSON.parse(r.out);
  assert.ok(Array.isArray(files));
  assert.deepEqual(
    files.map((f: { file: string }) => f.file.slice(dir.length + 1)),
    ['docs/deep/b.sdnb.md', 'docs/deep/c.sdnb'],
  );
  const c = files[1].findings.find((f: { severity: string }) => f.severity === 'error');
  assert.deepEqual([c.line, c.column, c.source, c.code], [4, 9, 'cell', 'dimension-mismatch']);
  const single = JSON.parse((await sdnb('check', join(dir, 'docs/a.sdnb'), '--format', 'json')).out);
  assert.equal(single.file, join(dir, 'docs/a.sdnb'), 'one named file: one object');
});

test('--max-warnings N fails when the review finds more than N warnings', async () => {
  const file = join(dir, 'docs/a.sdnb');
  const all = await sdnb('check', file, '--json');
  const warnings = JSON.parse(all.out).findings.filter((f: { severity: string }) => f.severity === 'warning').length;
  assert.ok(warnings > 2, `the bare design has review warnings (${warnings})`);
  assert.equal((await sdnb('check', file, '--max-warnings', String(warnings))).code, 0);
  const over = await sdnb('check', file, '--max-warnings', String(warnings - 1));
  assert.equal(over.code, 1);
  assert.match(over.err, new RegExp(`${warnings} warnings, more than --max-warnings ${warnings - 1}`));
});

test('--format github prints workflow commands: ::level file=…,line=…,col=…::message', async () => {
  const r = await sdnb('check', join(dir, 'docs/deep/c.sdnb'), '--format', 'github');
  const lines = r.out.split('\n');
  const error = lines.find((l) => l.startsWith('::error '));
  assert.ok(error, r.out);
  assert.match(
    error,
    new RegExp(
      `^::error file=${join(dir, 'docs/deep/c.sdnb').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},line=4,col=9,title=System Design Notebook::`,
    ),
  );
  assert.ok(lines.some((l) => l.startsWith('::warning ') && l.includes('title=Design review')));
  assert.ok(
    lines.every((l) => l === '' || l.startsWith('::')),
    'nothing else on stdout',
  );
});

test('annotations escape as the Actions runner reads them: % CR LF in messages, also : and , in properties', () => {
  // From GitHub's workflow-commands documentation and the runner's escaping (toCommandValue / escapeProperty).
  assert.equal(
    annotation({ level: 'error', file: 'a.sdnb', line: 3, col: 7, message: 'plain' }),
    '::error file=a.sdnb,line=3,col=7::plain',
  );
  assert.equal(
    annotation({ level: 'warning', file: 'dir,x/a:b.sdnb', line: 1, col: 1, title: 'T: a, b', message: '100% sure\nnext\rline' }),
    '::warning file=dir%2Cx/a%3Ab.sdnb,line=1,col=1,title=T%3A a%2C b::100%25 sure%0Anext%0Dline',
  );
  assert.equal(annotation({ level: 'notice', file: 'f', line: 2, col: 1, message: 'a::b' }), '::notice file=f,line=2,col=1::a::b');
});

test('--version prints the version in package.json', async () => {
  const r = await sdnb('--version');
  assert.equal(r.code, 0);
  assert.equal(r.out, JSON.parse(readFileSync('package.json', 'utf8')).version);
});

test('Ctrl-C stops a running simulation at once: the bundled sdnb runs kernels in a worker and exits 130', async () => {
  // The CLI and its worker bundled as the package ships them (dist/cli.js beside dist/worker.js).
  const dist = mkdtempSync(join(tmpdir(), 'sdnb-dist-'));
  for (const [name, entry] of [
    ['cli', 'src/cli/main.ts'],
    ['worker', 'src/node/worker.ts'],
  ])
    buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: join(dist, `${name}.js`),
      logLevel: 'error',
    });
  const long = write(
    'long.sdnb',
    '# Long\n\n```gateway\nreplications: 1\nservices:\n  api: { instances: 8, latency: { mean: 5 ms } }\nroutes:\n  - path: /x\n    service: api\ntraffic:\n  rate: 20000\n  duration: 3000 s\n  requests:\n    - path: /x\n```\n',
  );
  const child = spawn(process.execPath, [join(dist, 'cli.js'), 'run', long], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  // Until sdnb has loaded and taken over Ctrl-C, Node's default ends it with no exit code: on a loaded
  // machine loading the bundle took over 1.5 s. The run itself lasts minutes.
  await new Promise((r) => setTimeout(r, 4000));
  const t0 = performance.now();
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const ms = performance.now() - t0;
  assert.equal(code, 130, err);
  assert.match(err, /interrupted/);
  assert.ok(ms < 2000, `exited ${ms.toFixed(0)} ms after Ctrl-C`);
});
