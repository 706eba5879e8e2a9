// One drawn diagram with its zoom/pan viewport, toolbar and error area. Used by the notebook
// renderer (one per mermaid output, report diagram and chart) and by the preview panel. Every live
// view re-renders when VS Code's theme changes (VS Code swaps classes on <body>).
import type { DiagramError } from './errorPosition';
import { formatPosition } from './errorPosition';
import { ExportFormat, ExportMessage, exportMessage } from './exportDiagram';
import type { RenderResult } from './mermaidRender';
import { ThemeKind, themeKindFromClasses } from './theme';
import { ZoomController, attachZoom } from './zoom';

export interface DiagramViewOptions {
  /** Show zoom and export buttons. */
  toolbar?: boolean;
  /** Keep showing the last good drawing under an error (the live preview, while typing). */
  keepLastOnError?: boolean;
  /** Called with the parse error after each render, or undefined when the diagram drew. */
  onResult?: (error: DiagramError | undefined, view: DiagramView) => void;
  /** Present when the host can save files; enables the export buttons. */
  onExport?: (message: ExportMessage) => void;
  /** Fixed theme instead of following VS Code's (the preview's theme picker). */
  theme?: () => ThemeKind | undefined;
  /** Announce syntax errors as they appear (the live preview). Notebook outputs do not: Run All announces failures once. */
  announceErrors?: boolean;
  /** Present when the host can move the cursor: an error's `line:column` becomes a link to it. */
  onReveal?: (at: { line: number; column: number }, view: DiagramView) => void;
}

const KEYS = 'Arrow keys or drag to pan · + and − or Ctrl+wheel to zoom · 0 to reset';

/** "flowchart-v2" → "flowchart". */
const diagramName = (type: string | undefined) => type?.replace(/-v\d+$/, '').replace(/[-_]/g, ' ');

const views = new Set<DiagramView>();
let observer: MutationObserver | undefined;

// Mermaid and our sanitiser, one file built apart (dist/mermaidRender.js), fetched on the first diagram.
let renderModule: Promise<typeof import('./mermaidRender')> | undefined;
function loadRenderer(): Promise<typeof import('./mermaidRender')> {
  renderModule ??= import('./mermaidRender');
  return renderModule;
}

export function currentThemeKind(): ThemeKind {
  return themeKindFromClasses(document.body.classList);
}

function watchTheme(): void {
  if (observer) return;
  let last = currentThemeKind();
  observer = new MutationObserver(() => {
    const now = currentThemeKind();
    if (now === last) return;
    last = now;
    for (const v of views) void v.render();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

export class DiagramView {
  readonly root: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly content: HTMLElement;
  private readonly errorBox: HTMLElement;
  private readonly zoom: ZoomController;
  private source = '';
  private generation = 0;
  private disposed = false;
  private diagramType: string | undefined;
  lastError: DiagramError | undefined;

  constructor(
    host: HTMLElement,
    private readonly options: DiagramViewOptions = {},
  ) {
    this.root = el('div', 'sdnb-diagram');
    this.root.dataset.state = 'idle';
    if (options.toolbar !== false) this.root.append(this.toolbar());
    this.viewport = el('div', 'sdnb-viewport');
    this.viewport.tabIndex = 0;
    this.viewport.title = KEYS;
    this.viewport.setAttribute('role', 'group');
    this.viewport.setAttribute('aria-roledescription', 'diagram');
    this.viewport.setAttribute('aria-label', 'Diagram');
    this.viewport.setAttribute('aria-keyshortcuts', '+ - 0 ArrowUp ArrowDown ArrowLeft ArrowRight');
    this.content = el('div', 'sdnb-content');
    this.viewport.append(this.content);
    this.errorBox = el('div', 'sdnb-diagram-error');
    if (options.announceErrors) this.errorBox.setAttribute('role', 'alert');
    this.errorBox.hidden = true;
    this.root.append(this.viewport, this.errorBox);
    host.append(this.root);
    this.zoom = attachZoom(this.viewport, this.content);
    views.add(this);
    watchTheme();
  }

  get currentSource(): string {
    return this.source;
  }

  get svg(): SVGSVGElement | null {
    return this.content.querySelector('svg');
  }

  /** Sets the source without drawing it (the caller renders when ready). */
  setSourceSilently(source: string): void {
    this.source = source;
  }

  setSource(source: string): Promise<void> {
    this.source = source;
    return this.render();
  }

  zoomBy(factor: number): void {
    this.zoom.zoom(factor);
  }

  resetZoom(): void {
    this.zoom.reset();
  }

  async render(): Promise<void> {
    const gen = ++this.generation;
    const theme = this.options.theme?.() ?? currentThemeKind();
    this.root.dataset.state = 'rendering';
    const started = performance.now();
    const isStale = () => gen !== this.generation || this.disposed;
    const result: RenderResult = await (await loadRenderer()).renderDiagram(this.source, theme, isStale);
    if (result.kind === 'cancelled' || gen !== this.generation || this.disposed) return;
    this.root.dataset.renderMs = String(Math.round(performance.now() - started));
    if (result.kind === 'ok') {
      this.content.replaceChildren(result.svg);
      result.bindFunctions?.(this.content);
      this.diagramType = result.diagramType;
      const name = diagramName(result.diagramType);
      this.viewport.setAttribute('aria-label', name ? `Diagram: ${name}` : 'Diagram');
      this.lastError = undefined;
      this.errorBox.hidden = true;
      this.errorBox.textContent = '';
      this.root.dataset.theme = theme;
      this.root.dataset.state = 'ok';
    } else {
      if (!this.options.keepLastOnError) this.content.textContent = '';
      this.lastError = result.error;
      this.showError(result.error);
      this.root.dataset.state = 'error';
    }
    this.root.dataset.renders = String(Number(this.root.dataset.renders ?? 0) + 1);
    this.options.onResult?.(this.lastError, this);
  }

  private showError(e: DiagramError): void {
    this.errorBox.textContent = '';
    const head = el('div', 'sdnb-diagram-error-head');
    const pos = positionLabel(formatPosition(e), this.options.onReveal && (() => this.options.onReveal!(e, this)));
    head.append(pos, document.createTextNode(' Mermaid syntax error'));
    const body = el('pre', 'sdnb-diagram-error-message');
    body.textContent = e.message;
    this.errorBox.append(head, body);
    this.errorBox.hidden = false;
  }

  async exportAs(format: ExportFormat): Promise<ExportMessage | undefined> {
    const svg = this.svg;
    if (!svg) return undefined;
    return exportMessage(svg, format, this.source, this.diagramType);
  }

  private toolbar(): HTMLElement {
    const bar = el('div', 'sdnb-toolbar');
    const button = (label: string, title: string, run: () => void) => {
      const b = el('button', 'sdnb-button') as HTMLButtonElement;
      b.type = 'button';
      b.textContent = label;
      b.title = title;
      b.setAttribute('aria-label', title);
      b.addEventListener('click', run);
      bar.append(b);
      return b;
    };
    button('−', 'Zoom out', () => this.zoom.zoom(0.8));
    button('+', 'Zoom in', () => this.zoom.zoom(1.25));
    button('1:1', 'Reset zoom', () => this.zoom.reset());
    const onExport = this.options.onExport;
    if (onExport) {
      for (const format of ['svg', 'png'] as const) {
        button(format.toUpperCase(), `Export as ${format.toUpperCase()}…`, async () => {
          const message = await this.exportAs(format);
          if (message) onExport(message);
        }).classList.add('sdnb-export');
      }
    }
    return bar;
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.zoom.dispose();
    views.delete(this);
    this.root.remove();
  }
}

/** An error's `line:column`: a link that moves the cursor there when `reveal` is given, else plain text. */
export function positionLabel(text: string, reveal?: () => void): HTMLElement {
  if (!reveal) {
    const span = el('span', 'sdnb-pos');
    span.textContent = text;
    return span;
  }
  const link = el('button', 'sdnb-pos sdnb-pos-link');
  link.type = 'button';
  link.textContent = text;
  link.title = `Go to ${text} in the cell`;
  link.addEventListener('click', reveal);
  return link;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  return e;
}
