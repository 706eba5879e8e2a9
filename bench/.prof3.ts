import { buildSync } from 'esbuild';
const out = buildSync({ entryPoints: ['src/kernels/estimate/index.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false });
const m = { exports: {} as any };
new Function('module', 'exports', 'require', out.outputFiles[0].text)(m, m.exports, require);
const { evaluateExpression } = m.exports;
const EMPTY = { get: () => undefined, names: () => [] };
const exprs = ['1 TB / 1 Gbps -> s', '500 B * 100e6/day * 5 years -> TB', '100000000 * 20 / 86400', '3 TB/day -> MB/s'];
let s = 0;
for (let k = 0; k < 3; k++) {
const t0 = performance.now();
for (let i = 0; i < 300000; i++) { const r = evaluateExpression(exprs[i & 3], EMPTY); if (r.ok) s += r.quantity.value; }
console.log((performance.now() - t0) * 1000 / 300000, s > 0);
}
