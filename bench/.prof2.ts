import { evaluateExpression } from '../src/kernels/estimate';
const EMPTY = { get: () => undefined, names: () => [] };
const exprs = ['1 TB / 1 Gbps -> s', '500 B * 100e6/day * 5 years -> TB', '100000000 * 20 / 86400', '3 TB/day -> MB/s'];
let s = 0;
const t0 = performance.now();
for (let i = 0; i < 300000; i++) { const r = evaluateExpression(exprs[i & 3], EMPTY); if (r.ok) s += r.quantity.value; }
console.log((performance.now() - t0) * 1000 / 300000, s > 0);
