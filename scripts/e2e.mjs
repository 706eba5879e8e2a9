// End-to-end tier: a person's path through the product in a real browser. Installs the packaged
// .vsix into code-server, opens the tour notebook, runs all cells, checks the rendered outputs,
// edits and saves, closes and reopens. Then, in each colour theme (light, dark, high contrast), it
// looks at the tour's gateway and Kafka reports as a reader would: the verdict and headline figures
// within the first screen, every section expanded, each chart series at least 3:1 against the
// background it is painted on. Then, in the light and dark themes, it walks the path a new user
// takes (newUserWalk): the Blank template, cells of their own, Run All, the diagram preview, diagram
// and notebook export, an error's position link, the Design Phases view while the timer runs.
// Screenshots and measurements go to test-results/ (CI keeps them as artifacts).
// `--themes light,dark` picks themes; `--walk-only` skips the tour; `--package` repackages first.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCodeServer } from './code-server.mjs';
import { artifacts, command, installVsix, pickFirst, steps, waitUntil } from './e2e-common.mjs';
import { launchChromium } from './browser.mjs';

const THEMES = [
  { name: 'light', id: 'Default Light Modern' },
  { name: 'dark', id: 'Default Dark Modern' },
  { name: 'hc', id: 'Default High Contrast' },
];
// The tour's two model reports and how many charts each has.
const REPORTS = [
  { name: 'gateway', title: 'API gateway model', charts: 5 }, // three of the run, two of its sweep (one per requirement check)
  { name: 'kafka', title: 'Kafka model', charts: 2 },
];
const VIEWPORT = { width: 1600, height: 1000 };
const MIN_CONTRAST = 3;

const arg = (flag) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const themes = arg('--themes') ? THEMES.filter((t) => arg('--themes').split(',').includes(t.name)) : THEMES;
const walkOnly = process.argv.includes('--walk-only');
/** The themes a new user's walk runs in. */
const WALK_THEMES = ['light', 'dark'];
// Typing in the walk's cells is deterministic without auto-indent, auto-closing and suggestions.
const TYPING = {
  'editor.autoIndent': 'none',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
};

const tmp = mkdtempSync(join(tmpdir(), 'sdnb-e2e-'));
const extensionsDir = join(tmp, 'ext');
installVsix(extensionsDir);

const measured = {};
let page;
const { step, summary } = steps(() => page, 'e2e-failure.png');

/** The output webview frames' text and structure, searched across nested iframes. */
async function outputs(page) {
  const found = { svgs: 0, tables: [], errors: [], reports: [] };
  for (const frame of page.frames()) {
    try {
      const r = await frame.evaluate(() => ({
        svgs: [...document.querySelectorAll('.sdnb-out svg')].filter(
          (s) => (s.viewBox?.baseVal?.width ?? 0) > 0 || s.getBoundingClientRect().width > 0,
        ).length,
        tables: [...document.querySelectorAll('.sdnb-out table')].map((t) => t.textContent ?? ''),
        errors: [...document.querySelectorAll('.sdnb-out .sdnb-error')].map((e) => e.textContent ?? ''),
        reports: [...document.querySelectorAll('.sdnb-out .sdnb-report-title')].map((e) => e.textContent ?? ''),
      }));
      found.svgs += r.svgs;
      found.tables.push(...r.tables);
      found.errors.push(...r.errors);
      found.reports.push(...r.reports);
    } catch {
      /* frames come and go */
    }
  }
  return found;
}

async function openNotebook(page, name = 'tour.sdnb') {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(name);
  await pickFirst(page, name);
  await page.locator('.notebook-editor').first().waitFor({ state: 'attached', timeout: 60_000 });
  await page.locator('.notebook-editor .cell-editor-container .monaco-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
}

/** The output frame that holds a report with this title, and the report's root element in it. */
async function reportFrame(page, title) {
  for (const frame of page.frames()) {
    const root = frame.locator('.sdnb-report', { has: frame.locator('.sdnb-report-title', { hasText: title }) });
    if (await root.count().catch(() => 0)) return { frame, root: root.first() };
  }
  throw new Error(`no rendered report titled ${title}`);
}

/** The notebook's scrolling list: where a reader sees outputs. */
const notebookBox = () => page.locator('.notebook-editor .monaco-list').first().boundingBox();

/** Scrolls the notebook (as a reader does, with the wheel) until `locator`'s top is just below the notebook's top. */
async function reveal(locator, margin = 40) {
  const nb = await notebookBox();
  await page.mouse.move(nb.x + nb.width / 2, nb.y + nb.height / 2);
  // VS Code scrolls a fixed distance per wheel event (about 50 px here), whatever the event's delta.
  for (let i = 0; i < 10; i++) {
    const box = await locator.boundingBox();
    const delta = box.y - (nb.y + margin);
    if (Math.abs(delta) < 30) break;
    for (let k = Math.ceil(Math.abs(delta) / 50); k > 0; k--) await page.mouse.wheel(0, Math.sign(delta) * 100);
    await page.waitForTimeout(300);
  }
  await page.waitForTimeout(400);
}

/** Back to the notebook's first cell: focus a visible cell, then Ctrl+Home in command mode. */
async function scrollToTop() {
  const nb = await notebookBox();
  const editors = page.locator('.notebook-editor .cell-editor-container .monaco-editor');
  for (let i = 0; i < (await editors.count()); i++) {
    const box = await editors.nth(i).boundingBox();
    if (box && box.y > nb.y && box.y + 20 < nb.y + nb.height) {
      await page.mouse.click(box.x + box.width - 40, box.y + 10);
      break;
    }
  }
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Home');
  await page.waitForTimeout(800);
}

/** The most common colour of a screenshot (PNG): the background a chart is painted on. Decoded by the browser itself. */
let decoder;
async function dominantColor(png) {
  decoder ??= await page.context().browser().newPage();
  return decoder.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const data = g.getImageData(0, 0, img.width, img.height).data;
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const k = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const [k] = [...counts].sort((a, b) => b[1] - a[1])[0];
    return { r: k >> 16, g: (k >> 8) & 255, b: k & 255 };
  }, png.toString('base64'));
}

const parseRgb = (s) => {
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(s);
  return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : undefined;
};
const hex = (c) => '#' + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
// WCAG 2.x, written out here rather than imported, so the check does not share the renderer's code.
const lum = (c) => {
  const f = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
};
const contrast = (a, b) => {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

/** Runs the cells' outputs into view one cell at a time: VS Code renders outputs as they come near. */
async function renderEveryOutput() {
  // A model may still be running when the walk passes its cell (the tour's gateway model solves and
  // sweeps; a loaded machine takes a while), and its output is drawn only when it comes near again:
  // walk until both reports are there.
  const walk = async (first) => {
    // The first walk focuses the notebook through its first cell; later walks start where focus is.
    if (first) await page.locator('.notebook-editor .cell-editor-container .monaco-editor').first().click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(300);
    }
  };
  let walked = 0;
  await waitUntil(
    'both model reports',
    async () => {
      const o = await outputs(page);
      const ok = REPORTS.every((r) => o.reports.includes(r.title));
      if (!ok && Date.now() - walked > 10_000) {
        await walk(walked === 0);
        walked = Date.now();
      }
      return { reports: o.reports, ok };
    },
    180_000,
  );
}

async function checkReports(theme) {
  for (const rep of REPORTS) {
    const tag = `${theme.name}-${rep.name}`;
    await step(`${theme.name}: the ${rep.name} report opens with its verdict and headline figures in the first screen`, async () => {
      const { root } = await reportFrame(page, rep.title);
      await reveal(root);
      const nb = await notebookBox();
      const top = await root.boundingBox();
      const headline = await root.locator('.sdnb-block-headline').first().boundingBox();
      const verdict = (await root.locator('.sdnb-verdict').first().textContent()) ?? '';
      const figures = await root.locator('.sdnb-block-headline .sdnb-metric').count();
      await page.screenshot({ path: join(artifacts, `e2e-${tag}.png`) });
      const visibleTo = nb.y + nb.height;
      if (!(headline && headline.y >= nb.y && headline.y + headline.height <= visibleTo))
        throw new Error(`the headline (${JSON.stringify(headline)}) is not within the notebook's first screen (to y=${visibleTo})`);
      if (figures < 4) throw new Error(`${figures} headline figures`);
      const height = Math.round(top.height);
      measured[tag] = {
        verdict: verdict.trim(),
        collapsedPx: height,
        headlineBottomPx: Math.round(headline.y + headline.height - top.y),
        screenPx: VIEWPORT.height,
        notebookViewPx: Math.round(nb.height),
      };
    });
    await step(
      `${theme.name}: the ${rep.name} report expands; its charts have legends, round ticks and series at ≥ ${MIN_CONTRAST}:1 contrast`,
      async () => {
        const { root } = await reportFrame(page, rep.title);
        await root.locator('.sdnb-expand-all').click();
        await waitUntil(
          `${rep.charts} charts drawn`,
          async () => {
            const n = await root.locator('.sdnb-chart svg .sdnb-series').count();
            const folds = await root.locator('details.sdnb-fold:not([open])').count();
            return { n, folds, ok: n >= rep.charts && folds === 0 };
          },
          20_000,
        );
        await page.waitForTimeout(500);
        measured[tag].expandedPx = Math.round((await root.boundingBox()).height);
        const charts = root.locator('.sdnb-chart');
        const count = await charts.count();
        if (count !== rep.charts) throw new Error(`${count} charts, expected ${rep.charts}`);
        measured[tag].charts = [];
        for (let i = 0; i < count; i++) {
          const chart = charts.nth(i);
          await reveal(chart, 80);
          const svgBox = await chart.locator('svg.sdnb-chart-svg').boundingBox();
          const shot = await page.screenshot({ clip: svgBox });
          const figure = await chart.boundingBox();
          await page.screenshot({
            path: join(artifacts, `e2e-${tag}-chart${i + 1}.png`),
            clip: { x: figure.x - 8, y: figure.y - 8, width: figure.width + 16, height: figure.height + 16 },
          });
          const background = await dominantColor(shot);
          const info = await chart.evaluate((c) => ({
            title: c.querySelector('figcaption')?.textContent ?? '',
            legend: [...c.querySelectorAll('.sdnb-legend-item')].map((e) => e.textContent),
            series: [...c.querySelectorAll('.sdnb-series')].map((g) => {
              const mark = g.querySelector('path, rect');
              const cs = getComputedStyle(mark);
              return {
                name: g.getAttribute('data-series'),
                color: mark.tagName === 'path' ? cs.stroke : cs.fill,
                opacity: Number(cs.opacity) * Number(getComputedStyle(g).opacity),
              };
            }),
            yTicks: [...c.querySelectorAll('.sdnb-axis-y text:not(.sdnb-axis-title)')].map((t) => t.textContent),
            xTicks: [...c.querySelectorAll('.sdnb-axis-x text:not(.sdnb-axis-title)')].map((t) => t.textContent),
          }));
          if (info.series.length > 1 && info.legend.length !== info.series.length)
            throw new Error(`${info.title}: ${info.series.length} series but legend ${JSON.stringify(info.legend)}`);
          const ratios = info.series.map((s) => {
            const c = parseRgb(s.color);
            if (!c || c.a < 1 || s.opacity < 1) throw new Error(`${info.title}/${s.name}: colour ${s.color} at opacity ${s.opacity}`);
            return { series: s.name, color: hex(c), ratio: Math.round(contrast(c, background) * 100) / 100 };
          });
          const low = ratios.filter((r) => r.ratio < MIN_CONTRAST);
          if (low.length) throw new Error(`${info.title}: below ${MIN_CONTRAST}:1 on ${hex(background)}: ${JSON.stringify(low)}`);
          // Round ticks: every value tick is 0 or a 1, 2 or 5 times a power of ten apart from its neighbour.
          const num = (t) => Number(t.replace(/,/g, '').replace(/K$/, 'e3').replace(/M$/, 'e6'));
          const ys = info.yTicks.map(num);
          const steps = ys.slice(1).map((v, k) => v - ys[k]);
          const round = (s) => [1, 2, 5].some((m) => Math.abs(s / 10 ** Math.floor(Math.log10(s) + 1e-9) - m) < 1e-6);
          const log = ys.slice(2).every((v, k) => v === 10 * ys[k + 1] || round(v));
          if (!(steps.every(round) || log)) throw new Error(`${info.title}: y ticks ${info.yTicks.join(' ')}`);
          measured[tag].charts.push({
            title: info.title,
            background: hex(background),
            series: ratios,
            yTicks: info.yTicks,
            xTicks: info.xTicks,
          });
        }
      },
    );
  }
}

/** The markdown cells' drawn diagrams (in the cells' shadow roots), across the output frames. */
async function markdownDiagrams() {
  let n = 0;
  for (const frame of page.frames()) {
    n += await frame
      .evaluate(() =>
        [...document.querySelectorAll('*')]
          .filter((e) => e.shadowRoot)
          .reduce((k, e) => k + e.shadowRoot.querySelectorAll('.sdnb-md-mermaid svg').length, 0),
      )
      .catch(() => 0);
  }
  return n;
}

/** Accepts VS Code's (web) save dialog with `file` as the path; returns the path it proposed. */
async function saveDialog(file) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await page.waitForTimeout(300);
  const proposed = await input.inputValue();
  if (file) await input.fill(file);
  await page.keyboard.press('Enter');
  return proposed;
}

/** Inserts a cell below the selected one, in `language` ('markdown' or a language's name), with `text`. */
async function addCell(language, text) {
  await command(page, language === 'markdown' ? 'Notebook: Insert Markdown Cell Below' : 'Notebook: Insert Code Cell Below');
  await page.waitForTimeout(400);
  if (language !== 'markdown') {
    await command(page, 'Notebook: Change Cell Language');
    await page.keyboard.type(language);
    await pickFirst(page, language);
    await page.waitForTimeout(400);
  }
  await page.keyboard.insertText(text);
  await page.waitForTimeout(200);
}

/**
 * Selects the last cell (command mode): a click in a code cell's editor that is on screen (the
 * notebook's list keeps cells scrolled away in the page, hidden), Escape, Ctrl+End.
 */
async function selectLastCell() {
  await page.locator('.notebook-editor .code-cell-row .cell-editor-container .monaco-editor >> visible=true').first().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+End');
  await page.waitForTimeout(500);
}
const statusBar = async () => ((await page.locator('.statusbar').innerText()) ?? '').replace(/\s+/g, ' ');

async function newUserWalk(theme, workspace) {
  const tag = (name) => join(artifacts, `e2e-walk-${theme.name}-${name}.png`);
  const notebookFile = join(workspace, 'photos.sdnb');
  await step(
    `${theme.name} walk: New Notebook › Blank design opens with its estimate table and diagram drawn, and the review lists the placeholders left to fill`,
    async () => {
      await command(page, 'View: Close All Editors');
      // Right after the workbench loads, the extension's commands may not be listed yet.
      for (let tries = 0; ; tries++) {
        try {
          await command(page, 'System Design: New Notebook');
          break;
        } catch (e) {
          if (tries >= 5) throw e;
          await page.keyboard.press('Escape');
          await page.waitForTimeout(2000);
        }
      }
      await pickFirst(page, 'Blank design');
      await page.locator('.notebook-editor').first().waitFor({ state: 'attached', timeout: 60_000 });
      await waitUntil('the template’s table and diagram, without Run All', async () => {
        const o = await outputs(page);
        return { tables: o.tables.length, svgs: o.svgs, ok: o.svgs >= 1 && o.tables.some((t) => t.includes('peak_qps')) };
      });
      await page.keyboard.press('Control+Shift+M');
      const placeholders = await waitUntil(
        'the review’s placeholder findings in Problems',
        async () => {
          const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
          const found = rows.filter((r) => r.includes('still a placeholder') || r.includes('still placeholders'));
          return { found, ok: found.length >= 6 };
        },
        30_000,
      );
      measured[`walk-${theme.name}`] = { placeholders: placeholders.found.length };
      await page.screenshot({ path: tag('opened') });
      await page.keyboard.press('Control+J');
    },
  );

  await step(`${theme.name} walk: save it as photos.sdnb`, async () => {
    await page.keyboard.press('Control+S');
    await saveDialog(notebookFile);
    await waitUntil('photos.sdnb on disk', async () => ({ ok: existsSync(notebookFile) }), 20_000);
    await page.locator('.tab', { hasText: 'photos.sdnb' }).first().waitFor({ state: 'visible', timeout: 20_000 });
  });

  await step(
    `${theme.name} walk: cells of their own (an estimate, a diagram, a markdown cell with a mermaid fence), each run with Ctrl+Enter`,
    async () => {
      await selectLastCell();
      await addCell('Estimate', 'uploads = dau * 2 req/user/day -> req/s\nphoto_storage = uploads * 2 MB/req * 1 year -> TB');
      await page.keyboard.press('Control+Enter');
      await addCell(
        'Mermaid',
        'flowchart LR\n  phone[Phone] --> cdn[CDN]\n  phone --> lb[Load balancer]\n  lb --> upload[Upload service]\n  upload --> blobs[(Photo store)]',
      );
      await page.keyboard.press('Control+Enter');
      await addCell(
        'markdown',
        '## Feed\n\n```mermaid\nsequenceDiagram\n  Phone->>Feed: GET /v1/feed\n  Feed-->>Phone: newest photos\n```',
      );
      await page.keyboard.press('Control+Enter');
      const r = await waitUntil('the new table, diagram and markdown diagram', async () => {
        const o = await outputs(page);
        const md = await markdownDiagrams();
        return { svgs: o.svgs, md, errors: o.errors, ok: o.svgs >= 2 && md >= 1 && o.tables.some((t) => t.includes('photo_storage')) };
      });
      if (r.errors.length) throw new Error(`error outputs: ${r.errors.join(' | ')}`);
      await page.screenshot({ path: tag('own-cells') });
    },
  );

  await step(`${theme.name} walk: Run All runs every cell without an error`, async () => {
    await command(page, 'Notebook: Run All');
    await page.waitForTimeout(1500);
    const r = await waitUntil('Run All', async () => {
      const o = await outputs(page);
      const running = await page.locator('.notebook-editor .codicon-notebook-state-executing, .notebook-editor .codicon-loading').count();
      return { svgs: o.svgs, errors: o.errors, running, ok: running === 0 && o.svgs >= 2 };
    });
    if (r.errors.length) throw new Error(`error outputs: ${r.errors.join(' | ')}`);
    await page.screenshot({ path: tag('run-all') });
  });

  await step(`${theme.name} walk: the Preview Diagram button on their mermaid cell opens the preview, drawn`, async () => {
    const row = page.locator('.notebook-editor .code-cell-row', { hasText: 'Upload service' }).first();
    // The cell toolbar shows while the pointer is over the cell's editor (outputs are another webview).
    await row.locator('.cell-editor-container').click();
    await page.keyboard.press('Escape');
    await row.locator('.cell-editor-container').hover();
    await row.locator('.monaco-toolbar a.action-label[aria-label^="Preview Diagram"]').click();
    await page.locator('.tab', { hasText: /Preview photos\.sdnb, cell \d+/ }).waitFor({ state: 'visible', timeout: 20_000 });
    await waitUntil(
      'the preview’s diagram',
      async () => {
        for (const frame of page.frames()) {
          const n = await frame.evaluate(() => (document.querySelector('#diagram svg') ? 1 : 0)).catch(() => 0);
          if (n) return { ok: true };
        }
        return { ok: false };
      },
      30_000,
    );
    await page.waitForTimeout(500);
    await page.screenshot({ path: tag('preview') });
  });

  await step(`${theme.name} walk: Export Diagram… saves photos-flowchart.svg beside the notebook`, async () => {
    await command(page, 'System Design: Export Diagram…');
    await pickFirst(page, 'SVG');
    const proposed = await saveDialog();
    if (!proposed.endsWith('/photos-flowchart.svg')) throw new Error(`the save dialog proposed ${proposed}`);
    const svg = join(workspace, 'photos-flowchart.svg');
    await waitUntil('the SVG on disk', async () => ({ ok: existsSync(svg) }), 20_000);
    const text = readFileSync(svg, 'utf8');
    if (!/^<\?xml[^>]*>\s*<svg/.test(text) || !text.includes('Upload service')) throw new Error(`not the diagram: ${text.slice(0, 200)}`);
  });

  await step(
    `${theme.name} walk: Export Notebook › HTML; the page draws the diagrams in the ${theme.name} scheme with edges at ≥ ${MIN_CONTRAST}:1`,
    async () => {
      await command(page, 'View: Close All Editors');
      await openNotebook(page, 'photos.sdnb');
      await command(page, 'System Design: Export Notebook as HTML or Markdown…');
      await pickFirst(page, 'HTML');
      const html = join(workspace, 'photos.html');
      const proposed = await saveDialog();
      if (!proposed.endsWith('/photos.html')) throw new Error(`the save dialog proposed ${proposed}`);
      await waitUntil('photos.html on disk', async () => ({ ok: existsSync(html) }), 60_000);
      const reader = await page
        .context()
        .browser()
        .newPage({ colorScheme: theme.name === 'dark' ? 'dark' : 'light', viewport: { width: 1100, height: 900 } });
      try {
        await reader.goto(`file://${html}`);
        await reader.locator('.mermaid-drawn svg').nth(1).waitFor({ state: 'attached', timeout: 30_000 });
        const drawn = reader.locator('.mermaid-drawn', { hasText: 'Upload service' }).first();
        await drawn.scrollIntoViewIfNeeded();
        await drawn.screenshot({ path: tag('export-html') });
        const colours = await drawn.evaluate((d) => ({
          edge: getComputedStyle(d.querySelector('.flowchart-link')).stroke,
          page: getComputedStyle(document.body).backgroundColor,
        }));
        const ratio = contrast(parseRgb(colours.edge), parseRgb(colours.page));
        measured[`walk-${theme.name}`].htmlEdge = { ...colours, ratio: Math.round(ratio * 100) / 100 };
        if (ratio < MIN_CONTRAST) throw new Error(`edges ${colours.edge} on ${colours.page}: ${ratio.toFixed(2)}:1`);
      } finally {
        await reader.close();
      }
    },
  );

  await step(`${theme.name} walk: an error’s line:column in the output is a link that puts the cursor there`, async () => {
    const problems = () => page.locator('.statusbar-item[id="status.problems"]').innerText();
    const before = await problems();
    // Below the last cell, under the cells that define both names (a click on the first code cell
    // timed out once: after the export it was scrolled away, and hidden).
    await selectLastCell();
    await addCell('Estimate', 'mixed = uploads + photo_storage');
    await page.keyboard.press('Control+Enter');
    let link;
    await waitUntil(
      'the error’s position link',
      async () => {
        for (const frame of page.frames()) {
          const l = frame.locator('.sdnb-error .sdnb-pos-link').first();
          if (await l.count().catch(() => 0)) {
            link = l;
            return { ok: true };
          }
        }
        return { ok: false };
      },
      30_000,
    );
    const text = (await link.textContent()) ?? '';
    await link.scrollIntoViewIfNeeded();
    await page.screenshot({ path: tag('error-link') });
    await link.click();
    // The notebook's status bar shows the cell, not the column: type a mark where the cursor is, read the line, undo.
    const [, col] = text.split(':').map(Number);
    // The cell's own editor, once it has focus (the click moves focus and the cursor asynchronously).
    const focused = page.locator('.notebook-editor .monaco-editor.focused', { hasText: 'mixed = uploads' });
    await focused.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('@');
    const expected = 'mixed = uploads + photo_storage';
    // The typed mark shows once the editor has rendered it.
    const typed = await waitUntil(
      'the typed mark in the cell',
      async () => {
        const line = ((await focused.locator('.view-lines').innerText()) ?? '').replace(/\u00a0/g, ' ');
        return { line, ok: line.includes('@') };
      },
      10_000,
    );
    await page.keyboard.press('Control+Z');
    if (!typed.line.includes(expected.slice(0, col - 1) + '@' + expected.slice(col - 1)))
      throw new Error(`the cursor is not at ${text}: ${JSON.stringify(typed.line)}`);
    await page.keyboard.press('Escape');
    await command(page, 'Notebook: Delete Cell', 'Delete Cell');
    await waitUntil(
      'the deleted cell’s problems gone from the status bar',
      async () => ({ before, now: await problems(), ok: (await problems()) === before }),
      10_000,
    );
  });

  await step(
    `${theme.name} walk: with the interview timer running, a cell in Design Phases reveals it; stopping says where the timing went`,
    async () => {
      await command(page, 'System Design: Start Interview Timer');
      // Room for the view: fold the file list, unfold Design Phases.
      const folder = page.locator('.pane-header', { hasText: `workspace-${theme.name}` });
      if ((await folder.getAttribute('aria-expanded')) === 'true') await folder.click();
      const header = page.locator('.pane-header', { hasText: 'Design Phases' });
      await header.waitFor({ state: 'visible', timeout: 20_000 });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      const view = page.locator('.pane', { has: header });
      const item = view.locator('.monaco-list-row', { hasText: 'Wrap up' }).filter({ hasText: 'markdown' }).first();
      await item.waitFor({ state: 'visible', timeout: 20_000 });
      await page.waitForTimeout(2500); // several ticks of the timer
      await item.click();
      await waitUntil(
        'the wrap-up cell selected',
        async () => {
          const bar = await statusBar();
          const errors = await page.locator('.notifications-toasts', { hasText: 'command not found' }).count();
          if (errors) throw new Error('a notification says the command was not found');
          return { bar: bar.slice(0, 200), ok: /Cell 9 of \d+/.test(bar) };
        },
        10_000,
      );
      await page.screenshot({ path: tag('phases-timer') });
      await command(page, 'System Design: Stop Interview Timer and Record Timing');
      await page
        .locator('.notifications-toasts', { hasText: 'Interview timing recorded in a new cell at the end of photos.sdnb' })
        .waitFor({ state: 'visible', timeout: 10_000 });
      await page.screenshot({ path: tag('timer-stopped') });
    },
  );
}

const browser = await launchChromium();
let code = 1;
try {
  for (const [t, theme] of themes.entries()) {
    const first = t === 0;
    const workspace = join(tmp, `workspace-${theme.name}`);
    cpSync('examples', workspace, { recursive: true });
    const notebookFile = join(workspace, 'tour.sdnb');
    const server = await startCodeServer({
      workspace,
      extensionsDir,
      userDataDir: join(tmp, `data-${theme.name}`),
      settings: { 'workbench.colorTheme': theme.id, ...TYPING },
    });
    page = await browser.newPage({ viewport: VIEWPORT });
    try {
      await step(`${theme.name}: the workbench loads in ${theme.id}`, async () => {
        await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
        await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      });
      if (!walkOnly) await tour(theme, first, notebookFile);
      if (WALK_THEMES.includes(theme.name)) await newUserWalk(theme, workspace);
    } finally {
      await page.close().catch(() => {});
      server.stop();
    }
  }
  code = 0;
} catch {
  code = 1;
} finally {
  writeFileSync(join(artifacts, 'e2e-measurements.json'), JSON.stringify(measured, null, 1) + '\n');
  for (const [tag, m] of Object.entries(measured)) {
    if (tag.startsWith('walk-')) {
      console.log(
        `  ${tag}: ${m.placeholders} placeholder findings on the Blank template; exported HTML edges ${m.htmlEdge?.edge} on ${m.htmlEdge?.page} (${m.htmlEdge?.ratio}:1)`,
      );
      continue;
    }
    const ratios = (m.charts ?? []).flatMap((c) => c.series.map((s) => `${s.series} ${s.ratio}`));
    console.log(
      `  ${tag}: ${m.collapsedPx} px collapsed (headline ends at ${m.headlineBottomPx} px), ${m.expandedPx ?? '?'} px expanded; contrast on ${m.charts?.[0]?.background ?? '?'}: ${ratios.join(', ')}`,
    );
  }
  summary('e2e');
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);

/** The tour: Run All, its reports in the theme, and (first theme) edit, save, reopen. */
async function tour(theme, first, notebookFile) {
  await step(`${theme.name}: the tour notebook opens in the notebook editor`, () => openNotebook(page));
  await step(`${theme.name}: Run All renders diagrams, estimate tables and both model reports`, async () => {
    await command(page, 'Notebook: Run All');
    await waitUntil('the estimate table', async () => ({ ok: (await outputs(page)).tables.some((x) => x.includes('peak_qps')) }));
    // The notebook opened with its estimates and diagrams drawn (sdnb.runOnOpen); VS Code draws the
    // new outputs of cells off screen when they come near, so walk through the cells first.
    await renderEveryOutput();
    const r = await waitUntil('rendered outputs', async () => {
      const o = await outputs(page);
      return { ...o, ok: o.svgs >= 1 };
    });
    if (r.errors.length) throw new Error(`error outputs: ${r.errors.join(' | ')}`);
    if (first) {
      await scrollToTop();
      await page.screenshot({ path: join(artifacts, 'e2e-run-all.png') });
    }
  });
  await checkReports(theme);
  await step(
    `${theme.name}: the Estimates view groups names by cell, the models' results measured; the Requirements view shows each check met`,
    async () => {
      const folder = page.locator('.pane-header', { hasText: `workspace-${theme.name}` });
      if ((await folder.getAttribute('aria-expanded')) === 'true') await folder.click();
      const pane = async (title) => {
        const header = page.locator('.pane-header', { hasText: title });
        await header.waitFor({ state: 'visible', timeout: 20_000 });
        if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
        return page.locator('.pane', { has: header });
      };
      const phases = page.locator('.pane-header', { hasText: 'Design Phases' });
      if ((await phases.getAttribute('aria-expanded')) === 'true') await phases.click();
      const estimates = await pane('Estimates');
      const group = estimates.locator('.monaco-list-row', { hasText: 'API gateway model, cell' }).first();
      await group.waitFor({ state: 'visible', timeout: 20_000 });
      if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
      const p99 = estimates.locator('.monaco-list-row', { hasText: 'redirects.p99' }).first();
      await p99.waitFor({ state: 'visible', timeout: 20_000 });
      const row = (await p99.innerText()).replace(/\s+/g, ' ');
      if (!/redirects\.p99\s*[\d.]+ ms/.test(row)) throw new Error(`redirects.p99 has no measured value: ${row}`);
      const requirements = await pane('Requirements');
      const nfr2 = requirements.locator('.monaco-list-row', { hasText: 'NFR2' }).first();
      await nfr2.waitFor({ state: 'visible', timeout: 20_000 });
      const text = (await nfr2.innerText()).replace(/\s+/g, ' ');
      if (!/met/.test(text) || /not met/.test(text)) throw new Error(`NFR2 is not shown as met: ${text}`);
      await page.screenshot({ path: join(artifacts, `e2e-${theme.name}-views.png`) });
      // Fold the two views again (the walk needs the room) and go back to the notebook, for the steps that type in it.
      for (const title of ['Estimates', 'Requirements']) {
        const header = page.locator('.pane-header', { hasText: title });
        if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
      }
      await command(page, 'View: Focus Active Editor Group');
    },
  );
  if (first) {
    const before = readFileSync(notebookFile, 'utf8');
    await step('edit a cell and save: the file has the edit and nothing else changed', async () => {
      await scrollToTop();
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
      await page
        .locator('.notebook-editor')
        .first()
        .waitFor({ state: 'detached', timeout: 20_000 })
        .catch(() => {});
      await openNotebook(page);
      await waitUntil(
        'the edited line in the reopened notebook',
        async () => ({
          ok: (await page.locator('.notebook-editor .view-lines').allTextContents()).some((x) =>
            x.replace(/\u00a0/g, ' ').includes('checked in the browser'),
          ),
        }),
        20_000,
      );
      await page.screenshot({ path: join(artifacts, 'e2e-reopened.png') });
    });
  }
}
