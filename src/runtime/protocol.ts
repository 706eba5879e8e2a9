// Messages between the extension host and the kernel worker thread.
import { AnalysisCell } from '../analysis/analysis';
import { Definition, RunBudget } from '../kernels/types';
import { CellRun } from './session';

export interface RunRequest {
  type: 'run';
  id: number;
  /** Every cell of the notebook, as plain data (see `plainCells`). */
  cells: AnalysisCell[];
  run: number[];
  seed: number;
  notebook: Record<string, unknown>;
  budget: RunBudget;
  stopOnFirstFailure: boolean;
  /** What model cells measured in earlier runs (the host's analysis keeps it), by index. */
  results?: { index: number; definitions: Definition[] }[];
}

export type WorkerRequest = RunRequest;

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'start'; id: number; index: number }
  | { type: 'end'; id: number; run: CellRun }
  | { type: 'done'; id: number }
  | { type: 'failed'; id: number; message: string };

/** Index of the cancel flag in the shared Int32Array; non-zero means Stop was pressed. */
export const CANCEL_FLAG = 0;
