// Draws kernel outputs: a `Report` (headline, markdown, metrics, tables, diagrams, charts, notices,
// folds) and an error (`ErrorData`). Text goes in through textContent; markdown through markdown-it
// with HTML disabled, so nothing a cell produces can inject markup. A fold's content is drawn the
// first time it opens: diagrams and charts need a laid-out box to measure.
import type { Block, Level, MetricItem, Report } from '../../src/kernels/report';
import { LEVEL_SYMBOL, titleRepeats } from '../../src/kernels/report';
import type { ErrorData } from '../../src/kernels/output';
import type { DiagramView, DiagramViewOptions } from './diagramView';
import { el, positionLabel } from './diagramView';
import type { ChartView } from './chart';

export type MakeDiagram = (host: HTMLElement, source: string, options?: DiagramViewOptions) => DiagramView;

type MarkdownIt = { render(src: string): string };
let md: Promise<MarkdownIt> | undefined;
function markdown(): Promise<MarkdownIt> {
  md ??= import('markdown-it').then((m) => new m.default({ html: false, linkify: true, typographer: false }));
  return md;
}

export async function renderMarkdownInto(target: HTMLElement, text: string): Promise<void> {
  target.innerHTML = (await markdown()).render(text);
}

function titled(parent: HTMLElement, title: string | undefined, enclosing?: string): void {
  if (!title || titleRepeats(title, enclosing)) return;
  const h = el('div', 'sdnb-block-title');
  h.textContent = title;
  parent.append(h);
}

const LEVEL_WORD: Record<Level, string> = { pass: 'pass', marginal: 'marginal', fail: 'fail' };

/** A drawn report: its diagrams and charts (those in unopened folds come when they open). */
export interface ReportView {
  diagrams: DiagramView[];
  charts: ChartView[];
  dispose(): void;
}

interface Context {
  makeDiagram: MakeDiagram;
  view: ReportView;
  /** Set by "Expand all": folds drawn from then on open at once. */
  expandAll: boolean;
  draws: WeakMap<HTMLDetailsElement, () => Promise<void>>;
}

export async function renderReport(report: Report, host: HTMLElement, makeDiagram: MakeDiagram): Promise<ReportView> {
  const root = el('div', 'sdnb-report');
  host.append(root);
  const view: ReportView = {
    diagrams: [],
    charts: [],
    dispose() {
      for (const c of view.charts) c.dispose();
      view.charts.length = 0;
    },
  };
  const ctx: Context = { makeDiagram, view, expandAll: false, draws: new WeakMap() };
  const blocks = report.blocks ?? [];
  if (report.title || blocks.some((b) => b.type === 'fold')) {
    const head = el('div', 'sdnb-report-head');
    const h = el('div', 'sdnb-report-title');
    h.textContent = report.title ?? '';
    head.append(h);
    if (blocks.some((b) => b.type === 'fold')) head.append(expandAllButton(root, ctx));
    root.append(head);
  }
  await renderBlocks(blocks, root, ctx, undefined);
  return view;
}

function expandAllButton(root: HTMLElement, ctx: Context): HTMLElement {
  const button = el('button', 'sdnb-button sdnb-expand-all');
  button.type = 'button';
  const folds = () => [...root.querySelectorAll('details.sdnb-fold')] as HTMLDetailsElement[];
  const sync = () => {
    const all = folds().every((d) => d.open);
    button.textContent = all ? 'Collapse all' : 'Expand all';
    button.setAttribute('aria-label', all ? 'Collapse every section' : 'Expand every section');
  };
  button.addEventListener('click', () => {
    ctx.expandAll = !folds().every((d) => d.open);
    for (const d of folds()) {
      d.open = ctx.expandAll;
      if (ctx.expandAll) void ctx.draws.get(d)?.();
    }
    sync();
  });
  root.addEventListener('toggle', sync, true);
  queueMicrotask(sync);
  return button;
}

async function renderBlocks(blocks: Block[], parent: HTMLElement, ctx: Context, enclosing: string | undefined): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (const block of blocks) {
    const section = el('section', `sdnb-block sdnb-block-${block.type}`);
    parent.append(section);
    const p = renderBlock(block, section, ctx, enclosing);
    if (p) pending.push(p);
  }
  await Promise.all(pending);
}

function metricCards(items: MetricItem[]): HTMLElement {
  const grid = el('div', 'sdnb-metrics');
  for (const item of items) {
    const card = el('div', `sdnb-metric${item.level ? ` sdnb-level-${item.level}` : ''}`);
    const value = el('div', 'sdnb-metric-value');
    value.textContent = item.value;
    const label = el('div', 'sdnb-metric-label');
    label.textContent = item.level && item.level !== 'pass' ? `${LEVEL_SYMBOL[item.level]} ${item.label}` : item.label;
    card.append(value, label);
    if (item.hint) card.title = item.hint;
    grid.append(card);
  }
  return grid;
}

function renderBlock(b: Block, section: HTMLElement, ctx: Context, enclosing: string | undefined): Promise<unknown> | undefined {
  switch (b.type) {
    case 'markdown': {
      const div = el('div', 'sdnb-markdown');
      section.append(div);
      return renderMarkdownInto(div, b.text);
    }
    case 'headline': {
      if (b.verdict) {
        // Not a live region: outputs appear all at once after Run All, and the host announces
        // what failed once (src/notebook/announce.ts) instead of every report speaking up.
        const v = el('div', `sdnb-verdict sdnb-level-${b.verdict.level}`);
        const line = el('div', 'sdnb-verdict-line');
        const badge = el('span', 'sdnb-verdict-badge');
        badge.textContent = `${LEVEL_SYMBOL[b.verdict.level]} ${LEVEL_WORD[b.verdict.level]}`;
        const text = el('span', 'sdnb-verdict-text');
        text.textContent = b.verdict.text;
        line.append(badge, text);
        v.append(line);
        if (b.verdict.items?.length) {
          const list = el('ul', 'sdnb-verdict-items');
          for (const item of b.verdict.items) {
            const li = el('li', `sdnb-level-${item.level}`);
            const mark = el('span', 'sdnb-level-mark');
            mark.textContent = LEVEL_SYMBOL[item.level];
            mark.title = LEVEL_WORD[item.level];
            li.append(mark, document.createTextNode(' ' + item.text));
            list.append(li);
          }
          v.append(list);
        }
        section.append(v);
      }
      if (b.items.length) section.append(metricCards(b.items));
      return undefined;
    }
    case 'metrics': {
      titled(section, b.title, enclosing);
      section.append(metricCards(b.items));
      return undefined;
    }
    case 'table': {
      titled(section, b.title, enclosing);
      const wrap = el('div', 'sdnb-table-wrap');
      const table = el('table', 'sdnb-table');
      const thead = el('thead');
      const hr = el('tr');
      b.columns.forEach((c, i) => {
        const th = el('th');
        th.textContent = c;
        if (b.align?.[i] === 'r') th.className = 'sdnb-r';
        hr.append(th);
      });
      thead.append(hr);
      const tbody = el('tbody');
      for (const row of b.rows) {
        const tr = el('tr');
        row.forEach((cell, i) => {
          const td = el('td');
          td.textContent = String(cell);
          if (b.align?.[i] === 'r' || (b.align === undefined && typeof cell === 'number')) td.className = 'sdnb-r';
          tr.append(td);
        });
        tbody.append(tr);
      }
      table.append(thead, tbody);
      wrap.append(table);
      section.append(wrap);
      if (b.note) {
        const note = el('div', 'sdnb-note');
        note.textContent = b.note;
        section.append(note);
      }
      return undefined;
    }
    case 'mermaid': {
      titled(section, b.title, enclosing);
      const v = ctx.makeDiagram(section, b.source);
      ctx.view.diagrams.push(v);
      return v.render();
    }
    case 'chart':
      // Loaded on the first chart, like mermaid on the first diagram: the renderer's entry stays small.
      return import('./chart').then(({ ChartView }) =>
        ctx.view.charts.push(new ChartView(section, b.title, b.chart, !(b.title && titleRepeats(b.title, enclosing)))),
      );
    case 'fold': {
      const details = el('details', 'sdnb-fold');
      const summary = el('summary', 'sdnb-fold-summary');
      summary.textContent = b.summary;
      const body = el('div', 'sdnb-fold-body');
      details.append(summary, body);
      section.append(details);
      let drawn: Promise<void> | undefined;
      const draw = () => (drawn ??= renderBlocks(b.blocks, body, ctx, b.summary));
      ctx.draws.set(details, draw);
      details.addEventListener('toggle', () => {
        if (details.open) void draw();
      });
      if (b.open || ctx.expandAll) {
        details.open = true;
        return draw();
      }
      return undefined;
    }
    case 'notice': {
      const n = el('div', `sdnb-notice sdnb-notice-${b.level}`);
      n.setAttribute('role', 'note');
      const tag = el('strong');
      tag.textContent = b.level === 'info' ? 'Note' : b.level === 'warning' ? 'Warning' : 'Error';
      n.append(tag, document.createTextNode(' ' + b.text));
      section.append(n);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** A cell's error. A group, not an alert: after Run All the host announces the failures once. With `onReveal`, each diagnostic's `line:column` is a link to that place in the cell. */
export function renderError(
  data: ErrorData,
  host: HTMLElement,
  onReveal?: (at: { line: number; column: number; message: string }) => void,
): void {
  const box = el('div', 'sdnb-error');
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', data.title);
  const title = el('div', 'sdnb-error-title');
  title.textContent = data.title;
  const message = el('div', 'sdnb-error-message');
  message.textContent = data.message;
  box.append(title, message);
  if (data.diagnostics?.length) {
    const list = el('ul', 'sdnb-error-list');
    for (const d of data.diagnostics) {
      const li = el('li', `sdnb-sev-${d.severity}`);
      const pos = positionLabel(
        `${d.range.start.line + 1}:${d.range.start.column + 1}`,
        onReveal && (() => onReveal({ line: d.range.start.line, column: d.range.start.column, message: d.message })),
      );
      li.append(pos, document.createTextNode(` ${d.severity}: ${d.message}`));
      list.append(li);
    }
    box.append(list);
  }
  host.append(box);
}
