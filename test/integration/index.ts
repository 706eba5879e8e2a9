// Entry point VS Code's extension host loads for the integration tier (code-server or
// @vscode/test-electron). Runs the mocha suites and writes the results to a file the launcher reads,
// since the extension host's console does not reach the launcher.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const resultsFile = process.env.SDNB_TEST_RESULTS ?? path.join(os.tmpdir(), 'sdnb-integration-results.json');
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'dot' });
  const dir = path.join(__dirname, 'suite');
  for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(dir, f));
  const results: { title: string; state: 'passed' | 'failed'; error?: string; ms?: number }[] = [];
  // Suites record measured figures here (activation time, open/save times); the launcher prints them.
  const figures: Record<string, string> = ((globalThis as { sdnbFigures?: Record<string, string> }).sdnbFigures = {});
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      fs.writeFileSync(resultsFile, JSON.stringify({ done: true, failures, results, figures }, null, 2));
      if (failures) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on('fail', (t, err) => results.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }));
  });
}
