// The sdnb command as npm installs it: `npm pack` gives a tarball whose bin runs in a clean folder
// with nothing else installed (it has no dependencies; kernels, YAML and the worker are bundled).
// Needs the production build (`npm run package` builds it before this tier runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve('.');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack ships the CLI, its worker and mermaid, and nothing the command does not load', () => {
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const files = JSON.parse(out)[0]
    .files.map((f) => f.path)
    .sort();
  for (const f of ['dist/cli.js', 'dist/worker.js', 'dist/mermaidRender.js', 'package.json', 'README.md', 'LICENSE'])
    assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
  assert.deepEqual(
    files.filter((f) => f.startsWith('dist/') && !['dist/cli.js', 'dist/worker.js', 'dist/mermaidRender.js'].includes(f)),
    [],
  );
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'no runtime dependencies to download');
});

test('the packed sdnb runs from a clean folder: --version, check, run, export', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sdnb-pack-'));
  execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' });
  const tgz = join(tmp, `${pkg.name}-${pkg.version}.tgz`);
  assert.ok(existsSync(tgz));
  const clean = join(tmp, 'clean');
  execFileSync(process.execPath, ['-e', `require('fs').mkdirSync(${JSON.stringify(clean)})`]);
  writeFileSync(join(clean, 'package.json'), '{ "name": "clean", "private": true }\n');
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tgz], { cwd: clean, encoding: 'utf8' });
  copyFileSync(join(root, 'examples', 'tour.sdnb'), join(clean, 'tour.sdnb'));
  const sdnb = (...args) => spawnSync(join(clean, 'node_modules', '.bin', 'sdnb'), args, { cwd: clean, encoding: 'utf8' });
  const v = sdnb('--version');
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout.trim(), pkg.version);
  const check = sdnb('check', 'tour.sdnb');
  assert.equal(check.status, 0, check.stdout + check.stderr);
  const run = sdnb('run', '*.sdnb');
  assert.equal(run.status, 0, run.stdout.slice(-1500) + run.stderr);
  assert.match(run.stdout, /cells? run, 0 failed/);
  const exp = sdnb('export', 'tour.sdnb', '--to', 'html');
  assert.equal(exp.status, 0, exp.stderr);
  assert.equal(exp.stderr, '', 'mermaid found beside the command');
  assert.match(readFileSync(join(clean, 'tour.html'), 'utf8'), /<svg|mermaid/);
});
