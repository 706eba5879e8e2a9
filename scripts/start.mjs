// `npm start`: builds and packages the extension, installs it into code-server (a real VS Code in
// the browser), opens the examples folder, and prints the URL. Ctrl+C stops it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir, ensureCodeServer, startCodeServer } from './code-server.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const vsix = resolve(`${pkg.name}-${pkg.version}.vsix`);
const run = (args) => {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(['scripts/package.mjs']);
const extensionsDir = join(cacheDir, 'start', 'extensions');
mkdirSync(extensionsDir, { recursive: true });
run([ensureCodeServer(), '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force']);
const port = Number(process.env.PORT ?? 8080);
const workspace = resolve('examples');
const server = await startCodeServer({ workspace, extensionsDir, userDataDir: join(cacheDir, 'start', 'data'), port, quiet: true });
console.log(
  `\nSystem Design Notebook is running in VS Code (code-server):\n\n  ${server.url}/?folder=${encodeURIComponent(workspace)}\n\nOpen an example such as tour.sdnb, or run "System Design: New Notebook". Ctrl+C stops the server.`,
);
const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await new Promise(() => {});
