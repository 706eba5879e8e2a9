// package.json says the same as the kernels' specs: a kernel declares its language once, and this
// test fails when its contributions (language, grammar, snippets, renderer MIME type, activation)
// disagree with that declaration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { SPECS } from '../../../src/kernels/all';
import { ERROR_MIME, richMime } from '../../../src/kernels/types';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const c = pkg.contributes;

for (const spec of SPECS) {
  test(`package.json contributes the ${spec.id} language as its spec declares`, () => {
    const lang = c.languages.find((l: { id: string }) => l.id === spec.id);
    assert.ok(lang, `a languages entry for ${spec.id}`);
    assert.deepEqual(lang.aliases, spec.aliases);
    assert.deepEqual(lang.extensions, spec.extensions);
    assert.equal(lang.configuration, spec.files.configuration);
    const grammar = c.grammars.find((g: { language: string }) => g.language === spec.id);
    assert.deepEqual(grammar && { scopeName: grammar.scopeName, path: grammar.path }, spec.files.grammar);
    const snippets = c.snippets.find((s: { language: string }) => s.language === spec.id);
    assert.equal(snippets?.path, spec.files.snippets);
    for (const f of [spec.files.configuration, spec.files.grammar?.path, spec.files.snippets])
      if (f) assert.ok(existsSync(f), `${f} exists`);
    assert.ok(pkg.activationEvents.includes(`onLanguage:${spec.id}`), `activates on ${spec.id}`);
    assert.ok(c.notebookRenderer[0].mimeTypes.includes(richMime(spec.outputKind)), `the renderer takes ${richMime(spec.outputKind)}`);
  });
}

test('package.json contributes no cell language, grammar or renderer MIME type that no kernel declares', () => {
  const ids = new Set(SPECS.map((s) => s.id));
  assert.deepEqual(
    c.languages.map((l: { id: string }) => l.id).filter((id: string) => !ids.has(id)),
    [],
  );
  // Injection grammars (```mermaid fences in markdown) have no language of their own.
  assert.deepEqual(
    c.grammars
      .filter((g: { injectTo?: string[] }) => !g.injectTo)
      .map((g: { language: string }) => g.language)
      .filter((id: string) => !ids.has(id)),
    [],
  );
  assert.deepEqual([...c.notebookRenderer[0].mimeTypes].sort(), [ERROR_MIME, ...SPECS.map((s) => richMime(s.outputKind))].sort());
  const fences = SPECS.map((s) => s.fence);
  assert.equal(new Set(fences).size, fences.length, 'fences are unique');
});
