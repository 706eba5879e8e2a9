// Draws a report chart as SVG in the theme's colours: VS Code's chart colours (--vscode-charts-*),
// each checked against the background it is painted on and nudged toward the foreground until it
// reaches 3:1 (WCAG's ratio for graphics); a legend for more than one series; ticks at round values;
// log10(1 + y) when one value dominates. Redraws on resize and when the theme changes. Its text
// alternative is its data as a table, folded under the chart and named by the SVG's description.
import type { Chart, ChartColor } from '../../src/kernels/report';
import { chartTable, formatNumber, pickYScale, seriesColor } from '../../src/kernels/report';
import { labelEvery, logTicks, niceTicks, symlog, tickLabel, Ticks } from './chartScale';
import { Rgba, ensureContrast, over, parseColor, toCss } from './color';
import { el } from './diagramView';
import { themeKindFromClasses } from './theme';

const SVG_NS = 'http://www.w3.org/2000/svg';
export const MIN_CONTRAST = 3;
const HEIGHT = 240;
const MAX_WIDTH = 900;
const CHAR_W = 6.6; // average width of an 11px UI font character
const DASHES = ['', '', '6 3', '2 3', '8 3 2 3', '4 4'];

// VS Code's defaults, for hosts that do not define --vscode-charts-* (light, dark).
const FALLBACK: Record<ChartColor, [string, string]> = {
  blue: ['#1a85ff', '#3794ff'],
  red: ['#e51400', '#f14c4c'],
  green: ['#388a34', '#89d185'],
  yellow: ['#bf8803', '#cca700'],
  orange: ['#d18616', '#d18616'],
  purple: ['#652d90', '#b180d7'],
  foreground: ['#616161', '#cccccc'],
};

const live = new Set<ChartView>();
let tables = 0;

/** The chart's values as a table in a fold ("Data"), so they can be read, copied and heard. */
function dataTable(chart: Chart, title: string | undefined): { fold: HTMLDetailsElement; id: string } {
  const { header, rows } = chartTable(chart);
  const id = `sdnb-chart-data-${++tables}`;
  const fold = el('details', 'sdnb-chart-data');
  const summary = el('summary', 'sdnb-fold-summary');
  summary.textContent = 'Data';
  const table = el('table', 'sdnb-table');
  table.id = id;
  const caption = el('caption', 'sdnb-visually-hidden');
  caption.textContent = `${title ?? 'Chart'}: ${chart.series.map((s) => s.name).join(', ')} by ${chart.xLabel}`;
  const head = el('tr');
  for (const [i, h] of header.entries()) {
    const th = el('th');
    th.scope = 'col';
    th.textContent = h;
    if (i > 0) th.className = 'sdnb-r';
    head.append(th);
  }
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    row.forEach((v, i) => {
      const cell = el(i === 0 ? 'th' : 'td');
      if (i === 0) (cell as HTMLTableCellElement).scope = 'row';
      else cell.className = 'sdnb-r';
      cell.textContent = v || '–';
      tr.append(cell);
    });
    body.append(tr);
  }
  const thead = el('thead');
  thead.append(head);
  table.append(caption, thead, body);
  const wrap = el('div', 'sdnb-table-wrap');
  wrap.append(table);
  fold.append(summary, wrap);
  return { fold, id };
}
let themeObserver: MutationObserver | undefined;

function watchTheme(): void {
  if (themeObserver) return;
  // VS Code swaps <body> classes and rewrites the --vscode-* variables on <html> when the theme changes.
  themeObserver = new MutationObserver(() => {
    for (const v of live) v.scheduleDraw();
  });
  themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** What `value` (any CSS colour, var() included) computes to in `host`. */
function computed(host: HTMLElement, value: string): Rgba | undefined {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  probe.style.color = value;
  host.append(probe);
  const c = parseColor(getComputedStyle(probe).color);
  probe.remove();
  return c;
}

/** The colour painted behind `el`: its ancestors' backgrounds over the editor's (webviews are transparent). */
export function backgroundOf(elem: HTMLElement): Rgba {
  const dark = themeKindFromClasses(document.body.classList).includes('dark');
  const root = getComputedStyle(document.documentElement);
  const base =
    parseColor(root.getPropertyValue('--vscode-notebook-editorBackground')) ??
    parseColor(root.getPropertyValue('--vscode-editor-background')) ??
    (dark ? { r: 30, g: 30, b: 30, a: 1 } : { r: 255, g: 255, b: 255, a: 1 });
  const layers: Rgba[] = [];
  for (let e: HTMLElement | null = elem; e; e = e.parentElement) {
    const c = parseColor(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) {
      layers.push(c);
      if (c.a >= 1) break;
    }
  }
  return layers.reduceRight((acc, c) => over(c, acc), { ...base, a: 1 });
}

/** Each series' colour in this theme, at least 3:1 against the background. */
export function seriesColors(host: HTMLElement, chart: Chart): string[] {
  const dark = themeKindFromClasses(document.body.classList).includes('dark');
  const bg = backgroundOf(host);
  const fg = computed(host, 'var(--vscode-foreground)') ?? (dark ? { r: 204, g: 204, b: 204, a: 1 } : { r: 59, g: 59, b: 59, a: 1 });
  return chart.series.map((_, i) => {
    const name = seriesColor(chart, i);
    const varName = name === 'foreground' ? '--vscode-charts-foreground' : `--vscode-charts-${name}`;
    const c = computed(host, `var(${varName}, ${FALLBACK[name][dark ? 1 : 0]})`) ?? parseColor(FALLBACK[name][dark ? 1 : 0])!;
    return toCss(ensureContrast(c, bg, fg, MIN_CONTRAST));
  });
}

export class ChartView {
  readonly root: HTMLElement;
  private readonly legend: HTMLElement | undefined;
  private readonly plot: HTMLElement;
  private readonly dataId: string;
  private readonly resize: ResizeObserver | undefined;
  private lastWidth = 0;
  private pending = false;

  /** `caption: false` when the enclosing section already shows the title (it still names the chart for screen readers). */
  constructor(
    host: HTMLElement,
    private readonly title: string | undefined,
    private readonly chart: Chart,
    caption = true,
  ) {
    this.root = el('figure', 'sdnb-chart');
    if (title && caption) {
      const cap = el('figcaption', 'sdnb-block-title');
      cap.textContent = title;
      this.root.append(cap);
    }
    if (chart.series.length > 1) {
      this.legend = el('div', 'sdnb-legend');
      this.legend.setAttribute('aria-label', 'Legend');
      this.root.append(this.legend);
    }
    this.plot = el('div', 'sdnb-chart-plot');
    const data = dataTable(chart, title);
    this.dataId = data.id;
    this.root.append(this.plot, data.fold);
    host.append(this.root);
    live.add(this);
    watchTheme();
    if (typeof ResizeObserver !== 'undefined') {
      this.resize = new ResizeObserver(() => {
        if (Math.abs(this.width() - this.lastWidth) >= 1) this.scheduleDraw();
      });
      this.resize.observe(this.root);
    }
    this.draw();
  }

  dispose(): void {
    live.delete(this);
    this.resize?.disconnect();
  }

  scheduleDraw(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      if (this.root.isConnected) this.draw();
    });
  }

  private width(): number {
    return Math.max(320, Math.min(this.root.clientWidth || 640, MAX_WIDTH));
  }

  draw(): void {
    const { chart } = this;
    const W = (this.lastWidth = this.width());
    const colors = seriesColors(this.root, chart);
    const scale = pickYScale(chart);
    const values = chart.series.flatMap((s) => s.values).filter(Number.isFinite);
    const vmax = values.length ? Math.max(...values) : 1;
    const vmin = values.length ? Math.min(0, ...values) : 0;

    const top = 10,
      bottom = 42;
    const plotH = HEIGHT - top - bottom;
    const yt: Ticks = scale === 'log' ? logTicks(vmax) : niceTicks(vmin, vmax, Math.max(2, Math.floor(plotH / 36)));
    const yLabels = yt.ticks.map((v) => tickLabel(v, yt.step));
    const left = 22 + Math.max(...yLabels.map((l) => l.length)) * CHAR_W + 6;
    const right = 14;
    const plotW = W - left - right;
    const yOf =
      scale === 'log'
        ? (v: number) => top + plotH * (1 - symlog(v) / symlog(yt.hi))
        : (v: number) => top + plotH * (1 - (v - yt.lo) / (yt.hi - yt.lo || 1));

    const n = chart.x.length;
    const numericX = chart.kind === 'line' && n >= 2 && chart.x.every((x) => typeof x === 'number' && Number.isFinite(x));
    const xs = numericX ? (chart.x as number[]) : [];
    const xmin = numericX ? Math.min(...xs) : 0,
      xmax = numericX ? Math.max(...xs) : 1;
    const band = plotW / Math.max(1, n);
    const xOf = (i: number) => (numericX ? left + (plotW * (xs[i] - xmin)) / (xmax - xmin || 1) : left + band * (i + 0.5));

    const root = svg('svg', { class: 'sdnb-chart-svg', width: W, height: HEIGHT, viewBox: `0 0 ${W} ${HEIGHT}`, role: 'img' });
    const scaleNote = scale === 'log' ? ' (log scale)' : '';
    root.setAttribute(
      'aria-label',
      `${this.title ?? 'Chart'}: ${chart.series.map((s) => s.name).join(', ')} (${chart.yLabel}${scaleNote}) by ${chart.xLabel}`,
    );
    root.setAttribute('aria-describedby', this.dataId);
    root.append(svg('title', {}, root.getAttribute('aria-label')!));

    // Grid and y axis.
    const axis = svg('g', { class: 'sdnb-axis sdnb-axis-y' });
    yt.ticks.forEach((v, i) => {
      const y = yOf(v);
      axis.append(svg('line', { class: 'sdnb-grid', x1: left, x2: left + plotW, y1: y, y2: y }));
      axis.append(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, yLabels[i]));
    });
    axis.append(
      svg(
        'text',
        { class: 'sdnb-axis-title', transform: `translate(12 ${top + plotH / 2}) rotate(-90)`, 'text-anchor': 'middle' },
        chart.yLabel + scaleNote,
      ),
    );
    root.append(axis);

    // X axis.
    const xaxis = svg('g', { class: 'sdnb-axis sdnb-axis-x' });
    xaxis.append(svg('line', { class: 'sdnb-baseline', x1: left, x2: left + plotW, y1: top + plotH, y2: top + plotH }));
    const xTickY = top + plotH + 15;
    if (numericX) {
      const xt = niceTicks(xmin, xmax, Math.max(2, Math.floor(plotW / 70)), false);
      for (const v of xt.ticks) {
        const x = left + (plotW * (v - xmin)) / (xmax - xmin || 1);
        xaxis.append(svg('line', { class: 'sdnb-tick', x1: x, x2: x, y1: top + plotH, y2: top + plotH + 4 }));
        xaxis.append(svg('text', { x, y: xTickY, 'text-anchor': 'middle' }, tickLabel(v, xt.step)));
      }
    } else {
      const labels = chart.x.map((x) => (typeof x === 'number' ? formatNumber(x, 3) : x));
      const every = labelEvery(n, plotW, Math.max(...labels.map((l) => l.length)) * CHAR_W);
      labels.forEach((l, i) => {
        if (i % every) return;
        xaxis.append(svg('text', { x: xOf(i), y: xTickY, 'text-anchor': 'middle' }, l));
      });
    }
    xaxis.append(svg('text', { class: 'sdnb-axis-title', x: left + plotW / 2, y: HEIGHT - 6, 'text-anchor': 'middle' }, chart.xLabel));
    root.append(xaxis);

    // Series.
    const y0 = yOf(Math.max(yt.lo, 0));
    const tip = (i: number) =>
      `${chart.xLabel} ${typeof chart.x[i] === 'number' ? formatNumber(chart.x[i] as number) : chart.x[i]}: ` +
      chart.series.map((s) => `${s.name} ${Number.isFinite(s.values[i]) ? formatNumber(s.values[i]) : '–'}`).join(', ');
    chart.series.forEach((s, si) => {
      const g = svg('g', { class: 'sdnb-series', 'data-series': s.name });
      if (chart.kind === 'bar') {
        const groupW = band * 0.8,
          barW = groupW / chart.series.length;
        s.values.forEach((v, i) => {
          if (!Number.isFinite(v)) return;
          const x = left + band * i + band * 0.1 + barW * si;
          const y = yOf(v);
          const rect = svg('rect', {
            x,
            y: Math.min(y, y0),
            width: Math.max(1, barW - 1),
            height: Math.max(v === 0 ? 0 : 1, Math.abs(y0 - y)),
          });
          rect.style.fill = colors[si];
          rect.append(svg('title', {}, tip(i)));
          g.append(rect);
        });
      } else {
        let d = '';
        let pen = false;
        s.values.forEach((v, i) => {
          if (!Number.isFinite(v)) {
            pen = false;
            return;
          }
          d += `${pen ? 'L' : 'M'}${xOf(i).toFixed(1)} ${yOf(v).toFixed(1)}`;
          pen = true;
        });
        // The first series (often a total) is drawn wider and underneath, so a series equal to it leaves it visible.
        const width = si === 0 && chart.series.length > 1 ? 4 : 2;
        const path = svg('path', { d, fill: 'none', 'stroke-width': width, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' });
        path.style.stroke = colors[si];
        if (DASHES[si % DASHES.length]) path.setAttribute('stroke-dasharray', DASHES[si % DASHES.length]);
        g.append(path);
      }
      root.append(g);
    });
    // Hover targets for line charts: one column per x with every series' value.
    if (chart.kind === 'line') {
      const hits = svg('g', { class: 'sdnb-hits' });
      for (let i = 0; i < n; i++) {
        const x0 = i === 0 ? left : (xOf(i - 1) + xOf(i)) / 2,
          x1 = i === n - 1 ? left + plotW : (xOf(i) + xOf(i + 1)) / 2;
        const r = svg('rect', { x: x0, y: top, width: Math.max(0, x1 - x0), height: plotH, fill: 'transparent' });
        r.append(svg('title', {}, tip(i)));
        hits.append(r);
      }
      root.append(hits);
    }
    this.plot.replaceChildren(root);

    if (this.legend) {
      this.legend.replaceChildren(
        ...chart.series.map((s, si) => {
          const item = el('span', 'sdnb-legend-item');
          const swatch = svg('svg', { width: 22, height: 10, 'aria-hidden': 'true' });
          const mark =
            chart.kind === 'bar'
              ? svg('rect', { x: 4, y: 1, width: 14, height: 8 })
              : svg('line', { x1: 1, x2: 21, y1: 5, y2: 5, 'stroke-width': si === 0 ? 4 : 2.5 });
          if (chart.kind === 'bar') mark.style.fill = colors[si];
          else {
            mark.style.stroke = colors[si];
            if (DASHES[si % DASHES.length]) mark.setAttribute('stroke-dasharray', DASHES[si % DASHES.length]);
          }
          swatch.append(mark);
          const label = el('span');
          label.textContent = s.name;
          item.append(swatch, label);
          return item;
        }),
      );
    }
  }
}
