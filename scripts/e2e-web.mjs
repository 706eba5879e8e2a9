// End-to-end tier for VS Code for the Web: the packaged .vsix in code-server with the user setting
// `remote.extensionKind` set to ["web"] for this extension, so VS Code runs its `browser` entry in
// the browser's Web Worker extension host instead of the Node one. Checks that it really ran there
// (the web extension host fetched dist/web/extension.js; the kernels ran in a Web Worker it started;
// the Node extension host's log activates other extensions but never this one), then
// runs the tour notebook (every cell kind), previews a diagram, exports HTML with mermaid inlined
// (read through the extension's URI, not fs), announces failed cells once, and stops a runaway
// simulation.
// Screenshots go to test-results/e2e-web-*.png. `--package` repackages first.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCodeServer } from './code-server.mjs';
import { artifacts, command, installVsix, pickFirst, steps, waitUntil } from './e2e-common.mjs';
import { launchChromium } from './browser.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'sdnb-e2e-web-'));
const extensionsDir = join(tmp, 'ext');
const userDataDir = join(tmp, 'data');
const pkg = installVsix(extensionsDir);
const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;
const KERNEL_WORKER = /-> sdnb-kernels$/;

const workspace = join(tmp, 'workspace');
cpSync('examples', workspace, { recursive: true });
writeFileSync(join(workspace, 'flow.mmd'), 'flowchart LR\n  client[Client] --> gw{Gateway}\n  gw --> api[API]\n');
// A simulation far longer than anyone waits for, behind an estimate that finishes at once.
writeFileSync(
  join(workspace, 'runaway.sdnb'),
  '```estimate\nx = 1 s\n```\n\n```gateway\nreplications: 1\nservices:\n  api:\n    instances: 4\n    concurrency: 8\n    latency: { mean: 5 ms }\nroutes:\n  - path: /x\n    service: api\ntraffic:\n  duration: 100000 s\n  rate: 100000\n  requests:\n    - path: /x\n```\n',
);

// One good cell and two with errors: Run All should say so once, not once per failed cell.
writeFileSync(join(workspace, 'failing.sdnb'), '```estimate\nx = 1 s\n```\n\n```gateway\nbogus: 1\n```\n\n```kafka\nbogus: 1\n```\n');

const figures = {};
let page;
const { step, summary } = steps(() => page, 'e2e-web-failure.png');

/** What the output and panel webviews show, across nested iframes. */
async function webviews() {
  const found = { svgs: 0, tables: [], errors: [], reports: [], preview: 0 };
  for (const frame of page.frames()) {
    const r = await frame
      .evaluate(() => ({
        svgs: document.querySelectorAll('.sdnb-out .sdnb-content svg').length,
        tables: [...document.querySelectorAll('.sdnb-out table')].map((t) => t.textContent ?? ''),
        errors: [...document.querySelectorAll('.sdnb-out .sdnb-error')].map((e) => e.textContent ?? ''),
        reports: [...document.querySelectorAll('.sdnb-out .sdnb-report-title')].map((e) => e.textContent ?? ''),
        preview: document.querySelectorAll('#diagram .sdnb-content svg').length,
      }))
      .catch(() => undefined);
    if (!r) continue;
    found.svgs += r.svgs;
    found.tables.push(...r.tables);
    found.errors.push(...r.errors);
    found.reports.push(...r.reports);
    found.preview += r.preview;
  }
  return found;
}

/** The browser's Web Worker extension host (VS Code names it so). */
async function hostWorker() {
  for (const w of page.workers()) if ((await w.evaluate(() => self.name).catch(() => '')) === 'ExtensionHostWorker') return w;
  throw new Error(`no Web Worker extension host among ${page.workers().length} workers`);
}

async function open(file) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(file);
  // Quick Open lists recent files first; wait for the filtered list, whose first row is the file.
  const first = page.locator('.quick-input-list .monaco-list-row').first();
  await waitUntil(
    `Quick Open to offer ${file}`,
    async () => ({ ok: ((await first.getAttribute('aria-label').catch(() => '')) ?? '').startsWith(file) }),
    20_000,
  );
  await page.keyboard.press('Enter');
}

async function openNotebook(file) {
  await open(file);
  await page.locator('.notebook-editor .cell-editor-container .monaco-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
}

const browser = await launchChromium();
const server = await startCodeServer({
  workspace,
  extensionsDir,
  userDataDir,
  settings: { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] } },
});
let code = 1;
try {
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Every kernel Web Worker, alive or ended: the Web Worker extension host names the workers it starts "<its name> -> <ours>".
  const kernelWorkers = [];
  page.on('worker', async (w) => {
    const name = await w.evaluate(() => self.name).catch(() => '');
    if (!KERNEL_WORKER.test(name)) return;
    const entry = { name, worker: w, isolated: await w.evaluate(() => self.crossOriginIsolated).catch(() => undefined) };
    kernelWorkers.push(entry);
  });

  await step('the workbench loads with the extension set to run in the web extension host', async () => {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  });

  await step(
    'the tour (markdown, estimate, mermaid, gateway and Kafka cells) runs: tables, a diagram and both reports, no errors',
    async () => {
      await openNotebook('tour.sdnb');
      const t0 = Date.now();
      await command(page, 'Notebook: Run All');
      await waitUntil('the first output', async () => ({ ok: (await webviews()).tables.some((t) => t.includes('peak_qps')) }));
      figures['Run All -> first output drawn'] = `${Date.now() - t0} ms`;
      await page.screenshot({ path: join(artifacts, 'e2e-web-run-all.png') });
      // Outputs render as they come near: walk down the cells to the diagram and the two model reports.
      await page.locator('.notebook-editor .cell-editor-container .monaco-editor').first().click();
      await page.keyboard.press('Escape');
      // A model may still be running when the walk passes it: back to the top now and then.
      let presses = 0;
      const o = await waitUntil(
        'a diagram and the gateway and Kafka reports',
        async () => {
          // Escape first: in a cell's editor the arrows move the cursor, not the focus from cell to cell.
          await page.keyboard.press('Escape');
          await page.keyboard.press(++presses % 20 === 0 ? 'Control+Home' : 'ArrowDown');
          const w = await webviews();
          // What a timeout prints: the reports and errors drawn so far (the tables would crowd them out).
          return {
            errors: w.errors,
            reports: w.reports,
            svgs: w.svgs,
            ok: w.svgs >= 1 && ['API gateway model', 'Kafka model'].every((t) => w.reports.includes(t)),
          };
        },
        180_000,
      );
      if (o.errors.length) throw new Error(`error outputs: ${o.errors.join(' | ')}`);
      figures['Run All -> diagram and both model reports drawn'] = `${Date.now() - t0} ms`;
    },
  );

  await step(
    'it ran in the web extension host: dist/web/extension.js loaded, kernels in a Web Worker, nothing in the Node extension host',
    async () => {
      // What the Web Worker extension host fetched (Resource Timing in that worker): our browser entry, not the desktop one.
      const host = await hostWorker();
      const fetched = (await host.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))).map((u) =>
        decodeURIComponent(u),
      );
      if (!fetched.some((u) => /\/dist\/web\/extension\.js(&|$)/.test(u)))
        throw new Error(`the web extension host never fetched dist/web/extension.js: ${fetched.join(', ')}`);
      if (fetched.some((u) => /\/dist\/extension\.js(&|$)/.test(u))) throw new Error('the web extension host fetched the desktop entry');
      if (kernelWorkers.length === 0) throw new Error('no kernel Web Worker was started');
      const logs = readdirSync(join(userDataDir, 'logs'), { recursive: true }).filter((f) => String(f).endsWith('remoteexthost.log'));
      const log = logs.map((f) => readFileSync(join(userDataDir, 'logs', String(f)), 'utf8')).join('\n');
      if (!/_doActivateExtension vscode\./.test(log))
        throw new Error(`the Node extension host log (${logs.join(', ') || 'none'}) shows no activations at all, so it proves nothing`);
      // An activation there is `_doActivateExtension <id>` or the load of a module from our folder; print
      // every line that names us, so a failure shows what the Node extension host did.
      const ours = log.split('\n').filter((l) => l.includes(EXTENSION_ID));
      const ran = ours.filter((l) => l.includes(`_doActivateExtension ${EXTENSION_ID},`) || /loadCommonJSModule|loadESMModule/.test(l));
      if (ran.length) throw new Error(`the Node extension host ran ${EXTENSION_ID}:\n${ran.slice(0, 5).join('\n')}`);
      if (ours.length) figures['the Node extension host named us without running us'] = ours.slice(0, 5).join(' | ');
      figures['kernel Web Worker'] = `"${kernelWorkers[0].name}", crossOriginIsolated: ${kernelWorkers[0].isolated}`;
    },
  );

  await step('Preview Diagram draws a .mmd file in its panel', async () => {
    await open('flow.mmd');
    await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible' });
    await command(page, 'System Design: Preview Diagram');
    await waitUntil("the preview panel's diagram", async () => ({ ok: (await webviews()).preview > 0 }), 30_000);
    await page.screenshot({ path: join(artifacts, 'e2e-web-preview.png') });
    await command(page, 'View: Close All Editors');
  });

  await step('Export Notebook as HTML writes one file with mermaid inlined, read through the extension URI', async () => {
    await openNotebook('tour.sdnb');
    await command(page, 'System Design: Export Notebook as HTML or Markdown');
    await pickFirst(page, 'HTML');
    // The web's save dialog is a quick input holding the suggested path: accept it.
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForTimeout(500);
    await page.keyboard.press('Enter');
    const file = join(workspace, 'tour.html');
    await waitUntil('tour.html', async () => ({ ok: existsSync(file) && statSync(file).size > 0 }), 120_000);
    const html = readFileSync(file, 'utf8');
    const mermaid = statSync(
      join(
        extensionsDir,
        readdirSync(extensionsDir).find((d) => d.startsWith(EXTENSION_ID)),
        'dist',
        'mermaidRender.js',
      ),
    ).size;
    if (html.length < mermaid)
      throw new Error(
        `tour.html is ${html.length} characters, less than dist/mermaidRender.js (${mermaid} bytes): mermaid was not inlined`,
      );
    if (!html.includes('peak_qps')) throw new Error('the export has no estimate table');
    figures['exported tour.html'] = `${(html.length / 1024 / 1024).toFixed(1)} MiB`;
    await command(page, 'View: Close All Editors');
  });

  await step('Run All with two failing cells announces them once, in one notification; no output is a live region', async () => {
    await openNotebook('failing.sdnb');
    await command(page, 'Notebook: Run All');
    const toasts = page.locator('.notifications-toasts .notification-toast', { hasText: 'cells failed' });
    await toasts.first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForTimeout(2000);
    const texts = await toasts.allTextContents();
    if (texts.length !== 1) throw new Error(`${texts.length} notifications: ${texts.join(' | ')}`);
    if (!texts[0].includes('Run finished: 2 of 3 cells failed: cells 2 and 3.')) throw new Error(texts[0]);
    const o = await waitUntil(
      'both error outputs',
      async () => {
        const w = await webviews();
        return { ...w, ok: w.errors.length === 2 };
      },
      30_000,
    );
    let live = 0;
    for (const frame of page.frames())
      live += await frame
        .evaluate(() => document.querySelectorAll('.sdnb-out [role="alert"], .sdnb-out [aria-live]').length)
        .catch(() => 0);
    if (live) throw new Error(`${live} live regions in the outputs (${o.errors.join(' | ')})`);
    await page.screenshot({ path: join(artifacts, 'e2e-web-failures.png') });
    await page.keyboard.press('Escape');
    await command(page, 'Notifications: Clear All Notifications');
    await command(page, 'View: Close All Editors');
  });

  await step('Stop ends a runaway simulation in the Web Worker; the next run works', async () => {
    const before = kernelWorkers.length;
    await openNotebook('runaway.sdnb');
    await command(page, 'Notebook: Run All');
    await waitUntil('the estimate cell to finish', async () => ({ ok: (await webviews()).tables.some((t) => t.includes('x1 s')) }), 60_000);
    await page.waitForTimeout(1500);
    const t0 = Date.now();
    await command(page, 'Notebook: Stop Execution');
    const o = await waitUntil(
      'the Stopped output',
      async () => {
        const w = await webviews();
        return { errors: w.errors, ok: w.errors.some((e) => /Stopped/.test(e)) };
      },
      30_000,
    );
    figures['Stop -> "Stopped" drawn'] = `${Date.now() - t0} ms`;
    await page.screenshot({ path: join(artifacts, 'e2e-web-stopped.png') });
    // Without shared memory the kernels cannot see Stop, so the worker is ended; with it, the kernel stops itself.
    const runaway = kernelWorkers[before - 1];
    const alive = await Promise.race([
      runaway.worker.evaluate(() => true).catch(() => false),
      new Promise((r) => setTimeout(() => r(false), 2000)),
    ]);
    if (!runaway.isolated && alive) throw new Error("the runaway kernel's worker still answers");
    if (o.errors.length !== 1) throw new Error(`errors: ${o.errors.join(' | ')}`);
    await command(page, 'View: Close All Editors');
    await openNotebook('tour.sdnb');
    await command(page, 'Notebook: Run All');
    // The notebook reopens where it was left (scrolled down): any drawn output, and no error, will do.
    const again = await waitUntil(
      "the tour's outputs again",
      async () => {
        const w = await webviews();
        return { ...w, ok: w.reports.length + w.tables.length + w.svgs > 0 };
      },
      60_000,
    );
    if (again.errors.length) throw new Error(`errors: ${again.errors.join(' | ')}`);
    if (!runaway.isolated) {
      // The tour's estimate and diagram outputs can be drawn before its model cells ask for a worker.
      await waitUntil(
        'a new kernel worker for the next run',
        async () => ({ started: kernelWorkers.length - before, ok: kernelWorkers.length > before }),
        60_000,
      );
      if (kernelWorkers.length !== before + 1) throw new Error(`${kernelWorkers.length - before} new kernel workers, expected 1`);
    }
    figures['kernel Web Workers started'] = String(kernelWorkers.length);
  });
  code = 0;
} catch {
  code = 1;
} finally {
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`);
  summary('e2e-web');
  await page?.close().catch(() => {});
  server.stop();
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
