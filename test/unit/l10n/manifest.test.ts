// A translation of the manifest is one file (package.nls.<locale>.json): every user-facing string of
// package.json is a %key% of package.nls.json, every key there is used, and translations only
// translate keys that exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8'));

// Fields VS Code shows to users (names in `views` only: elsewhere `name` is an identifier).
const SHOWN = new Set(['title', 'shortTitle', 'category', 'description', 'markdownDescription', 'displayName', 'contents']);

/** Every shown string in the manifest, with its JSON path. */
function shown(value: unknown, path: string[], out: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) value.forEach((v, i) => shown(v, [...path, String(i)], out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const isShown = SHOWN.has(k) || (k === 'name' && path[1] === 'views');
      if (typeof v === 'string' && isShown) out.push([[...path, k].join('.'), v]);
      else shown(v, [...path, k], out);
    }
  }
  return out;
}

const strings = [
  ['displayName', pkg.displayName],
  ['description', pkg.description],
  ...shown(pkg.capabilities, ['capabilities']),
  ...shown(pkg.contributes, ['contributes']),
] as [string, string][];

test(`every user-facing string of package.json (${strings.length}) is a key of package.nls.json`, () => {
  const literal = strings.filter(([, v]) => !/^%[\w.-]+%$/.test(v));
  assert.deepEqual(literal, [], 'use a %key% and put the English text in package.nls.json');
  const missing = strings.filter(([, v]) => !(v.slice(1, -1) in nls));
  assert.deepEqual(missing, []);
});

test('every key of package.nls.json is used by package.json', () => {
  const used = new Set(strings.map(([, v]) => v.slice(1, -1)));
  assert.deepEqual(
    Object.keys(nls).filter((k) => !used.has(k)),
    [],
  );
  assert.ok(Object.values(nls).every((v) => typeof v === 'string' && v.trim().length > 0));
});

test('translations of the manifest (package.nls.<locale>.json) translate only keys that exist', () => {
  for (const f of readdirSync(ROOT).filter((n) => /^package\.nls\.[\w-]+\.json$/.test(n))) {
    const t = JSON.parse(readFileSync(join(ROOT, f), 'utf8'));
    assert.deepEqual(
      Object.keys(t).filter((k) => !(k in nls)),
      [],
      f,
    );
  }
});
