// A file `sdnb` cannot read as a notebook (a cell never closed, bad front matter, no such file) is a
// finding like any other in CI: an error annotation at its position with --format github, an entry
// marked "unreadable" with --json, its reason on stderr, and exit status 2 for check and run alike.
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

const dir = mkdtempSync(join(tmpdir(), 'sdnb-unreadable-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const unclosed = write('unclosed.sdnb', '# x\n\n```estimate\na = 1\n');
const frontMatter = write('fm.sdnb', '---\ntitle: x\nseed: abc\n---\n\n# x\n');
const missing = join(dir, 'missing.sdnb');
const good = write('good.sdnb', '# x\n\n```estimate\na = 1 s\n```\n');

const NEVER_CLOSED = 'this `estimate` cell is never closed. Add a closing line ``` where the cell ends.';
const SEED = '`seed` must be a whole number from 0 to 4294967295 (here: "abc").';
const ENOENT = `ENOENT: no such file or directory, open '${missing}'`;

// [file, line, column, message, what stderr says]
const cases: [string, number, number, string, string][] = [
  [unclosed, 3, 1, NEVER_CLOSED, `${unclosed}:3:1: ${NEVER_CLOSED}`],
  [frontMatter, 3, 7, SEED, `${frontMatter}:3:7: ${SEED}`],
  [missing, 1, 1, `cannot read the file: ${ENOENT}`, `sdnb: cannot read ${missing}: ${ENOENT}`],
];

for (const command of ['check', 'run']) {
  for (const [file, line, column, message, stderr] of cases) {
    const name = file.slice(dir.length + 1);
    test(`${command} ${name} --format github: an error annotation at ${line}:${column}, exit 2`, async () => {
      const r = await sdnb(command, file, '--format', 'github');
      assert.equal(r.code, 2);
      assert.equal(r.out, `::error file=${file},line=${line},col=${column},title=Unreadable notebook::${message}`);
      assert.equal(r.err, stderr);
    });

    test(`${command} ${name} --json: an entry marked unreadable, with its finding, exit 2`, async () => {
      const r = await sdnb(command, file, '--json');
      assert.equal(r.code, 2);
      assert.deepEqual(JSON.parse(r.out), {
        file,
        unreadable: true,
        ...(command === 'run' ? { seed: null, cells: [] } : {}),
        findings: [{ line, column, severity: 'error', message, code: 'unreadable', source: 'file' }],
        requirements: [],
      });
    });
  }
}

test('several files: the unreadable one is reported among the others and the status is 2', async () => {
  const r = await sdnb('check', good, unclosed, '--json');
  assert.equal(r.code, 2);
  assert.deepEqual(
    JSON.parse(r.out).map((e: { file: string; unreadable?: boolean }) => [e.file, e.unreadable]),
    [
      [good, undefined],
      [unclosed, true],
    ],
  );
  const text = await sdnb('run', unclosed, good);
  assert.equal(text.code, 2);
  assert.equal(text.err, `${unclosed}:3:1: ${NEVER_CLOSED}`);
  assert.match(text.out, /^1 cell run, 0 failed$/m);
});
