// Installs code-server (VS Code's own workbench and extension host, served to a browser) into a cache
// folder outside the project, and starts it on 127.0.0.1. See ../shared/docs/real-vscode.md for why
// each install step is needed on machines that reach only the npm registry and Debian's packages.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const cacheDir = process.env.SDNB_CACHE ?? join(homedir(), '.cache', 'sdnb');
export const codeServerDir = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerBin = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Puts Debian's rg where @vscode/ripgrep's postinstall looks for a cached download. */
function seedRipgrepCache() {
  const rg = spawnSync('which', ['rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('ripgrep is missing: apt-get install -y ripgrep');
  const dir = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = join(dir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(archive)) return;
  mkdirSync(dir, { recursive: true });
  const stage = mkdtempSync(join(tmpdir(), 'rg-'));
  copyFileSync(rg, join(stage, 'rg'));
  execFileSync('tar', ['-czf', archive, '-C', stage, 'rg']);
  rmSync(stage, { recursive: true, force: true });
}

export function ensureCodeServer() {
  if (existsSync(codeServerBin)) return codeServerBin;
  console.log(`Installing code-server ${CODE_SERVER_VERSION} into ${codeServerDir} (about a minute, once per machine)…`);
  seedRipgrepCache();
  mkdirSync(codeServerDir, { recursive: true });
  writeFileSync(join(codeServerDir, 'package.json'), JSON.stringify({ name: 'sdnb-code-server', private: true }));
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: codeServerDir,
    stdio: 'inherit',
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_foreground_scripts: 'true' },
  });
  if (r.status !== 0 || !existsSync(codeServerBin)) throw new Error('code-server install failed (see the npm output above)');
  return codeServerBin;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Starts code-server with `settings` added to the user settings (a colour theme, say); resolves once it answers HTTP. `stop()` ends its whole process group
 * (it forks file watchers into the same group).
 */
export async function startCodeServer({ workspace, extensionsDir, userDataDir, port, quiet = true, settings = {} }) {
  const bin = ensureCodeServer();
  port ??= await freePort();
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'workbench.tips.enabled': false,
      'chat.disableAIFeatures': true,
      'workbench.enableExperiments': false,
      ...settings,
    }),
  );
  const child = spawn(
    process.execPath,
    [
      bin,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    { detached: true, stdio: quiet ? 'ignore' : 'inherit' },
  );
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      stop();
      throw new Error('code-server did not start within 60 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, stop, child };
}

if (process.argv[1] && process.argv[1].endsWith('code-server.mjs') && process.argv[2] === 'install') {
  ensureCodeServer();
  console.log(`code-server ready: ${codeServerBin}`);
}
