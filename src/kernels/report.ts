// The shape of every rich kernel output: a report made of blocks. The notebook renderer draws
// each block (tables, diagrams, charts); `reportToMarkdown` gives the text fallback the CLI prints.
import { CellOutput, MARKDOWN_MIME, richMime } from './types';
import { escapeMarkdown, markdownTable } from './output';

export type Align = 'l' | 'r';

export type Block =
  | { type: 'markdown'; text: string }
  | { type: 'metrics'; title?: string; items: { label: string; value: string; hint?: string }[] }
  | { type: 'table'; title?: string; columns: string[]; align?: Align[]; rows: (string | number)[][]; note?: string }
  | { type: 'mermaid'; title?: string; source: string }
  | { type: 'chart'; title?: string; chart: Chart }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string };

/** A line or bar chart; the renderer draws it as a mermaid `xychart-beta`. */
export interface Chart {
  kind: 'line' | 'bar';
  xLabel: string;
  yLabel: string;
  /** Category labels along x (numbers are shown as given). */
  x: (string | number)[];
  series: { name: string; values: number[] }[];
}

export interface Report {
  title?: string;
  blocks: Block[];
}

export function reportOutput(kind: string, report: Report): CellOutput {
  return { items: { [richMime(kind)]: report, [MARKDOWN_MIME]: reportToMarkdown(report) } };
}

export function reportToMarkdown(report: Report): string {
  const parts: string[] = [];
  if (report.title) parts.push(`### ${escapeMarkdown(report.title)}`);
  for (const b of report.blocks) parts.push(blockToMarkdown(b));
  return parts.join('\n\n');
}

function titled(title: string | undefined, body: string): string {
  return title ? `**${escapeMarkdown(title)}**\n\n${body}` : body;
}

function blockToMarkdown(b: Block): string {
  switch (b.type) {
    case 'markdown':
      return b.text;
    case 'metrics':
      return titled(b.title, markdownTable(['Metric', 'Value'], b.items.map((i) => [i.label, i.value]), ['l', 'r']));
    case 'table':
      return titled(b.title, markdownTable(b.columns, b.rows, b.align) + (b.note ? `\n\n${escapeMarkdown(b.note)}` : ''));
    case 'mermaid':
      return titled(b.title, '```mermaid\n' + b.source + '\n```');
    case 'chart': {
      const header = [b.chart.xLabel, ...b.chart.series.map((s) => s.name)];
      const rows = b.chart.x.map((x, i) => [x, ...b.chart.series.map((s) => formatChartValue(s.values[i]))]);
      return titled(b.title, markdownTable(header, rows, header.map((_, i) => (i === 0 ? 'l' : 'r'))));
    }
    case 'notice':
      return `> **${b.level}:** ${escapeMarkdown(b.text)}`;
  }
}

function formatChartValue(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '';
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

/** Mermaid `xychart-beta` source for a chart, shared by the renderer and exports. */
export function chartToMermaid(title: string | undefined, chart: Chart): string {
  const q = (s: string | number) => `"${String(s).replace(/"/g, "'")}"`;
  const all = chart.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  const max = all.length ? Math.max(...all) : 1;
  const min = Math.min(0, ...all);
  const lines = ['xychart-beta'];
  if (title) lines.push(`  title ${q(title)}`);
  lines.push(`  x-axis ${q(chart.xLabel)} [${chart.x.map(q).join(', ')}]`);
  lines.push(`  y-axis ${q(chart.yLabel)} ${min} --> ${max === min ? min + 1 : max}`);
  for (const s of chart.series) lines.push(`  ${chart.kind} [${s.values.map((v) => (Number.isFinite(v) ? +v.toPrecision(6) : 0)).join(', ')}]`);
  return lines.join('\n');
}
