// Design docs that render on GitHub: a notebook written in the `github` flavour (a file named
// *.sdnb.md) shows on GitHub as a Markdown page with its cell markers invisible, every diagram as a
// ```mermaid block (which GitHub draws) and every model cell as a ```yaml block.
//
// GitHub's renderer is emulated with markdown-it (CommonMark plus GFM tables and strikethrough):
// - HTML is enabled, because cmark-gfm passes raw HTML blocks through, and GitHub's sanitizer then
//   drops HTML comments from the page. The test does the same: it renders, removes comments as an
//   HTML parser ends them (at `-->` or `--!>`), and checks the text that is left.
// - Front matter is taken off first: GitHub shows it as a table of its keys, not as Markdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import {
  CellData,
  flavourForFileName,
  NotebookData,
  parseNotebook,
  readNotebook,
  serializeNotebook,
  userMetadata,
} from '../../../src/format/sdnb';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

const gfm = (html: boolean) => new MarkdownIt('default', { html, linkify: true });

function withoutFrontMatter(text: string): string {
  const m = /^---\n[\s\S]*?\n(---|\.\.\.)\n/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

/** What a reader of the rendered page sees: the HTML without comments and tags, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(--!?>|$)/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const MARKER_TEXT = /<!--|-->|\bcell\s*\{|"(language|lines|phase)"/;

interface Rendered {
  visible: string;
  fences: { info: string; content: string }[];
  /** HTML blocks holding a cell marker. */
  markers: string[];
}

function render(text: string, html = true): Rendered {
  const md = gfm(html);
  const body = withoutFrontMatter(text);
  const tokens: Token[] = md.parse(body, {});
  // Code blocks are checked apart (their text must be the cells' own); the rest is the prose a reader sees.
  const prose = tokens.filter((t) => t.type !== 'fence' && t.type !== 'code_block');
  return {
    visible: visibleText(md.renderer.render(prose, md.options, {})),
    fences: tokens.filter((t) => t.type === 'fence' && t.level === 0).map((t) => ({ info: t.info, content: t.content })),
    markers: tokens.filter((t) => t.type === 'html_block' && t.content.startsWith('<!-- cell')).map((t) => t.content),
  };
}

/** Every marker line of the file is an HTML block of its own that the sanitizer removes without a trace. */
function assertMarkersHidden(text: string, page: Rendered): void {
  const lines = withoutFrontMatter(text)
    .split('\n')
    .filter((l) => l.startsWith('<!-- cell'));
  assert.deepEqual(
    page.markers,
    lines.map((l) => l + '\n'),
  );
  for (const block of page.markers) assert.equal(visibleText(block).trim(), '', block);
  assert.doesNotMatch(page.visible, MARKER_TEXT);
}

const asGithub = (nb: NotebookData): NotebookData => ({ ...nb, metadata: { ...nb.metadata, flavour: 'github' } });
const asSdnb = (nb: NotebookData): NotebookData => ({ ...nb, metadata: { ...nb.metadata, flavour: undefined } });
const view = (nb: NotebookData) => nb.cells.map((c) => [c.kind, c.language, c.source, userMetadata(c)]);

/** The fences GitHub shows for a notebook's code cells, in order. */
const expectedFences = (nb: NotebookData) =>
  nb.cells
    .filter((c): c is CellData => c.kind === 'code')
    .map((c) => ({
      info: { 'sdnb-gateway': 'yaml', 'sdnb-kafka': 'yaml', 'sdnb-estimate': 'estimate', mermaid: 'mermaid' }[c.language] ?? c.language,
      content: c.source === '' ? '' : c.source + '\n',
    }));

const examples = readdirSync('examples')
  .filter((f) => f.endsWith('.sdnb'))
  .sort();

for (const file of examples) {
  const original = readFileSync(join('examples', file), 'utf8');
  const nb = parseNotebook(original);
  const doc = serializeNotebook(asGithub(nb));

  test(`github: ${file} as a .sdnb.md renders with no marker text, diagrams as mermaid, models as yaml`, () => {
    const page = render(doc);
    assertMarkersHidden(doc, page);
    assert.deepEqual(page.fences, expectedFences(nb));
    assert.ok(page.fences.some((f) => f.info === 'mermaid') && page.fences.some((f) => f.info === 'yaml'));
    // The check can fail: without HTML (a renderer that shows comments as text) the markers show.
    assert.match(render(doc, false).visible, MARKER_TEXT);
  });

  test(`github: ${file} reads back from the .sdnb.md form exactly, and converts back to the original`, () => {
    const back = parseNotebook(doc);
    assert.equal(back.metadata?.flavour, 'github', 'a model cell as ```yaml marks the file as the GitHub form');
    assert.deepEqual(view(back), view(nb));
    assert.equal(serializeNotebook(back), doc);
    assert.equal(serializeNotebook(asSdnb(back)), original);
  });
}

test('github: the form of a model cell on disk', () => {
  const nb: NotebookData = {
    cells: [
      { kind: 'markdown', language: 'markdown', source: '# Design' },
      { kind: 'code', language: 'sdnb-gateway', source: 'routes: []', metadata: { phase: 'deep-dive' } },
      { kind: 'code', language: 'sdnb-kafka', source: 'topics: []' },
      { kind: 'code', language: 'mermaid', source: 'flowchart LR\n  a --> b' },
    ],
  };
  const sdnb =
    '# Design\n\n<!-- cell {"phase":"deep-dive"} -->\n```gateway\nroutes: []\n```\n\n```kafka\ntopics: []\n```\n\n```mermaid\nflowchart LR\n  a --> b\n```\n';
  const github =
    '# Design\n\n<!-- cell {"phase":"deep-dive","language":"sdnb-gateway"} -->\n```yaml\nroutes: []\n```\n\n' +
    '<!-- cell {"language":"sdnb-kafka"} -->\n```yaml\ntopics: []\n```\n\n```mermaid\nflowchart LR\n  a --> b\n```\n';
  assert.equal(serializeNotebook(nb), sdnb);
  assert.equal(serializeNotebook(asGithub(nb)), github);
  for (const text of [sdnb, github]) {
    assert.deepEqual(view(parseNotebook(text)), view(nb));
    assert.equal(serializeNotebook(parseNotebook(text)), text, 'each form reads back exactly');
  }
});

test("github: a file mixing both forms keeps each cell as written; new model cells take the file's flavour", () => {
  const mixed = '```gateway\nroutes: []\n```\n\n<!-- cell {"language":"sdnb-kafka"} -->\n```yaml\ntopics: []\n```\n';
  const nb = parseNotebook(mixed);
  assert.equal(nb.metadata?.flavour, 'github');
  assert.equal(serializeNotebook(nb), mixed);
  nb.cells.push({ kind: 'code', language: 'sdnb-gateway', source: 'routes: [b]' });
  assert.equal(serializeNotebook(nb), mixed + '\n<!-- cell {"language":"sdnb-gateway"} -->\n```yaml\nroutes: [b]\n```\n');
});

test('github: a design doc with no model cell yet is in the GitHub form when read as one (New Notebook, a *.sdnb.md name)', () => {
  const text = '---\ntitle: T\n---\n\n# T\n\n```estimate\nx = 1\n```\n';
  assert.equal(flavourForFileName('design.sdnb.md'), 'github');
  assert.equal(flavourForFileName('docs/Design.SDNB.MD'), 'github');
  assert.equal(flavourForFileName('design.sdnb'), 'sdnb');
  assert.equal(flavourForFileName('notes.md'), 'sdnb');
  const nb = readNotebook(new TextEncoder().encode(text), { flavour: flavourForFileName('design.sdnb.md') });
  assert.equal(serializeNotebook(nb), text, 'nothing changes until a model cell is added');
  nb.cells.push({ kind: 'code', language: 'sdnb-kafka', source: 'topics: []' });
  assert.equal(serializeNotebook(nb), text + '\n<!-- cell {"language":"sdnb-kafka"} -->\n```yaml\ntopics: []\n```\n');
  assert.equal(parseNotebook(text).metadata?.flavour, undefined, 'without the hint the file is plain .sdnb');
});

test('github: markers stay comments whatever the metadata holds, and every kind of cell renders', () => {
  const nb: NotebookData = {
    metadata: { flavour: 'github', frontMatter: 'title: Edge cases\nseed: 7\n' },
    cells: [
      {
        kind: 'markdown',
        language: 'markdown',
        source: 'Intro with a table:\n\n| a | b |\n| --- | --- |\n| 1 | 2 |',
        metadata: { phase: 'scope', note: 'a --> b --!> c <!-- d' },
      },
      { kind: 'markdown', language: 'markdown', source: 'A second markdown cell right after the first.' },
      { kind: 'markdown', language: 'markdown', source: 'An example cell, shown:\n\n```estimate\nx = 1\n```' },
      { kind: 'code', language: 'python', source: 'print("```")', metadata: { lines: 1, language: 'mine' } },
      { kind: 'code', language: 'mermaid', source: 'flowchart LR\n  a["```"] --> b\n```' },
      { kind: 'code', language: 'sdnb-gateway', source: '' },
    ],
  };
  const text = serializeNotebook(nb);
  const page = render(text);
  assertMarkersHidden(text, page);
  assert.match(page.visible, /A second markdown cell/);
  assert.deepEqual(page.fences, [{ info: 'estimate', content: 'x = 1\n' }, ...expectedFences(nb)]);
  assert.deepEqual(view(parseNotebook(text)), view(nb));
});
