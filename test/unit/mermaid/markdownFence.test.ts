// ```mermaid fences in markdown cells: the markdown-it plugin marks them for drawing, leaves other
// fences alone, and steps aside when mermaid fences already render as something other than code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { mermaidFencePlugin, rendersMermaidAsCode } from '../../../webview/markdown/fence';

test('a mermaid fence becomes a placeholder that keeps its source as code; other fences stay as they were', () => {
  const md = new MarkdownIt();
  assert.equal(mermaidFencePlugin(md), true);
  assert.equal(
    md.render('Text\n\n```mermaid\nflowchart LR\n  a["<b>x</b>"] --> b\n```\n\n```js\nlet a = 1;\n```\n'),
    '<p>Text</p>\n' +
      '<div class="sdnb-md-mermaid"><pre><code class="language-mermaid">flowchart LR\n  a[&quot;&lt;b&gt;x&lt;/b&gt;&quot;] --&gt; b\n</code></pre>\n</div>\n' +
      '<pre><code class="language-js">let a = 1;\n</code></pre>\n',
  );
  assert.match(md.render('~~~ Mermaid title\nsequenceDiagram\n~~~\n'), /^<div class="sdnb-md-mermaid">/);
});

test('when mermaid fences already render as something else (a later VS Code, another extension), the plugin steps aside', () => {
  const md = new MarkdownIt();
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) =>
    tokens[idx].info.trim() === 'mermaid'
      ? `<pre class="mermaid">${md.utils.escapeHtml(tokens[idx].content)}</pre>\n`
      : fence(tokens, idx, options, env, self);
  assert.equal(rendersMermaidAsCode(md), false);
  assert.equal(mermaidFencePlugin(md), false);
  assert.equal(md.render('```mermaid\ngraph TD\n```\n'), '<pre class="mermaid">graph TD\n</pre>\n');
});
