// Integration tier: runs test/integration/suite inside a real VS Code extension host (code-server),
// loaded through the workbench's `payload` URL parameter, and prints the mocha results.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCodeServer } from './code-server.mjs';
import { launchChromium } from './browser.mjs';

const root = resolve('.');

/** A 2,000-cell notebook of every cell kind, to time opening and saving in VS Code. */
function bigNotebook(n) {
  const blocks = ['---\ntitle: Big\nseed: 1\n---'];
  for (let i = 0; i < n; i++) {
    if (i % 4 === 0) blocks.push(`## Part ${i}\n\nProse for part ${i}.`);
    else if (i % 4 === 1) blocks.push('```estimate\nx' + i + ' = ' + i + ' req/s\n```');
    else if (i % 4 === 2) blocks.push('```mermaid\nflowchart LR\n  a' + i + ' --> b' + i + '\n```');
    else blocks.push('```gateway\ntraffic:\n  rate: ' + i + '\n```');
  }
  return blocks.join('\n\n') + '\n';
}
const out = join(root, 'out', 'integration');

async function buildTests() {
  rmSync(out, { recursive: true, force: true });
  const suites = readdirSync('test/integration/suite').filter((f) => f.endsWith('.test.ts'));
  await esbuild.build({
    entryPoints: ['test/integration/index.ts', ...suites.map((f) => `test/integration/suite/${f}`)],
    outbase: 'test/integration',
    outdir: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  cpSync('test/integration/fixtures', join(out, 'workspace', 'fixtures'), { recursive: true });
  writeFileSync(join(out, 'workspace', 'fixtures', 'big.sdnb'), bigNotebook(2000));
  // The suites start from notebooks without outputs; runOnOpen.test.ts turns the setting on itself.
  mkdirSync(join(out, 'workspace', '.vscode'), { recursive: true });
  writeFileSync(join(out, 'workspace', '.vscode', 'settings.json'), JSON.stringify({ 'sdnb.runOnOpen': false }, null, 2));
  if (existsSync('examples')) cpSync('examples', join(out, 'workspace', 'examples'), { recursive: true });
}

const buildOnly = process.argv.includes('--build-only');
if (!existsSync('dist/extension.js') || !process.argv.includes('--no-build')) {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
await buildTests();
if (buildOnly) process.exit(0);

const tmp = mkdtempSync(join(tmpdir(), 'sdnb-int-'));
const resultsFile = join(tmp, 'results.json');
process.env.SDNB_TEST_RESULTS = resultsFile;
const workspace = join(out, 'workspace');
const server = await startCodeServer({ workspace, extensionsDir: join(tmp, 'ext'), userDataDir: join(tmp, 'data') });
const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
const payload = JSON.stringify([
  ['extensionDevelopmentPath', remote(root)],
  ['extensionTestsPath', remote(join(out, 'index'))],
]);
const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;

let code = 1;
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(url);
  const deadline = Date.now() + 10 * 60_000;
  while (!existsSync(resultsFile)) {
    if (Date.now() > deadline) throw new Error('the integration suite did not finish within 10 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 100));
  const { results, figures } = JSON.parse(readFileSync(resultsFile, 'utf8'));
  // Then what the workbench shows (palette, toolbars), in a window with the extension and no test runner.
  const { uiChecks } = await import('../test/integration/ui.mjs');
  const ui = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const devPayload = JSON.stringify([['extensionDevelopmentPath', remote(root)]]);
  await ui.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(devPayload)}`);
  await ui.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await ui.waitForTimeout(3000);
  results.push(...(await uiChecks(ui)));
  await ui.close();
  for (const r of results) {
    console.log(`${r.state === 'passed' ? '✔' : '✘'} ${r.title}${r.ms !== undefined ? ` (${r.ms} ms)` : ''}`);
    if (r.error) console.log('    ' + r.error.split('\n').slice(0, 8).join('\n    '));
  }
  for (const [k, v] of Object.entries(figures ?? {})) console.log(`figure: ${k}: ${v}`);
  const passed = results.filter((r) => r.state === 'passed').length;
  const failed = results.length - passed;
  console.log(`integration: ${passed} passed, ${failed} failed`);
  code = failed === 0 && passed > 0 ? 0 : 1;
} finally {
  await browser.close();
  server.stop();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
