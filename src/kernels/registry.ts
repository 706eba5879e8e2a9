// Which kernel runs which cell language. The controller, the worker, the CLI and the tests share it.
import { Kernel } from './types';

const kernels = new Map<string, Kernel>();

export function registerKernel(kernel: Kernel): void {
  kernels.set(kernel.language, kernel);
}

export function kernelFor(language: string): Kernel | undefined {
  return kernels.get(language);
}
