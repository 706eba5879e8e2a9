// The one place webview code talks to mermaid, built on its own into dist/mermaidRender.js (mermaid
// included, one file): the notebook renderer and the preview import it on their first diagram, and
// HTML exports inline it, so every page draws with the same configuration and sanitiser.
// Renders are serialised (mermaid's config is global, so a theme change must not interleave with a
// render), ids are unique across every output sharing the webview, and a failed render leaves
// nothing behind in the page.
import DOMPurify from 'dompurify';
import mermaid from 'mermaid';
import type { MermaidConfig } from 'mermaid';
import { DiagramError, diagramErrorFrom } from './errorPosition';
import { cssFetches, sanitizeDiagram } from './sanitizeDiagram';
import { ThemeKind, mermaidThemeFor } from './theme';

export type RenderResult =
  | { kind: 'ok'; svg: DocumentFragment; diagramType: string; removed: string[]; bindFunctions?: (element: Element) => void }
  | { kind: 'error'; error: DiagramError }
  | { kind: 'cancelled' };

/** A loaded system font: mermaid measures labels with it, so it must not fall back mid-render. */
export const DIAGRAM_FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Ubuntu, "Helvetica Neue", Arial, sans-serif';

/**
 * Tags DOMPurify keeps by default that have no place in a label: mermaid passes label text through
 * DOMPurify with this list (its `dompurifyConfig`), so `<b>`, `<i>`, `<br>` and `<span>` still work
 * and a form, a link or an image is reduced to its text.
 */
const LABEL_FORBIDDEN_TAGS = [
  'style',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'optgroup',
  'datalist',
  'output',
  'fieldset',
  'legend',
  'label',
  'a',
  'area',
  'map',
  'img',
  'picture',
  'source',
  'video',
  'audio',
  'track',
  'image',
  'use',
  'details',
  'summary',
  'dialog',
];
const LABEL_FORBIDDEN_ATTRS = ['href', 'xlink:href', 'src', 'srcset', 'action', 'formaction', 'ping', 'poster', 'background', 'target'];

/**
 * Keys a diagram's `%%{init}%%` or front matter cannot change. Mermaid's own list protects
 * `securityLevel`, `secure`, `startOnLoad`, `maxTextSize`, `suppressErrorRendering` and `maxEdges`;
 * the DOMPurify configuration must not be loosened either, and `themeCSS` and the font families go
 * into the diagram's stylesheet as written, where `url()` fetches while mermaid lays the diagram out.
 */
const SECURE_KEYS = [
  'secure',
  'securityLevel',
  'startOnLoad',
  'maxTextSize',
  'suppressErrorRendering',
  'maxEdges',
  'dompurifyConfig',
  'themeCSS',
  'fontFamily',
  'altFontFamily',
];

// Mermaid puts sanitised label HTML into the page to measure it, before our pass over its output:
// on its DOMPurify (the same module in this bundle), styles that fetch never get that far.
DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'style' && cssFetches(data.attrValue)) data.keepAttr = false;
});

export function mermaidConfig(theme: ThemeKind): MermaidConfig {
  const t = mermaidThemeFor(theme);
  return {
    startOnLoad: false,
    securityLevel: 'strict',
    secure: SECURE_KEYS,
    dompurifyConfig: { FORBID_TAGS: LABEL_FORBIDDEN_TAGS, FORBID_ATTR: LABEL_FORBIDDEN_ATTRS },
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

/**
 * Renders `source` with the given theme into sanitised nodes. `isStale` is asked just before the
 * render starts (renders queue behind each other), so superseded renders are skipped rather than drawn.
 */
export function renderDiagram(source: string, theme: ThemeKind, isStale: () => boolean = () => false): Promise<RenderResult> {
  const run = async (): Promise<RenderResult> => {
    if (isStale()) return { kind: 'cancelled' };
    initialize(theme);
    const id = nextDiagramId();
    try {
      const { svg, diagramType, bindFunctions } = await mermaid.render(id, source);
      const { fragment, removed } = sanitizeDiagram(svg);
      return { kind: 'ok', svg: fragment, diagramType, removed, bindFunctions };
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

/** The pass over every drawn diagram, exported for the browser tests' table of cases. */
export { sanitizeDiagram } from './sanitizeDiagram';
