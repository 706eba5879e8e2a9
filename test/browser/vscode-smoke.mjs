// Diagrams in a real VS Code (code-server, see /work/shared/docs/real-vscode.md): runs a notebook
// with a good and a broken mermaid cell, checks the renderer's SVG, the mermaid parse error as a
// diagnostic on the right cell line, exporting through `sdnb.exportDiagram` (renderer messaging and
// the save dialog), and the preview panel on a .mmd file with a live diagnostic while typing.
// Heavier than run.ts (starts code-server): node test/browser/vscode-smoke.mjs  (after a build)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCodeServer } from '../../scripts/code-server.mjs';
import { launchChromium } from '../../scripts/browser.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const T = mkdtempSync(join(tmpdir(), 'sdnb-diagrams-'));
const diagFile = join(T, 'diags.json');
const ext = join(T, 'exts', 'sdnb.system-design-notebook-0.1.0');
mkdirSync(join(ext, 'dist'), { recursive: true });
cpSync(join(ROOT, 'package.json'), join(ext, 'package.json'));
for (const d of ['renderer', 'preview', 'chunks', 'mermaidRender.js', 'worker.js'])
  cpSync(join(ROOT, 'dist', d), join(ext, 'dist', d), { recursive: true });

// The extension plus a probe that writes every diagnostic to a file; registers the preview itself
// until extension.ts does.
const wired = readFileSync(join(ROOT, 'src/extension.ts'), 'utf8').includes('registerPreview');
const entry = join(T, 'entry.ts');
writeFileSync(
  entry,
  `
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import { activate as base } from ${JSON.stringify(join(ROOT, 'src/node/extension'))};
import { attachDiagramDiagnostics, registerPreview } from ${JSON.stringify(join(ROOT, 'src/preview'))};
export function activate(ctx: vscode.ExtensionContext) {
  base(ctx);
  ${wired ? '' : "registerPreview(ctx); ctx.subscriptions.push(attachDiagramDiagnostics(vscode.languages.createDiagnosticCollection('sdnb-mermaid')));"}
  const dump = () => writeFileSync(${JSON.stringify(diagFile)}, JSON.stringify(vscode.languages.getDiagnostics().map(([u, ds]) => [u.toString(), ds.map((d) => ({ line: d.range.start.line, col: d.range.start.character, msg: d.message, source: d.source }))])));
  ctx.subscriptions.push(vscode.languages.onDidChangeDiagnostics(dump));
  dump();
}
export function deactivate() {}
`,
);
const b = spawnSync(
  join(ROOT, 'node_modules/.bin/esbuild'),
  [
    entry,
    '--bundle',
    '--platform=node',
    '--format=cjs',
    '--external:vscode',
    `--outfile=${join(ext, 'dist/extension.js')}`,
    '--log-level=warning',
  ],
  { stdio: 'inherit', cwd: ROOT },
);
if (b.status) process.exit(1);

const ws = join(T, 'ws');
mkdirSync(ws);
writeFileSync(
  join(ws, 't.sdnb'),
  '---\ntitle: smoke\n---\n\n```mermaid\nflowchart LR\n  a[Client] --> b{Gateway}\n```\n\n```mermaid\n---\ntitle: broken\n---\nsequenceDiagram\n  A->>B: hi\n  B-->>\n```\n',
);
writeFileSync(join(ws, 'd.mmd'), 'sequenceDiagram\n  A->>B: hello\n');

let passed = 0;
let failed = 0;
const check = (name, ok, detail) => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `\n     ${JSON.stringify(detail)}`}`);
};
const diags = () => (existsSync(diagFile) ? JSON.parse(readFileSync(diagFile, 'utf8')) : []);

const cs = await startCodeServer({ workspace: ws, extensionsDir: join(T, 'exts'), userDataDir: join(T, 'user') });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${cs.url}/?folder=${ws}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  await page.waitForTimeout(3000);
  const input = async (key, text) => {
    await page.keyboard.press(key);
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type(text);
    await page.waitForTimeout(700);
    await page.keyboard.press('Enter');
  };
  const inFrames = async (fn) => {
    for (let i = 0; i < 60; i++) {
      for (const f of page.frames()) {
        const r = await f.evaluate(fn).catch(() => null);
        if (r) return r;
      }
      await page.waitForTimeout(500);
    }
    return null;
  };

  // Quick Open on a busy machine can take the Enter before its list is filled: try again once.
  for (let attempt = 0; ; attempt++) {
    await input('Control+P', 't.sdnb');
    const opened = await page.waitForSelector('.notebook-editor', { state: 'attached', timeout: 45000 }).then(
      () => true,
      () => false,
    );
    if (opened) break;
    if (attempt === 1) throw new Error('t.sdnb did not open in the notebook editor');
    await page.keyboard.press('Escape');
  }
  await page.waitForTimeout(2000);
  await input('F1', 'Notebook: Run All');
  const nb = await inFrames(() => {
    const svg = document.querySelector('.sdnb-content svg');
    const err = document.querySelector('.sdnb-diagram-error:not([hidden])');
    return svg && err ? { viewBox: svg.getAttribute('viewBox'), error: err.textContent } : null;
  });
  check('notebook output draws the mermaid cell as SVG', !!nb?.viewBox && !nb.viewBox.startsWith('-8 -8'), nb);
  check('the broken cell shows its error at cell line 6', /^6:\d+ /.test(nb?.error ?? ''), nb);
  await page.waitForTimeout(1000);
  const cellDiag = diags()
    .flatMap(([u, ds]) => ds.map((d) => ({ u, ...d })))
    .find((d) => d.source === 'mermaid');
  check(
    'the renderer posts the parse error as a diagnostic on the cell (zero-based line 5)',
    cellDiag?.line === 5 && cellDiag.u.startsWith('vscode-notebook-cell:'),
    cellDiag,
  );

  await page.click('.notebook-editor .cell-statusbar-container >> nth=0', { force: true }).catch(() => {});
  await page.keyboard.press('Escape');
  await input('F1', 'System Design: Export Diagram');
  await page.waitForTimeout(800);
  await page.keyboard.press('Enter'); // SVG
  await page.waitForTimeout(2000);
  await page.keyboard.press('Enter'); // accept the save dialog's suggested file
  await page.waitForTimeout(2000);
  const svgFile = readdirSync(ws).find((f) => f.endsWith('.svg'));
  check(
    'sdnb.exportDiagram saves the selected cell as SVG',
    !!svgFile && readFileSync(join(ws, svgFile), 'utf8').includes('<svg'),
    readdirSync(ws),
  );

  await input('Control+P', 'd.mmd');
  await page.waitForTimeout(1500);
  await input('F1', 'System Design: Preview Diagram');
  const pv = await inFrames(() => {
    const svg = document.querySelector('#diagram .sdnb-content svg');
    return svg ? { viewBox: svg.getAttribute('viewBox'), elements: !!customElements.get('vscode-button') } : null;
  });
  check('the preview panel draws the .mmd file with @vscode-elements controls', !!pv?.viewBox && pv.elements, pv);
  await page.keyboard.press('Control+End');
  await page.keyboard.type('  B-->>');
  await page.waitForTimeout(2500);
  const live = diags().find(([u]) => u.endsWith('/d.mmd'))?.[1]?.[0];
  check('typing an error gives a live mermaid diagnostic on the file (line 2)', live?.line === 2 && live.source === 'mermaid', live);
  await page.screenshot({ path: join(T, 'preview.png') });

  // A window reload brings the preview back on the same file (webview panel serializer).
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Z');
  await page.keyboard.press('Control+S');
  await page.waitForTimeout(1000);
  await input('F1', 'Developer: Reload Window');
  await page.waitForTimeout(2000);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  const restored = await inFrames(() => {
    const svg = document.querySelector('#diagram .sdnb-content svg');
    return svg ? { viewBox: svg.getAttribute('viewBox'), title: document.getElementById('title')?.textContent } : null;
  });
  check('after a window reload the preview comes back drawing d.mmd', !!restored?.viewBox && /d\.mmd/.test(restored.title ?? ''), restored);
  await page.screenshot({ path: join(T, 'preview-restored.png') });
} finally {
  await browser.close();
  cs.stop();
}
console.log(`screenshots and workspace in ${T}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
