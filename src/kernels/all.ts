// Registers every kernel. Imported once by each entry point (worker, extension host, CLI, tests).
import { registerKernel, setEvaluator } from './registry';
import { estimateKernel, evaluateExpression } from './estimate';
import { gatewayKernel } from './gateway';
import { mermaidKernel } from './mermaid';

registerKernel(estimateKernel);
registerKernel(mermaidKernel);
registerKernel(gatewayKernel);
setEvaluator(evaluateExpression);
