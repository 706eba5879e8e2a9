import { evaluateExpression } from '../src/kernels/estimate';
const EMPTY = { get: () => undefined, names: () => [] };
for (const e of ['(1 - 0.9999) * 365.25 days -> min', '(1 - 0.9999) * 365.25 days', '(1 - 0.9999)', '0.0001 * 365.25 days -> min', '52 min']) {
  for (let i = 0; i < 2000; i++) evaluateExpression(e, EMPTY);
  const t0 = performance.now();
  for (let i = 0; i < 20000; i++) evaluateExpression(e, EMPTY);
  console.log(e.padEnd(40), ((performance.now() - t0) * 1000 / 20000).toFixed(2), JSON.stringify(evaluateExpression(e, EMPTY)));
}
