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

test('check: a requirement whose check has an error is "check error", with where, in text and JSON', async () => {
  const broken = join(mkdtempSync(join(tmpdir(), 'sdnb-req-')), 'broken.sdnb');
  writeFileSync(
    broken,
    [
      '# Photos',
      '',
      '- NFR1: p99 under 50 ms.',
      '- NFR2: stores 10 TB.',
      '- NFR3: 1,000 uploads/s.',
      '',
      '```estimate',
      'storage = 10M users * 1 MB/usr',
      'require NFR1: 40 ms <=',
      'require NFR2: storage <= 20 TB',
      'require NFR3: 2000 req/s >= 1000 req/s',
      '```',
      '',
    ].join('\n'),
  );
  const r = await sdnb('check', broken);
  assert.equal(r.code, 1);
  const lines = r.out.split('\n');
  assert.deepEqual(lines.slice(lines.indexOf(`${broken}:`)), [
    `${broken}:`,
    'Requirements: 1 met, 0 not met, 0 marginal, 0 not run yet, 2 with a check that has an error, 0 prose only',
    '  ! NFR1  check error p99 under 50 ms.',
    '        check not judged: line 2 of cell 2 has an error',
    '  ! NFR2  check error stores 10 TB.',
    '        check not judged: it reads `storage`, and line 1 of cell 2 has an error',
    '  ✔ NFR3  met         1,000 uploads/s.',
    '        2000 req/s >= 1000 req/s: 2,000 req/s, 1,000 req/s over the limit (100%)',
  ]);
  const json = JSON.parse((await sdnb('check', broken, '--json')).out).requirements;
  assert.deepEqual(
    json.map((x: { id: string; state: string; brokenChecks?: string[] }) => [x.id, x.state, x.brokenChecks]),
    [
      ['NFR1', 'check error', ['line 2 of cell 2 has an error']],
      ['NFR2', 'check error', ['it reads `storage`, and line 1 of cell 2 has an error']],
      ['NFR3', 'met', undefined],
    ],
  );
});
