// The extension host's user-facing strings, as VS Code's l10n bundle: l10n/bundle.l10n.json maps each
// `vscode.l10n.t('…')` message to itself. A translation is a copy of it, bundle.l10n.<locale>.json,
// with the values translated (and package.nls.<locale>.json for the manifest).
// `node scripts/l10n.mjs` rewrites the bundle; a unit test fails when it is out of date.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
export const BUNDLE = join(ROOT, 'l10n', 'bundle.l10n.json');
const HOST = ['src/extension.ts', 'src/notebook', 'src/preview', 'src/web', 'src/node/extension.ts'];

function files(p, out = []) {
  if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) files(join(p, n), out);
  else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  return out;
}

/** Every message passed as a string literal to `l10n.t(`, in order of first appearance. */
export function messages() {
  const found = [];
  for (const f of HOST.flatMap((h) => files(join(ROOT, h)))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bl10n\.t\(\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")/g)) {
      const raw = m[1] ?? m[2];
      const text = raw.replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t' })[c] ?? c);
      if (!found.includes(text)) found.push(text);
    }
  }
  return found;
}

export function bundleText() {
  return JSON.stringify(Object.fromEntries(messages().map((m) => [m, m])), null, 2) + '\n';
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  writeFileSync(BUNDLE, bundleText());
  console.log(`${BUNDLE}: ${messages().length} messages`);
}
