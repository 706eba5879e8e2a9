// dist/mermaidRender.js, inlined into HTML exports: the file the notebook renderer loads (mermaid,
// our configuration and sanitiser), so the .vsix ships mermaid once. The extension and the CLI run
// from dist/ and find it beside them; run from source (tests under tsx), it is in the built dist/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MERMAID_RENDER_FILE } from '.';

export { MERMAID_RENDER_FILE };

export function bundledMermaid(dirs: readonly string[] = [__dirname, join(__dirname, '../../dist')]): string | undefined {
  for (const dir of dirs) {
    try {
      return readFileSync(join(dir, MERMAID_RENDER_FILE), 'utf8');
    } catch {
      /* try the next one */
    }
  }
  return undefined;
}
