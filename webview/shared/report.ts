// Draws kernel outputs: a `Report` (markdown, metrics, tables, diagrams, charts, notices) and an
// error (`ErrorData`). Text goes in through textContent; markdown through markdown-it with HTML
// disabled, so nothing a cell produces can inject markup.
import type { Block, Report } from '../../src/kernels/report';
import { chartToMermaid } from '../../src/kernels/report';
import type { ErrorData } from '../../src/kernels/output';
import type { DiagramView, DiagramViewOptions } from './diagramView';
import { el } from './diagramView';

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

function titled(parent: HTMLElement, title: string | undefined): void {
  if (!title) return;
  const h = el('div', 'sdnb-block-title');
  h.textContent = title;
  parent.append(h);
}

export async function renderReport(report: Report, host: HTMLElement, makeDiagram: MakeDiagram): Promise<DiagramView[]> {
  const root = el('div', 'sdnb-report');
  host.append(root);
  if (report.title) {
    const h = el('div', 'sdnb-report-title');
    h.textContent = report.title;
    root.append(h);
  }
  const diagrams: DiagramView[] = [];
  const pending: Promise<unknown>[] = [];
  for (const block of report.blocks ?? []) {
    const section = el('section', `sdnb-block sdnb-block-${block.type}`);
    root.append(section);
    const p = renderBlock(block, section, makeDiagram, diagrams);
    if (p) pending.push(p);
  }
  await Promise.all(pending);
  return diagrams;
}

function renderBlock(b: Block, section: HTMLElement, makeDiagram: MakeDiagram, diagrams: DiagramView[]): Promise<unknown> | undefined {
  switch (b.type) {
    case 'markdown': {
      const div = el('div', 'sdnb-markdown');
      section.append(div);
      return renderMarkdownInto(div, b.text);
    }
    case 'metrics': {
      titled(section, b.title);
      const grid = el('div', 'sdnb-metrics');
      for (const item of b.items) {
        const card = el('div', 'sdnb-metric');
        const value = el('div', 'sdnb-metric-value');
        value.textContent = item.value;
        const label = el('div', 'sdnb-metric-label');
        label.textContent = item.label;
        card.append(value, label);
        if (item.hint) card.title = item.hint;
        grid.append(card);
      }
      section.append(grid);
      return undefined;
    }
    case 'table': {
      titled(section, b.title);
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
      titled(section, b.title);
      const v = makeDiagram(section, b.source);
      diagrams.push(v);
      return v.render();
    }
    case 'chart': {
      const v = makeDiagram(section, chartToMermaid(b.title, b.chart));
      diagrams.push(v);
      return v.render();
    }
    case 'notice': {
      const n = el('div', `sdnb-notice sdnb-notice-${b.level}`);
      n.setAttribute('role', b.level === 'error' ? 'alert' : 'note');
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

export function renderError(data: ErrorData, host: HTMLElement): void {
  const box = el('div', 'sdnb-error');
  box.setAttribute('role', 'alert');
  const title = el('div', 'sdnb-error-title');
  title.textContent = data.title;
  const message = el('div', 'sdnb-error-message');
  message.textContent = data.message;
  box.append(title, message);
  if (data.diagnostics?.length) {
    const list = el('ul', 'sdnb-error-list');
    for (const d of data.diagnostics) {
      const li = el('li', `sdnb-sev-${d.severity}`);
      const pos = el('span', 'sdnb-pos');
      pos.textContent = `${d.range.start.line + 1}:${d.range.start.column + 1}`;
      li.append(pos, document.createTextNode(` ${d.severity}: ${d.message}`));
      list.append(li);
    }
    box.append(list);
  }
  host.append(box);
}
