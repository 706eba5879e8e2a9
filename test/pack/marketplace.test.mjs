// The .vsix as the Marketplace gets it (`npm run package` builds it before this tier runs): the
// manifest's gallery fields, an icon of the required kind, the web entry shipped, and a README
// whose links and images all point at files that exist in the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const vsix = `${pkg.name}-${pkg.version}.vsix`;
const repo = pkg.repository.url.replace(/\.git$/, '');
const unzip = (...args) => execFileSync('unzip', [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const shipped = unzip('-Z1', vsix).split('\n').filter(Boolean);

test('the manifest has what the Marketplace page shows: icon, banner, categories, links; packaging needs no escape hatches', () => {
  assert.deepEqual(pkg.categories, ['Notebooks', 'Visualization', 'Education']);
  assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
  assert.match(repo, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
  assert.equal(pkg.bugs.url, `${repo}/issues`);
  assert.equal(pkg.homepage, `${repo}#readme`);
  assert.equal(pkg.scripts['vscode:prepublish'], 'node scripts/build.mjs --production');
  const packaging = readFileSync('scripts/package.mjs', 'utf8');
  for (const flag of ['--allow-missing-repository', '--no-rewrite-relative-links', '--skip-license'])
    assert.ok(!packaging.includes(flag), flag);
});

test('the icon is a 128×128 PNG (the Marketplace takes no SVG) and ships', () => {
  const png = readFileSync(pkg.icon);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.ok(shipped.includes(`extension/${pkg.icon}`));
});

test('both entries, the localisation files and no source maps, node_modules or README screenshots ship', () => {
  for (const f of [pkg.main, pkg.browser, './dist/worker.js', './dist/web/worker.js', './package.nls.json', './l10n/bundle.l10n.json']) {
    assert.ok(shipped.includes(`extension/${f.replace(/^\.\//, '')}`), f);
  }
  assert.deepEqual(
    shipped.filter((f) => /\.map$|node_modules|media\/readme\//.test(f)),
    [],
  );
  const size = statSync(vsix).size;
  assert.ok(size < 3 * 1024 * 1024, `${(size / 1024 / 1024).toFixed(2)} MB`);
});

test('the packaged README links into the repository, and every link and image there names a file that exists', () => {
  const readme = unzip('-p', vsix, 'extension/readme.md');
  const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  assert.ok(targets.length >= 10);
  const relative = targets.filter((t) => !/^(https?:|mailto:|#)/.test(t));
  assert.deepEqual(relative, [], 'a relative link would break on the Marketplace page');
  const ours = targets.filter((t) => t.startsWith(`${repo}/`));
  const missing = ours.map((t) => t.replace(new RegExp(`^${repo}/(raw|blob)/HEAD/`), '')).filter((p) => !existsSync(p));
  assert.deepEqual(missing, []);
  const images = [...readme.matchAll(/!\[([^\]]*)\]\(([^)]+)\)/g)];
  assert.ok(images.length >= 3, 'screenshots of a run and a verdict');
  for (const [, alt, src] of images) {
    assert.ok(src.startsWith(`${repo}/raw/HEAD/media/`) && src.endsWith('.png'), src);
    assert.ok(alt.length > 20, `alt text for ${src}`);
  }
});

test('the README starts with what a user gets; the two commands for a newcomer stay in it', () => {
  const readme = readFileSync('README.md', 'utf8');
  const at = (s) => {
    const i = readme.indexOf(s);
    assert.ok(i >= 0, s);
    return i;
  };
  assert.ok(at('![') < at('## What you get'));
  assert.ok(at('## What you get') < at('## Get started'));
  assert.ok(at('## Get started') < at('## Run it from this repository'));
  assert.ok(at('## Run it from this repository') < at('## Development'));
  at('bash scripts/setup.sh && npm start');
  at('bash scripts/setup.sh && npm test');
});
