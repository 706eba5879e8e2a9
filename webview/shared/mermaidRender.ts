// The one place webview code talks to mermaid. Mermaid is imported lazily (its diagram types
// load lazily too), renders are serialised (mermaid's config is global, so a theme change must
// not interleave with a render), ids are unique across every output sharing the webview, and a
// failed render leaves nothing behind in the page.
import type { Mermaid } from 'mermaid';
import { DiagramError, diagramErrorFrom } from './errorPosition';
import { ThemeKind, mermaidThemeFor } from './theme';

export type RenderResult =
  | { kind: 'ok'; svg: string; diagramType: string; bindFunctions?: (element: Element) => void }
  | { kind: 'error'; error: DiagramError }
  | { kind: 'cancelled' };

/** A loaded system font: mermaid measures labels with it, so it must not fall back mid-render. */
export const DIAGRAM_FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Ubuntu, "Helvetica Neue", Arial, sans-serif';

let loading: Promise<Mermaid> | undefined;
let initializedFor: ThemeKind | undefined;
let queue: Promise<unknown> = Promise.resolve();
let counter = 0;
const prefix = `sdnb${Math.random().toString(36).slice(2, 8)}`;

export function loadMermaid(): Promise<Mermaid> {
  loading ??= import('mermaid').then((m) => m.default);
  return loading;
}

function initialize(mermaid: Mermaid, theme: ThemeKind): void {
  if (initializedFor === theme) return;
  const t = mermaidThemeFor(theme);
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    suppressErrorRendering: true,
    fontFamily: DIAGRAM_FONT,
    theme: t.theme,
    themeVariables: { fontFamily: DIAGRAM_FONT, ...(t.themeVariables ?? {}) },
    maxTextSize: 50_000,
  });
  initializedFor = theme;
}

export function nextDiagramId(): string {
  return `${prefix}-${++counter}`;
}

/**
 * Renders `source` with the given theme. `isStale` is asked just before the render starts
 * (renders queue behind each other), so superseded renders are skipped rather than drawn.
 */
export function renderDiagram(source: string, theme: ThemeKind, isStale: () => boolean = () => false): Promise<RenderResult> {
  const run = async (): Promise<RenderResult> => {
    if (isStale()) return { kind: 'cancelled' };
    const mermaid = await loadMermaid();
    if (isStale()) return { kind: 'cancelled' };
    initialize(mermaid, theme);
    const id = nextDiagramId();
    try {
      const { svg, diagramType, bindFunctions } = await mermaid.render(id, source);
      return { kind: 'ok', svg, diagramType, bindFunctions };
    } catch (err) {
      return { kind: 'error', error: diagramErrorFrom(err, source) };
    } finally {
      // Mermaid removes these itself with suppressErrorRendering; be sure, since outputs share the page.
      for (const leftover of [id, `d${id}`, `i${id}`]) document.getElementById(leftover)?.remove();
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
