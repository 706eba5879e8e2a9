// `npm run package`: a production build and a .vsix that ships the bundles only (no node_modules).
// The file list is .vscodeignore's; `npx @vscode/vsce ls` prints it.
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';

const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')));
export const vsixPath = `${pkg.name}-${pkg.version}.vsix`;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    process.stderr.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    throw new Error(`${cmd} ${args.join(' ')} failed`);
  }
  return r.stdout;
}

// `vsce package` runs `vscode:prepublish` (the production build) first. Relative links and images in
// the README become links into the repository, so they work on the Marketplace page.
const vsce = ['node_modules/@vscode/vsce/vsce'];
run(process.execPath, [...vsce, 'package', '--no-dependencies', '-o', vsixPath], { stdio: 'inherit' });
const files = run(process.execPath, [...vsce, 'ls', '--no-dependencies'])
  .split('\n')
  .filter(Boolean);
const shipped = files.filter((f) => f.includes('node_modules'));
if (shipped.length) {
  rmSync(vsixPath);
  throw new Error(`the .vsix would ship node_modules: ${shipped.slice(0, 5).join(', ')}`);
}
// vsce asks to bundle an extension of more than 100 JS files; ours is bundled, and stays so.
const scripts = files.filter((f) => f.endsWith('.js'));
if (scripts.length > 20) {
  rmSync(vsixPath);
  throw new Error(`the .vsix would ship ${scripts.length} JS files: bundle them (scripts/build.mjs)`);
}
console.log(`${vsixPath}: ${(statSync(vsixPath).size / 1024).toFixed(0)} KiB, ${files.length} files`);
