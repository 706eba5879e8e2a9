// Browser tests for the notebook renderer, the preview panel script and exported HTML pages, against
// the built bundles (dist/renderer/index.js, dist/preview/index.js, dist/mermaidRender.js, and
// dist/cli.js for exports) in Debian's headless Chromium under a CSP without 'unsafe-eval'.
// Run: npx tsx test/browser/run.ts [FILTER]   (builds first if dist/ is missing; FILTER: a part of
// the test names to run, e.g. preview)
// Prints bundle size, time to first diagram and re-render time, and a final `N passed, M failed`.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/browser.mjs';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { cpus, loadavg, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { serve } from './harness';
import {
  EVIL_HOST,
  GATEWAY_MODEL,
  PAYLOADS,
  ROUTE_NAME_TEXT,
  SANITIZER_CASES,
  TOOLTIP,
  clickEverything,
  controlRequest,
  findOffenders,
  openContext,
  unexpected,
  watchForeignRequests,
} from './injection';
import { fenced } from '../../src/export';
import { parseNotebook } from '../../src/format/sdnb';
import { runAll } from '../unit/examples/helpers';

const ROOT = resolve(__dirname, '../..');
const MERMAID = 'application/vnd.sdnb.mermaid+json';
const ERROR = 'application/vnd.sdnb.error+json';
const ESTIMATE = 'application/vnd.sdnb.estimate+json';
const GATEWAY = 'application/vnd.sdnb.gateway+json';

/** The report a gateway cell with GATEWAY_MODEL produces, run by the real kernel. */
async function gatewayReport(): Promise<unknown> {
  const [run] = await runAll(parseNotebook(fenced('gateway', GATEWAY_MODEL) + '\n'));
  assert.ok(run.ok, JSON.stringify(run.outputs).slice(0, 500));
  return run.outputs[0].items[GATEWAY];
}

let sizes: ReturnType<typeof bundleSizes>;
let passed = 0;
let failed = 0;
const only = process.argv[2];
async function test(name: string, fn: () => Promise<void>): Promise<void> {
  if (only && !name.includes(only)) return;
  const t = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (err) {
    failed++;
    console.log(
      `FAIL ${name}\n     ${String((err as Error)?.stack ?? err)
        .split('\n')
        .slice(0, 6)
        .join('\n     ')}`,
    );
  }
}

/** How oversubscribed the (shared) CPU is: time budgets are scaled by it. */
function loadFactor(): number {
  return Math.max(1, loadavg()[0] / cpus().length);
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

function bundleSizes(): { entry: number; preview: number; mermaid: number; chunks: number; chunkCount: number } {
  const size = (f: string) => statSync(join(ROOT, f)).size;
  const chunkDir = join(ROOT, 'dist/chunks');
  const chunks = readdirSync(chunkDir).filter((f) => f.endsWith('.js'));
  return {
    entry: size('dist/renderer/index.js'),
    preview: size('dist/preview/index.js'),
    mermaid: size('dist/mermaidRender.js'),
    chunks: chunks.reduce((a, f) => a + statSync(join(chunkDir, f)).size, 0),
    chunkCount: chunks.length,
  };
}

async function newPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.log(`     page error: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => (window as any).__ready === true || (window as any).customElements?.get('vscode-button'), undefined, {
    timeout: 15_000,
  });
  return page;
}

/** Renders one output and describes what it drew. */
async function render(page: Page, id: string, mime: string, data: unknown) {
  return page.evaluate(
    async ({ id, mime, data }) => {
      const w = window as any;
      const ms: number = await w.__render(id, mime, data);
      const el = document.querySelector(`[data-id="${id}"]`)!;
      const svgs = [...el.querySelectorAll('.sdnb-content > svg')] as SVGSVGElement[];
      const errorBox = el.querySelector('.sdnb-diagram-error:not([hidden]), .sdnb-error');
      return {
        ms,
        state: (el.querySelector('.sdnb-diagram') as HTMLElement | null)?.dataset.state,
        theme: (el.querySelector('.sdnb-diagram') as HTMLElement | null)?.dataset.theme,
        viewBoxes: svgs.map((s) => [s.viewBox.baseVal?.width ?? 0, s.viewBox.baseVal?.height ?? 0]),
        errorText: errorBox?.textContent ?? null,
        mermaidErrorText: el.querySelectorAll('.error-text, .error-icon').length,
        html: el.innerHTML.length,
      };
    },
    { id, mime, data },
  );
}

async function leftovers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const e of document.body.children) {
      // Mermaid keeps one tooltip div for click tooltips; anything else is debris from a render.
      if (e.id !== 'outputs' && e.tagName !== 'SCRIPT' && !e.classList.contains('mermaidTooltip'))
        found.push(`${e.tagName.toLowerCase()}#${e.id}.${e.className}`);
    }
    if (document.querySelectorAll('body > .mermaidTooltip').length > 1) found.push('several .mermaidTooltip');
    if (document.body.textContent?.includes('Syntax error in text')) found.push('"Syntax error in text"');
    return found;
  });
}

async function main(): Promise<void> {
  if (!['renderer/index.js', 'preview/index.js', 'mermaidRender.js', 'cli.js'].every((f) => existsSync(join(ROOT, 'dist', f)))) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  sizes = bundleSizes();
  console.log(
    `bundle: renderer entry ${kb(sizes.entry)}, preview entry ${kb(sizes.preview)}, ${sizes.chunkCount} lazy chunks ${kb(sizes.chunks)}, mermaidRender.js ${kb(sizes.mermaid)} (total ${kb(sizes.entry + sizes.chunks + sizes.mermaid)})`,
  );

  // ESM-only package whose `exports` the project's `moduleResolution: node` cannot see: import by name at run time.
  const examplesPackage = '@mermaid-js/examples';
  const { diagramData } = (await import(examplesPackage)) as { diagramData: { id: string; examples: { title: string; code: string }[] }[] };
  const examples = diagramData.flatMap((d) => d.examples.map((e, i) => ({ id: `${d.id}-${i}`, type: d.id, title: e.title, code: e.code })));

  // Serve a snapshot: other builds may rewrite dist/ while the tests run.
  const snapshot = mkdtempSync(join(tmpdir(), 'sdnb-browser-'));
  for (const name of ['renderer', 'preview', 'chunks', 'mermaidRender.js', 'cli.js', 'worker.js']) {
    cpSync(join(ROOT, 'dist', name), join(snapshot, 'dist', name), { recursive: true, filter: (f) => !f.endsWith('.map') });
  }
  const { server, url } = await serve(snapshot);
  const browser = await launchChromium();
  const figures: string[] = [];
  try {
    const page = await newPage(browser, url + '/');
    const flow = 'flowchart TD\n  A[Client] --> B{Gateway}\n  B -->|ok| C[(Orders DB)]\n  B -->|429| D[Reject]';

    await test('first diagram draws within 1 s, loading mermaid once, as one file', async () => {
      // Cold loads on fresh pages (the server sends no-store); the best of three. The machine's CPU is
      // shared, so the 1 s budget is scaled by the load average beyond its cores (printed below).
      const times: number[] = [];
      let loaded = { files: 0, bytes: 0, names: [] as string[] };
      for (let i = 0; i < 3; i++) {
        const cold = await newPage(browser, url + '/');
        const r = await render(cold, 'first', MERMAID, { source: flow });
        assert.equal(r.state, 'ok', r.errorText ?? '');
        assert.ok(r.viewBoxes[0][0] > 0 && r.viewBoxes[0][1] > 0);
        times.push(r.ms);
        loaded = await cold.evaluate(() => {
          const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name.endsWith('.js'));
          return { files: js.length, bytes: js.reduce((a, e) => a + e.encodedBodySize, 0), names: js.map((e) => e.name.split('/').pop()!) };
        });
        await cold.close();
      }
      const load = loadFactor();
      const budget = Math.round(1000 * load);
      const best = Math.min(...times);
      figures.push(
        `time to first diagram (cold page, chunk loading included): ${times.map(Math.round).join(' / ')} ms, best ${Math.round(best)} ms (budget ${budget} ms at load ${load.toFixed(1)}x)`,
      );
      figures.push(
        `first flowchart loads ${loaded.files} JS files, ${kb(loaded.bytes)} of ${kb(sizes.entry + sizes.chunks + sizes.mermaid)}: ${loaded.names.join(', ')}`,
      );
      assert.ok(best < budget, `took ${times.map(Math.round).join(', ')} ms`);
      // Mermaid is one file (the one HTML exports inline), fetched once; the renderer's own code is small.
      assert.equal(loaded.names.filter((n) => n === 'mermaidRender.js').length, 1, loaded.names.join(' '));
      assert.ok(loaded.bytes - sizes.mermaid < 100_000, `${loaded.bytes} bytes`);
      await render(page, 'first', MERMAID, { source: flow });
    });

    await test('re-render after an edit is fast', async () => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await render(page, 'first', MERMAID, { source: flow + `\n  D --> E${i}[Retry ${i}]` });
        assert.equal(r.state, 'ok');
        times.push(r.ms);
      }
      times.sort((a, b) => a - b);
      figures.push(`re-render after an edit: median ${Math.round(times[2])} ms (min ${Math.round(times[0])}, max ${Math.round(times[4])})`);
      assert.ok(times[2] < 300 * loadFactor(), `median ${Math.round(times[2])} ms`);
      const count = await page.evaluate(() => document.querySelectorAll('[data-id="first"] svg[id^="sdnb"]').length);
      assert.equal(count, 1, 'an update replaces the old drawing');
    });

    await test(`all ${examples.length} @mermaid-js/examples (${diagramData.length} diagram types) render to a non-empty SVG`, async () => {
      const bad: string[] = [];
      const t = Date.now();
      for (const ex of examples) {
        const r = await render(page, `ex-${ex.id}`, MERMAID, { source: ex.code });
        const vb = r.viewBoxes[0];
        if (r.state !== 'ok' || !vb || !(vb[0] > 0 && vb[1] > 0) || r.mermaidErrorText > 0 || r.errorText) {
          bad.push(`${ex.id} "${ex.title}": state=${r.state} viewBox=${JSON.stringify(vb)} ${r.errorText ?? ''}`.slice(0, 300));
        }
        const left = await leftovers(page);
        if (left.length) bad.push(`${ex.id}: left in page: ${left.join(', ')}`);
        await page.evaluate((id) => (window as any).__dispose(id), `ex-${ex.id}`);
      }
      figures.push(`${examples.length} examples rendered in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      assert.deepEqual(bad, []);
    });

    await test('an invalid diagram shows its error at the cell line, and posts a diagnostic', async () => {
      await page.evaluate(() => ((window as any).__messages.length = 0));
      const r = await render(page, 'bad', MERMAID, { source: 'flowchart TD\n  A --> B\n  B --> C[oops' });
      assert.equal(r.state, 'error');
      assert.match(r.errorText ?? '', /^3:\d+ Mermaid syntax error/);
      assert.match(r.errorText ?? '', /line 3/);
      assert.deepEqual(await leftovers(page), []);
      const msgs = await page.evaluate(() => (window as any).__messages.filter((m: any) => m.type === 'diagnostic'));
      assert.equal(msgs.length, 1);
      assert.equal(msgs[0].outputId, 'bad');
      assert.equal(msgs[0].line, 2);
      assert.equal(msgs[0].source, 'flowchart TD\n  A --> B\n  B --> C[oops');
    });

    await test('error lines count front matter and %%{init}%% lines', async () => {
      const source =
        '---\ntitle: Checkout\nconfig:\n  look: classic\n---\n%%{init: {"flowchart": {"curve": "basis"}}}%%\n%% a comment\nflowchart LR\n  A --> B\n  B --> C[oops';
      const r = await render(page, 'bad-fm', MERMAID, { source });
      assert.equal(r.state, 'error');
      assert.match(r.errorText ?? '', /^10:\d+ /);
      const d = await page.evaluate(() =>
        (window as any).__messages.filter((m: any) => m.type === 'diagnostic' && m.outputId === 'bad-fm').pop(),
      );
      assert.equal(d.line, 9);
    });

    await test('a Langium diagram error (architecture) points at the cell line', async () => {
      const source = '---\ntitle: x\n---\narchitecture-beta\n  service api(server)[API]\n  service db(database)[DB\n';
      const r = await render(page, 'bad-arch', MERMAID, { source });
      assert.equal(r.state, 'error');
      // `[` of `[DB` is the 23rd character of the cell's 6th line.
      assert.match(r.errorText ?? '', /^6:23 Mermaid syntax error/);
      assert.deepEqual(await leftovers(page), []);
    });

    await test('fixing a diagram clears its diagnostic', async () => {
      await render(page, 'bad', MERMAID, { source: 'flowchart TD\n  A --> B\n  B --> C[ok]' });
      const last = await page.evaluate(() => (window as any).__messages.filter((m: any) => m.outputId === 'bad').pop());
      assert.equal(last.type, 'diagnostic-clear');
    });

    await test('theme switch re-renders with the matching mermaid theme (dark, high contrast, high contrast light)', async () => {
      const r = await render(page, 'themed', MERMAID, { source: flow });
      assert.equal(r.theme, 'light');
      const styleOf = () => page.evaluate(() => document.querySelector('[data-id="themed"] svg style')?.textContent ?? '');
      const light = await styleOf();
      for (const [classes, kind] of [
        ['vscode-dark', 'dark'],
        ['vscode-high-contrast', 'hc-dark'],
        ['vscode-high-contrast vscode-high-contrast-light', 'hc-light'],
        ['vscode-light', 'light'],
      ] as const) {
        await page.evaluate((c) => (document.body.className = c), classes);
        await page.waitForFunction(
          (k) => (document.querySelector('[data-id="themed"] .sdnb-diagram') as HTMLElement).dataset.theme === k,
          kind,
          { timeout: 5000 },
        );
        const style = await styleOf();
        if (kind !== 'light') assert.notEqual(style, light, `${kind} looks like light`);
        else assert.equal(style.replace(/sdnb\w+-\d+/g, ''), light.replace(/sdnb\w+-\d+/g, ''));
      }
    });

    await test('SVG export produces well-formed SVG text (renderer -> host message)', async () => {
      await render(page, 'exp', MERMAID, { source: '---\ntitle: Order flow\n---\nflowchart LR\n  A["multi<br>line"] --> B' });
      const msg = await page.evaluate(async () => {
        const w = window as any;
        w.__messages.length = 0;
        await w.__send({
          type: 'exportRequest',
          format: 'svg',
          source: '---\ntitle: Order flow\n---\nflowchart LR\n  A["multi<br>line"] --> B',
        });
        for (let i = 0; i < 50 && !w.__messages.some((m: any) => m.type === 'export'); i++) await new Promise((r) => setTimeout(r, 20));
        const m = w.__messages.find((x: any) => x.type === 'export');
        const doc = new DOMParser().parseFromString(m.data, 'image/svg+xml');
        return {
          format: m.format,
          name: m.suggestedName,
          parserError: doc.getElementsByTagName('parsererror').length,
          root: doc.documentElement.localName,
          width: doc.documentElement.getAttribute('width'),
        };
      });
      assert.deepEqual({ ...msg, width: undefined }, { format: 'svg', name: 'Order-flow', parserError: 0, root: 'svg', width: undefined });
      assert.ok(Number(msg.width) > 0);
    });

    await test('PNG export produces a PNG (data: URL, untainted canvas)', async () => {
      const b64 = await page.evaluate(async () => {
        const w = window as any;
        w.__messages.length = 0;
        w.__send({ type: 'exportRequest', format: 'png' });
        for (let i = 0; i < 100 && !w.__messages.some((m: any) => m.type === 'export' || m.type === 'exportFailed'); i++)
          await new Promise((r) => setTimeout(r, 20));
        const m = w.__messages.find((x: any) => x.type === 'export');
        return m?.data as string | undefined;
      });
      assert.ok(b64, 'no export message');
      const bytes = Buffer.from(b64!, 'base64');
      assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
      assert.ok(bytes.length > 1000);
    });

    await test('the export buttons post an export message', async () => {
      await page.evaluate(() => ((window as any).__messages.length = 0));
      await page.click('[data-id="exp"] .sdnb-export');
      await page.waitForFunction(() => (window as any).__messages.some((m: any) => m.type === 'export'));
    });

    await test('zoom buttons and ctrl+wheel scale the diagram', async () => {
      await page.click('[data-id="exp"] button[aria-label="Zoom in"]');
      let t = await page.evaluate(() => (document.querySelector('[data-id="exp"] .sdnb-content') as HTMLElement).style.transform);
      assert.match(t, /scale\(1\.25\)/);
      const box = (await page.locator('[data-id="exp"] .sdnb-viewport').boundingBox())!;
      await page.mouse.move(box.x + 10, box.y + 10);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -300);
      await page.keyboard.up('Control');
      t = await page.evaluate(() => (document.querySelector('[data-id="exp"] .sdnb-content') as HTMLElement).style.transform);
      const scale = Number(/scale\(([\d.]+)\)/.exec(t)?.[1]);
      assert.ok(scale > 1.25, t);
      await page.click('[data-id="exp"] button[aria-label="Reset zoom"]');
      t = await page.evaluate(() => (document.querySelector('[data-id="exp"] .sdnb-content') as HTMLElement).style.transform);
      assert.match(t, /scale\(1\)/);
    });

    await test('reports draw every block type; charts are SVG with a legend; a fold draws its content when opened', async () => {
      const r = await render(page, 'report', ESTIMATE, {
        title: 'Capacity',
        blocks: [
          {
            type: 'headline',
            verdict: { level: 'marginal', text: 'near capacity', items: [{ level: 'marginal', text: 'web 85% busy' }] },
            items: [{ label: 'Peak', value: '3,472 req/s', level: 'marginal' }],
          },
          { type: 'markdown', text: '**Peak** is `3x` average.\n\n| a | b |\n|---|---|\n| 1 | 2 |' },
          {
            type: 'metrics',
            title: 'Traffic',
            items: [
              { label: 'Peak QPS', value: '3,472 req/s', hint: 'dau * 3 / 1 day' },
              { label: 'Storage', value: '1.2 TB' },
            ],
          },
          {
            type: 'table',
            title: 'Servers',
            columns: ['tier', 'count'],
            align: ['l', 'r'],
            rows: [
              ['web', 12],
              ['db', 3],
            ],
            note: 'N+1',
          },
          { type: 'mermaid', title: 'Topology', source: flow },
          {
            type: 'chart',
            title: 'Latency',
            chart: {
              kind: 'line',
              xLabel: 'load',
              yLabel: 'ms',
              x: [10, 50, 90],
              series: [
                { name: 'p99', values: [12, 30, 240] },
                { name: 'p50', values: [5, 9, 20] },
              ],
            },
          },
          { type: 'notice', level: 'warning', text: 'Utilisation above 80%.' },
          {
            type: 'fold',
            summary: 'More',
            open: false,
            blocks: [
              {
                type: 'chart',
                title: 'Hidden',
                chart: { kind: 'bar', xLabel: 'x', yLabel: 'y', x: ['a', 'b'], series: [{ name: 'n', values: [1, 2] }] },
              },
            ],
          },
        ],
      });
      assert.equal(r.viewBoxes.length, 1);
      for (const vb of r.viewBoxes) assert.ok(vb[0] > 0 && vb[1] > 0);
      const shape = () =>
        page.evaluate(() => {
          const el = document.querySelector('[data-id="report"]')!;
          return {
            title: el.querySelector('.sdnb-report-title')?.textContent,
            verdict: el.querySelector('.sdnb-verdict')?.textContent,
            strong: el.querySelector('.sdnb-markdown strong')?.textContent,
            mdTable: el.querySelectorAll('.sdnb-markdown table td').length,
            metrics: [...el.querySelectorAll('.sdnb-metric-value')].map((e) => e.textContent),
            // Tables of the report itself (a chart's data table is checked below).
            rows: [...el.querySelectorAll('.sdnb-table tbody tr')].filter((e) => !e.closest('.sdnb-chart')).length,
            right: [...el.querySelectorAll('.sdnb-table td.sdnb-r')].filter((e) => !e.closest('.sdnb-chart')).length,
            notice: el.querySelector('.sdnb-notice-warning')?.textContent,
            legend: [...el.querySelectorAll('.sdnb-legend-item')].map((e) => e.textContent),
            series: [...el.querySelectorAll('.sdnb-chart .sdnb-series')].map((g) => g.getAttribute('data-series')),
            yTicks: [...el.querySelectorAll('.sdnb-chart .sdnb-axis-y text:not(.sdnb-axis-title)')].slice(0, 6).map((t) => t.textContent),
          };
        });
      assert.deepEqual(await shape(), {
        title: 'Capacity',
        verdict: '⚠ marginalnear capacity⚠ web 85% busy',
        strong: 'Peak',
        mdTable: 2,
        metrics: ['3,472 req/s', '3,472 req/s', '1.2 TB'],
        rows: 2,
        right: 2,
        notice: 'Warning Utilisation above 80%.',
        legend: ['p99', 'p50'],
        series: ['p99', 'p50'],
        yTicks: ['0', '50', '100', '150', '200', '250'],
      });
      await page.click('[data-id="report"] details.sdnb-fold > summary');
      await page.waitForFunction(() => document.querySelectorAll('[data-id="report"] .sdnb-chart').length === 2);
      assert.deepEqual((await shape()).series, ['p99', 'p50', 'n']);
    });

    await test("a chart's text alternative is its data: a table the SVG is described by, one row per x, a column per series", async () => {
      const alt = await page.evaluate(() => {
        const svg = document.querySelector('[data-id="report"] .sdnb-chart svg.sdnb-chart-svg')!;
        const table = document.getElementById(svg.getAttribute('aria-describedby') ?? '')!;
        return {
          role: svg.getAttribute('role'),
          label: svg.getAttribute('aria-label'),
          inFold: table.closest('details')?.querySelector('summary')?.textContent,
          caption: table.querySelector('caption')?.textContent,
          // (Inline callbacks: a named helper would need esbuild's __name in the page.)
          head: [...table.querySelector('thead tr')!.children].map((c) => `${c.tagName.toLowerCase()}:${c.textContent}`),
          rows: [...table.querySelectorAll('tbody tr')].map((r) =>
            [...r.children].map((c) => `${c.tagName.toLowerCase()}:${c.textContent}`),
          ),
        };
      });
      assert.deepEqual(alt, {
        role: 'img',
        label: 'Latency: p99, p50 (ms) by load',
        inFold: 'Data',
        caption: 'Latency: p99, p50 by load',
        head: ['th:load', 'th:p99', 'th:p50'],
        rows: [
          ['th:10', 'td:12', 'td:5'],
          ['th:50', 'td:30', 'td:9'],
          ['th:90', 'td:240', 'td:20'],
        ],
      });
    });

    await test('a diagram is a labelled group the keyboard drives: + zooms, arrows pan, 0 resets, Shift+Tab reaches Export and Enter exports', async () => {
      const viewport = page.locator('[data-id="exp"] .sdnb-viewport');
      const transform = () => page.evaluate(() => (document.querySelector('[data-id="exp"] .sdnb-content') as HTMLElement).style.transform);
      assert.deepEqual(
        await viewport.evaluate((v) => [
          v.getAttribute('role'),
          v.getAttribute('aria-roledescription'),
          v.getAttribute('aria-label'),
          v.tabIndex,
        ]),
        ['group', 'diagram', 'Diagram: flowchart', 0],
      );
      await viewport.focus();
      await page.keyboard.press('0');
      await page.keyboard.press('+');
      const zoomed = await transform();
      assert.match(zoomed, /scale\(1\.25\)/);
      const x0 = Number(/translate\((-?[\d.]+)px/.exec(zoomed)![1]);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      assert.equal(Number(/translate\((-?[\d.]+)px/.exec(await transform())![1]), Math.round((x0 - 240) * 100) / 100);
      await page.keyboard.press('0');
      assert.equal(await transform(), 'translate(0px, 0px) scale(1)');
      await page.evaluate(() => ((window as any).__messages.length = 0));
      await page.keyboard.press('Shift+Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Export as PNG…');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (window as any).__messages.some((m: any) => m.type === 'export' && m.format === 'png'));
    });

    await test('error outputs list diagnostics as one-based line:col', async () => {
      await render(page, 'err', ERROR, {
        title: 'Parse error',
        message: 'Fix the unit.',
        diagnostics: [
          { range: { start: { line: 2, column: 4 }, end: { line: 2, column: 6 } }, severity: 'error', message: 'unknown unit `fo`' },
        ],
      });
      const text = await page.evaluate(() => document.querySelector('[data-id="err"] .sdnb-error')?.textContent);
      assert.equal(text, 'Parse errorFix the unit.3:5 error: unknown unit `fo`');
      // Not a live region: after Run All the host announces the failed cells once.
      const live = await page.evaluate(() =>
        [...document.querySelectorAll('[role="alert"], [role="status"], [aria-live]')].map((e) => e.className),
      );
      assert.deepEqual(live, []);
      assert.deepEqual(
        await page.evaluate(() => [
          document.querySelector('[data-id="err"] .sdnb-error')?.getAttribute('role'),
          document.querySelector('[data-id="err"] .sdnb-error')?.getAttribute('aria-label'),
        ]),
        ['group', 'Parse error'],
      );
    });

    await test('no CSP violations in the renderer page (no unsafe-eval)', async () => {
      assert.deepEqual(await page.evaluate(() => (window as any).__csp), []);
    });
    await page.close();

    await test("XSS payloads in labels, links and report markdown never run, even where inline script is allowed (as in VS Code's output webview)", async () => {
      const page = await newPage(browser, url + '/permissive');
      // Control: this page does run inline handlers, so a payload that got through would fire.
      await page.evaluate(() => {
        const d = document.createElement('div');
        d.innerHTML = '<img src="x" onerror="window.__control=1">';
      });
      await page.waitForFunction(() => (window as any).__control === 1, undefined, { timeout: 3000 });
      await page.evaluate(() => ((window as any).__xss = undefined));
      const source = [
        'flowchart TD',
        '  A["<img src=x onerror=\'window.__xss=1\'>"] --> B["<script>window.__xss=2</script>"]',
        '  B --> C["<a href=\'javascript:window.__xss=3\'>link</a>"]',
        '  C --> D[<svg onload=window.__xss=4>]',
        '  click A href "javascript:window.__xss=5"',
        '  click B call window.__xssCall()',
      ].join('\n');
      await render(page, 'xss', MERMAID, { source });
      await page.evaluate(() => ((window as any).__xssCall = () => ((window as any).__xss = 6)));
      await render(page, 'xss-report', ESTIMATE, {
        title: '<img src=x onerror="window.__xss=7">',
        blocks: [
          { type: 'markdown', text: '<img src=x onerror="window.__xss=8"> [x](javascript:window.__xss=9)' },
          { type: 'table', columns: ['<b onmouseover=window.__xss=10>a</b>'], rows: [['<img src=x onerror=window.__xss=11>']] },
          { type: 'mermaid', source: 'sequenceDiagram\n  A->>B: <img src=x onerror="window.__xss=12">' },
        ],
      });
      // Click everything clickable, then give any payload time to fire.
      await page.evaluate(() =>
        document
          .querySelectorAll('[data-id^="xss"] a, [data-id^="xss"] g.node')
          .forEach((n) => (n as HTMLElement).dispatchEvent(new MouseEvent('click', { bubbles: true }))),
      );
      await page.waitForTimeout(500);
      assert.equal(await page.evaluate(() => (window as any).__xss), undefined);
      const scripts = await page.evaluate(
        () => document.querySelectorAll('#outputs script, #outputs [onerror], #outputs [onload], #outputs [onmouseover]').length,
      );
      assert.equal(scripts, 0);
      await page.close();
    });

    await test('preview panel script: vscode-elements toolbar, live render, stale renders dropped, export, no CSP violations', async () => {
      const p = await newPage(browser, url + '/preview.html');
      await p.waitForFunction(() => (window as any).__messages.some((m: any) => m.type === 'ready'));
      const post = (m: unknown) => p.evaluate((m) => window.postMessage(m, '*'), m);
      // Type quickly: only the last source should end up drawn.
      for (let i = 1; i <= 6; i++)
        await post({ type: 'render', uri: 'untitled:x', title: 'x.mmd', source: `flowchart LR\n  A --> B${i}[Step ${i}]` });
      await p.waitForFunction(
        () =>
          document.querySelector('.sdnb-diagram')?.getAttribute('data-state') === 'ok' &&
          document.querySelector('svg')?.textContent?.includes('Step 6'),
      );
      const renders = await p.evaluate(() => Number((document.querySelector('.sdnb-diagram') as HTMLElement).dataset.renders));
      assert.ok(renders < 6, `stale renders were drawn: ${renders}`);
      assert.equal(await p.evaluate(() => (document.querySelector('.sdnb-diagram') as HTMLElement).dataset.theme), 'dark');
      // The theme picker overrides VS Code's theme.
      await p.evaluate(() => {
        const select = document.querySelector('vscode-single-select') as HTMLElement & { value: string };
        select.value = 'hc-light';
        select.dispatchEvent(new Event('change'));
      });
      await p.waitForFunction(() => (document.querySelector('.sdnb-diagram') as HTMLElement).dataset.theme === 'hc-light');
      // An error keeps the last drawing and reports the cell line.
      await post({ type: 'render', uri: 'untitled:x', title: 'x.mmd', source: 'flowchart LR\n  A --> B[' });
      await p.waitForFunction(() => document.querySelector('.sdnb-diagram')?.getAttribute('data-state') === 'error');
      const d = await p.evaluate(() => (window as any).__messages.filter((m: any) => m.type === 'diagnostic').pop());
      assert.equal(d.line, 1);
      assert.equal(d.uri, 'untitled:x');
      assert.ok(await p.evaluate(() => !!document.querySelector('.sdnb-content svg')), 'last good drawing kept');
      assert.equal(
        await p.evaluate(() => document.querySelector('.sdnb-diagram-error')?.getAttribute('role')),
        'alert',
        'the live preview announces a syntax error as you type',
      );
      assert.ok(await p.evaluate(() => !!customElements.get('vscode-button') && !!customElements.get('vscode-single-select')));
      await post({ type: 'exportRequest', format: 'svg' });
      await p.waitForFunction(() => (window as any).__messages.some((m: any) => m.type === 'export'));
      assert.deepEqual(await p.evaluate(() => (window as any).__csp), []);
      await p.close();
    });

    await test(`sanitizeDiagram: ${SANITIZER_CASES.length} cases of markup in, exact markup out`, async () => {
      const p = await newPage(browser, url + '/');
      const got = await p.evaluate(async (cases) => {
        const m = await import('/dist/mermaidRender.js' as string);
        return cases.map(([name, input]) => {
          const { fragment, removed } = m.sanitizeDiagram(input);
          const div = document.createElement('div');
          div.append(fragment);
          return [name, div.innerHTML, removed];
        });
      }, SANITIZER_CASES);
      assert.deepEqual(
        got,
        SANITIZER_CASES.map(([name, , output, removed]) => [name, output, removed]),
      );
      await p.close();
    });

    await test(`markup injection, notebook renderer: ${PAYLOADS.length} diagrams and a gateway route name leave no form, control, foreign link or request`, async () => {
      const context = await openContext(browser);
      const hits = await watchForeignRequests(context);
      const p = await context.newPage();
      p.on('pageerror', (e) => console.log(`     page error: ${e.message}`));
      await p.goto(url + '/');
      await p.waitForFunction(() => (window as any).__ready === true);
      await controlRequest(p, hits);
      const bad: string[] = [];
      for (const [i, payload] of PAYLOADS.entries()) {
        const r = await render(p, `inj-${i}`, MERMAID, { source: payload.source });
        if (r.state !== 'ok') bad.push(`${payload.name}: not drawn (${r.errorText})`);
      }
      const gateway = await gatewayReport();
      await render(p, 'inj-gateway', GATEWAY, gateway);
      // The topology diagram sits in a folded section: open every section so it is drawn.
      await p.click('[data-id="inj-gateway"] .sdnb-expand-all');
      await p.waitForFunction(() => !!document.querySelector('[data-id="inj-gateway"] .sdnb-content svg'));
      for (const [i, payload] of PAYLOADS.entries()) {
        for (const o of await p.evaluate(findOffenders, `[data-id="inj-${i}"] .sdnb-content`)) bad.push(`${payload.name}: ${o}`);
      }
      for (const o of await p.evaluate(findOffenders, '[data-id="inj-gateway"] .sdnb-content')) bad.push(`gateway report: ${o}`);
      assert.deepEqual(bad, []);
      assert.deepEqual(await p.evaluate(() => (window as any).__inserted), []);
      // Text stays text: the report's label keeps its words, the route name shows as written.
      const texts = await p.evaluate(() =>
        [...document.querySelectorAll('[data-id="inj-0"] svg, [data-id="inj-gateway"] svg')].map((s) => s.textContent ?? ''),
      );
      assert.match(texts[0], /Log in/);
      assert.ok(
        texts.some((t) => t.includes(ROUTE_NAME_TEXT)),
        texts.join('\n'),
      );
      const clicked = await p.evaluate(clickEverything, '[data-id^="inj-"] .sdnb-content');
      await p.waitForTimeout(300);
      assert.ok(clicked > 100, `clicked ${clicked} elements`);
      assert.deepEqual(unexpected(hits), []);
      assert.equal(p.url().replace(/#.*/, ''), url + '/', 'only in-page links');
      assert.equal(await p.evaluate(() => (window as any).__pwned), undefined);
      // Mermaid passes tooltips through the same DOMPurify configuration as labels: the form leaves its text.
      const tooltip = await p.evaluate((i) => {
        const node = document.querySelector(`[data-id="inj-${i}"] g.node[title]`)!;
        node.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
        const tip = document.querySelector('body > .mermaidTooltip')!;
        return { elements: tip.children.length, text: tip.textContent };
      }, TOOLTIP);
      assert.deepEqual(tooltip, { elements: 0, text: 'Log in' });
      await context.close();
    });

    await test('markup injection, preview panel: the same diagrams leave no form, control, foreign link or request', async () => {
      const context = await openContext(browser);
      const hits = await watchForeignRequests(context);
      const p = await context.newPage();
      await p.goto(url + '/preview.html');
      await p.waitForFunction(() => (window as any).__messages?.some((m: any) => m.type === 'ready'));
      await controlRequest(p, hits);
      const bad: string[] = [];
      for (const [i, payload] of PAYLOADS.entries()) {
        await p.evaluate((m) => window.postMessage(m, '*'), { type: 'render', uri: 'untitled:x', title: 'x.mmd', source: payload.source });
        await p.waitForFunction(
          (n) => Number((document.querySelector('.sdnb-diagram') as HTMLElement | null)?.dataset.renders) === n,
          i + 1,
        );
        const state = await p.evaluate(() => (document.querySelector('.sdnb-diagram') as HTMLElement).dataset.state);
        if (state !== 'ok') bad.push(`${payload.name}: not drawn`);
        for (const o of await p.evaluate(findOffenders, '#diagram .sdnb-content')) bad.push(`${payload.name}: ${o}`);
        await p.evaluate(clickEverything, '#diagram .sdnb-content');
        if (new URL(p.url()).pathname !== '/preview.html') bad.push(`${payload.name}: navigated to ${p.url()}`);
      }
      await p.waitForTimeout(300);
      assert.deepEqual(bad, []);
      assert.deepEqual(unexpected(hits), []);
      assert.equal(await p.evaluate(() => (window as any).__pwned), undefined);
      assert.deepEqual(await p.evaluate(() => (window as any).__inserted), []);
      await context.close();
    });

    await test('markup injection, exported HTML: drawn from disk with the payloads, a strict CSP, no form, control, foreign link or request', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sdnb-export-'));
      try {
        const file = join(dir, 'payloads.sdnb');
        writeFileSync(
          file,
          `# Payloads\n\n${PAYLOADS.map((x) => fenced('mermaid', x.source)).join('\n\n')}\n\n${fenced('gateway', GATEWAY_MODEL)}\n`,
        );
        const out = join(dir, 'payloads.html');
        const r = spawnSync(process.execPath, [join(snapshot, 'dist/cli.js'), 'export', file, '--to', 'html', '-o', out], {
          encoding: 'utf8',
        });
        assert.equal(r.status, 0, r.stderr);
        const html = readFileSync(out, 'utf8');
        const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1];
        const directives = new Map(
          csp
            .split(';')
            .map((d) => d.trim().split(/\s+/))
            .map(([k, ...v]) => [k, v]),
        );
        assert.deepEqual(directives.get('form-action'), ["'none'"]);
        assert.deepEqual(directives.get('base-uri'), ["'none'"]);
        assert.deepEqual(directives.get('default-src'), ["'none'"]);
        assert.equal(directives.get('script-src')!.length, 2);
        assert.ok(
          directives.get('script-src')!.every((s) => /^'sha256-[A-Za-z0-9+/]+=*'$/.test(s)),
          csp,
        );
        const diagrams = (html.match(/<pre class="mermaid">/g) ?? []).length;
        assert.ok(diagrams > PAYLOADS.length, `${diagrams} diagrams`);

        const open = async (bypassCSP: boolean) => {
          const context = await openContext(browser, bypassCSP);
          const hits = await watchForeignRequests(context);
          const p = await context.newPage();
          p.on('pageerror', (e) => console.log(`     page error: ${e.message}`));
          await p.addInitScript(() => {
            (window as any).__csp = [];
            document.addEventListener('securitypolicyviolation', (e) =>
              (window as any).__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
            );
          });
          await p.goto(pathToFileURL(out).href);
          await p.waitForFunction(
            (n) => document.querySelectorAll('.mermaid-drawn').length + document.querySelectorAll('.diagram-error').length === n,
            diagrams,
            { timeout: 60_000 },
          );
          return { context, hits, p };
        };

        // With its CSP: every diagram draws, nothing is left to violate the policy, and the policy holds.
        const withCsp = await open(false);
        const { p } = withCsp;
        assert.deepEqual(await p.evaluate(() => [...document.querySelectorAll('.diagram-error')].map((e) => e.textContent)), []);
        assert.deepEqual(await p.evaluate(findOffenders, '.mermaid-drawn'), []);
        await p.evaluate(clickEverything, '.mermaid-drawn');
        await p.waitForTimeout(300);
        // (The policy also reports what mermaid and DOMPurify do out of sight: DOMPurify parsing a
        // label's <base> in its own document, mermaid's onclick on sequence actor menus during layout.)
        assert.deepEqual(withCsp.hits, []);
        assert.deepEqual(await p.evaluate(() => (window as any).__inserted), []);
        assert.equal(await p.evaluate(() => (window as any).__pwned), undefined);
        const drawnText = await p.evaluate(() =>
          [...document.querySelectorAll('.mermaid-drawn svg')].map((svg) => svg.textContent).join('\n'),
        );
        assert.ok(drawnText.includes(ROUTE_NAME_TEXT), 'the route name shows as text in the topology');
        // Controls: the policy stops an inline handler and a form posting to another site.
        await p.evaluate((host) => {
          document.body.insertAdjacentHTML('beforeend', '<img src="data:," onerror="window.__pwned=\'inline\'">');
          const form = document.createElement('form');
          form.action = `https://${host}/control-form`;
          form.method = 'post';
          document.body.append(form);
          form.submit();
        }, EVIL_HOST);
        await p.waitForTimeout(500);
        assert.equal(await p.evaluate(() => (window as any).__pwned), undefined);
        assert.deepEqual(withCsp.hits, []);
        assert.ok((await p.evaluate(() => (window as any).__csp as string[])).some((v) => v.startsWith('form-action')));
        await withCsp.context.close();

        // Without it: the sanitiser alone keeps every payload off the network.
        const bare = await open(true);
        await controlRequest(bare.p, bare.hits);
        assert.deepEqual(await bare.p.evaluate(findOffenders, '.mermaid-drawn'), []);
        assert.deepEqual(await bare.p.evaluate(() => (window as any).__inserted), []);
        await bare.p.evaluate(clickEverything, '.mermaid-drawn');
        await bare.p.waitForTimeout(300);
        assert.deepEqual(unexpected(bare.hits), []);
        assert.equal(bare.p.url().replace(/#.*/, ''), pathToFileURL(out).href, 'only in-page links');
        await bare.context.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  } finally {
    await browser.close();
    server.close();
    rmSync(snapshot, { recursive: true, force: true });
  }
  for (const f of figures) console.log(f);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
