// `npm run bench`: every benchmark in bench/, one after another (each prints its own figures and
// its ratio against the peer its issue names). `npm run bench -- kafka` runs the matching ones.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const filter = process.argv.slice(2);
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts') && (filter.length === 0 || filter.some((s) => f.includes(s))))
  .sort();
let failed = 0;
for (const b of benches) {
  console.log(`\n=== ${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `bench/${b}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
