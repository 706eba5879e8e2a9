// Mermaid's own parser for `sdnb check` and `sdnb run`, so a diagram that would not draw in the
// editor fails the gate in CI too, at its line and column. Built on its own into
// dist/mermaidParse.mjs and loaded only for a notebook that has diagrams.
import type { Mermaid } from 'mermaid';
import { diagramErrorFrom, type DiagramError } from '../../webview/shared/errorPosition';
import { MAX_TEXT_SIZE } from '../kernels/mermaid';

let loaded: Promise<Mermaid> | undefined;

/**
 * Mermaid, once. DOMPurify needs a DOM: in Node it loads without `sanitize` or hooks, and mermaid
 * calls both while it parses labels. Only whether a diagram parses is asked here (nothing is drawn
 * or shown, and the parse is thrown away), so label text passes through as it is. Both are imported
 * the way mermaid imports DOMPurify, so that they share one instance.
 */
function load(): Promise<Mermaid> {
  return (loaded ??= (async () => {
    const purify = (await import('dompurify')).default as unknown as { isSupported?: boolean } & Record<string, unknown>;
    if (!purify.isSupported) {
      const nothing = () => undefined;
      const passThrough = (text: unknown) => String(text);
      Object.assign(purify, {
        sanitize: passThrough,
        addHook: nothing,
        removeHook: nothing,
        removeHooks: nothing,
        removeAllHooks: nothing,
      });
    }
    const mermaid = (await import('mermaid')).default;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    return mermaid;
  })());
}

/** Why mermaid cannot draw `source` (zero-based position in it), or undefined when it parses. */
export async function diagramError(source: string): Promise<DiagramError | undefined> {
  // The kernel reports a diagram over mermaid's size limit; the parser is not asked.
  if (source.length > MAX_TEXT_SIZE) return undefined;
  const mermaid = await load();
  try {
    await mermaid.parse(source);
    return undefined;
  } catch (e) {
    return diagramErrorFrom(e, source);
  }
}
