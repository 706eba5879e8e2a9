// Units the model cells understand for plain numbers, dimension checks on evaluated quantities, and a
// tiny fallback evaluator (numbers, a unit, or one estimate name) for tests and for use before the
// estimation kernel is wired in. Real cells are evaluated by ctx.evaluate.
import { ExprEvaluator, ExprResult, Quantity, Scope } from '../types';

/** Physical dimensions a field can ask for; countable units (req, user, msg) are not checked. */
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

const TIME_KEYS = ['time', 's', 'second', 'T'];
const DATA_KEYS = ['data', 'byte', 'bytes', 'B', 'information', 'Information'];

function vectorOf(dims: Record<string, number>): DimVector {
  let time = 0, data = 0;
  for (const [k, e] of Object.entries(dims)) {
    if (TIME_KEYS.includes(k)) time += e;
    else if (DATA_KEYS.includes(k)) data += e;
  }
  return { time, data };
}

export function isDimensionless(dims: Record<string, number>): boolean {
  const v = vectorOf(dims);
  return v.time === 0 && v.data === 0;
}

export function matchesDimension(dims: Record<string, number>, d: Dimension): boolean {
  const v = vectorOf(dims), e = EXPECTED[d];
  return v.time === e.time && v.data === e.data;
}

export function describeDimension(d: Dimension): string {
  return { none: 'a plain number', time: 'a duration', rate: 'a rate (per second)', data: 'a size in bytes', datarate: 'a data rate (bytes per second)' }[d];
}

export function describeDims(dims: Record<string, number>): string {
  const v = vectorOf(dims);
  for (const d of Object.keys(EXPECTED) as Dimension[]) if (EXPECTED[d].time === v.time && EXPECTED[d].data === v.data) return describeDimension(d);
  return `a quantity of dimension time^${v.time} data^${v.data}`;
}

/** Scale to SI (seconds, bytes, per second) and dimension of the units accepted after a plain number. */
export const UNITS: Record<string, { scale: number; dimension: Dimension }> = {
  ns: { scale: 1e-9, dimension: 'time' },
  us: { scale: 1e-6, dimension: 'time' },
  'µs': { scale: 1e-6, dimension: 'time' },
  ms: { scale: 1e-3, dimension: 'time' },
  s: { scale: 1, dimension: 'time' },
  sec: { scale: 1, dimension: 'time' },
  min: { scale: 60, dimension: 'time' },
  h: { scale: 3600, dimension: 'time' },
  hour: { scale: 3600, dimension: 'time' },
  d: { scale: 86400, dimension: 'time' },
  day: { scale: 86400, dimension: 'time' },
  B: { scale: 1, dimension: 'data' },
  kB: { scale: 1e3, dimension: 'data' },
  KB: { scale: 1e3, dimension: 'data' },
  MB: { scale: 1e6, dimension: 'data' },
  GB: { scale: 1e9, dimension: 'data' },
  KiB: { scale: 1024, dimension: 'data' },
  MiB: { scale: 1024 ** 2, dimension: 'data' },
  GiB: { scale: 1024 ** 3, dimension: 'data' },
  rps: { scale: 1, dimension: 'rate' },
  qps: { scale: 1, dimension: 'rate' },
  '/s': { scale: 1, dimension: 'rate' },
  '/min': { scale: 1 / 60, dimension: 'rate' },
  '/h': { scale: 1 / 3600, dimension: 'rate' },
  '%': { scale: 0.01, dimension: 'none' },
};

const DIMS: Record<Dimension, Record<string, number>> = {
  none: {},
  time: { time: 1 },
  rate: { time: -1 },
  data: { data: 1 },
  datarate: { data: 1, time: -1 },
};

const COUNTABLE = /^(req|request|requests|msg|msgs|message|messages|user|users|call|calls|op|ops|event|events|record|records)$/;

/** Parses a unit like `ms`, `req/s`, `MB/s`, `/s`; undefined when unknown. */
export function parseUnit(text: string): { scale: number; dimension: Dimension } | undefined {
  const t = text.trim();
  if (t === '') return { scale: 1, dimension: 'none' };
  if (UNITS[t]) return UNITS[t];
  const slash = t.indexOf('/');
  if (slash >= 0) {
    const num = t.slice(0, slash).trim(), den = t.slice(slash + 1).trim();
    const n = num === '' || COUNTABLE.test(num) ? { scale: 1, dimension: 'none' as Dimension } : UNITS[num];
    const d = UNITS[den];
    if (!n || !d || d.dimension !== 'time') return undefined;
    if (n.dimension === 'none') return { scale: n.scale / d.scale, dimension: 'rate' };
    if (n.dimension === 'data') return { scale: n.scale / d.scale, dimension: 'datarate' };
    return undefined;
  }
  if (COUNTABLE.test(t)) return { scale: 1, dimension: 'none' };
  return undefined;
}

const SUFFIX: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, bn: 1e9 };

/**
 * Fallback evaluator: `250`, `1.5k`, `250 ms`, `2,000 req/s`, `5 MB/s`, or one name from the scope
 * (optionally `name * number`). Anything else is an error at column 0.
 */
export const basicEvaluator: ExprEvaluator = (expression: string, scope: Scope): ExprResult => {
  const text = expression.trim();
  const name = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s*\*\s*([0-9.]+))?$/.exec(text);
  if (name && !UNITS[name[1]]) {
    const def = scope.get(name[1]);
    if (!def) return { ok: false, message: `unknown name \`${name[1]}\``, column: 0 };
    if (!name[2]) return { ok: true, quantity: def.quantity };
    return { ok: true, quantity: { value: def.quantity.value * Number(name[2]), dims: def.quantity.dims } };
  }
  const m = /^([-+]?[0-9][0-9_,]*(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?)\s*(k|K|M|bn)?\s*(.*)$/.exec(text);
  if (!m) return { ok: false, message: `cannot read \`${text}\` as a number with a unit`, column: 0 };
  let v = Number(m[1].replace(/[_,]/g, ''));
  if (m[2]) v *= SUFFIX[m[2]];
  const u = parseUnit(m[3]);
  if (!u) return { ok: false, message: `unknown unit \`${m[3]}\``, column: expression.indexOf(m[3]) };
  const quantity: Quantity = { value: v * u.scale, dims: DIMS[u.dimension] };
  return { ok: true, quantity };
};

/** Identifiers in an expression that name something in the scope (the names the cell reads). */
export function namesRead(expression: string, scope: Scope): string[] {
  const out: string[] = [];
  for (const m of expression.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) if (scope.get(m[0]) && !out.includes(m[0])) out.push(m[0]);
  return out;
}

export const emptyScope: Scope = { get: () => undefined, names: () => [] };
