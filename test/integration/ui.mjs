// The integration tier's checks of what the workbench shows, in the real VS Code (code-server in
// Chromium) after the extension-host suite: which System Design commands the Command Palette offers
// with a mermaid cell and with an estimate cell selected, the Preview Diagram button on mermaid cells'
// toolbars (and only there), that it opens the preview, and that Ctrl+Enter runs a cell.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8'));
// The manifest's strings are `%key%`s of package.nls.json (English, what the palette shows here).
const text = (s) => s.replace(/^%(.+)%$/, (_, key) => nls[key] ?? s);
const title = (id) => {
  const c = pkg.contributes.commands.find((x) => x.command === id);
  return `${text(c.category)}: ${text(c.title)}`;
};

/** Where each command belongs in the palette: with a mermaid cell selected, with an estimate cell selected. */
export const PALETTE = {
  'sdnb.newNotebook': [true, true],
  'sdnb.previewDiagram': [true, false],
  'sdnb.exportDiagram': [true, false],
  'sdnb.revealEstimate': [false, false], // takes a name from the Estimates view
  'sdnb.setPhase': [true, true],
  'sdnb.startInterview': [true, true],
  'sdnb.stopInterview': [false, false], // only while the timer runs
  'sdnb.revealCell': [false, false], // takes a cell from the Design Phases view
  'sdnb.exportNotebook': [true, true],
  'sdnb.runDependents': [true, true],
  'sdnb.runPrecedents': [true, true],
  'sdnb.revealRequirement': [false, false], // takes a place from the Requirements view
};

async function paletteTitles(page) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type('System Design: ');
  await page.waitForTimeout(1000);
  const rows = await page.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
  await page.keyboard.press('Escape');
  return rows.map((r) => r.replace(/\s+/g, ' ').trim());
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click();
}

/** Runs the checks; returns results in the suite's format ({ title, state, error }). */
export async function uiChecks(page) {
  const results = [];
  const check = async (name, fn) => {
    try {
      await fn();
      results.push({ title: `UI: ${name}`, state: 'passed' });
    } catch (e) {
      results.push({ title: `UI: ${name}`, state: 'failed', error: String(e?.stack ?? e) });
    }
  };
  const missing = Object.keys(PALETTE).filter((id) => !pkg.contributes.commands.some((c) => c.command === id));
  const unlisted = pkg.contributes.commands.map((c) => c.command).filter((id) => !(id in PALETTE));
  await check('every contributed command has a row in the palette table', () => {
    if (missing.length || unlisted.length) throw new Error(`not contributed: ${missing}; not in the table: ${unlisted}`);
  });

  await openFile(page, 'basic.sdnb');
  const editors = page.locator('.notebook-editor .cell-editor-container .monaco-editor');
  await editors.nth(1).waitFor({ state: 'visible', timeout: 60_000 });
  await page.waitForTimeout(1500);
  for (const [label, index, column] of [
    ['a mermaid cell', 1, 0],
    ['an estimate cell', 0, 1],
  ]) {
    for (const mode of ['editing', 'selected']) {
      await check(`the palette with ${label} ${mode} offers the commands that apply there, and no others`, async () => {
        await editors.nth(index).click();
        if (mode === 'selected') await page.keyboard.press('Escape');
        await page.waitForTimeout(400);
        const shown = await paletteTitles(page);
        const wrong = Object.entries(PALETTE)
          .filter(([id, where]) => shown.includes(title(id)) !== where[column])
          .map(([id, where]) => `${id} ${where[column] ? 'missing' : 'shown'}`);
        if (wrong.length) throw new Error(`${wrong.join(', ')}; palette: ${shown.join(' | ')}`);
      });
    }
  }

  // The notebook's rows that hold a cell editor: code cells, in order.
  const rowOf = (index) =>
    page
      .locator('.notebook-editor .monaco-list-row')
      .filter({ has: page.locator('.cell-editor-container .monaco-editor') })
      .nth(index);
  await check('mermaid cells, and only they, have a Preview Diagram button in their toolbar', async () => {
    const labels = async (index) =>
      rowOf(index)
        .locator('.monaco-toolbar a.action-label')
        .evaluateAll((as) => as.map((a) => a.getAttribute('aria-label') ?? ''));
    const mermaid = await labels(1);
    const estimate = await labels(0);
    if (!mermaid.some((l) => l.startsWith('Preview Diagram'))) throw new Error(`mermaid cell toolbar: ${mermaid.join(' | ')}`);
    if (estimate.some((l) => l.startsWith('Preview Diagram'))) throw new Error(`estimate cell toolbar: ${estimate.join(' | ')}`);
  });

  await check('the toolbar button opens the diagram preview beside the notebook', async () => {
    await editors.nth(1).click();
    await page.keyboard.press('Escape');
    await rowOf(1).hover();
    await rowOf(1).locator('.monaco-toolbar a.action-label[aria-label^="Preview Diagram"]').click();
    await page.locator('.tab', { hasText: 'Preview basic.sdnb, cell 3' }).waitFor({ state: 'visible', timeout: 20_000 });
  });

  await check('Ctrl+Enter in a cell runs it (no new line)', async () => {
    await editors.nth(0).click();
    await page.keyboard.press('End');
    const before = await editors.nth(0).locator('.view-lines').innerText();
    const label = rowOf(0).locator('.execution-count-label');
    const order = (await label.textContent().catch(() => '')) ?? '';
    await page.keyboard.press('Control+Enter');
    const deadline = Date.now() + 20_000;
    while (!/\[\d+\]/.test((await label.textContent().catch(() => '')) ?? '') || ((await label.textContent()) ?? '') === order) {
      if (Date.now() > deadline)
        throw new Error(
          `the cell did not run: execution order ${order || '(none)'} → ${(await label.textContent().catch(() => '')) || '(none)'}`,
        );
      await page.waitForTimeout(200);
    }
    const after = await editors.nth(0).locator('.view-lines').innerText();
    if (after !== before) throw new Error(`the cell's text changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  });
  return results;
}
