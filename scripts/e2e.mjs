// End-to-end tier: a person's path through the product in a real browser. Installs the packaged
// .vsix into code-server, opens the tour notebook, runs all cells, checks the rendered outputs,
// edits and saves, closes and reopens, and saves screenshots under test-results/.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureCodeServer, startCodeServer } from './code-server.mjs';
import { launchChromium } from './browser.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const vsix = resolve(`${pkg.name}-${pkg.version}.vsix`);
if (!existsSync(vsix) || process.argv.includes('--package')) {
  const r = spawnSync(process.execPath, ['scripts/package.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
const artifacts = resolve('test-results');
mkdirSync(artifacts, { recursive: true });

const tmp = mkdtempSync(join(tmpdir(), 'sdnb-e2e-'));
const workspace = join(tmp, 'workspace');
cpSync('examples', workspace, { recursive: true });
const notebookFile = join(workspace, 'tour.sdnb');
const extensionsDir = join(tmp, 'ext');
const install = spawnSync(process.execPath, [ensureCodeServer(), '--extensions-dir', extensionsDir, '--install-extension', vsix], { encoding: 'utf8' });
if (install.status !== 0) {
  console.error(install.stdout, install.stderr);
  process.exit(1);
}

const results = [];
let page;
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`✔ ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    await page?.screenshot({ path: join(artifacts, 'e2e-failure.png') }).catch(() => {});
    console.log(`✘ ${name}\n    ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n    ')}`);
    throw e;
  }
}

/** The output webview frames' text and structure, searched across nested iframes. */
async function outputs(page) {
  const found = { svgs: 0, tables: [], errors: [] };
  for (const frame of page.frames()) {
    try {
      const r = await frame.evaluate(() => ({
        svgs: [...document.querySelectorAll('.sdnb-out svg')].filter((s) => (s.viewBox?.baseVal?.width ?? 0) > 0 || s.getBoundingClientRect().width > 0).length,
        tables: [...document.querySelectorAll('.sdnb-out table')].map((t) => t.textContent ?? ''),
        errors: [...document.querySelectorAll('.sdnb-out .sdnb-error')].map((e) => e.textContent ?? ''),
      }));
      found.svgs += r.svgs;
      found.tables.push(...r.tables);
      found.errors.push(...r.errors);
    } catch {
      /* frames come and go */
    }
  }
  return found;
}

async function waitUntil(what, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last.ok) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the quick pick lists an entry with this label, then accepts it. */
async function pickFirst(page, label) {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click();
}

async function command(page, title) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await pickFirst(page, title);
}

async function openNotebook(page) {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type('tour.sdnb');
  await pickFirst(page, 'tour.sdnb');
  await page.locator('.notebook-editor').first().waitFor({ state: 'attached', timeout: 60_000 });
  await page.locator('.notebook-editor .cell-editor-container .monaco-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
}

const server = await startCodeServer({ workspace, extensionsDir, userDataDir: join(tmp, 'data') });
const browser = await launchChromium();
let code = 1;
try {
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await step('the workbench loads', async () => {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  });
  await step('the tour notebook opens in the notebook editor', () => openNotebook(page));
  await step('Run All renders diagrams and estimate tables', async () => {
    await command(page, 'Notebook: Run All');
    const r = await waitUntil('rendered outputs', async () => {
      const o = await outputs(page);
      return { ...o, ok: o.svgs >= 1 && o.tables.some((t) => t.includes('peak_qps')) };
    });
    if (r.errors.length) throw new Error(`error outputs: ${r.errors.join(' | ')}`);
    await page.screenshot({ path: join(artifacts, 'e2e-run-all.png') });
    // The model cells' reports further down, for reviewers: focus the last cell, then step up.
    await page.locator('.notebook-editor .cell-editor-container .monaco-editor').first().click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+End');
    for (let i = 1; i <= 4; i++) {
      await page.waitForTimeout(600);
      await page.screenshot({ path: join(artifacts, `e2e-run-all-${i}.png`) });
      await page.keyboard.press('ArrowUp');
    }
    await page.keyboard.press('Control+Home');
    await page.waitForTimeout(500);
  });
  const before = readFileSync(notebookFile, 'utf8');
  await step('edit a cell and save: the file has the edit and nothing else changed', async () => {
    const editor = page.locator('.notebook-editor .cell-editor-container .monaco-editor').first();
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('# checked in the browser\n');
    await page.keyboard.press('Control+S');
    await waitUntil('the save', async () => ({ ok: readFileSync(notebookFile, 'utf8') !== before }), 20_000);
    const after = readFileSync(notebookFile, 'utf8');
    const expected = before.replace('```estimate\n', '```estimate\n# checked in the browser\n');
    if (after !== expected) throw new Error(`unexpected file after save:\n${after.slice(0, 400)}`);
  });
  await step('close and reopen: the edit is there', async () => {
    await command(page, 'View: Close All Editors');
    await page.locator('.notebook-editor').first().waitFor({ state: 'detached', timeout: 20_000 }).catch(() => {});
    await openNotebook(page);
    await waitUntil('the edited line in the reopened notebook', async () => ({
      ok: (await page.locator('.notebook-editor .view-lines').allTextContents()).some((t) => t.replace(/\u00a0/g, ' ').includes('checked in the browser')),
    }), 20_000);
    await page.screenshot({ path: join(artifacts, 'e2e-reopened.png') });
  });
  code = 0;
} catch {
  code = 1;
} finally {
  const passed = results.filter((r) => r.ok).length;
  console.log(`e2e: ${passed} passed, ${results.length - passed} failed`);
  await browser.close();
  server.stop();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
