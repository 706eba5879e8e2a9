// Extends VS Code's built-in markdown renderer for notebook markdown cells (`vscode.markdown-it-renderer`)
// so that ```mermaid fences are drawn, with the same DiagramView (lazy mermaid, sanitiser, theme,
// zoom) as mermaid cells. VS Code 1.100 shows such fences as code; see fence.ts for stepping aside.
import { DiagramView } from '../shared/diagramView';
import { injectStyles } from '../shared/styles';
import { PLACEHOLDER_CLASS, mermaidFencePlugin } from './fence';
import type MarkdownItModule from 'markdown-it';

type MarkdownIt = InstanceType<typeof MarkdownItModule>;

interface MarkdownItRenderer {
  extendMarkdownIt(f: (md: MarkdownIt) => void): void;
}
interface ExtensionContext {
  getRenderer(id: string): Promise<MarkdownItRenderer | undefined>;
}

/** The diagrams drawn in each cell's shadow root, disposed when the cell renders again. */
const drawn = new WeakMap<ShadowRoot, DiagramView[]>();

/** Draws every placeholder in `root` (a markdown cell's shadow root). */
export function drawMermaidPlaceholders(root: ShadowRoot): void {
  const placeholders = [...root.querySelectorAll<HTMLElement>(`.${PLACEHOLDER_CLASS}`)].filter((p) => !p.dataset.drawn);
  if (!placeholders.length) return;
  for (const v of drawn.get(root) ?? []) if (!v.root.isConnected) v.dispose();
  injectStyles(root);
  const views = (drawn.get(root) ?? []).filter((v) => v.root.isConnected);
  for (const p of placeholders) {
    p.dataset.drawn = 'true';
    const source = p.querySelector('code')?.textContent?.replace(/\n$/, '') ?? '';
    const host = document.createElement('div');
    host.className = 'sdnb-out';
    p.replaceChildren(host);
    const view = new DiagramView(host, { toolbar: true });
    view.setSourceSilently(source);
    views.push(view);
    void view.render();
  }
  drawn.set(root, views);
}

/** The shadow roots of rendered markdown cells: the cell's element by id, else every cell's. */
function rootsFor(id: string | undefined): ShadowRoot[] {
  const own = id ? document.getElementById(id)?.shadowRoot : undefined;
  if (own) return [own];
  return [...document.querySelectorAll('*')].map((e) => e.shadowRoot).filter((r): r is ShadowRoot => !!r);
}

export async function activate(ctx: ExtensionContext): Promise<void> {
  const renderer = await ctx.getRenderer('vscode.markdown-it-renderer');
  renderer?.extendMarkdownIt((md) => {
    if (!mermaidFencePlugin(md)) return;
    const render = md.render.bind(md);
    md.render = (src: string, env?: { outputItem?: { id?: string } }) => {
      const html = render(src, env);
      // The renderer puts the HTML into the cell's shadow root right after this returns.
      if (html.includes(PLACEHOLDER_CLASS)) setTimeout(() => rootsFor(env?.outputItem?.id).forEach(drawMermaidPlaceholders), 0);
      return html;
    };
  });
}
