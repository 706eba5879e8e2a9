// Exports a notebook and its outputs as GitHub-flavoured Markdown or as one self-contained HTML file.
// Pure: takes the notebook and the runs from `runCells`; reading files (the mermaid script) is the
// caller's job.
//
// Diagrams in HTML: there is no browser in the CLI to pre-render SVG, so the HTML inlines
// dist/mermaidRender.js, the same file the notebook renderer loads (mermaid with our configuration
// and sanitiser), and draws every diagram in the reader's browser, offline. Without it the diagrams
// stay readable as their source. The Content-Security-Policy forbids loading anything, allows only
// these two scripts (by hash), and no form submission or <base>.
import { base64, sha256 } from './sha256';
import MarkdownIt from 'markdown-it';

type Md = InstanceType<typeof MarkdownIt>;
import type { NotebookData, CellData } from '../format/sdnb';
import { frontMatterOf } from '../format/sdnb';
import { fencedBlock } from '../kernels/fence';
import type { CellRun } from '../runtime/session';
import { Chart, chartToMermaid, Report, reportToMarkdown } from '../kernels/report';
import { CellOutput, MARKDOWN_MIME } from '../kernels/types';
import { SPECS } from '../kernels/all';

/** Info strings for code cells in exported Markdown (mermaid renders on GitHub, models read as YAML) and their labels, from the kernels' specs. */
const SPEC_BY_ID = new Map(SPECS.map((s) => [s.id, s]));
const fenceInfo = (language: string) => SPEC_BY_ID.get(language)?.highlight ?? language;
const languageLabel = (language: string) => SPEC_BY_ID.get(language)?.label ?? language;

/** A fenced block that no line of `source` can close. */
export const fenced = fencedBlock;

function titleOf(nb: NotebookData): string | undefined {
  const t = frontMatterOf(nb).title;
  return typeof t === 'string' && t.trim() ? t.trim() : undefined;
}

/** Whether the notebook starts with its own `# ` heading (then the front matter title is not repeated). */
function hasOwnTitle(nb: NotebookData): boolean {
  const first = nb.cells[0];
  return first !== undefined && first.kind === 'markdown' && /^# /.test(first.source);
}

function runsByIndex(runs: readonly CellRun[]): Map<number, CellRun> {
  return new Map(runs.map((r) => [r.index, r]));
}

/** A mermaid cell's output repeats its source: the export shows the diagram once. */
function outputsToShow(cell: CellData, run: CellRun | undefined): CellOutput[] {
  if (!run) return [];
  if (cell.language === 'mermaid' && run.ok) return [];
  return run.outputs;
}

function outputMarkdown(o: CellOutput): string {
  const md = o.items[MARKDOWN_MIME];
  return typeof md === 'string' ? md : '';
}

// ------------------------------------------------------------------------------------------ Markdown

/**
 * GitHub-flavoured Markdown: prose as written, each code cell as a fence (mermaid fences render as
 * diagrams on GitHub) followed by its outputs: a report with its charts drawn as mermaid xycharts
 * and its folds as closed `<details>`, as the notebook shows it; any other output's `text/markdown`.
 */
export function exportMarkdown(nb: NotebookData, runs: readonly CellRun[]): string {
  const byIndex = runsByIndex(runs);
  const parts: string[] = [];
  const title = titleOf(nb);
  if (title && !hasOwnTitle(nb)) parts.push(`# ${title}`);
  nb.cells.forEach((cell, i) => {
    if (cell.kind === 'markdown') {
      parts.push(cell.source);
      return;
    }
    parts.push(fenced(fenceInfo(cell.language), cell.source));
    const run = byIndex.get(i);
    const outs = outputsToShow(cell, run)
      .map(outputMarkdownForGithub)
      .filter((s) => s !== '');
    if (run && !run.ok && outs.length === 0) outs.push('**The cell failed.**');
    parts.push(...outs);
  });
  return parts.filter((p) => p !== '').join('\n\n') + '\n';
}

// ------------------------------------------------------------------------------------------ HTML

/** The script HTML exports inline, beside the extension's and the CLI's bundles in dist/. */
export const MERMAID_RENDER_FILE = 'mermaidRender.js';

export interface HtmlExportOptions {
  /** Text of dist/mermaidRender.js (see `bundledMermaid`); without it diagrams show as source. */
  mermaidScript?: string;
  /** Page title (default: the front matter's `title`, else "System design"). */
  title?: string;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function markdownRenderer(): Md {
  // No raw HTML: cell text cannot inject scripts into the exported page.
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const t = tokens[idx];
    if (t.info.trim().split(/\s+/)[0] === 'mermaid') return diagramHtml(t.content.replace(/\n$/, ''));
    return fence(tokens, idx, options, env, self);
  };
  return md;
}

function diagramHtml(source: string): string {
  return (
    `<figure class="diagram"><pre class="mermaid">${escapeHtml(source)}</pre>` +
    `<details class="diagram-source"><summary>Diagram source</summary><pre><code class="language-mermaid">${escapeHtml(source)}</code></pre></details></figure>\n`
  );
}

function isReport(v: unknown): v is Report {
  return !!v && typeof v === 'object' && Array.isArray((v as Report).blocks);
}

const drawChart = (b: { title?: string; chart: Chart }) => fenced('mermaid', chartToMermaid(b.title, b.chart));

/** A report as markdown for HTML: as in `reportToMarkdown`, but charts are drawn (xychart) above their table. */
function reportMarkdownForHtml(r: Report): string {
  return reportToMarkdown(r, { beforeChart: drawChart });
}

function reportOf(o: CellOutput): Report | undefined {
  return Object.entries(o.items).find(
    ([k, v]) => k !== MARKDOWN_MIME && /^application\/vnd\.sdnb\.(?!error)/.test(k) && isReport(v),
  )?.[1] as Report | undefined;
}

/** An output for a Markdown file GitHub shows: charts drawn (xychart) and folds closed, as in the notebook. */
function outputMarkdownForGithub(o: CellOutput): string {
  const report = reportOf(o);
  return report ? reportToMarkdown(report, { beforeChart: drawChart, details: true }) : outputMarkdown(o);
}

function outputHtml(md: Md, o: CellOutput): string {
  const report = reportOf(o);
  const text = report ? reportMarkdownForHtml(report) : outputMarkdown(o);
  const error = Object.keys(o.items).some((k) => k === 'application/vnd.sdnb.error+json');
  return `<div class="output${error ? ' error' : ''}">\n${md.render(text)}</div>\n`;
}

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --border: #d1d9e0; --code-bg: #f6f8fa; --accent: #0969da; --error: #cf222e; --out-bg: #fbfcfd; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --border: #3d444d; --code-bg: #161b22; --accent: #4493f8; --error: #f85149; --out-bg: #10151c; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
a { color: var(--accent); }
h1, h2, h3 { line-height: 1.25; }
h1, h2 { border-bottom: 1px solid var(--border); padding-bottom: .3em; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.875em; }
:not(pre) > code { background: var(--code-bg); padding: .15em .35em; border-radius: 4px; }
pre { background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; padding: .8rem 1rem; overflow-x: auto; }
blockquote { margin: 0; padding: 0 1em; color: var(--muted); border-left: .25em solid var(--border); }
table { border-collapse: collapse; margin: .5rem 0 1rem; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--border); padding: .3rem .7rem; }
th { background: var(--code-bg); }
.cell { margin: 1.25rem 0; }
.cell-label { font-size: .75rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin-bottom: .25rem; }
.output { border-left: 3px solid var(--accent); background: var(--out-bg); padding: .25rem 1rem; margin-top: .5rem; }
.output.error { border-left-color: var(--error); }
.diagram { margin: 1rem 0; }
.diagram pre.mermaid { background: transparent; border: none; text-align: center; padding: 0; }
.diagram .mermaid-drawn { text-align: center; overflow-x: auto; }
.diagram-error { color: var(--error); font-size: .85rem; white-space: pre-wrap; }
.diagram-source summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
.no-script .diagram-source { display: none; }
.no-script .diagram pre.mermaid { text-align: left; border: 1px solid var(--border); background: var(--code-bg); padding: .8rem 1rem; }
`;

/**
 * Draws each `pre.mermaid` with the inlined mermaidRender.js, which leaves its API on `globalThis`
 * (an inline module cannot be imported). A diagram that fails keeps its source, with the error below.
 */
const MERMAID_BOOT = `
const api = globalThis.sdnbMermaidRender;
if (!api) document.documentElement.classList.add('no-script');
const theme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
for (const pre of api ? document.querySelectorAll('pre.mermaid') : []) {
  const result = await api.renderDiagram(pre.textContent, theme);
  if (result.kind === 'ok') {
    const drawn = document.createElement('div');
    drawn.className = 'mermaid-drawn';
    drawn.append(result.svg);
    pre.replaceWith(drawn);
    result.bindFunctions?.(drawn);
  } else if (result.kind === 'error') {
    const note = document.createElement('p');
    note.className = 'diagram-error';
    note.textContent = 'Line ' + (result.error.line + 1) + ':' + (result.error.column + 1) + ' ' + result.error.message;
    pre.after(note);
  }
}
`;

/** Inline script text: nothing in it can end the element early or open an HTML comment there. */
export const inlineScript = (s: string) => s.replace(/<(\/script|!--)/gi, '\\x3C$1');

/** A CSP source for an inline script's exact text. */
export const scriptHash = (text: string) => `'sha256-${base64(sha256(text))}'`;

/** The page's policy: nothing loads from outside, only `scripts` run, no form submits, no <base>. */
export function exportCsp(scripts: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.length ? scripts.map(scriptHash).join(' ') : "'none'"}`,
    // Every mermaid SVG carries its own <style>.
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * One self-contained HTML page: prose rendered with markdown-it, code cells with their outputs,
 * diagrams rendered in the browser from the inlined mermaid script, light and dark colour schemes.
 */
export function exportHtml(nb: NotebookData, runs: readonly CellRun[], opts: HtmlExportOptions = {}): string {
  const md = markdownRenderer();
  const byIndex = runsByIndex(runs);
  const title = opts.title ?? titleOf(nb) ?? 'System design';
  const body: string[] = [];
  if (!hasOwnTitle(nb) && (opts.title ?? titleOf(nb))) body.push(`<h1>${escapeHtml(title)}</h1>`);
  nb.cells.forEach((cell, i) => {
    if (cell.kind === 'markdown') {
      body.push(`<section class="cell markdown">\n${md.render(cell.source)}</section>`);
      return;
    }
    const label = languageLabel(cell.language);
    const run = byIndex.get(i);
    const source =
      cell.language === 'mermaid'
        ? diagramHtml(cell.source)
        : `<pre><code class="language-${escapeHtml(fenceInfo(cell.language))}">${escapeHtml(cell.source)}</code></pre>\n`;
    const outs = outputsToShow(cell, run).map((o) => outputHtml(md, o));
    body.push(`<section class="cell code">\n<div class="cell-label">${escapeHtml(label)}</div>\n${source}${outs.join('')}</section>`);
  });
  const inline = opts.mermaidScript ? [inlineScript(opts.mermaidScript), MERMAID_BOOT] : [];
  const scripts = inline.map((text) => `<script type="module">${text}</script>\n`).join('');
  const csp = exportCsp(inline);
  return `<!DOCTYPE html>
<html lang="en"${opts.mermaidScript ? '' : ' class="no-script"'}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="System Design Notebook">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body.join('\n')}
</main>
${scripts}</body>
</html>
`;
}
