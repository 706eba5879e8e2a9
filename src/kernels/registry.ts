// Which kernel runs which cell language. The controller, the worker, the CLI and the tests share it.
import { ExprEvaluator, Kernel } from './types';

const kernels = new Map<string, Kernel>();

export function registerKernel(kernel: Kernel): void {
  kernels.set(kernel.language, kernel);
}

export function kernelFor(language: string): Kernel | undefined {
  return kernels.get(language);
}

/** Evaluator for estimation expressions inside model cells, set by the estimate kernel when it loads. */
let evaluator: ExprEvaluator = (expression) => {
  const n = Number(expression.trim().replace(/_/g, ''));
  return Number.isFinite(n) && expression.trim() !== ''
    ? { ok: true, quantity: { value: n, dims: {} } }
    : { ok: false, message: `\`${expression}\` is not a number (estimate expressions need the estimate kernel)`, column: 0 };
};

export function setEvaluator(e: ExprEvaluator): void {
  evaluator = e;
}

export const evaluate: ExprEvaluator = (expression, scope) => evaluator(expression, scope);
