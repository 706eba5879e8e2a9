// What-if runs of a model cell, shared by the gateway and Kafka kernels: `sweep:` runs the model over
// a range of one of its own numbers (load, instances, partitions, a TTL) and `solve:` finds the
// smallest value of one that meets every requirement. Both name a key written in the cell; each run
// is the cell's own source with that value written in, parsed and validated like any edit, so limits
// and checks apply to every point.
import { evaluateExpression } from '../estimate';
import type { Diagnostic, ParseContext, Range } from '../types';
import { pathKey, pathLabel, type ModelParse, type Path } from './document';
import { Field, fieldAt, int, list, obj, oneOf, str, type ObjectField } from './schema';
import { describeDimension, describeDims, isDimensionless, matchesDimension, namesRead, unitScale } from './units';

/** Most points a sweep runs (each point is a whole run of the model). */
export const MAX_SWEEP_POINTS = 50;

export const sweepField = obj(
  'Runs the model over a range of one of its numbers and charts how the requirement checks that read its results fare: where it stops meeting them (the knee) and what saturates first.',
  {
    parameter: str("The key to vary, as a path of this cell's keys: `traffic.rate`, `services.orders.instances`, `topics.0.partitions`.", {
      required: true,
    }),
    from: str('First value (an estimate expression: `1000 req/s`, `peak_qps / 4`).'),
    to: str('Last value (an estimate expression: `2 * peak_qps`).'),
    points: int('Values from `from` to `to`, evenly spaced (rounded for whole-number keys).', {
      min: 2,
      max: MAX_SWEEP_POINTS,
      default: 12,
    }),
    scale: oneOf(['linear', 'log'], 'Spacing of the points.', {
      default: 'linear',
      valueDocs: { linear: 'equal steps', log: 'equal ratios (for ranges over orders of magnitude)' },
    }),
    values: list('Explicit values instead of `from`/`to`/`points`.', str('A value (an estimate expression).'), {
      maxItems: MAX_SWEEP_POINTS,
    }),
  },
);

export const solveField = obj(
  'Finds the smallest value of one key (instances, concurrency, partitions, consumers) that meets every requirement check reading this model, and runs the model with it.',
  {
    parameter: str("The whole-number key to size, as a path of this cell's keys: `services.orders.instances`, `topics.0.partitions`.", {
      required: true,
    }),
    min: int('Smallest value to consider.', { min: 1, default: 1 }),
    max: int('Largest value to consider.', { min: 1, max: 100_000, default: 1000 }),
  },
);

export interface ParameterRef {
  path: Path;
  /** `services.orders.instances`, as written. */
  label: string;
  field: Extract<Field, { type: 'number' | 'integer' }>;
  /** The value written in the cell, in SI. */
  value: number;
  /** Where the value is written. */
  range: Range;
}

export interface SweepSpec {
  parameter: ParameterRef;
  /** The values to run, in SI, in order. */
  values: number[];
}

export interface SolveSpec {
  parameter: ParameterRef;
  min: number;
  max: number;
}

/** A path written as `a.b.0.c`, where list items may also be picked by their `name` (`topics.clicks.partitions`). */
function resolvePath(written: string, value: unknown, schema: ObjectField): Path | undefined {
  const out: Path = [];
  let v = value as Record<string, unknown> | unknown[] | undefined;
  let f: Field | undefined = schema;
  for (const seg of written.split('.')) {
    if (!f || v === undefined || v === null) return undefined;
    if (f.type === 'list' && Array.isArray(v)) {
      const i = /^\d+$/.test(seg) ? Number(seg) : v.findIndex((x) => (x as { name?: unknown } | undefined)?.name === seg);
      if (i < 0 || i >= v.length) return undefined;
      out.push(i);
      v = v[i] as Record<string, unknown>;
      f = f.items;
    } else if ((f.type === 'object' || f.type === 'map') && !Array.isArray(v) && typeof v === 'object') {
      out.push(seg);
      v = (v as Record<string, unknown>)[seg] as Record<string, unknown>;
      f = fieldAt(f, [seg]);
    } else return undefined;
  }
  return out;
}

type Err = (path: Path, message: string) => void;

/** The key a sweep or solve names: a number written in the cell. */
function parameterOf(
  p: ModelParse,
  schema: ObjectField,
  written: string,
  at: Path,
  err: Err,
  wholeOnly: boolean,
): ParameterRef | undefined {
  const path = resolvePath(written, p.partial, schema);
  const field = path && fieldAt(schema, path);
  if (!path || !field) return void err(at, `\`${written}\` is not a key of this cell`);
  if (field.type !== 'number' && field.type !== 'integer')
    return void err(
      at,
      `\`${written}\` is not a number: ${wholeOnly ? 'solve' : 'sweep'} a numeric key such as \`traffic.rate\` or \`services.api.instances\``,
    );
  if (wholeOnly && field.type !== 'integer')
    return void err(at, `\`${written}\` is not a whole number: solve sizes instances, concurrency, partitions or consumers`);
  const entry = p.ranges.get(pathKey(path));
  if (!entry)
    return void err(
      at,
      `\`${written}\` is not written in this cell: write it (with its current value) so the ${wholeOnly ? 'answer' : 'sweep'} has a place to go`,
    );
  let v: unknown = p.partial;
  for (const seg of path) v = (v as Record<string | number, unknown>)[seg];
  if (typeof v !== 'number') return undefined;
  return { path, label: written, field, value: v, range: entry.value };
}

/** An estimate expression for a parameter, in SI after checking its dimension against the parameter's. */
function valueOf(expr: string, param: ParameterRef, p: ModelParse, ctx: ParseContext, at: Path, err: Err): number | undefined {
  for (const n of namesRead(expr, ctx.scope)) if (!p.reads.includes(n.name)) p.reads.push(n.name);
  const r = evaluateExpression(expr, ctx.scope);
  if (!r.ok) return void err(at, `\`${pathLabel(at)}\`: ${r.message}`);
  const f = param.field;
  const dimension = f.type === 'number' ? (f.dimension ?? 'none') : 'none';
  if (isDimensionless(r.quantity.dims)) return r.quantity.value * unitScale(f.type === 'number' ? f.unit : undefined);
  if (!matchesDimension(r.quantity.dims, dimension))
    return void err(
      at,
      `\`${pathLabel(at)}\` should be ${describeDimension(dimension)} like \`${param.label}\`, but \`${expr}\` is ${describeDims(r.quantity.dims)}`,
    );
  return r.quantity.value;
}

/** Reads `sweep:` and `solve:` of a validated cell. Diagnostics point at the keys. */
export function compileWhatIf(
  p: ModelParse,
  schema: ObjectField,
  ctx: ParseContext,
): { sweep?: SweepSpec; solve?: SolveSpec; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const err: Err = (path, message) => diagnostics.push({ range: p.rangeOf(path), severity: 'error', message, code: 'what-if' });
  const v = p.partial as { sweep?: Record<string, unknown>; solve?: Record<string, unknown> };
  let sweep: SweepSpec | undefined;
  let solve: SolveSpec | undefined;
  if (v.sweep && typeof v.sweep.parameter === 'string') {
    const s = v.sweep;
    const param = parameterOf(p, schema, s.parameter as string, ['sweep', 'parameter'], err, false);
    if (param) {
      let values: number[] | undefined;
      if (Array.isArray(s.values)) {
        const vs = (s.values as string[]).map((x, i) => valueOf(String(x), param, p, ctx, ['sweep', 'values', i], err));
        if (vs.every((x) => x !== undefined)) values = vs as number[];
      } else if (s.from === undefined || s.to === undefined) err(['sweep'], 'a sweep needs `from` and `to` (or a list of `values`)');
      else {
        const from = valueOf(String(s.from), param, p, ctx, ['sweep', 'from'], err);
        const to = valueOf(String(s.to), param, p, ctx, ['sweep', 'to'], err);
        const n = s.points as number;
        if (from !== undefined && to !== undefined) {
          if (s.scale === 'log' && (from <= 0 || to <= 0)) err(['sweep', 'scale'], 'a log sweep needs `from` and `to` above 0');
          else values = spaced(from, to, n, s.scale === 'log', param.field.type === 'integer');
        }
      }
      if (values) {
        const bad = values.findIndex((x) => !withinField(param.field, x));
        const where: Path = Array.isArray(s.values)
          ? ['sweep', 'values', bad]
          : bad === 0
            ? ['sweep', 'from']
            : bad === values.length - 1
              ? ['sweep', 'to']
              : ['sweep', 'points'];
        if (bad >= 0) err(where, `\`${param.label}\` = ${values[bad]} is outside what the key takes (${rangeText(param.field)})`);
        else sweep = { parameter: param, values };
      }
    }
  }
  if (v.solve && typeof v.solve.parameter === 'string') {
    const s = v.solve;
    const param = parameterOf(p, schema, s.parameter as string, ['solve', 'parameter'], err, true);
    const min = s.min as number,
      max = s.max as number;
    if (param) {
      if (min > max) err(['solve', 'min'], `\`solve.min\` (${min}) is above \`solve.max\` (${max})`);
      else solve = { parameter: param, min: Math.max(min, param.field.min ?? min), max: Math.min(max, param.field.max ?? max) };
    }
  }
  if (sweep && solve && pathKey(sweep.parameter.path) === pathKey(solve.parameter.path))
    err(['solve', 'parameter'], 'a cell cannot sweep and solve the same key');
  return { sweep, solve, diagnostics };
}

function spaced(from: number, to: number, n: number, log: boolean, whole: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? 0 : i / (n - 1);
    const x = log ? from * Math.pow(to / from, t) : from + (to - from) * t;
    out.push(whole ? Math.round(x) : x);
  }
  return whole ? [...new Set(out)] : out;
}

function withinField(f: Extract<Field, { type: 'number' | 'integer' }>, x: number): boolean {
  if (!Number.isFinite(x)) return false;
  if (f.min !== undefined && (x < f.min || (f.type === 'number' && f.exclusiveMin && x === f.min))) return false;
  return f.max === undefined || x <= f.max;
}

function rangeText(f: Extract<Field, { type: 'number' | 'integer' }>): string {
  return `${f.min ?? '−∞'} to ${f.max ?? '∞'}${f.type === 'number' && f.unit ? ` in ${f.unit}` : ''}`;
}

/** The cell's source with the parameter set to `si` (written in the key's own unit). */
export function withParameter(source: string, param: ParameterRef, si: number): string {
  const f = param.field;
  const inUnit = f.type === 'number' ? si / unitScale(f.unit) : si;
  const written = f.type === 'integer' ? String(Math.round(inUnit)) : String(+inUnit.toPrecision(12));
  const lines = source.split('\n');
  const { start, end } = param.range;
  const offset = (l: number, c: number) => lines.slice(0, l).reduce((a, x) => a + x.length + 1, 0) + c;
  return source.slice(0, offset(start.line, start.column)) + written + source.slice(offset(end.line, end.column));
}
