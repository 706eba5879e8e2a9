// The shape of every rich kernel output: a report made of blocks. The notebook renderer draws
// each block (tables, diagrams, charts); `reportToMarkdown` gives the text fallback the CLI prints.
// A report opens with a `headline` (verdict and a few figures); the rest goes in `fold`s, which the
// renderer shows collapsed when they are large and the markdown fallback prints in full.
import { CellOutput, MARKDOWN_MIME, richMime, type Verdict as RequirementVerdict } from './types';
import { escapeMarkdown, markdownTable } from './output';

export type Align = 'l' | 'r';

/** How a verdict, a finding or a figure stands: met / marginal / not met. */
export type Level = 'pass' | 'marginal' | 'fail';

export interface MetricItem {
  label: string;
  value: string;
  hint?: string;
  /** Marks a figure that is marginal or failing (drawn with the level's colour and symbol). */
  level?: Level;
}

/** One line that sums a report up, with the findings behind it (each with its own level). */
export interface Verdict {
  level: Level;
  text: string;
  items?: { level: Level; text: string }[];
}

export type Block =
  | { type: 'markdown'; text: string }
  | { type: 'headline'; verdict?: Verdict; items: MetricItem[] }
  | { type: 'metrics'; title?: string; items: MetricItem[] }
  | { type: 'table'; title?: string; columns: string[]; align?: Align[]; rows: (string | number)[][]; note?: string }
  | { type: 'mermaid'; title?: string; source: string }
  | { type: 'chart'; title?: string; chart: Chart }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string }
  /** A section that can be collapsed: `summary` is always shown, `blocks` when open. */
  | { type: 'fold'; summary: string; open: boolean; blocks: Block[] };

/** VS Code's chart colours (`--vscode-charts-*`), so series follow the theme. */
export type ChartColor = 'blue' | 'red' | 'green' | 'yellow' | 'orange' | 'purple' | 'foreground';

/** A line or bar chart. */
export interface Chart {
  kind: 'line' | 'bar';
  xLabel: string;
  yLabel: string;
  /** Positions along x: numbers make a numeric axis (line charts); strings are category labels. */
  x: (string | number)[];
  series: { name: string; values: number[]; color?: ChartColor }[];
  /** `log` plots log10(1 + y); left out, the renderer picks log when one value dominates (`pickYScale`). */
  yScale?: 'linear' | 'log';
}

export interface Report {
  title?: string;
  blocks: Block[];
}

export function reportOutput(kind: string, report: Report): CellOutput {
  return { items: { [richMime(kind)]: report, [MARKDOWN_MIME]: reportToMarkdown(report) } };
}

/** Chart numbers: thousands separators, at most `digits` significant digits, no trailing zeros, never exponent notation. */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '–';
  return v.toLocaleString('en-US', { maximumSignificantDigits: Math.max(digits, Math.ceil(Math.log10(Math.abs(v) + 1))) });
}

// Folds whose content is estimated at more lines than this start collapsed.
const OPEN_LINES = 8;

/** Rough height of a block in text lines: what decides whether a fold starts open. */
export function blockLines(b: Block): number {
  switch (b.type) {
    case 'markdown':
      return b.text.split('\n').reduce((a, l) => a + 1 + Math.floor(l.length / 160), 0);
    case 'headline':
      return 4 + (b.verdict ? 1 + (b.verdict.items?.length ?? 0) : 0);
    case 'metrics':
      return 3 * Math.ceil(b.items.length / 6) + (b.title ? 1 : 0);
    case 'table':
      return b.rows.length + 1 + (b.title ? 1 : 0) + (b.note ? 1 : 0);
    case 'mermaid':
      return 15;
    case 'chart':
      return 12;
    case 'notice':
      return 2;
    case 'fold':
      return 1 + (b.open ? b.blocks.reduce((a, c) => a + blockLines(c), 0) : 0);
  }
}

/** A section that starts open only when it is small (`open` overrides). */
export function fold(summary: string, blocks: Block[], open?: boolean): Block {
  return { type: 'fold', summary, open: open ?? blocks.reduce((a, b) => a + blockLines(b), 0) <= OPEN_LINES, blocks };
}

/** Every block, folds' contents included, in reading order. */
export function* walkBlocks(blocks: readonly Block[]): Generator<Block> {
  for (const b of blocks) {
    yield b;
    if (b.type === 'fold') yield* walkBlocks(b.blocks);
  }
}

export function worstLevel(levels: Iterable<Level>): Level {
  let worst: Level = 'pass';
  for (const l of levels) if (l === 'fail' || (l === 'marginal' && worst === 'pass')) worst = l;
  return worst;
}

export const LEVEL_SYMBOL: Record<Level, string> = { pass: '✓', marginal: '⚠', fail: '✗' };

/**
 * How a figure spreads across instances: min, median, max, and the outliers: values outside
 * Tukey's fences (1.5 interquartile ranges beyond the quartiles; quartiles interpolated as R's
 * default `quantile` type 7) that are also at least 25% away from the median, so that equal
 * instances differing by chance are not flagged.
 */
export function spread(values: readonly number[]): { min: number; median: number; max: number; outliers: number[] } {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return { min: NaN, median: NaN, max: NaN, outliers: [] };
  const q = (p: number) => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
  };
  const q1 = q(0.25),
    median = q(0.5),
    q3 = q(0.75);
  const iqr = q3 - q1;
  const outliers: number[] = [];
  values.forEach((v, i) => {
    if ((v < q1 - 1.5 * iqr || v > q3 + 1.5 * iqr) && Math.abs(v - median) >= 0.25 * Math.abs(median)) outliers.push(i);
  });
  return { min: sorted[0], median, max: sorted[sorted.length - 1], outliers };
}

export interface MarkdownOptions {
  /** Markdown placed before a chart's table (the exports draw the chart there). */
  beforeChart?: (b: Extract<Block, { type: 'chart' }>) => string;
  /**
   * Folds and charts' tables as `<details>` that a reader opens, as GitHub renders them (its Markdown
   * allows that HTML); otherwise a fold is a heading and its blocks follow.
   */
  details?: boolean;
}

/** A summary's text as HTML: escaped, its `code` spans as <code> (GitHub does not read Markdown there). */
const summaryHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`([^`]+)`/g, '<code>$1</code>');

/** Markdown blocks inside a closed `<details>`: blank lines around them so GitHub renders them as Markdown. */
function detailsBlock(summary: string, body: string): string {
  return `<details>\n<summary>${summaryHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

export function reportToMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const parts: string[] = [];
  if (report.title) parts.push(`### ${escapeMarkdown(report.title)}`);
  for (const b of report.blocks) parts.push(blockToMarkdown(b, 4, undefined, options));
  return parts.join('\n\n');
}

/** Whether a block's title only repeats its fold's summary ("Clients" in "Clients (3)", "Status codes" in "Status codes: 200 99%"). */
export function titleRepeats(title: string, summary: string | undefined): boolean {
  return summary !== undefined && (summary === title || (summary.startsWith(title) && /^[ :(]/.test(summary.slice(title.length))));
}

function titled(title: string | undefined, body: string, parent?: string): string {
  return title && !titleRepeats(title, parent) ? `**${escapeMarkdown(title)}**\n\n${body}` : body;
}

const metricRows = (items: MetricItem[]) =>
  items.map((i) => [i.level && i.level !== 'pass' ? `${LEVEL_SYMBOL[i.level]} ${i.label}` : i.label, i.value]);

function blockToMarkdown(b: Block, depth: number, parent: string | undefined, options: MarkdownOptions): string {
  switch (b.type) {
    case 'markdown':
      return b.text;
    case 'headline': {
      const parts: string[] = [];
      if (b.verdict) {
        parts.push(`**${LEVEL_SYMBOL[b.verdict.level]} ${escapeMarkdown(b.verdict.text)}**`);
        if (b.verdict.items?.length)
          parts.push(b.verdict.items.map((i) => `- ${LEVEL_SYMBOL[i.level]} ${escapeMarkdown(i.text)}`).join('\n'));
      }
      if (b.items.length) parts.push(markdownTable(['Figure', 'Value'], metricRows(b.items), ['l', 'r']));
      return parts.join('\n\n');
    }
    case 'metrics':
      return titled(b.title, markdownTable(['Metric', 'Value'], metricRows(b.items), ['l', 'r']), parent);
    case 'table':
      return titled(b.title, markdownTable(b.columns, b.rows, b.align) + (b.note ? `\n\n${escapeMarkdown(b.note)}` : ''), parent);
    case 'mermaid':
      return titled(b.title, '```mermaid\n' + b.source + '\n```', parent);
    case 'chart': {
      const { header, rows } = chartTable(b.chart);
      const table = titled(
        b.title,
        markdownTable(
          header,
          rows,
          header.map((_, i) => (i === 0 ? 'l' : 'r')),
        ),
        parent,
      );
      if (!options.beforeChart) return table;
      const drawn = options.beforeChart(b);
      if (!options.details) return `${drawn}\n\n${table}`;
      // The figures under the drawn chart, closed; the summary names them, so the table has no title of its own.
      const figures = markdownTable(
        header,
        rows,
        header.map((_, i) => (i === 0 ? 'l' : 'r')),
      );
      return `${drawn}\n\n${detailsBlock(b.title ? `${b.title}: the figures` : 'The figures', figures)}`;
    }
    case 'notice':
      return `> **${b.level}:** ${escapeMarkdown(b.text)}`;
    case 'fold':
      if (options.details)
        return detailsBlock(b.summary, b.blocks.map((c) => blockToMarkdown(c, depth + 1, b.summary, options)).join('\n\n'));
      return [
        `${'#'.repeat(Math.min(depth, 6))} ${escapeMarkdown(b.summary)}`,
        ...b.blocks.map((c) => blockToMarkdown(c, depth + 1, b.summary, options)),
      ].join('\n\n');
  }
}

/** A chart as a table, one row per x: its text alternative in Markdown and in the renderer. */
export function chartTable(chart: Chart): { header: string[]; rows: string[][] } {
  return {
    header: [chart.xLabel, ...chart.series.map((s) => s.name)],
    rows: chart.x.map((x, i) => [typeof x === 'number' ? formatNumber(x) : x, ...chart.series.map((s) => formatChartValue(s.values[i]))]),
  };
}

function formatChartValue(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '';
  return formatNumber(v);
}

/** log10(1 + y) when one value towers over the rest (the largest at least 20× the median of the positive values). */
export function pickYScale(chart: Chart): 'linear' | 'log' {
  if (chart.yScale) return chart.yScale;
  const all = chart.series.flatMap((s) => s.values).filter(Number.isFinite);
  if (all.some((v) => v < 0)) return 'linear';
  const positive = all.filter((v) => v > 0).sort((a, b) => a - b);
  if (positive.length < 3) return 'linear';
  const mid = positive.length >> 1;
  const median = positive.length % 2 ? positive[mid] : (positive[mid - 1] + positive[mid]) / 2;
  return positive[positive.length - 1] >= 20 * median ? 'log' : 'linear';
}

// Mermaid's xychart has no legend or theme-following colours; on a transparent chart background
// these read at 3:1 or more on both a white and a GitHub-dark (#0d1117) page, the HTML export's two.
export const EXPORT_PALETTE: Record<ChartColor, string> = {
  blue: '#1a85ff',
  red: '#e51400',
  green: '#388a34',
  yellow: '#bf8803',
  orange: '#c26a00',
  purple: '#9c5fd6',
  foreground: '#808080',
};
const DEFAULT_ORDER: ChartColor[] = ['blue', 'red', 'green', 'purple', 'yellow', 'orange'];

/** The colour a series gets when it names none: VS Code's chart colours in a fixed order. */
export function seriesColor(chart: Chart, i: number): ChartColor {
  return chart.series[i]?.color ?? DEFAULT_ORDER[i % DEFAULT_ORDER.length];
}

/** Mermaid `xychart-beta` source for a chart, for exports (the notebook renderer draws its own SVG). */
export function chartToMermaid(title: string | undefined, chart: Chart): string {
  const q = (s: string | number) => `"${(typeof s === 'number' ? formatNumber(s) : s).replace(/"/g, "'")}"`;
  const all = chart.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  // The series are written to 6 significant digits: so are the axis ends (no `2035.7115000000001`).
  const max = all.length ? +Math.max(...all).toPrecision(6) : 1;
  const min = +Math.min(0, ...all).toPrecision(6);
  const palette = chart.series.map((_, i) => EXPORT_PALETTE[seriesColor(chart, i)]).join(', ');
  const lines = [
    `%%{init: {"themeVariables": {"xyChart": {"backgroundColor": "transparent", "plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
  ];
  if (title) lines.push(`  title ${q(title)}`);
  lines.push(`  x-axis ${q(chart.xLabel)} [${chart.x.map(q).join(', ')}]`);
  lines.push(`  y-axis ${q(chart.yLabel)} ${min} --> ${max === min ? min + 1 : max}`);
  for (const s of chart.series)
    lines.push(`  ${chart.kind} [${s.values.map((v) => (Number.isFinite(v) ? +v.toPrecision(6) : 0)).join(', ')}]`);
  return lines.join('\n');
}

const VERDICT_LEVEL: Record<string, Level> = { met: 'pass', marginal: 'marginal', 'not met': 'fail' };

/**
 * A model report opened by the requirement checks that read what it measured: the headline's verdict
 * becomes the requirements' (their worst level, one line each), and the model's own health findings
 * follow as items. Pending checks are left out (the run just gave them values).
 */
export function withRequirementVerdicts(report: Report, verdicts: readonly RequirementVerdict[]): Report {
  const judged = verdicts.filter((v) => v.status !== 'pending');
  if (judged.length === 0) return report;
  const items = judged.map((v) => ({ level: VERDICT_LEVEL[v.status], text: v.message }));
  const failing = judged.filter((v) => v.status === 'not met');
  const marginal = judged.filter((v) => v.status === 'marginal');
  const text =
    failing.length > 0
      ? `${failing.map((v) => v.id).join(', ')} not met${judged.length > failing.length ? ` (${judged.length - failing.length} of ${judged.length} requirements met or marginal)` : ''}`
      : marginal.length > 0
        ? `${marginal.map((v) => v.id).join(', ')} marginal; ${judged.length - marginal.length} of ${judged.length} requirements met`
        : `${judged.length === 1 ? `${judged[0].id} met` : `all ${judged.length} requirements met`}`;
  const level = worstLevel(items.map((i) => i.level));
  const blocks = [...report.blocks];
  const at = blocks.findIndex((b) => b.type === 'headline');
  const health = at >= 0 ? (blocks[at] as Extract<Block, { type: 'headline' }>) : undefined;
  const healthItems = health?.verdict ? [{ level: health.verdict.level, text: health.verdict.text }, ...(health.verdict.items ?? [])] : [];
  const headline: Block = {
    type: 'headline',
    verdict: {
      level: worstLevel([level, ...healthItems.filter((i) => i.level === 'fail').map((i) => i.level)]),
      text,
      items: [...items, ...healthItems],
    },
    items: health?.items ?? [],
  };
  if (at >= 0) blocks[at] = headline;
  else blocks.unshift(headline);
  return { ...report, blocks };
}
