import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';

async function sdnb(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const examples = readdirSync('examples')
  .filter((f) => f.endsWith('.sdnb'))
  .map((f) => join('examples', f));

test('there are examples to run', () => assert.ok(examples.length >= 7, examples.join(', ')));

for (const file of examples) {
  test(`sdnb run ${file}: every cell succeeds`, async () => {
    // However slow the machine: with the clock's budget a model could stop early and miss a check.
    const r = await sdnb('run', file, '--max-wall-seconds', '0');
    assert.equal(r.code, 0, r.out.slice(-2000));
    assert.match(r.out, /\n\d+ cells? run, 0 failed$/m);
  });
  test(`sdnb check ${file}: no diagnostics, no review findings`, async () => {
    const r = await sdnb('check', file);
    assert.equal(r.code, 0);
    assert.deepEqual(
      r.out.split('\n').filter((l) => /^[^ ]+:\d+:\d+: /.test(l)),
      [],
      'no findings',
    );
    assert.match(r.out, /^Requirements: /m, 'the requirements summary');
  });
}

const dir = mkdtempSync(join(tmpdir(), 'sdnb-cli-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('sdnb run --json: index, language, status and outputs keyed by MIME type; exit 1 on a failing cell', async () => {
  const file = write('mixed.sdnb', '# T\n\n```estimate\nx = 2 req/s\n```\n\n```estimate\ny = x + 1 GB\n```\n');
  const r = await sdnb('run', file, '--json');
  assert.equal(r.code, 1);
  const report = JSON.parse(r.out);
  assert.deepEqual(
    report.cells.map((c: { index: number; language: string; status: string }) => [c.index, c.language, c.status]),
    [
      [1, 'sdnb-estimate', 'ok'],
      [2, 'sdnb-estimate', 'error'],
    ],
  );
  assert.deepEqual(Object.keys(report.cells[0].outputs[0]).sort(), ['application/vnd.sdnb.estimate+json', 'text/markdown']);
  assert.ok(report.cells[1].outputs[0]['application/vnd.sdnb.error+json']);
});

test('sdnb check prints FILE:LINE:COL for a cell error, counting lines in the file', async () => {
  const file = write('bad.sdnb', '---\ntitle: x\n---\n\n# T\n\n```estimate\nok = 1 s\nbad = 1 s + 1 GB\n```\n');
  const r = await sdnb('check', file);
  assert.equal(r.code, 1);
  assert.match(r.out, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:9:\\d+: error: `, 'm'));
});

test('a file that cannot be read as a notebook: FILE:LINE:COL and exit 2', async () => {
  const file = write('open.sdnb', '# T\n\n```kafka\ntopics: []\n');
  const r = await sdnb('check', file);
  assert.equal(r.code, 2);
  assert.equal(r.err, `${file}:3:1: this \`kafka\` cell is never closed. Add a closing line \`\`\` where the cell ends.`);
});

test('usage errors exit 2 and say how to call it', async () => {
  for (const argv of [
    [],
    ['frobnicate', 'x.sdnb'],
    ['run'],
    ['export', 'a.sdnb', 'b.sdnb', '--to', 'md'],
    ['run', 'x.sdnb', '--format', 'xml'],
    ['check', 'no-such-dir/*.sdnb'],
    ['run', '--bogus'],
    ['run', 'x.sdnb', '--max-wall-seconds', '-1'],
    ['run', 'x.sdnb', '--max-wall-seconds', 'soon'],
  ]) {
    const r = await sdnb(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.out + r.err, /Usage:/);
  }
});

test('--max-wall-seconds: a cell stops after that much wall-clock time and says so; 0 is no limit', async () => {
  const file = write(
    'long.sdnb',
    '# T\n\n```gateway\nreplications: 1\nservices:\n  api: { instances: 8, latency: { mean: 5 ms } }\nroutes:\n  - path: /x\n    service: api\ntraffic:\n  rate: 1000\n  duration: 1000 s\n  requests:\n    - path: /x\n```\n',
  );
  const stopped = await sdnb('run', file, '--max-wall-seconds', '0.05');
  assert.equal(stopped.code, 0, stopped.out + stopped.err);
  assert.match(stopped.out, /stopped early: reached the wall-clock budget \(\d+ ms\) after 1 of 1 replications/);
  // The event budget still bounds a run with no wall-clock limit: a short run finishes whole.
  const whole = await sdnb('run', write('short.sdnb', readFileSync(file, 'utf8').replace('1000 s', '1 s')), '--max-wall-seconds', '0');
  assert.equal(whole.code, 0, whole.out + whole.err);
  assert.doesNotMatch(whole.out, /stopped early/);
});

test('the same notebook gives the same outputs', async () => {
  const a = await sdnb('run', 'examples/tour.sdnb', '--json', '--max-wall-seconds', '0');
  const b = await sdnb('run', 'examples/tour.sdnb', '--json', '--max-wall-seconds', '0');
  const strip = (s: string) => JSON.parse(s).cells.map((c: { outputs: unknown }) => c.outputs);
  assert.deepEqual(strip(a.out), strip(b.out));
});
