// A translation of the extension host's messages is one file (l10n/bundle.l10n.<locale>.json): the
// host passes what it shows through vscode.l10n.t, and l10n/bundle.l10n.json lists every message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const HOST_DIRS = ['src/notebook', 'src/preview', 'src/web'];
const hostFiles = [
  'src/extension.ts',
  'src/node/extension.ts',
  ...HOST_DIRS.flatMap((d) =>
    readdirSync(join(ROOT, d))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => `${d}/${f}`),
  ),
];

// Files whose strings their owners have yet to pass through vscode.l10n.t.
const PENDING = new Set<string>();

/** Text shown to users, written as a literal where a message from vscode.l10n.t belongs. */
const LITERAL_UI_TEXT = [
  /show(Information|Warning|Error)Message\(\s*[`'"]/,
  /\b(title|placeHolder|prompt|saveLabel|detail)\s*:\s*[`'"]/,
  /\.(tooltip|description|detail)\s*=\s*[`'"]/,
  /new Error\(\s*[`'"]/,
];

/**
 * Whether the first string literal in `code` has words of its own: a template that only joins
 * messages (`${a} · ${b}`) has none.
 */
function hasWords(code: string): boolean {
  const q = code.search(/[`'"]/);
  if (code[q] !== '`') return true;
  let text = '';
  for (let i = q + 1, depth = 0; i < code.length; i++) {
    if (depth === 0 && code[i] === '`') break;
    if (depth === 0 && code.startsWith('${', i)) {
      depth = 1;
      i++;
    } else if (depth > 0 && code[i] === '{') depth++;
    else if (depth > 0 && code[i] === '}') depth--;
    else if (depth === 0) text += code[i];
  }
  return /[A-Za-z]/.test(text);
}

test('l10n/bundle.l10n.json lists exactly the messages the host passes to vscode.l10n.t (node scripts/l10n.mjs)', async () => {
  const { bundleText, messages } = await import('../../../scripts/l10n.mjs');
  assert.ok(messages().length >= 30, `${messages().length} messages`);
  assert.equal(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8'), bundleText());
});

test(`the host (${hostFiles.length - PENDING.size} files) shows no literal text: messages, titles, placeholders, tooltips and errors go through vscode.l10n.t`, () => {
  const found = hostFiles
    .filter((f) => !PENDING.has(f))
    .flatMap((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .map((line, i) => ({ at: `${f}:${i + 1}`, line: line.trim() })),
    )
    .filter(({ line }) => !line.startsWith('//') && LITERAL_UI_TEXT.some((re) => re.test(line) && hasWords(line.slice(line.search(re)))));
  assert.deepEqual(found, []);
});

test('every message keeps its placeholders in each translation of the bundle', () => {
  const base: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8'));
  const holes = (s: string) =>
    [...s.matchAll(/\{\d+\}/g)]
      .map((m) => m[0])
      .sort()
      .join();
  for (const f of readdirSync(join(ROOT, 'l10n')).filter((n) => /^bundle\.l10n\.[\w-]+\.json$/.test(n))) {
    const t: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'l10n', f), 'utf8'));
    for (const [k, v] of Object.entries(t)) {
      assert.ok(k in base, `${f}: ${k} is not a message`);
      assert.equal(holes(v), holes(k), `${f}: ${k}`);
    }
  }
});
