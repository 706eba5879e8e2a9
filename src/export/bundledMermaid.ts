// Mermaid's browser bundle, inlined into HTML exports. The build copies it next to the bundles
// (dist/mermaid.min.js) so the extension and the CLI find it without node_modules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function bundledMermaid(): string | undefined {
  const candidates = [join(__dirname, 'mermaid.min.js')];
  try {
    candidates.push(require.resolve('mermaid/dist/mermaid.min.js'));
  } catch {
    /* not installed: only the copy in dist/ */
  }
  for (const file of candidates) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      /* try the next one */
    }
  }
  return undefined;
}
