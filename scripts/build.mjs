// Bundles every part of the extension with esbuild: the extension host code and the worker that runs
// kernels (for the desktop and for the web), the CLI, and the webview code. Mermaid ships once in the
// extension, in dist/mermaidRender.js (mermaid with our configuration and sanitiser, one file): the
// notebook renderer and the preview import it lazily on their first diagram, and HTML exports inline
// it. The CLI parses diagrams with dist/mermaidParse.mjs (mermaid for Node), which only npm ships.
import * as esbuild from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
};

const browser = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  sourcemap: !production,
  minify: true,
  logLevel: 'warning',
  outdir: 'dist',
};

/**
 * The webviews reach mermaid only through `import('./mermaidRender')`: it stays the one built file.
 * Every output file of that build sits one folder below dist/ (renderer/, preview/, chunks/).
 */
const mermaidRenderExternal = {
  name: 'mermaid-render-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/mermaidRender$/ }, () => ({ path: '../mermaidRender.js', external: true }));
  },
};

/**
 * The CLI loads mermaid's parser only for a notebook with diagrams: `import('./mermaidParse')` stays
 * an import of its own file, dist/mermaidParse.mjs (ESM, as mermaid is), next to dist/cli.js.
 */
const mermaidParseExternal = {
  name: 'mermaid-parse-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/mermaidParse$/ }, () => ({ path: './mermaidParse.mjs', external: true }));
  },
};

// VS Code for the Web: the extension host is a Web Worker that loads CommonJS; the kernel worker it
// starts is a classic worker script. Neither may pull in a Node module (esbuild fails if one does).
const web = { ...browser, minify: production, sourcemap: !production, external: ['vscode'] };

/**
 * The extension host's code ships once: in dist/web/extension.js, which must be one file (the web
 * extension host loads nothing else). The desktop entry requires it from there for `activateWith`
 * and adds only the Node worker thread that runs kernels.
 */
const sharedHost = {
  name: 'shared-host',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/extension$/, namespace: 'file' }, (args) =>
      args.importer.endsWith(join('src', 'node', 'extension.ts')) ? { path: './web/extension.js', external: true } : undefined,
    );
  },
};

const builds = [
  { ...node, entryPoints: { extension: 'src/node/extension.ts' }, outdir: 'dist', plugins: [sharedHost] },
  { ...node, entryPoints: { worker: 'src/node/worker.ts' }, outdir: 'dist' },
  { ...web, format: 'cjs', entryPoints: { 'web/extension': 'src/web/extension.ts' } },
  { ...web, format: 'iife', entryPoints: { 'web/worker': 'src/web/worker.ts' } },
  {
    ...node,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [mermaidParseExternal],
  },
  // Minified always: it is mermaid, read by no one, and only the npm package ships it.
  {
    ...node,
    format: 'esm',
    minify: true,
    entryPoints: { mermaidParse: 'src/cli/mermaidParse.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
  },
  {
    ...browser,
    entryPoints: {
      'renderer/index': 'webview/renderer/index.ts',
      'preview/index': 'webview/preview/index.ts',
      'markdown/index': 'webview/markdown/index.ts',
    },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    loader: { '.ttf': 'file', '.woff2': 'file' },
    plugins: [mermaidRenderExternal],
  },
  // No splitting: an HTML export can inline one file but not a graph of chunks.
  { ...browser, entryPoints: { mermaidRender: 'webview/shared/mermaidRender.ts' }, external: ['fs'] },
]
  .map((b) => ({
    ...b,
    entryPoints: Object.fromEntries(Object.entries(b.entryPoints).filter(([, f]) => existsSync(f))),
  }))
  .filter((b) => Object.keys(b.entryPoints).length > 0);

if (!watch) rmSync('dist', { recursive: true, force: true });
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
