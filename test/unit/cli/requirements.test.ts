// A requirement's state in `sdnb`'s words: the Requirements view's (met, not met, marginal, not run yet,
// prose only), the same in the text summary's header, its rows and the JSON report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';

async function sdnb(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const file = join(mkdtempSync(join(tmpdir(), 'sdnb-req-')), 'photos.sdnb');
writeFileSync(
  file,
  [
    '# Photos',
    '',
    '- FR1: users upload photos.',
    '- NFR1: p99 under 50 ms.',
    '',
    '```gateway',
    'name: api',
    'services:',
    '  web: { instances: 2, latency: { mean: 5 ms } }',
    'routes:',
    '  - path: /x',
    '    service: web',
    'traffic:',
    '  rate: 100',
    '  duration: 10 s',
    '  requests:',
    '    - path: /x',
    '```',
    '',
    '```estimate',
    'require NFR1: api.p99 <= 50 ms',
    '```',
    '',
  ].join('\n'),
);

test('check: a check of a model that has not run is "not run yet" in the header and the row', async () => {
  const r = await sdnb('check', file);
  assert.equal(r.code, 0);
  const lines = r.out.split('\n');
  assert.deepEqual(lines.slice(lines.indexOf(`${file}:`)), [
    `${file}:`,
    'Requirements: 0 met, 0 not met, 0 marginal, 1 not run yet, 1 prose only',
    '  · FR1   prose only  users upload photos.',
    '  … NFR1  not run yet p99 under 50 ms.',
    '        api.p99 <= 50 ms: NFR1 is not checked yet: run the `api` model (cell 2).',
  ]);
});

test('check --json: the requirement state and the check status say "not run yet" too', async () => {
  const r = await sdnb('check', file, '--json');
  assert.deepEqual(JSON.parse(r.out).requirements, [
    { id: 'FR1', state: 'prose only', text: 'users upload photos.', checks: [] },
    {
      id: 'NFR1',
      state: 'not run yet',
      text: 'p99 under 50 ms.',
      checks: [{ check: 'api.p99 <= 50 ms', status: 'not run yet', message: 'NFR1 is not checked yet: run the `api` model (cell 2).' }],
    },
  ]);
});
