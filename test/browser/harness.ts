// A tiny stand-in for VS Code's notebook output webview: serves the built renderer (and preview)
// bundles from dist/ on 127.0.0.1 under a strict CSP without 'unsafe-eval', and a page that drives
// the renderer's activate(ctx) / renderOutputItem the way VS Code does, with a fake RendererContext.
import { createServer, Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

export const NONCE = 'sdnbTestNonce0123456789';
export const CSP = [
  "default-src 'none'",
  `script-src 'self' 'nonce-${NONCE}'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "script-src-attr 'none' 'report-sample'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.html': 'text/html',
};

const RENDERER_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>renderer harness</title></head>
<body class="vscode-light" style="--vscode-editor-background:#ffffff">
<div id="outputs"></div>
<script type="module" nonce="${NONCE}">
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '') + ' ' + ((e.target && e.target.outerHTML) || '').slice(0, 200)));
  window.__messages = [];
  let listener;
  const ctx = {
    workspace: { isTrusted: true },
    getState: () => undefined, setState: () => {},
    postMessage: (m) => window.__messages.push(m),
    onDidReceiveMessage: (l) => { listener = l; return { dispose() {} }; },
  };
  window.__send = (m) => listener && listener(m);
  const t0 = performance.now();
  const mod = await import('/dist/renderer/index.js');
  const api = await mod.activate(ctx);
  window.__activateMs = performance.now() - t0;
  const elements = new Map();
  window.__render = async (id, mime, data) => {
    let el = elements.get(id);
    if (!el) { el = document.createElement('div'); el.className = 'output'; el.dataset.id = id; document.getElementById('outputs').append(el); elements.set(id, el); }
    const bytes = new TextEncoder().encode(JSON.stringify(data));
    const item = { id, mime, metadata: {}, data: () => bytes, text: () => new TextDecoder().decode(bytes), json: () => JSON.parse(new TextDecoder().decode(bytes)) };
    const t = performance.now();
    await api.renderOutputItem(item, el, new AbortController().signal);
    return performance.now() - t;
  };
  window.__dispose = (id) => { api.disposeOutputItem(id); elements.get(id)?.remove(); elements.delete(id); };
  window.__ready = true;
</script></body></html>`;

const PREVIEW_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>preview harness</title></head>
<body class="vscode-dark" style="--vscode-editor-background:#1e1e1e">
<header id="toolbar"></header><div id="title"></div><main id="diagram"></main>
<script nonce="${NONCE}">
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '') + ' ' + ((e.target && e.target.outerHTML) || '').slice(0, 200)));
  window.__messages = [];
  let state;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__messages.push(m), getState: () => state, setState: (s) => { state = s; } });
</script>
<script type="module" nonce="${NONCE}" src="/dist/preview/index.js"></script>
</body></html>`;

/** VS Code's notebook output webview allows inline script (renderers such as widgets need it). */
export const PERMISSIVE_CSP = `default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'`;

export function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const headers = { 'Content-Security-Policy': path === '/permissive' ? PERMISSIVE_CSP : CSP, 'Cache-Control': 'no-store' };
    if (path === '/' || path === '/preview.html' || path === '/permissive') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
      res.end(path === '/preview.html' ? PREVIEW_PAGE : RENDERER_PAGE);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(join(root, 'dist'))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` });
    }),
  );
}
