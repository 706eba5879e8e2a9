// The one place webview code talks to mermaid, built on its own into dist/mermaidRender.js (mermaid
// included, one file): the notebook renderer and the preview import it on their first diagram, and
// HTML exports inline it, so every page draws with the same configuration.
// Renders are serialised (mermaid's config is global, so a theme change must not interleave with a
// render), ids are unique across every output sharing the webview, and a failed render leaves
// nothing behind in the page.
import mermaid from 'mermaid';
import type { MermaidConfig } from 'mermaid';
import { DiagramError, diagramErrorFrom } from './errorPosition';
import { ThemeKind, mermaidThemeFor } from './theme';

export type RenderResult =
  | { kind: 'ok'; svg: DocumentFragment; diagramType: string; bindFunctions?: (element: Element) => void }
  | { kind: 'error'; error: DiagramError }
  | { kind: 'cancelled' };

/** A loaded system font: mermaid measures labels with it, so it must not fall back mid-render. */
export const DIAGRAM_FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Ubuntu, "Helvetica Neue", Arial, sans-serif';

export function mermaidConfig(theme: ThemeKind): MermaidConfig {
  const t = mermaidThemeFor(theme);
  return {
    startOnLoad: false,
    securityLevel: 'strict',
    suppressErrorRendering: true,
    fontFamily: DIAGRAM_FONT,
    theme: t.theme,
    themeVariables: { fontFamily: DIAGRAM_FONT, ...(t.themeVariables ?? {}) },
    maxTextSize: 50_000,
  };
}

let initializedFor: ThemeKind | undefined;
let queue: Promise<unknown> = Promise.resolve();
let counter = 0;
const prefix = `sdnb${Math.random().toString(36).slice(2, 8)}`;

function initialize(theme: ThemeKind): void {
  if (initializedFor === theme) return;
  mermaid.initialize(mermaidConfig(theme));
  initializedFor = theme;
}

export function nextDiagramId(): string {
  return `${prefix}-${++counter}`;
}

/** Mermaid's markup as nodes of this document, parsed in an inert <template>. */
function toNodes(markup: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = markup;
  return document.importNode(template.content, true);
}

/**
 * Renders `source` with the given theme into nodes. `isStale` is asked just before the
 * render starts (renders queue behind each other), so superseded renders are skipped rather than drawn.
 */
export function renderDiagram(source: string, theme: ThemeKind, isStale: () => boolean = () => false): Promise<RenderResult> {
  const run = async (): Promise<RenderResult> => {
    if (isStale()) return { kind: 'cancelled' };
    initialize(theme);
    const id = nextDiagramId();
    try {
      const { svg, diagramType, bindFunctions } = await mermaid.render(id, source);
      return { kind: 'ok', svg: toNodes(svg), diagramType, bindFunctions };
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

/** What an exported HTML page, where the inlined module cannot be imported, finds on `globalThis`. */
export interface MermaidRenderGlobal {
  renderDiagram: typeof renderDiagram;
}
(globalThis as { sdnbMermaidRender?: MermaidRenderGlobal }).sdnbMermaidRender = { renderDiagram };
