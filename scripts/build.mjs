// Bundles every part of the extension with esbuild: the extension host code, the worker that runs
// kernels, the CLI, and the webview code (notebook renderer and preview panel, ES modules with lazy chunks).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';

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

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { worker: 'src/node/worker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    splitting: true,
    sourcemap: !production,
    minify: true,
    logLevel: 'warning',
    entryPoints: { 'renderer/index': 'webview/renderer/index.ts', 'preview/index': 'webview/preview/index.ts' },
    outdir: 'dist',
    chunkNames: 'chunks/[name]-[hash]',
    loader: { '.ttf': 'file', '.woff2': 'file' },
    external: ['fs'],
  },
].map((b) => ({
  ...b,
  entryPoints: Object.fromEntries(Object.entries(b.entryPoints).filter(([, f]) => existsSync(f))),
})).filter((b) => Object.keys(b.entryPoints).length > 0);

if (!watch) rmSync('dist', { recursive: true, force: true });
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
// HTML exports inline mermaid's browser bundle; ship it beside the bundles that read it.
mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/mermaid/dist/mermaid.min.js', 'dist/mermaid.min.js');
