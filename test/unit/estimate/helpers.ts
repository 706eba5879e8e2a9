// Shared fixtures for the estimate kernel tests: a scope built from earlier cells' definitions.
import type { Definition, ExecContext, ExecResult, ParseContext, Scope } from '../../../src/kernels/types';
import { DEFAULT_BUDGET, ERROR_MIME, richMime } from '../../../src/kernels/types';
import { estimateKernel } from '../../../src/kernels/estimate';
import type { ErrorData } from '../../../src/kernels/output';
import type { Report } from '../../../src/kernels/report';

export function scopeOf(defs: Definition[]): Scope {
  const m = new Map<string, Definition>();
  for (const d of defs) m.set(d.name, d);
  return { get: (n) => m.get(n), names: () => [...m.keys()] };
}

export const EMPTY: Scope = scopeOf([]);

export function ctxFor(cellIndex: number, scope: Scope = EMPTY): ExecContext {
  return { cellIndex, scope, seed: 1, budget: DEFAULT_BUDGET, isCancelled: () => false, notebook: {} };
}

/** Parses and runs one cell the way the controller does. */
export function runCell(
  source: string,
  cellIndex = 0,
  scope: Scope = EMPTY,
): ExecResult & { diagnostics: ReturnType<typeof estimateKernel.parse>['diagnostics'] } {
  const ctx = ctxFor(cellIndex, scope);
  const p = estimateKernel.parse(source, ctx as ParseContext);
  const r = estimateKernel.execute(p.parsed!, ctx) as ExecResult;
  return { ...r, diagnostics: p.diagnostics };
}

/** Runs cells in order, each seeing the definitions of the ones above. */
export function runNotebook(cells: string[]): (ExecResult & { scope: Scope })[] {
  const defs: Definition[] = [];
  return cells.map((src, i) => {
    const scope = scopeOf(defs);
    const r = runCell(src, i, scope);
    for (const d of r.definitions ?? []) {
      const k = defs.findIndex((x) => x.name === d.name);
      if (k >= 0) defs.splice(k, 1);
      defs.push(d);
    }
    return { ...r, scope };
  });
}

export function tableRows(r: ExecResult): (string | number)[][] {
  const rep = r.outputs[0].items[richMime('estimate')] as Report;
  const t = rep.blocks.find((b) => b.type === 'table');
  if (!t || t.type !== 'table') throw new Error('no table block');
  return t.rows;
}

export function errorData(r: ExecResult): ErrorData {
  return r.outputs[0].items[ERROR_MIME] as ErrorData;
}

/** Relative closeness for floating results computed along different paths. */
export function close(actual: number, expected: number, rel = 1e-12): boolean {
  if (expected === 0) return Math.abs(actual) < 1e-15;
  return Math.abs(actual - expected) <= rel * Math.abs(expected);
}
