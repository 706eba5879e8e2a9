import { buildSync } from 'esbuild';
const out = buildSync({ stdin: { contents: `
export { scanLine } from './src/kernels/estimate/tokenizer';
export { parseLine } from './src/kernels/estimate/parser';
export { Checker } from './src/kernels/estimate/checker';
export { evalExpr } from './src/kernels/estimate/evaluator';
export { autoUnit, formatValue, fmtCount } from './src/kernels/estimate/format';
export { evaluateExpression } from './src/kernels/estimate/index';
`, resolveDir: '.', loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false });
const m = { exports: {} as any };
new Function('module', 'exports', 'require', out.outputFiles[0].text)(m, m.exports, require);
const K = m.exports;
const EMPTY = { get: () => undefined, names: () => [] };
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
function t(name: string, fn: () => unknown) {
  for (let i = 0; i < 50000; i++) fn();
  const N = 500000; const t0 = cpu();
  for (let i = 0; i < N; i++) fn();
  console.log(name.padEnd(12), ((cpu() - t0) / N).toFixed(3), 'µs');
}
const e = '1 GiB -> MB';
const ch = new K.Checker(EMPTY);
t('scan', () => K.scanLine(e));
t('parse', () => K.parseLine(e, 0, ch));
t('checker', () => new K.Checker(EMPTY));
t('check', () => { const c = new K.Checker(EMPTY); const p = K.parseLine(e, 0, c); c.checkStmt(p.stmt, e); return p; });
t('fmtCount', () => K.fmtCount(1073.741824));
t('full', () => K.evaluateExpression(e, EMPTY));
