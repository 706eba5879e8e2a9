// After a run of several cells, one message names the cells that failed (announced by screen
// readers, as every notification is), with a way to the first of them. Outputs do not announce
// themselves: ten failed cells would otherwise be ten interruptions.
import * as vscode from 'vscode';
import { KernelRunner, reportingFailures } from '../runtime/runner';
import type { CellRun } from '../runtime/session';

export function announcingFailures(runner: KernelRunner): KernelRunner {
  return reportingFailures(runner, (failed, ran) => void announce(failed, ran, vscode.window.activeNotebookEditor));
}

/** "cells 3, 5 and 7" (one-based, as the notebook shows them). */
function cellList(runs: CellRun[]): string {
  const n = runs.map((r) => String(r.index + 1));
  return n.length === 1 ? n[0] : vscode.l10n.t('{0} and {1}', n.slice(0, -1).join(', '), n[n.length - 1]);
}

async function announce(failed: CellRun[], ran: number, editor: vscode.NotebookEditor | undefined): Promise<void> {
  const message =
    failed.length === 1
      ? vscode.l10n.t('Run finished: cell {0} failed ({1} cells ran).', failed[0].index + 1, ran)
      : vscode.l10n.t('Run finished: {0} of {1} cells failed: cells {2}.', failed.length, ran, cellList(failed));
  const go = vscode.l10n.t('Go to Cell {0}', failed[0].index + 1);
  const picked = await vscode.window.showWarningMessage(message, ...(editor ? [go] : []));
  if (picked !== go || !editor) return;
  const range = new vscode.NotebookRange(failed[0].index, failed[0].index + 1);
  editor.selections = [range];
  editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
}
