// Which kernel runs which cell language. The controller, the worker, the CLI and the tests share it.
// The kernels themselves are listed once, in `all.ts`.
import { Kernel } from './types';

const kernels = new Map<string, Kernel>();

export function registerKernel(kernel: Kernel): void {
  kernels.set(kernel.spec.id, kernel);
}

export function kernelFor(language: string): Kernel | undefined {
  return kernels.get(language);
}
