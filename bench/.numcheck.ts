import { scanLine } from '../src/kernels/estimate/tokenizer';
import fc from 'fast-check';
const cases = ['0', '1', '2.5', '.5', '0.9999', '365.25', '1e6', '1.5e-3', '1_000_000', '123456789012345', '1234567890123456789', '1e23', '1e-30', '0.000012345', '00012', '3.14159265358979', '9007199254740993', '1e400', '0.1', '0.30000000000000004'];
for (const c of cases) { const v = scanLine(c).tokens[0].v; if (!Object.is(v, Number(c.replace(/_/g, '')))) console.log('MISMATCH', c, v); }
fc.assert(fc.property(fc.double({ noNaN: true, min: 0, max: 1e300 }), (d) => { const t = String(d); if (t.includes('Infinity')) return true; const v = scanLine(t).tokens[0].v; return Object.is(v, Number(t)); }), { numRuns: 20000 });
fc.assert(fc.property(fc.nat(999999), fc.nat(99999), fc.integer({ min: -30, max: 30 }), (a, b, e) => { const t = `${a}.${b}e${e}`; return Object.is(scanLine(t).tokens[0].v, Number(t)); }), { numRuns: 20000 });
console.log('ok');
