// Every kernel, once. Adding a kernel is a folder beside these, one line here and its package.json
// entries (CONTRIBUTING.md); everything else derives from the kernels' specs.
import { registerKernel } from './registry';
import type { Kernel, KernelSpec } from './types';
import { estimateKernel } from './estimate';
import { mermaidKernel } from './mermaid';
import { gatewayKernel } from './gateway';
import { kafkaKernel } from './kafka';

export const KERNELS: readonly Kernel[] = [estimateKernel, mermaidKernel, gatewayKernel, kafkaKernel] as Kernel[];

export const SPECS: readonly KernelSpec[] = KERNELS.map((k) => k.spec);

for (const k of KERNELS) registerKernel(k);
