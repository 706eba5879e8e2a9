// Registers every kernel. Imported once by each entry point (worker, extension host, CLI, tests).
import { registerKernel } from './registry';
import { estimateKernel } from './estimate';
import { gatewayKernel } from './gateway';
import { kafkaKernel } from './kafka';
import { mermaidKernel } from './mermaid';

registerKernel(estimateKernel);
registerKernel(mermaidKernel);
registerKernel(gatewayKernel);
registerKernel(kafkaKernel);
