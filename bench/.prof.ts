import { evaluateExpression } from '../src/kernels/estimate';
import { scanLine } from '../src/kernels/estimate/tokenizer';
import { parseLine } from '../src/kernels/estimate/parser';
import { Checker } from '../src/kernels/estimate/checker';
const EMPTY = { get: () => undefined, names: () => [] };
const exprs = ['1 TB / 1 Gbps -> s', '500 B * 100e6/day * 5 years -> TB', '100000000 * 20 / 86400'];
function t(name: string, fn: () => void) {
  for (let i = 0; i < 20000; i++) fn();
  const t0 = performance.now();
  const N = 200000;
  for (let i = 0; i < N; i++) fn();
  console.log(name.padEnd(20), (((performance.now() - t0) * 1000) / N).toFixed(3), 'µs');
}
for (const e of exprs) {
  console.log(e);
  t('scan', () => scanLine(e));
  t('parse', () => parseLine(e, 0, () => true));
  t('checker ctor', () => new Checker(EMPTY));
  t('full', () => evaluateExpression(e, EMPTY));
}
