// The sdnb command as npm installs it: `npm pack` gives a tarball whose bin runs in a clean folder
// with nothing else installed (it has no dependencies; kernels, YAML and the worker are bundled).
// Needs the production build (`npm run package` builds it before this tier runs), but for the last
// test, which packs a fresh clone: there `npm pack` builds it (the prepack script).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve('.');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test("npm pack ships the CLI, its worker, mermaid and mermaid's parser for Node, and nothing the command does not load", () => {
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const files = JSON.parse(out)[0]
    .files.map((f) => f.path)
    .sort();
  const bin = ['dist/cli.js', 'dist/worker.js', 'dist/mermaidRender.js', 'dist/mermaidParse.mjs'];
  for (const f of [...bin, 'package.json', 'README.md', 'LICENSE']) assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
  assert.deepEqual(
    files.filter((f) => f.startsWith('dist/') && !bin.includes(f)),
    [],
  );
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'no runtime dependencies to download');
});

/** The tarball installed in a clean folder under `tmp` with the tour beside it, and its `sdnb` to run there. */
function installed(tmp, tgz) {
  const clean = join(tmp, 'clean');
  mkdirSync(clean);
  writeFileSync(join(clean, 'package.json'), '{ "name": "clean", "private": true }\n');
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tgz], { cwd: clean, encoding: 'utf8' });
  copyFileSync(join(root, 'examples', 'tour.sdnb'), join(clean, 'tour.sdnb'));
  const sdnb = (...args) => spawnSync(join(clean, 'node_modules', '.bin', 'sdnb'), args, { cwd: clean, encoding: 'utf8' });
  return { clean, sdnb };
}

test('the packed sdnb runs from a clean folder: --version, check, run, export', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sdnb-pack-'));
  execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' });
  const tgz = join(tmp, `${pkg.name}-${pkg.version}.tgz`);
  assert.ok(existsSync(tgz));
  const { clean, sdnb } = installed(tmp, tgz);
  const v = sdnb('--version');
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout.trim(), pkg.version);
  const check = sdnb('check', 'tour.sdnb');
  assert.equal(check.status, 0, check.stdout + check.stderr);
  // Mermaid's parser loads from the package: a diagram that cannot draw fails the check at its line.
  writeFileSync(join(clean, 'broken.sdnb'), '# D\n\n```mermaid\nsequenceDiagram\n  A->>: hi\n```\n');
  const broken = sdnb('check', 'broken.sdnb', '--format', 'github');
  assert.equal(broken.status, 1, broken.stdout + broken.stderr);
  assert.match(broken.stdout, /^::error file=broken\.sdnb,line=5,col=4,title=System Design Notebook::Parse error: Expecting /m);
  unlinkSync(join(clean, 'broken.sdnb'));
  const run = sdnb('run', '*.sdnb');
  assert.equal(run.status, 0, run.stdout.slice(-1500) + run.stderr);
  assert.match(run.stdout, /cells? run, 0 failed/);
  const exp = sdnb('export', 'tour.sdnb', '--to', 'html');
  assert.equal(exp.status, 0, exp.stderr);
  assert.equal(exp.stderr, '', 'mermaid found beside the command');
  assert.match(readFileSync(join(clean, 'tour.html'), 'utf8'), /<svg|mermaid/);
});

test('npm pack in a fresh clone builds what the bin needs first (prepack); npm ci and npm install build nothing', () => {
  // Install-time scripts would run on every `npm ci`; prepack runs on `npm pack` and `npm publish` only.
  for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(pkg.scripts[s], undefined, `a ${s} script`);
  // The repository's files as a clone has them (no dist/), with this checkout's node_modules for the build.
  const tmp = mkdtempSync(join(tmpdir(), 'sdnb-clone-'));
  const clone = join(tmp, 'clone');
  for (const f of execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean)) {
    if (!existsSync(join(root, f))) continue; // deleted in the work tree
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    copyFileSync(join(root, f), join(clone, f));
  }
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'junction');
  assert.equal(existsSync(join(clone, 'dist')), false);
  const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', tmp], { cwd: clone, encoding: 'utf8' }))[0];
  assert.deepEqual(
    packed.files
      .map((f) => f.path)
      .filter((f) => f.startsWith('dist/'))
      .sort(),
    ['dist/cli.js', 'dist/mermaidParse.mjs', 'dist/mermaidRender.js', 'dist/worker.js'],
  );
  const { sdnb } = installed(tmp, join(tmp, packed.filename));
  const v = sdnb('--version');
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout.trim(), pkg.version);
  const check = sdnb('check', 'tour.sdnb');
  assert.equal(check.status, 0, check.stdout + check.stderr);
});
