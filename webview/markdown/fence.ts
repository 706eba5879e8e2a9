// The markdown-it side of mermaid fences in markdown cells: a ```mermaid fence becomes a placeholder
// that keeps its source as code (what an untrusted or failed render shows), and the notebook
// renderer extension (index.ts) draws each placeholder after the cell renders. Pure: no DOM.
import type MarkdownItModule from 'markdown-it';

type MarkdownIt = InstanceType<typeof MarkdownItModule>;

export const PLACEHOLDER_CLASS = 'sdnb-md-mermaid';
const PROBE = '```mermaid\nflowchart LR\n  a --> b\n```\n';

const isMermaid = (info: string) => info.trim().split(/\s+/)[0]?.toLowerCase() === 'mermaid';

/**
 * Whether mermaid fences render as plain code with this markdown-it: VS Code 1.100's renderer does.
 * A later VS Code (or another extension) that draws them itself changes that, and then we step aside.
 */
export function rendersMermaidAsCode(md: MarkdownIt): boolean {
  return /^<pre><code class="language-mermaid">/.test(md.render(PROBE).trim());
}

/**
 * Turns ```mermaid fences into placeholders for `drawMermaidPlaceholders`, unless mermaid fences
 * already render as something other than code. Returns whether it took them over.
 */
export function mermaidFencePlugin(md: MarkdownIt): boolean {
  if (!rendersMermaidAsCode(md)) return false;
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const code = fence(tokens, idx, options, env, self);
    return isMermaid(tokens[idx].info) ? `<div class="${PLACEHOLDER_CLASS}">${code}</div>\n` : code;
  };
  return true;
}
