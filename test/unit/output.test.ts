import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorOutput, escapeMarkdown, markdownTable, output } from '../../src/kernels/output';
import { ERROR_MIME, MARKDOWN_MIME } from '../../src/kernels/types';

test('an output carries its rich item and a markdown fallback', () => {
  const o = output('table', { rows: 1 }, 'x');
  assert.deepEqual(Object.keys(o.items).sort(), ['application/vnd.sdnb.table+json', MARKDOWN_MIME]);
});

test('an error output names line and column one-based', () => {
  const o = errorOutput('Parse error', 'bad', [
    { range: { start: { line: 2, column: 4 }, end: { line: 2, column: 5 } }, severity: 'error', message: 'unknown unit `fo`' },
  ]);
  assert.ok(o.items[ERROR_MIME]);
  assert.match(String(o.items[MARKDOWN_MIME]), /\*\*3:5\*\* error: unknown unit `fo`/);
});

test('markdown tables escape pipes and keep alignment rows', () => {
  assert.equal(markdownTable(['a', 'b'], [['x|y', 2]], ['l', 'r']), '| a | b |\n| --- | ---: |\n| x\\|y | 2 |');
});

test('escapeMarkdown: text shows as written; `code` spans stay code; in a table a pipe is escaped inside them too', () => {
  const cases: [string, boolean, string][] = [
    ['plain words 1.5 req/s', false, 'plain words 1.5 req/s'],
    ['a*b_c <x> [y] |z| \\', false, 'a\\*b\\_c \\<x\\> \\[y\\] \\|z\\| \\\\'],
    ['unknown unit `fo`; did you mean `mo`?', false, 'unknown unit `fo`; did you mean `mo`?'],
    ['`a_b * c` then a_b * c', false, '`a_b * c` then a\\_b \\* c'],
    ['one ` alone', false, 'one \\` alone'],
    ['`x|y` | z', true, '`x\\|y` \\| z'],
    ['`x|y` | z', false, '`x|y` \\| z'],
  ];
  for (const [text, inTable, expected] of cases) assert.equal(escapeMarkdown(text, inTable), expected, text);
});
