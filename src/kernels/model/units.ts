// What a model field expects of a number: a physical dimension (countable units such as req or msg
// are not checked) and the unit a plain number is written in. Units and expressions themselves are
// the estimate kernel's: one unit table serves estimate cells, model cells and their defaults.
import { builtinUnitNames, evaluateExpression, lookupBuiltinUnit } from '../estimate';
import { Scope } from '../types';

/** Physical dimensions a field can ask for. */
export type Dimension = 'none' | 'time' | 'rate' | 'data' | 'datarate';

interface DimVector {
  time: number;
  data: number;
}

const EXPECTED: Record<Dimension, DimVector> = {
  none: { time: 0, data: 0 },
  time: { time: 1, data: 0 },
  rate: { time: -1, data: 0 },
  data: { time: 0, data: 1 },
  datarate: { time: -1, data: 1 },
};

/** Time and information exponents of an estimate quantity's dimensions; countables are ignored. */
function vectorOf(dims: Record<string, number>): DimVector {
  return { time: dims.time ?? 0, data: dims.information ?? 0 };
}

export function isDimensionless(dims: Record<string, number>): boolean {
  const v = vectorOf(dims);
  return v.time === 0 && v.data === 0;
}

export function matchesDimension(dims: Record<string, number>, d: Dimension): boolean {
  const v = vectorOf(dims),
    e = EXPECTED[d];
  return v.time === e.time && v.data === e.data;
}

export function describeDimension(d: Dimension): string {
  return {
    none: 'a plain number',
    time: 'a duration',
    rate: 'a rate (per second)',
    data: 'a size in bytes',
    datarate: 'a data rate (bytes per second)',
  }[d];
}

export function describeDims(dims: Record<string, number>): string {
  const v = vectorOf(dims);
  for (const d of Object.keys(EXPECTED) as Dimension[])
    if (EXPECTED[d].time === v.time && EXPECTED[d].data === v.data) return describeDimension(d);
  return `a quantity of dimension time^${v.time} data^${v.data}`;
}

export const emptyScope: Scope = { get: () => undefined, names: () => [] };

const scales = new Map<string, number>();

/** How many base units (seconds, bytes, per second) one `unit` is: `ms` → 0.001, `MB/s` → 1e6. */
export function unitScale(unit: string | undefined): number {
  if (!unit) return 1;
  let s = scales.get(unit);
  if (s === undefined) {
    const r = evaluateExpression(`1 ${unit}`, emptyScope);
    // Schema units are fixed strings checked by the tests; an unknown one reads plain numbers as is.
    s = r.ok ? r.quantity.value : 1;
    scales.set(unit, s);
  }
  return s;
}

let suggestions: Map<Dimension, string[]> | undefined;

/** Unit spellings to offer after a number in a field of this dimension (canonical symbols only). */
export function unitsFor(d: Dimension): string[] {
  if (!suggestions) {
    suggestions = new Map([['rate', ['req/s', 'msg/s', '/s', '/min', '/h', '/day']]]);
    for (const n of builtinUnitNames()) {
      const def = lookupBuiltinUnit(n)!;
      if (def.name !== n || def.countable) continue;
      const u = evaluateExpression(`1 ${n}`, emptyScope);
      if (!u.ok) continue;
      for (const dim of ['time', 'data', 'datarate'] as Dimension[])
        if (matchesDimension(u.quantity.dims, dim)) suggestions.set(dim, [...(suggestions.get(dim) ?? []), n]);
    }
  }
  return suggestions.get(d) ?? [];
}

/** Identifiers in an expression that name something in the scope (the names the cell reads), where they stand. */
export function namesRead(expression: string, scope: Scope): { name: string; column: number }[] {
  const out: { name: string; column: number }[] = [];
  // A dotted name (`checkout.p99`) is one name, as in estimate cells.
  for (const m of expression.matchAll(/[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/g))
    if (scope.get(m[0])) out.push({ name: m[0], column: m.index! });
  return out;
}
