// Runs the same integration suite under @vscode/test-electron, on a desktop that can download
// VS Code (these build machines cannot; they use scripts/integration.mjs with code-server).
import { runTests } from '@vscode/test-electron';
import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

spawnSync(process.execPath, ['scripts/integration.mjs', '--build-only'], { stdio: 'inherit' });
await runTests({
  version: '1.100.3',
  extensionDevelopmentPath: resolve('.'),
  extensionTestsPath: resolve('out/integration/index'),
  launchArgs: [resolve('out/integration/workspace'), '--disable-extensions'],
});
