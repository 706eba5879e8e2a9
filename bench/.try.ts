import { estimateKernel, evaluateExpression, toUnit, cellNames } from '../src/kernels/estimate/index';
import { EMPTY_SCOPE } from '../src/kernels/estimate/analysis';
const src = process.argv[2];
const ctx: any = { cellIndex: 0, scope: EMPTY_SCOPE, evaluate: evaluateExpression, seed: 1, budget: { maxEvents: 1, maxWallMs: 1 }, isCancelled: () => false, notebook: {} };
const p = estimateKernel.parse(src, ctx);
for (const d of p.diagnostics) console.log('DIAG', d.range.start.line + ':' + d.range.start.column + '-' + d.range.end.column, d.severity, d.message);
const r: any = estimateKernel.execute(p.parsed!, ctx);
console.log(r.ok, r.outputs[0].items['text/markdown']);
console.log(JSON.stringify(r.definitions?.map((d: any) => [d.name, d.quantity])), r.reads);
