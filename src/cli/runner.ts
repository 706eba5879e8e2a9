// Runs a notebook for the CLI. The bundled `sdnb` runs kernels in a worker thread beside it
// (dist/worker.js), as the editor does, so Ctrl-C stops a long simulation at once; run from source
// (the unit tests) it runs them in this thread. Either way the notebook's analysis ends up holding
// what the models measured, so the requirement checks can be summarised.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NotebookAnalysis } from '../analysis/analysis';
import type { NotebookData } from '../format/sdnb';
import { kernelFor } from '../kernels/registry';
import { KernelWorker } from '../node/workerClient';
import { CellRun, RunOptions, plainCells, runCells } from '../runtime/session';

export interface NotebookRun {
  runs: CellRun[];
  analysis: NotebookAnalysis;
  /** Ctrl-C stopped the run. */
  interrupted: boolean;
}

type Options = Omit<RunOptions, 'isCancelled' | 'onStart' | 'onEnd'>;

const workerScript = join(__dirname, 'worker.js');

export async function runNotebook(nb: NotebookData, toRun: number[], opts: Options): Promise<NotebookRun> {
  let interrupted = false;
  let stop = () => {};
  const onSigint = () => {
    interrupted = true;
    stop();
  };
  process.on('SIGINT', onSigint);
  try {
    // Sweep points supplied by the caller (shards) are run here, not in a worker's own pool.
    if (!existsSync(workerScript) || opts.sweepPoints) {
      const analysis = new NotebookAnalysis();
      const runs = await runCells(nb.cells, toRun, { ...opts, isCancelled: () => interrupted }, analysis);
      return { runs, analysis, interrupted };
    }
    const worker = new KernelWorker(workerScript);
    const runs: CellRun[] = [];
    try {
      const handle = worker.run(
        { ...opts, cells: plainCells(nb.cells), run: toRun, stopOnFirstFailure: !!opts.stopOnFirstFailure },
        { onStart() {}, onEnd: (r) => runs.push(r) },
      );
      stop = handle.stop;
      const { outcome, message } = await handle.done;
      if (outcome === 'crashed') throw new Error(message ?? 'the kernel worker crashed');
    } finally {
      worker.dispose();
    }
    // The models' measured names, as the worker's analysis had them, for the requirement summary.
    const analysis = new NotebookAnalysis();
    for (const r of runs) {
      const cell = nb.cells[r.index];
      if (r.definitions.length && !kernelFor(cell.language)?.spec.definesNames) analysis.setResults(r.index, r.definitions, cell.source);
    }
    return { runs, analysis: analysis.update(nb.cells), interrupted };
  } finally {
    process.off('SIGINT', onSigint);
  }
}
