import { buildSync } from 'esbuild';
const out = buildSync({ stdin: { contents: `
export { scanLine } from './src/kernels/estimate/tokenizer';
export { parseLine } from './src/kernels/estimate/parser';
export { Checker } from './src/kernels/estimate/checker';
export { evalExpr } from './src/kernels/estimate/evaluator';
export { autoUnit, formatValue, fmtCount } from './src/kernels/estimate/format';
export { dimsToRecord } from './src/kernels/estimate/dimensions';
export { evaluateExpression } from './src/kernels/estimate/index';
`, resolveDir: '.', loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false });
const m = { exports: {} as any };
new Function('module', 'exports', 'require', out.outputFiles[0].text)(m, m.exports, require);
const K = m.exports;
const EMPTY = { get: () => undefined, names: () => [] };
function t(name: string, fn: () => unknown) {
  for (let i = 0; i < 50000; i++) fn();
  const N = 300000; const t0 = performance.now();
  for (let i = 0; i < N; i++) fn();
  console.log(name.padEnd(12), (((performance.now() - t0) * 1000) / N).toFixed(3), 'µs');
}
for (const e of ['1 TB / 1 Gbps -> s', '500 B * 100e6/day * 5 years -> TB']) {
  console.log(e);
  const ch = new K.Checker(EMPTY);
  t('scan', () => K.scanLine(e));
  t('parse', () => K.parseLine(e, 0, ch));
  t('checker', () => new K.Checker(EMPTY));
  t('check', () => { const c = new K.Checker(EMPTY); const p = K.parseLine(e, 0, c); c.checkStmt(p.stmt, e); return p; });
  const c = new K.Checker(EMPTY); const p = K.parseLine(e, 0, c); c.checkStmt(p.stmt, e);
  t('eval', () => K.evalExpr(p.stmt.expr, []));
  const v = K.evalExpr(p.stmt.expr, []);
  t('display', () => K.fmtCount(v / p.stmt.targetFactor) + ' ' + e.slice(p.stmt.target.start, p.stmt.target.end));
  t('record', () => K.dimsToRecord(p.stmt.expr.d));
  t('full', () => K.evaluateExpression(e, EMPTY));
}
