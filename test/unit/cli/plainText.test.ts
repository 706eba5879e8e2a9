// `sdnb run`'s text format prints the kernels' Markdown as plain text: escapes undone, bold, heading and
// quote marks dropped, tables aligned (numbers to the right where the table says so), code kept as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { plainInline, plainText } from '../../../src/cli/plainText';
import { escapeMarkdown, markdownTable } from '../../../src/kernels/output';

// [Markdown, plain text]
const inline: [string, string][] = [
  ['peak\\_qps', 'peak_qps'],
  ['dau \\* 10 req/user/day -\\> req/s', 'dau * 10 req/user/day -> req/s'],
  ['redirects.p99 \\<= 50 ms', 'redirects.p99 <= 50 ms'],
  ['routes\\[0\\] \\| \\\\ \\`x\\`', 'routes[0] | \\ `x`'],
  ['**The cell has errors**', 'The cell has errors'],
  ['**warning:** NFR1 not met', 'warning: NFR1 not met'],
  ['code `a\\_b **c**` stays', 'code `a\\_b **c**` stays'],
  ['a lone ` backtick \\_', 'a lone ` backtick _'],
  ['a trailing backslash \\', 'a trailing backslash \\'],
  ['C:\\dir', 'C:\\dir'],
];

test('inline Markdown as plain text', () => {
  assert.deepEqual(
    inline.map(([md]) => plainInline(md)),
    inline.map(([, text]) => text),
  );
});

test('plainInline undoes escapeMarkdown on any text', () => {
  for (const text of ['a_b*c', '<x> [y] |z|', 'back\\slash `tick`', 'plain']) assert.equal(plainInline(escapeMarkdown(text)), text);
});

// [Markdown, plain text]
const blocks: [string, string][] = [
  [
    markdownTable(
      ['Name', 'Value', 'Expression'],
      [
        ['peak_qps', '38,190 req/s', '3 * writes * 11'],
        ['x', '1 s', 'a | b'],
      ],
      ['l', 'r', 'l'],
    ),
    [
      'Name             Value  Expression',
      '--------  ------------  ---------------',
      'peak_qps  38,190 req/s  3 * writes * 11',
      'x                  1 s  a | b',
    ].join('\n'),
  ],
  ['### Kafka model\n\n> **info:** First to saturate: `posts`', 'Kafka model\n\ninfo: First to saturate: `posts`'],
  ['- ✓ NFR2 met: a\\_b \\<= 1 s', '- ✓ NFR2 met: a_b <= 1 s'],
  ['```mermaid\nflowchart LR\n  a[\\_x] --> b\n```\nafter\\_', '```mermaid\nflowchart LR\n  a[\\_x] --> b\n```\nafter_'],
  ['| not | a table |\nno delimiter row', '| not | a table |\nno delimiter row'],
];

test('blocks as plain text: tables aligned, headings and quotes unmarked, code fences as written', () => {
  assert.deepEqual(
    blocks.map(([md]) => plainText(md)),
    blocks.map(([, text]) => text),
  );
});

test('sdnb run (text): an estimate with an error prints the error, a blank line, then its partial table, all plain', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sdnb-plain-')), 'e.sdnb');
  writeFileSync(file, '# E\n\n```estimate\ndau = 10M users\nbad = 3 fo\npeak_qps = dau * 10 req/user/day -> req/s\n```\n');
  const out: string[] = [];
  const code = await main(['run', file], { out: (s) => out.push(s), err: () => {} });
  assert.equal(code, 1);
  assert.deepEqual(
    out
      .join('\n')
      .replace(/\(\d+\.\d ms\)/, '(… ms)')
      .split('\n'),
    [
      '── cell 2 · sdnb-estimate · FAILED (… ms)',
      'The cell has errors',
      '',
      'Fix the problems below (also shown in the editor) and run the cell again. The lines that do not depend on them were evaluated (table below).',
      '',
      `${file}:5:9: error: unknown unit \`fo\`; did you mean \`mo\`? To count a new kind of thing, declare it on a line above: \`unit fo\``,
      '',
      'Name               Value  Expression',
      '--------  --------------  ------------------------------',
      'dau            10M users  10M users',
      'bad       error (line 2)  3 fo',
      'peak_qps     1,157 req/s  dau * 10 req/user/day -> req/s',
      '',
      '1 cell run, 1 failed',
    ],
  );
});
