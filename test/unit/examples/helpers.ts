// Runs notebooks the way `sdnb run` does, with every kernel registered (Kafka included).
import '../../../src/kernels/all';
import { registerKernel } from '../../../src/kernels/registry';
import { kafkaKernel } from '../../../src/kernels/kafka';
import { frontMatterOf, NotebookData } from '../../../src/format/sdnb';
import { DEFAULT_BUDGET } from '../../../src/kernels/types';
import { checkCells, runCells, seedOf } from '../../../src/runtime/session';

registerKernel(kafkaKernel);

export function options(nb: NotebookData) {
  const meta = frontMatterOf(nb);
  // No wall-clock limit: what these tests check must not depend on how loaded the machine is (a
  // model stopped early by the clock measures less, and its checks may fail).
  return { seed: seedOf(meta), notebook: meta, budget: { ...DEFAULT_BUDGET, maxWallMs: Infinity }, isCancelled: () => false };
}

export async function runAll(nb: NotebookData) {
  return runCells(nb.cells, nb.cells.flatMap((c, i) => (c.kind === 'code' ? [i] : [])), options(nb));
}

export async function checkAll(nb: NotebookData) {
  return checkCells(nb.cells);
}
