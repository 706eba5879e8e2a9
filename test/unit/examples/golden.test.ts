// Golden outputs: `sdnb run --json` of every example, pinned in test/golden/. The same notebook must
// give the same outputs, and a change that alters any output shows in the diff of these files.
// Update them with `npm run golden` and say in the commit why the outputs changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';

const update = process.env.SDNB_UPDATE_GOLDEN === '1';
const examples = readdirSync('examples').filter((f) => /\.sdnb(\.md)?$/.test(f)).sort();

/** The JSON report without wall-clock durations, which are the only thing that may differ between runs. */
export async function goldenReport(file: string): Promise<string> {
  const out: string[] = [];
  // No wall-clock limit: on a slow or loaded machine a cell would stop early, and its outputs differ.
  const code = await main(['run', file, '--json', '--max-wall-seconds', '0'], { out: (s) => out.push(s), err: () => {} });
  const report = JSON.parse(out.join('\n'));
  for (const c of report.cells) delete c.durationMs;
  return JSON.stringify({ exitCode: code, ...report }, null, 1) + '\n';
}

for (const name of examples) {
  test(`golden: ${name}`, async () => {
    const golden = join('test', 'golden', name.replace(/\.sdnb(\.md)?$/, '.json'));
    const actual = await goldenReport(join('examples', name));
    if (update) {
      writeFileSync(golden, actual);
      return;
    }
    let expected: string;
    try {
      expected = readFileSync(golden, 'utf8');
    } catch {
      assert.fail(`${golden} is missing: run \`npm run golden\` and commit it`);
    }
    if (actual !== expected) {
      // Name the first differing line rather than dumping two large documents.
      const a = actual.split('\n'), e = expected.split('\n');
      let k = 0;
      while (k < a.length && a[k] === e[k]) k++;
      assert.fail(`${name}: output differs from ${golden} at line ${k + 1}:\n  expected: ${e[k]}\n  actual:   ${a[k]}\nIf the change is intended, run \`npm run golden\` and say why in the commit.`);
    }
  });
}
