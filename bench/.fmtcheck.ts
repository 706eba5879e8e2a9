import { fmtNumber } from '../src/kernels/estimate/format';
import fc from 'fast-check';
function ref(x: number): string {
  const s = x.toPrecision(4);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
let bad = 0;
fc.assert(fc.property(fc.double({ min: 1e-4, max: 999.9, noNaN: true }), (x) => { const a = fmtNumber(x), b = ref(x); if (a !== b && bad++ < 10) console.log(x, a, b); return true; }), { numRuns: 200000 });
for (const x of [0.5, 1, 52.596, 99.999, 9.9996, 999.96, 0.00099996, 1.0005, 0.0001, 3.472, 12.35, 2.222]) console.log(x, fmtNumber(x), ref(x));
console.log('bad', bad);
