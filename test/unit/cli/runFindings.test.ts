// What `sdnb run` found, where it is in the file: each diagnostic of a failed cell and each unmet
// requirement check at its own line and column (1-based, front matter counted), the positions
// `sdnb check` gives, in every format; a failed cell with no diagnostics at its fence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotebookAnalysis } from '../../../src/analysis/analysis';
import { main, runFindings } from '../../../src/cli/main';
import { parseNotebookWithLines } from '../../../src/format/sdnb';
import { errorOutput } from '../../../src/kernels/output';

async function sdnb(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'sdnb-findings-'));
const file = join(dir, 'broken.sdnb');
// prettier-ignore
const lines = [
  '---',                                   // 1
  'title: T',                              // 2
  '---',                                   // 3
  '',                                      // 4
  '# T',                                   // 5
  '',                                      // 6
  '- NFR1: at most 100 req/s.',            // 7
  '',                                      // 8
  '```estimate',                           // 9
  'peak = 300 req/s',                      // 10
  'require NFR1: peak <= 100 req/s',       // 11: NFR1 at column 9
  '```',                                   // 12
  '',                                      // 13
  '```mermaid',                            // 14
  'flowchart LR',                          // 15
  '  a[Client --> b{{',                    // 16: the second `{` at column 18
  '```',                                   // 17
  '',                                      // 18
  '```estimate',                           // 19
  'dau = 10M users',                       // 20
  'bad = 3 fo',                            // 21: `fo` at column 9
  '```',                                   // 22
  '',
];
writeFileSync(file, lines.join('\n'));

const NOT_MET = 'NFR1 not met: peak = 300 req/s, required <= 100 req/s: 200 req/s over the limit (200%).';
const BRACE = '`{` is not closed on this line: add `}`.';
const UNIT = 'unknown unit `fo`; did you mean `mo`? To count a new kind of thing, declare it on a line above: `unit fo`';

test('run --format github: one annotation per diagnostic and per unmet check, at its position in the file, in plain text', async () => {
  const r = await sdnb('run', file, '--format', 'github');
  assert.equal(r.code, 1);
  assert.deepEqual(r.out.split('\n'), [
    `::error file=${file},line=11,col=9,title=Requirement NFR1::${NOT_MET.replace('%', '%25')}`,
    `::error file=${file},line=16,col=18,title=System Design Notebook::${BRACE}`,
    `::error file=${file},line=21,col=9,title=System Design Notebook::${UNIT}`,
  ]);
});

test('run (text): FILE:LINE:COL: severity: message for each, at the positions check prints', async () => {
  const positioned = (out: string) => out.split('\n').filter((l) => l.startsWith(`${file}:`) && l !== `${file}:`);
  const expected = [`${file}:11:9: error: ${NOT_MET}`, `${file}:16:18: error: ${BRACE}`, `${file}:21:9: error: ${UNIT}`];
  assert.deepEqual(positioned((await sdnb('run', file)).out), expected);
  assert.deepEqual(
    positioned((await sdnb('check', file)).out).filter((l) => / error: /.test(l)),
    expected,
  );
});

test('run --json: the findings, in the shape check --json gives them', async () => {
  const r = await sdnb('run', file, '--json');
  assert.deepEqual(JSON.parse(r.out).findings, [
    { line: 11, column: 9, severity: 'error', message: NOT_MET, code: 'requirement', source: 'cell' },
    { line: 16, column: 18, severity: 'error', message: BRACE, code: 'unbalanced-bracket', source: 'cell' },
    { line: 21, column: 9, severity: 'error', message: UNIT, code: 'unknown-unit', source: 'cell' },
  ]);
  const check = JSON.parse((await sdnb('check', file, '--json')).out);
  assert.deepEqual(
    check.findings.filter((f: { severity: string }) => f.severity === 'error'),
    JSON.parse(r.out).findings,
  );
});

test('a failed cell with no diagnostics: one finding at its fence, its error in words', () => {
  const { notebook: nb, cellLines } = parseNotebookWithLines('# T\n\n```estimate\nx = 1 s\n```\n\n```estimate\ny = 2 s\n```\n');
  const analysis = new NotebookAnalysis().update(nb.cells);
  const run = (index: number, ok: boolean, outputs = [errorOutput('Stopped', 'The run was stopped before this cell finished.')]) => ({
    index,
    ok,
    outputs,
    durationMs: 0,
    reads: [],
    inputs: {},
    definitions: [],
  });
  assert.deepEqual(runFindings([run(1, true, []), run(2, false)], analysis, cellLines), [
    {
      line: 7,
      column: 1,
      severity: 'error',
      message: 'Stopped: The run was stopped before this cell finished.',
      code: 'cell-failed',
      source: 'cell',
      title: 'Cell failed',
      cell: 2,
    },
  ]);
  assert.deepEqual(
    runFindings([run(1, false, [])], analysis, cellLines).map((f) => [f.line, f.message]),
    [[3, 'the cell failed']],
  );
});
