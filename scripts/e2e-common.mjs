// What the two end-to-end tiers (e2e.mjs in code-server's Node extension host, e2e-web.mjs in its
// Web Worker one) share: the packaged .vsix installed into a fresh extensions folder, named steps
// that log and keep a screenshot of a failure, polling, and the Command Palette.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureCodeServer } from './code-server.mjs';

export const artifacts = resolve('test-results');

/** The newest modification time of the files the .vsix is built from. */
function sourcesChanged() {
  const newest = (path) => {
    const st = statSync(path);
    if (!st.isDirectory()) return st.mtimeMs;
    return readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), 0);
  };
  return Math.max(...['src', 'webview', 'syntaxes', 'snippets', 'package.json', 'package.nls.json'].filter(existsSync).map(newest));
}

/** The packaged extension, installed into `extensionsDir`: packaged first when missing, older than its sources, or with `--package`. */
export function installVsix(extensionsDir) {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const vsix = resolve(`${pkg.name}-${pkg.version}.vsix`);
  const stale = existsSync(vsix) && statSync(vsix).mtimeMs < sourcesChanged();
  if (stale) console.log(`${vsix} is older than its sources: packaging it again`);
  if (!existsSync(vsix) || stale || process.argv.includes('--package')) {
    const r = spawnSync(process.execPath, ['scripts/package.mjs'], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(1);
  }
  mkdirSync(artifacts, { recursive: true });
  const install = spawnSync(process.execPath, [ensureCodeServer(), '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    encoding: 'utf8',
  });
  if (install.status !== 0) {
    console.error(install.stdout, install.stderr);
    process.exit(1);
  }
  return pkg;
}

/** Named steps: each logs ✔ or ✘ with its time; a failure saves a screenshot as `failureShot` and ends the run. */
export function steps(currentPage, failureShot) {
  const results = [];
  async function step(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`✔ ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      results.push({ name, ok: false });
      await currentPage()
        ?.screenshot({ path: join(artifacts, failureShot) })
        .catch(() => {});
      console.log(
        `✘ ${name}\n    ${String(e?.stack ?? e)
          .split('\n')
          .slice(0, 6)
          .join('\n    ')}`,
      );
      throw e;
    }
  }
  const summary = (tier) => {
    const passed = results.filter((r) => r.ok).length;
    console.log(`${tier}: ${passed} passed, ${results.length - passed} failed`);
  };
  return { step, summary };
}

/** Polls `probe` until it returns `{ ok: true, ... }`; past the timeout, fails with what it saw last. */
export async function waitUntil(what, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last.ok) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the quick pick lists an entry with this label, then accepts it. */
export async function pickFirst(page, label) {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click();
}

/** Runs a command from the Command Palette by its title. */
export async function command(page, title) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await pickFirst(page, title);
}
