// An ESLint rule that keeps each runtime to what it may import (CONTRIBUTING.md, "Where code lives"):
// no `vscode` outside the extension host and its two entries, no Node outside the Node side, no mermaid
// outside the webview and the CLI's diagram parser, no reaching into another kernel's internals, and no import of a layer above.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
const KERNELS = ['estimate', 'gateway', 'kafka', 'mermaid'];
const PURE = ['src/analysis/', 'src/format/', 'src/runtime/', 'src/review/', 'src/templates/', 'src/interview/', 'src/export/'];

// The extension host runs on the desktop (Node) and on the web (a Web Worker): no Node, no runner.
const HOST = ['src/extension.ts', 'src/notebook/', 'src/preview/'];

/** Layers, most specific first: where a file is, what it may import, and which kinds of modules. */
const LAYERS = [
  { name: 'the desktop entry', files: ['src/node/extension.ts'], may: [...HOST, 'src/node/workerClient.ts'], node: true, vscode: true },
  {
    // dist/mermaidParse.mjs, which the CLI loads for a notebook with diagrams: mermaid's parser in Node.
    name: "the CLI's diagram parser",
    files: ['src/cli/mermaidParse.ts'],
    may: ['src/kernels/', 'webview/shared/errorPosition.ts'],
    node: true,
    mermaid: true,
  },
  {
    name: 'the Node side',
    files: ['src/export/bundledMermaid.ts', 'src/node/', 'src/cli/'],
    may: ['src/kernels/', ...PURE, 'src/node/', 'src/cli/', 'src/export/bundledMermaid.ts'],
    node: true,
  },
  {
    name: 'the web kernel worker',
    files: ['src/web/worker.ts', 'src/web/workerClient.ts', 'src/web/protocol.ts'],
    may: ['src/kernels/', ...PURE, 'src/web/protocol.ts'],
  },
  { name: 'the web entry', files: ['src/web/'], may: [...HOST, 'src/web/workerClient.ts'], vscode: true },
  { name: 'kernels', files: ['src/kernels/'], may: ['src/kernels/'] },
  { name: 'pure notebook code', files: PURE, may: ['src/kernels/', ...PURE] },
  { name: 'the extension host', files: HOST, may: ['src/kernels/', ...PURE, ...HOST, 'webview/shared/messages.ts'], vscode: true },
  { name: 'webview code', files: ['webview/'], may: ['webview/', 'src/kernels/'], mermaid: true },
];

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const layerOf = (file) => LAYERS.find((l) => l.files.some((f) => (f.endsWith('/') ? file.startsWith(f) : file === f)));
const kernelOf = (file) => KERNELS.find((k) => file.startsWith(`src/kernels/${k}/`));

export const boundaries = {
  meta: { type: 'problem', docs: { description: 'imports stay inside what each runtime may use' }, schema: [] },
  create(context) {
    const file = relative(root, context.filename).split('\\').join('/');
    const layer = layerOf(file);
    if (!layer) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      const report = (why) => context.report({ node, message: `${layer.name} (${file}) may not import \`${spec}\`: ${why}` });
      if (!spec.startsWith('.')) {
        if (spec === 'vscode' && !layer.vscode) return report('only the extension host talks to VS Code');
        if (nodeBuiltins.has(spec) && !layer.node)
          return report('Node APIs are for the Node side (src/node, src/cli); this code also runs in a browser');
        if ((spec === 'mermaid' || spec.startsWith('mermaid/')) && !layer.mermaid) return report('mermaid is loaded by the webview only');
        return;
      }
      const target = relative(root, resolve(dirname(context.filename), spec))
        .split('\\')
        .join('/');
      if (
        !layer.may.some((m) => (m.endsWith('/') ? `${target}/`.startsWith(m) || target.startsWith(m) : target === m.replace(/\.ts$/, '')))
      ) {
        return report(`it is outside ${layer.may.join(', ')}`);
      }
      const to = KERNELS.find((k) => target.startsWith(`src/kernels/${k}/`));
      if (to && to !== kernelOf(file))
        return report(`import the ${to} kernel through its index (\`src/kernels/${to}\`), not its internals`);
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
