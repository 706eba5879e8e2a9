// Named results: a model cell with a `name` publishes what it measured as names later cells read
// like estimate names (`checkout.p99`, `clicks.max_lag`), with units and, for figures that vary from
// replication to replication, a 95% interval. Before the cell runs its names are declared, with their
// dimension and no value (pending), so checks that read them can be written and type-checked.
import { formatQuantity } from '../estimate';
import type { Definition, Range } from '../types';
import { meanCI95 } from '../sim/ci';

/** One figure a model publishes: `<model>.<key>`. */
export interface ResultSpec {
  key: string;
  dims: Record<string, number>;
  /** What it is, for hover and completion ("p99 latency of answered requests"). */
  what: string;
  /** A share (error rate, utilisation): shown as a percentage. */
  share?: boolean;
}

/** A figure as measured: its value, and the per-replication values its interval comes from. */
export interface Measured {
  value: number;
  replications?: readonly number[];
}

/** The names a model declares before it runs: their dimension, and why they have no value yet. */
export function declaredResults(model: string, specs: readonly ResultSpec[], cellIndex: number, range: Range): Definition[] {
  const pending = `run the \`${model}\` model (cell ${cellIndex + 1})`;
  return specs.map((s) => ({
    name: `${model}.${s.key}`,
    quantity: { value: 0, dims: s.dims, display: 'pending' },
    cellIndex,
    range,
    expression: `${s.what} (measured by the \`${model}\` model)`,
    pending,
  }));
}

const shareText = (x: number) => (x === 0 ? '0%' : `${+(100 * x).toPrecision(3)}%`);

/**
 * The names a run publishes. A figure measured over two or more replications carries the 95%
 * Student-t interval of its per-replication values, centred on the figure itself (a pooled
 * percentile, say): the half-width says how much the figure moves from run to run. A figure that
 * is not finite (no requests, say) is left out rather than published as NaN.
 */
export function measuredResults(
  model: string,
  specs: readonly ResultSpec[],
  values: ReadonlyMap<string, Measured>,
  cellIndex: number,
  range: Range,
): Definition[] {
  const out: Definition[] = [];
  for (const s of specs) {
    const m = values.get(s.key);
    if (!m || !Number.isFinite(m.value)) continue;
    const reps = m.replications?.filter(Number.isFinite) ?? [];
    const hw = reps.length >= 2 ? meanCI95(reps).halfWidth : NaN;
    // Every figure published is a count, a rate, a time or a share: its interval stays in [0, ∞) (or [0, 1]).
    const ci =
      Number.isFinite(hw) && hw > 0
        ? { low: Math.max(0, m.value - hw), high: s.share ? Math.min(1, m.value + hw) : m.value + hw }
        : undefined;
    const display = s.share ? shareText(m.value) : formatQuantity(m.value, s.dims);
    out.push({
      name: `${model}.${s.key}`,
      quantity: ci ? { value: m.value, dims: s.dims, display, ci } : { value: m.value, dims: s.dims, display },
      cellIndex,
      range,
      expression: `${s.what} (measured by the \`${model}\` model)`,
    });
  }
  return out;
}

/** A model name: a name the estimate language reads as the first part of a dotted name. */
export const MODEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MODEL_NAME_HINT =
  'should be a name of letters, digits and `_` that starts with a letter (it prefixes the names the model publishes, as in `checkout.p99`)';
