import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNotebook } from '../../../src/format/sdnb';
import { exportCsp, exportHtml, exportMarkdown, fenced, inlineScript, scriptHash } from '../../../src/export';
import { bundledMermaid } from '../../../src/export/bundledMermaid';
import { main } from '../../../src/cli/main';
import { runAll } from '../examples/helpers';

const SMALL = `---
title: Tiny design
seed: 3
---

<!-- cell {"phase":"scope"} -->
## Scope

- FR1: shorten <URLs> & follow them.

\`\`\`estimate
qps = 1M req/day -> req/s
\`\`\`

\`\`\`mermaid
flowchart LR
  a[Client] --> b[(Store)]
\`\`\`

\`\`\`estimate
bad = 1 req + 1 s
\`\`\`
`;

test('Markdown export: prose, fenced cells, output tables, one mermaid fence per diagram, failures', async () => {
  const nb = parseNotebook(SMALL);
  const md = exportMarkdown(nb, await runAll(nb));
  assert.equal(
    md,
    `# Tiny design

## Scope

- FR1: shorten <URLs> & follow them.

\`\`\`estimate
qps = 1M req/day -> req/s
\`\`\`

| Name | Value | Expression |
| --- | ---: | --- |
| qps | 11.57 req/s | 1M req/day -\\> req/s |

\`\`\`mermaid
flowchart LR
  a[Client] --> b[(Store)]
\`\`\`

\`\`\`estimate
bad = 1 req + 1 s
\`\`\`

**The cell has errors**

Fix the problems below (also shown in the editor) and run the cell again.

- **1:13** error: incompatible dimensions in addition (\`+\`): left hand side \`1 req\` is Req, right hand side \`1 s\` is Time.
`,
  );
});

test('Markdown export: cells that were not run show their source only; model cells are YAML fences', () => {
  const nb = parseNotebook('# T\n\n```gateway\nservices: {}\n```\n\n```kafka\ntopics: []\n```\n');
  assert.equal(exportMarkdown(nb, []), '# T\n\n```yaml\nservices: {}\n```\n\n```yaml\ntopics: []\n```\n');
  assert.equal(fenced('x', 'a\n```\nb'), '````x\na\n```\nb\n````');
});

test('HTML export: one offline page with outputs, diagrams and their sources, light and dark', async () => {
  const nb = parseNotebook(SMALL);
  const runs = await runAll(nb);
  const script = 'globalThis.sdnbMermaidRender = { renderDiagram: async () => ({ kind: "cancelled" }) }; // </script> inside <!-- too';
  const html = exportHtml(nb, runs, { mermaidScript: script });
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<title>Tiny design<\/title>/);
  assert.match(html, /<h1>Tiny design<\/h1>/);
  assert.match(html, /<td>qps<\/td>\s*<td style="text-align:right">11.57 req\/s<\/td>/);
  assert.match(html, /shorten &lt;URLs&gt; &amp; follow them/, 'raw HTML in cells is escaped');
  assert.ok(html.includes('<pre class="mermaid">flowchart LR\n  a[Client] --&gt; b[(Store)]</pre>'));
  assert.match(html, /Diagram source/);
  assert.match(html, /The cell has errors/);
  assert.match(html, /class="output error"/);
  assert.match(html, /@media \(prefers-color-scheme: dark\)/);
  assert.ok(html.includes('// \\x3C/script> inside \\x3C!-- too'), 'the inlined script cannot close its element');
  assert.equal(html.split('</script>').length - 1, 2);
  assert.doesNotMatch(html, /https?:\/\//, 'no external URLs');
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/, 'nothing is loaded from outside the file');
  // Both inline scripts are allowed by hash, nothing else runs.
  const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 2);
  assert.equal(scripts[0], inlineScript(script));
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${exportCsp(scripts)}">`));
  assert.match(exportCsp(scripts), new RegExp(`script-src ${scriptHash(scripts[0])} ${scriptHash(scripts[1])};`.replace(/[+/]/g, '\\$&')));
});

test('HTML export CSP: hashes for the inline scripts, no inline script otherwise, no form submission, no <base>', () => {
  // SHA-256 of the empty string, base64 (FIPS 180-4 test vector e3b0c442…b855).
  assert.equal(scriptHash(''), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
  assert.equal(
    exportCsp(['']),
    "default-src 'none'; script-src 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; base-uri 'none'",
  );
  assert.match(exportCsp([]), /script-src 'none';/);
  assert.equal(inlineScript('a</script>b<!--c</SCRIPT d'), 'a\\x3C/script>b\\x3C!--c\\x3C/SCRIPT d');
});

test('HTML export: without the mermaid script the diagrams stay readable as source', () => {
  const nb = parseNotebook('```mermaid\ngraph TD\n  a --> b\n```\n');
  const html = exportHtml(nb, []);
  assert.match(html, /<html lang="en" class="no-script">/);
  assert.ok(html.includes('<pre class="mermaid">graph TD\n  a --&gt; b</pre>'));
  assert.doesNotMatch(html, /<script>/);
  assert.match(html, /<title>System design<\/title>/);
});

test('HTML export: report charts are drawn as xychart diagrams above their tables', () => {
  const nb = parseNotebook('```kafka\ntopics: []\n```\n');
  const report = {
    blocks: [
      {
        type: 'chart',
        title: 'Lag',
        chart: { kind: 'line', xLabel: 't (s)', yLabel: 'records', x: [0, 1], series: [{ name: 'lag', values: [0, 5] }] },
      },
    ],
  };
  const run = {
    index: 0,
    ok: true,
    durationMs: 1,
    reads: [],
    inputs: {},
    definitions: [],
    outputs: [{ items: { 'application/vnd.sdnb.kafka+json': report, 'text/markdown': '| t (s) | lag |' } }],
  };
  const html = exportHtml(nb, [run]);
  assert.ok(html.includes('<pre class="mermaid">%%{init: '), html);
  assert.ok(html.includes('%%\nxychart-beta\n  title &quot;Lag&quot;'), html);
  assert.match(html, /<th>t \(s\)<\/th>/);
});

test('sdnb export writes next to the notebook by default, or to -o', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sdnb-export-'));
  const file = join(dir, 'tiny.sdnb');
  writeFileSync(file, SMALL.replace(/\n```estimate\nbad[^`]*```\n/, ''));
  const out: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
  assert.equal(await main(['export', file, '--to', 'md'], io), 0);
  assert.match(readFileSync(join(dir, 'tiny.md'), 'utf8'), /\| qps \| 11\.57 req\/s \|/);
  assert.equal(await main(['export', file, '--to', 'html', '-o', join(dir, 'page.html')], io), 0);
  const html = readFileSync(join(dir, 'page.html'), 'utf8');
  // dist/mermaidRender.js is inlined when built (`npm run build`); without it diagrams stay as source.
  const runtime = bundledMermaid();
  if (runtime) assert.ok(html.includes(`<script type="module">${inlineScript(runtime)}</script>`));
  else assert.match(html, /<html lang="en" class="no-script">/);
  assert.ok(!existsSync(join(dir, 'tiny.html')));
  assert.equal(await main(['export', file], io), 2);
  assert.equal(await main(['export', file, '--to', 'pdf'], io), 2);
  assert.match(out.join('\n'), /export needs --to html or --to md/);
});
