// Registers every kernel. Imported once by each entry point (worker, extension host, CLI, tests).
import { registerKernel } from './registry';
import { mermaidKernel } from './mermaid';

registerKernel(mermaidKernel);
