// The one fence helper (src/kernels/fence.ts) used by the .sdnb writer, the Markdown export and the
// mermaid kernel's markdown output: pinned by a table, then checked against a real CommonMark parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { closesFence, codeFence, fencedBlock, openingFence } from '../../../src/kernels/fence';

test('fence: the shortest backtick fence no line of the source closes', () => {
  const cases: [string, string][] = [
    ['', '```'],
    ['x = 1', '```'],
    ['inline ``` and ```` runs', '```'], // a run inside a line closes nothing
    ['```', '````'],
    ['a\n```\nb', '````'],
    ['   ````  ', '`````'], // up to 3 spaces of indent, trailing whitespace
    ['    ```', '```'], // 4 spaces: an indented line, not a closing fence
    ['```js', '```'], // a closing fence has no info string
    ['~~~~', '```'], // tildes never close a backtick fence
    ['a\r```\rb', '````'], // CR ends a line for Markdown renderers
  ];
  for (const [source, fence] of cases) assert.equal(codeFence(source), fence, JSON.stringify(source));
  assert.equal(fencedBlock('mermaid', 'a\n```'), '````mermaid\na\n```\n````');
});

test('fence: opening and closing lines as CommonMark reads them', () => {
  assert.deepEqual(openingFence('```estimate title'), { indent: '', char: '`', length: 3, info: 'estimate title' });
  assert.deepEqual(openingFence('  ~~~~kafka'), { indent: '  ', char: '~', length: 4, info: 'kafka' });
  assert.deepEqual(openingFence('```estimate\r'), { indent: '', char: '`', length: 3, info: 'estimate' });
  assert.equal(openingFence('``` a`b'), undefined);
  assert.equal(openingFence('    ```'), undefined);
  assert.equal(openingFence('``'), undefined);
  const f = openingFence('````')!;
  assert.equal(closesFence('````', f), true);
  assert.equal(closesFence('`````  ', f), true);
  assert.equal(closesFence('```', f), false);
  assert.equal(closesFence('~~~~', f), false);
  assert.equal(closesFence('```` x', f), false);
});

test('property: markdown-it reads fencedBlock(info, source) as one code block holding exactly the source', () => {
  const md = new MarkdownIt();
  const parts = ['a', ' ', '   ', '    ', '\n', '\r\n', '`', '```', '````', '~~~', '```js', '> ', '- ', '\t'];
  const source = fc.array(fc.constantFrom(...parts), { maxLength: 20 }).map((p) => p.join(''));
  fc.assert(
    fc.property(source, fc.constantFrom('mermaid', 'yaml', 'estimate'), (src, info) => {
      const tokens = md.parse(fencedBlock(info, src), {});
      assert.equal(tokens.length, 1);
      assert.equal(tokens[0].type, 'fence');
      assert.equal(tokens[0].info, info);
      // markdown-it normalizes line endings to LF; an empty source is an empty block.
      const lines = src.replace(/\r\n?/g, '\n');
      assert.equal(tokens[0].content, lines + '\n');
    }),
    { numRuns: 5000 },
  );
});
