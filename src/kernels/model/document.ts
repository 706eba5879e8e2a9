// The YAML front end of the model kernels: parse with positions, validate against a schema, evaluate
// estimate expressions in scalars, and answer hover and completion from the same schema.
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, Pair, parseDocument, Scalar, YAMLMap } from 'yaml';
import { Completion, Diagnostic, Hover, NameUse, ParseContext, Position, Range, ServiceContext } from '../types';
import { Field, Limit, ObjectField, ValueOf, fieldAt, typeName } from './schema';
import { closest } from '../suggest';
import { evaluateExpression } from '../estimate';
import { fmtNumber } from '../estimate';
import { Dimension, describeDimension, describeDims, emptyScope, isDimensionless, matchesDimension, namesRead, unitScale, unitsFor } from './units';

export type Path = (string | number)[];

export interface NodeRanges {
  key?: Range;
  value: Range;
  /** Source text of an expression scalar (numbers given as expressions). */
  expression?: string;
}

export interface ModelParse<T = Record<string, unknown>> {
  /** The validated value with defaults filled in and quantities in SI; undefined when there were errors. */
  value: T | undefined;
  /** Best-effort value even when there are errors (for hover and partial checks). */
  partial: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** Estimate names the cell read. */
  reads: string[];
  /** Why the cell cannot run yet (it reads a model result not measured yet); its value is not for running. */
  pending?: string;
  /** Where the cell's expressions read estimate names. */
  uses: NameUse[];
  /** The source and its YAML document, which hover reuses (absent when the cell was too long to parse). */
  source: string;
  document?: Document;
  lineCounter?: LineCounter;
  /** Ranges of every key and value by path (`routes.0.path`). */
  ranges: Map<string, NodeRanges>;
  /** Range of a value (or its key, when `key` is true) by path; the cell start when unknown. */
  rangeOf(path: Path, key?: boolean): Range;
}

export const pathKey = (path: Path): string => path.join('.');

const ZERO: Range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

type AnyNode = Node | null | undefined;

class Walker {
  readonly diagnostics: Diagnostic[] = [];
  readonly reads: string[] = [];
  /** Why the cell cannot run yet: a number reads a model result that has not been measured. */
  pending: string | undefined;
  readonly uses: NameUse[] = [];
  private readonly usedAt = new Set<number>();
  readonly ranges = new Map<string, NodeRanges>();

  constructor(private readonly lc: LineCounter, private readonly ctx: ParseContext, private readonly doc: Document) {}

  /** Values read through aliases so far; past MAX_ALIAS_VALUES an alias is refused (a "billion laughs" cell). */
  private aliased = 0;
  private inAlias = 0;

  /** The node an alias stands for (anchors and aliases resolve as in YAML), or undefined after an error. */
  private resolve(node: AnyNode): AnyNode | false {
    if (!isAlias(node)) return node;
    const target = node.resolve(this.doc) as AnyNode;
    if (!target) {
      this.error(this.range(node), `\`*${node.source}\`: no anchor \`&${node.source}\` above`, 'bad-alias');
      return false;
    }
    return target;
  }

  /** Walks `fn` as read through an alias, counting the values it reads. */
  private throughAlias<T>(fn: () => T): T {
    this.inAlias++;
    try { return fn(); } finally { this.inAlias--; }
  }

  /** The pairs of a map with its merge keys (`<<: *base`) expanded: written keys first, then merged ones not written (the first source wins). */
  private pairs(node: YAMLMap): Pair[] {
    const merges = node.items.filter((p) => isMergeKey(p.key as AnyNode));
    if (merges.length === 0) return node.items as Pair[];
    const own = node.items.filter((p) => !isMergeKey(p.key as AnyNode)) as Pair[];
    const seen = new Set(own.map((p) => keyName(p.key as AnyNode)));
    const out = [...own];
    for (const m of merges) {
      const v = m.value as AnyNode;
      const sources = isSeq(v) ? (v.items as AnyNode[]) : [v];
      for (const src of sources) {
        const map = this.resolve(src);
        if (map === false) continue;
        if (!isMap(map)) { this.error(this.range(src), '`<<` merges a map (`<<: *base`) or a list of maps', 'bad-merge'); continue; }
        for (const p of this.pairs(map)) {
          const name = keyName(p.key as AnyNode);
          if (seen.has(name)) continue;
          seen.add(name);
          out.push(p);
        }
      }
    }
    return out;
  }

  pos(offset: number): Position {
    const p = this.lc.linePos(offset);
    return { line: p.line - 1, column: p.col - 1 };
  }

  range(node: AnyNode): Range {
    const r = node?.range;
    if (!r) return ZERO;
    return { start: this.pos(r[0]), end: this.pos(r[1]) };
  }

  /** Errors past MAX_DIAGNOSTICS are counted, not kept: the first of them, and how many. */
  firstDropped: Range | undefined;
  dropped = 0;

  error(range: Range, message: string, code: string): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) {
      this.firstDropped ??= range;
      this.dropped++;
      return;
    }
    this.diagnostics.push({ range, severity: 'error', message, code });
  }

  /** False (after an error at the key) when `name` was already given in this map. */
  unique(names: Set<string>, name: string, keyRange: Range, label: string): boolean {
    if (!names.has(name)) { names.add(name); return true; }
    this.error(keyRange, `map keys must be unique: \`${name}\` is given twice in \`${label}\``, 'duplicate-key');
    return false;
  }

  value(field: Field, node: AnyNode, path: Path, where: Range): unknown {
    if (isAlias(node)) {
      const target = this.resolve(node);
      if (target === false) return undefined;
      if (this.aliased > MAX_ALIAS_VALUES) return undefined;
      const r = this.throughAlias(() => this.value(field, target, path, where));
      if (this.aliased > MAX_ALIAS_VALUES && this.inAlias === 0) {
        this.error(this.range(node), `\`*${node.source}\`: aliases here expand to more than ${MAX_ALIAS_VALUES.toLocaleString('en-US')} values — at most ${MAX_ALIAS_VALUES.toLocaleString('en-US')} values read through aliases in a cell`, 'too-large');
      }
      return r;
    }
    if (this.inAlias > 0) this.aliased++;
    const label = pathLabel(path);
    if (field.type === 'object') {
      if (node == null || (isScalar(node) && node.value === null)) return this.object(field, undefined, path, where);
      if (!isMap(node)) return this.mismatch(field, node, label);
      return this.object(field, node, path, where);
    }
    if (field.type === 'list') {
      if (!isSeq(node)) return this.mismatch(field, node, label);
      if (field.maxItems !== undefined && node.items.length > field.maxItems) {
        this.error(this.range(node), tooMany(label, node.items.length, field.maxItems, field.limit, 'items'), 'too-large');
        return undefined;
      }
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        const r = this.range(item as Node);
        this.ranges.set(pathKey([...path, i]), { value: r });
        out.push(this.value(field.items, item as Node, [...path, i], r));
      });
      if (field.minItems !== undefined && out.length < field.minItems)
        this.error(this.range(node), `\`${label}\` needs at least ${field.minItems} item${field.minItems === 1 ? '' : 's'}`, 'too-few-items');
      return out;
    }
    if (field.type === 'map') {
      if (!isMap(node)) return this.mismatch(field, node, label);
      if (field.maxEntries !== undefined && node.items.length > field.maxEntries) {
        this.error(this.range(node), tooMany(label, node.items.length, field.maxEntries, field.limit, 'entries'), 'too-large');
        return undefined;
      }
      const out: Record<string, unknown> = {};
      const names = new Set<string>();
      for (const pair of this.pairs(node)) {
        const k = pair.key as AnyNode;
        const name = keyName(k);
        const kr = this.range(k), vr = this.range(pair.value as AnyNode);
        if (!this.unique(names, name, kr, label)) continue;
        this.ranges.set(pathKey([...path, name]), { key: kr, value: vr });
        out[name] = this.value(field.values, pair.value as AnyNode, [...path, name], kr);
      }
      return out;
    }
    if (!isScalar(node) || node.value === null) {
      if (node == null || (isScalar(node) && node.value === null)) {
        this.error(node?.range ? this.range(node) : where, `\`${label}\` needs a value: ${typeName(field)}`, 'missing-value');
        return undefined;
      }
      return this.mismatch(field, node, label);
    }
    return this.scalar(field, node, path, label);
  }

  private mismatch(field: Field, node: AnyNode, label: string): undefined {
    const got = isMap(node) ? 'a map' : isSeq(node) ? 'a list' : isScalar(node) ? `\`${String(node.value)}\`` : 'nothing';
    const want = field.type === 'object' ? 'a map of keys' : field.type === 'list' ? 'a list (`- item` lines)' : field.type === 'map' ? 'a map of names' : typeName(field);
    this.error(this.range(node), `\`${label}\` should be ${want}, got ${got}`, 'wrong-type');
    return undefined;
  }

  private object(field: ObjectField, node: AnyNode, path: Path, where: Range): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    const valid = Object.keys(field.fields);
    const names = new Set<string>();
    if (node && isMap(node)) {
      for (const pair of this.pairs(node)) {
        const k = pair.key as AnyNode;
        const name = keyName(k);
        const kr = this.range(k);
        if (!this.unique(names, name, kr, pathLabel(path))) continue;
        const f = field.fields[name];
        // Extension keys at the top (`x-defaults: &d …`), as in Compose files: a place for anchors.
        if (!f && path.length === 0 && name.startsWith('x-')) continue;
        if (!f) {
          const near = closest(name, [valid]);
          const where2 = path.length ? ` in \`${pathLabel(path)}\`` : '';
          this.error(kr, `unknown key \`${name}\`${where2}${near ? `; did you mean \`${near}\`?` : `; valid keys: ${valid.map((v) => `\`${v}\``).join(', ')}`}`, 'unknown-key');
          continue;
        }
        seen.add(name);
        const vr = pair.value ? this.range(pair.value as Node) : kr;
        this.ranges.set(pathKey([...path, name]), { key: kr, value: vr });
        out[name] = this.value(f, pair.value as AnyNode, [...path, name], kr);
      }
    }
    for (const [name, f] of Object.entries(field.fields)) {
      if (seen.has(name)) continue;
      if (f.required) {
        this.error(where, `missing required key \`${name}\`${path.length ? ` in \`${pathLabel(path)}\`` : ''}: ${f.description}`, 'missing-key');
      } else if (f.default !== undefined) {
        out[name] = convertDefault(f, f.default);
      } else if (f.type === 'object' && f.implicit) {
        out[name] = this.object(f, undefined, [...path, name], where);
      }
      // Any other absent section stays absent: its presence means something (`cache:`, `rate_limit:`).
    }
    return out;
  }

  private scalar(field: Field, node: Scalar, path: Path, label: string): unknown {
    const v = node.value;
    const r = this.range(node);
    switch (field.type) {
      case 'boolean':
        if (typeof v === 'boolean') return v;
        this.error(r, `\`${label}\` should be \`true\` or \`false\`, got \`${String(v)}\``, 'wrong-type');
        return undefined;
      case 'string': {
        if (typeof v !== 'string' && typeof v !== 'number') return this.mismatch(field, node, label);
        const s = String(v);
        if (field.pattern && !field.pattern.test(s)) {
          this.error(r, `\`${label}\`: \`${s}\` ${field.patternHint ?? `should match ${field.pattern}`}`, 'bad-value');
          return undefined;
        }
        return s;
      }
      case 'enum': {
        // As written: YAML reads `3.10` as the number 3.1, and `4.0` as 4.
        const s = typeof v === 'number' && typeof node.source === 'string' ? node.source : String(v);
        if (field.values.includes(s)) return s;
        const near = closest(s, [field.values]);
        this.error(r, `\`${label}\` should be one of ${field.values.map((x) => `\`${x}\``).join(', ')}, got \`${s}\`${near ? `; did you mean \`${near}\`?` : ''}`, 'bad-enum');
        return undefined;
      }
      case 'number':
      case 'integer': {
        const x = this.number(field, node, path, label, r);
        if (x === undefined) return undefined;
        if (field.type === 'integer' && Math.abs(x - Math.round(x)) > 1e-9) {
          this.error(r, `\`${label}\` should be a whole number, got ${x}`, 'not-integer');
          return undefined;
        }
        const val = field.type === 'integer' ? Math.round(x) : x;
        const shown = (n: number) => (field.type === 'integer' ? formatInteger(n) : formatExact(n, field.unit));
        // Integers past 2^53 are not exact; a field without a smaller bound still stops there.
        const min = field.min ?? (field.type === 'integer' ? -Number.MAX_SAFE_INTEGER : undefined);
        const max = field.max ?? (field.type === 'integer' ? Number.MAX_SAFE_INTEGER : undefined);
        if (min !== undefined && (val < min || (field.type === 'number' && field.exclusiveMin && val === min))) {
          this.error(r, `\`${label}\` should be ${field.type === 'number' && field.exclusiveMin ? '>' : '>='} ${shown(min)}, got ${shown(val)}`, 'out-of-range');
          return undefined;
        }
        if (max !== undefined && val > max) {
          const written = sourceOf(node);
          this.error(r, field.limit
            ? `\`${label}: ${written}\` — at most ${shown(max)} ${field.limit.what}${memoryNeed(val, field.limit)}`
            : `\`${label}\` should be <= ${shown(max)}, got ${shown(val)}`, field.limit ? 'too-large' : 'out-of-range');
          return undefined;
        }
        return val;
      }
      default:
        return this.mismatch(field, node, label);
    }
  }

  private number(field: Extract<Field, { type: 'number' | 'integer' }>, node: Scalar, path: Path, label: string, r: Range): number | undefined {
    const dimension = field.type === 'number' ? field.dimension ?? 'none' : 'none';
    const scale = unitScale(field.type === 'number' ? field.unit : undefined);
    const v = node.value;
    if (typeof v === 'number') {
      // YAML reads `.nan`, `.inf` and `1e400` as numbers; no model can use them.
      if (!Number.isFinite(v)) {
        this.error(r, `\`${label}\` should be a finite number, got \`${sourceOf(node)}\``, 'not-finite');
        return undefined;
      }
      return this.finite(v * scale, node, label, r);
    }
    if (typeof v !== 'string') return this.mismatch(field, node, label);
    const entry = this.ranges.get(pathKey(path));
    if (entry) entry.expression = v;
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    for (const n of namesRead(v, this.ctx.scope)) {
      if (!this.reads.includes(n.name)) this.reads.push(n.name);
      const start = node.range![0] + quoted + n.column;
      // A scalar read again through an alias is one use.
      if (this.usedAt.has(start)) continue;
      this.usedAt.add(start);
      this.uses.push({ name: n.name, role: 'read', range: { start: this.pos(start), end: this.pos(start + n.name.length) } });
    }
    const res = evaluateExpression(v, this.ctx.scope);
    if (!res.ok) {
      const start = node.range![0] + quoted + Math.max(0, Math.min(res.column, v.length));
      const p = this.pos(start);
      if (res.pending !== undefined) {
        // Not wrong, not runnable yet: the model it reads runs first (Run All does), then this cell is
        // analysed again. Meanwhile the cell reads 1 there, so it still declares what it publishes.
        this.pending ??= `\`${label}\`: ${res.message}`;
        this.diagnostics.push({ range: { start: p, end: r.end }, severity: 'hint', message: `\`${label}\`: ${res.message}`, code: 'pending' });
        return 1;
      }
      this.error({ start: p, end: r.end }, `\`${label}\`: ${res.message}`, 'expression');
      return undefined;
    }
    const q = res.quantity;
    if (isDimensionless(q.dims) && dimension !== 'none') return this.finite(q.value * scale, node, label, r);
    if (!matchesDimension(q.dims, dimension)) {
      this.error(r, `\`${label}\` should be ${describeDimension(dimension)}, but \`${v}\` is ${describeDims(q.dims)}`, 'dimension-mismatch');
      return undefined;
    }
    return this.finite(q.value, node, label, r);
  }

  /** A number in SI after units were applied: finite, and -0 read as 0. */
  private finite(x: number, node: Scalar, label: string, r: Range): number | undefined {
    if (!Number.isFinite(x)) {
      this.error(r, `\`${label}\`: \`${sourceOf(node)}\` is too large to be a number in this unit`, 'not-finite');
      return undefined;
    }
    return x === 0 ? 0 : x;
  }
}

/** Values a cell may read through aliases (each alias walks its anchor's values again). */
export const MAX_ALIAS_VALUES = 100_000;

/** `<<` (a YAML 1.1 merge key, which the parser reads as a symbol). */
function isMergeKey(k: AnyNode): boolean {
  return isScalar(k) && (typeof k.value === 'symbol' || (k.value === '<<' && k.type === 'PLAIN'));
}

function keyName(k: AnyNode): string {
  return isScalar(k) ? String(k.value) : '';
}

/** The scalar as written (`1e9`, `.inf`), shortened for messages. */
function sourceOf(node: Scalar): string {
  const s = typeof node.source === 'string' ? node.source : String(node.value);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

/** Memory in bytes, to three significant digits in decimal units: `1.5 GB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let i = 0;
  while (n >= 999.5 && i < units.length - 1) { n /= 1000; i++; }
  return `${+n.toPrecision(3)} ${units[i]}`;
}

/** `; a model this large would need about 250 GB of memory` when the limit says what a unit costs. */
export function memoryNeed(value: number, limit: Limit): string {
  return limit.bytesEach ? `; a model this large would need about ${formatBytes(value * limit.bytesEach)} of memory` : '';
}

function tooMany(label: string, n: number, max: number, limit: Limit | undefined, things: string): string {
  return `\`${label}\` has ${formatInteger(n)} ${things} — at most ${formatInteger(max)}${limit ? ' ' + limit.what : ''}${limit ? memoryNeed(n, limit) : ''}`;
}

export function pathLabel(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('') || 'cell';
}

/** A default as written in the schema, as the walker would have read it: units applied, and the defaults of an object's own keys filled in. */
function convertDefault(f: Field, d: unknown): unknown {
  if ((f.type === 'number' || f.type === 'integer') && typeof d === 'number') {
    return d * unitScale(f.type === 'number' ? f.unit : undefined);
  }
  if (f.type === 'number' && typeof d === 'string') {
    const r = evaluateExpression(d, emptyScope);
    return r.ok ? r.quantity.value : undefined;
  }
  if (f.type === 'list' && Array.isArray(d)) return d.map((x) => convertDefault(f.items, x));
  if (f.type === 'map' && isRecord(d)) return Object.fromEntries(Object.entries(d).map(([k, x]) => [k, convertDefault(f.values, x)]));
  if (f.type === 'object' && isRecord(d)) {
    const out: Record<string, unknown> = {};
    for (const [name, sub] of Object.entries(f.fields)) {
      if (name in d) out[name] = convertDefault(sub, d[name]);
      else if (sub.default !== undefined) out[name] = convertDefault(sub, sub.default);
      else if (sub.type === 'object' && sub.implicit) out[name] = convertDefault(sub, {});
    }
    return out;
  }
  return structuredClone(d);
}

/**
 * The value a key would parse to with `written` written there, defaults filled in (not validated: for
 * values a kernel writes itself, such as a default request per route).
 */
export function valueAsWritten<F extends Field>(field: F, written: unknown): ValueOf<F> {
  return convertDefault(field, written) as ValueOf<F>;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Whole numbers exactly while they are exact (`100,000`), else in short form (`1e300`). */
function formatInteger(n: number): string {
  return Number.isSafeInteger(n) ? n.toLocaleString('en-US') : fmtNumber(n);
}

/** A value in SI shown in a field's unit, e.g. 0.25 with unit `ms` -> `250 ms`. */
export function formatInUnit(si: number, unit?: string): string {
  if (!unit) return String(+si.toPrecision(6));
  return `${+(si / unitScale(unit)).toPrecision(6)} ${unit}`;
}

/** As formatInUnit, but whole numbers exactly, for limits in messages (2,147,483,647 B, not 2147480000 B). */
function formatExact(si: number, unit?: string): string {
  const v = unit ? si / unitScale(unit) : si;
  if (!(Number.isInteger(v) && Math.abs(v) < 1e15)) return formatInUnit(si, unit);
  return unit ? `${v.toLocaleString('en-US')} ${unit}` : v.toLocaleString('en-US');
}

/**
 * Longest model cell, in characters (docs/limits.md). Parsing YAML takes about 200 bytes of memory per
 * character (its syntax tree, positions and the validated value), so 512 KB of YAML is about 100 MB.
 */
export const MAX_MODEL_SOURCE = 512 * 1024;
/** Errors listed for one cell; past them a last diagnostic counts the rest. */
export const MAX_DIAGNOSTICS = 100;
const SOURCE_BYTES_EACH = 200;

/** The cell refused before parsing when it is longer than MAX_MODEL_SOURCE: the error sits where it passes the limit. */
function tooLong<T>(source: string): ModelParse<T> {
  let line = 0, lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < MAX_MODEL_SOURCE; i = source.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
  const at: Position = { line, column: MAX_MODEL_SOURCE - lineStart };
  const message = `the cell is ${source.length.toLocaleString('en-US')} characters — at most ${MAX_MODEL_SOURCE.toLocaleString('en-US')} in a model cell${memoryNeed(source.length, { what: '', bytesEach: SOURCE_BYTES_EACH })} to parse`;
  return { value: undefined, partial: {}, diagnostics: [{ range: { start: at, end: at }, severity: 'error', message, code: 'too-large' }], reads: [], uses: [], source, ranges: new Map(), rangeOf: () => ZERO };
}

/** Parses and validates a cell against `schema`; the value has the type the schema declares. */
export function parseModel<S extends ObjectField>(source: string, schema: S, ctx: ParseContext): ModelParse<ValueOf<S>>;
/** The same against a schema typed as a plain `ObjectField`, reading the value as `T`. */
export function parseModel<T = Record<string, unknown>>(source: string, schema: ObjectField, ctx: ParseContext): ModelParse<T>;
export function parseModel<T>(source: string, schema: ObjectField, ctx: ParseContext): ModelParse<T> {
  if (source.length > MAX_MODEL_SOURCE) return tooLong<T>(source);
  const lc = new LineCounter();
  // Duplicate keys are found by the walk (a Set per map): the parser's own check compares every pair of
  // keys, seconds for a map of 40,000.
  const doc = parseDocument(source, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true });
  const w = new Walker(lc, ctx, doc);
  // The first few YAML errors; later ones are usually echoes of the first.
  for (const e of [...doc.errors.slice(0, 3), ...doc.warnings.slice(0, 3)]) {
    const start = w.pos(e.pos[0]);
    const end = w.pos(Math.max(e.pos[1], e.pos[0]));
    w.diagnostics.push({ range: { start, end }, severity: doc.errors.includes(e as never) ? 'error' : 'warning', message: firstLine(e.message), code: 'yaml' });
  }
  let partial: Record<string, unknown> = {};
  if (doc.errors.length === 0) {
    const root = doc.contents as AnyNode;
    if (root != null && !isMap(root) && !(isScalar(root) && root.value === null)) {
      w.error(w.range(root), 'a model cell is a YAML map of keys (`routes:`, `services:`, …)', 'wrong-type');
    } else {
      partial = (w.value(schema, root, [], ZERO) as Record<string, unknown>) ?? {};
    }
  }
  if (w.firstDropped) {
    w.diagnostics.push({ range: w.firstDropped, severity: 'error', message: `… and ${w.dropped.toLocaleString('en-US')} more error${w.dropped === 1 ? '' : 's'} from here on (the first ${MAX_DIAGNOSTICS} are listed)`, code: 'more-errors' });
  }
  const hasErrors = w.diagnostics.some((d) => d.severity === 'error');
  const ranges = w.ranges;
  return {
    pending: w.pending,
    value: hasErrors ? undefined : (partial as T),
    partial,
    diagnostics: w.diagnostics,
    reads: w.reads,
    uses: w.uses,
    source,
    document: doc,
    lineCounter: lc,
    ranges,
    rangeOf(path: Path, key = false): Range {
      for (let p = path; p.length; p = p.slice(0, -1)) {
        const e = ranges.get(pathKey(p));
        if (e) return (key && p === path ? e.key : undefined) ?? e.value;
      }
      return ZERO;
    },
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

// ---------------------------------------------------------------------------------------------
// Hover and completion

function offsetOf(source: string, pos: Position): number {
  let off = 0;
  for (let l = 0; l < pos.line; l++) {
    const nl = source.indexOf('\n', off);
    if (nl < 0) return source.length;
    off = nl + 1;
  }
  return Math.min(source.length, off + pos.column);
}

/** An estimate expression of each dimension, for the hover: a rate is not `250 ms`. */
const EXPRESSION_EXAMPLE: Record<Exclude<Dimension, 'none'>, string> = {
  time: '`250 ms` or `p99_budget / 2`',
  rate: '`peak_qps` or `500 req/s`',
  data: '`2 KB` or `photo_size`',
  datarate: '`10 MB/s` or `peak_qps * 2 KB/req`',
};

/** Markdown documentation of a field (used by hover and completion). */
export function fieldDoc(name: string, f: Field): string {
  const lines = [`**${name}**: ${typeName(f)}${f.required ? ' (required)' : ''}`, '', f.description];
  if (f.default !== undefined) lines.push('', `Default: \`${typeof f.default === 'object' ? JSON.stringify(f.default) : String(f.default)}${typeof f.default === 'number' && f.type === 'number' && f.unit ? ' ' + f.unit : ''}\``);
  if ((f.type === 'number' || f.type === 'integer') && (f.min !== undefined || f.max !== undefined)) {
    const u = f.type === 'number' ? f.unit : undefined;
    lines.push('', `Range: ${f.min !== undefined ? formatInUnit(f.min, u) : '−∞'} … ${f.max !== undefined ? formatInUnit(f.max, u) : '∞'}${limitNote(f.limit)}`);
  }
  if (f.type === 'list' && f.maxItems !== undefined) lines.push('', `At most ${fmtNumber(f.maxItems)} items${limitNote(f.limit)}`);
  if (f.type === 'map' && f.maxEntries !== undefined) lines.push('', `At most ${fmtNumber(f.maxEntries)} entries${limitNote(f.limit)}`);
  if (f.type === 'enum' && f.valueDocs) lines.push('', ...f.values.map((v) => `- \`${v}\`${f.valueDocs![v] ? ': ' + f.valueDocs![v] : ''}`));
  if (f.type === 'number' && f.dimension && f.dimension !== 'none') lines.push('', `May be an estimate expression, e.g. ${EXPRESSION_EXAMPLE[f.dimension]}.`);
  return lines.join('\n');
}

function limitNote(limit: Limit | undefined): string {
  if (!limit) return '';
  if (limit.what.startsWith('(')) return ` ${limit.what}`; // already a parenthesis (`(the clock ticks in microseconds)`)
  return ` (${limit.what}${limit.bytesEach ? `; about ${formatBytes(limit.bytesEach)} each` : ''})`;
}

interface Located {
  path: Path;
  on: 'key' | 'value';
  node: AnyNode;
  start: number;
  end: number;
}

function locate(node: AnyNode, offset: number, path: Path): Located | undefined {
  if (!node || !node.range) return undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = pair.key as AnyNode, v = pair.value as AnyNode;
      const name = isScalar(k) ? String(k.value) : '';
      if (k?.range && offset >= k.range[0] && offset <= k.range[1]) return { path: [...path, name], on: 'key', node: k, start: k.range[0], end: k.range[1] };
      if (v?.range && offset >= v.range[0] && offset <= v.range[1]) return locate(v, offset, [...path, name]);
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const it = node.items[i] as AnyNode;
      if (it?.range && offset >= it.range[0] && offset <= it.range[1]) return locate(it, offset, [...path, i]);
    }
    return undefined;
  }
  if (isScalar(node)) return { path, on: 'value', node, start: node.range[0], end: node.range[1] };
  return undefined;
}

/** A kernel's cached parse, when it is the YAML parse of this very source. */
function cachedModelParse(source: string, ctx: ServiceContext): ModelParse | undefined {
  const s = ctx.parse?.syntax as ModelParse | undefined;
  return s && s.source === source && s.document && s.lineCounter ? s : undefined;
}

export function hoverModel(source: string, position: Position, schema: ObjectField, ctx: ServiceContext): Hover | undefined {
  if (source.length > MAX_MODEL_SOURCE) return undefined;
  const cached = cachedModelParse(source, ctx);
  const lc = cached?.lineCounter ?? new LineCounter();
  const doc = cached?.document ?? parseDocument(source, { lineCounter: lc, uniqueKeys: false });
  const offset = offsetOf(source, position);
  const loc = locate(doc.contents as AnyNode, offset, []);
  if (!loc || loc.path.length === 0) return undefined;
  const toPos = (o: number): Position => { const p = lc.linePos(o); return { line: p.line - 1, column: p.col - 1 }; };
  const range = { start: toPos(loc.start), end: toPos(loc.end) };
  const f = fieldAt(schema, loc.path);
  const last = loc.path[loc.path.length - 1];
  const parent = fieldAt(schema, loc.path.slice(0, -1));
  if (!f) {
    if (loc.on === 'key' && parent?.type === 'object') {
      const near = closest(String(last), [Object.keys(parent.fields)]);
      return { range, markdown: `Unknown key \`${String(last)}\`${near ? ` — did you mean \`${near}\`?` : ''}` };
    }
    return undefined;
  }
  const name = parent?.type === 'map' && loc.on === 'key' ? `${String(last)} (${parent.keyHint ?? 'name'})` : String(last);
  let md = fieldDoc(typeof last === 'number' ? `item ${last}` : name, f);
  if (loc.on === 'value' && isScalar(loc.node)) {
    const v = loc.node.value;
    if (f.type === 'enum' && f.valueDocs?.[String(v)]) md = `\`${String(v)}\`: ${f.valueDocs[String(v)]}\n\n---\n\n${md}`;
    if ((f.type === 'number' || f.type === 'integer') && typeof v === 'string') {
      const r = evaluateExpression(v, ctx.scope);
      if (r.ok) {
        const unit = f.type === 'number' ? f.unit : undefined;
        const q = r.quantity;
        const shown = isDimensionless(q.dims) && f.type === 'number' && f.dimension && f.dimension !== 'none' ? formatInUnit(unitScale(unit) * q.value, unit) : formatInUnit(q.value, unit);
        md = `\`${v}\` = **${shown}**${q.display ? ` (${q.display})` : ''}\n\n---\n\n${md}`;
      }
    }
  }
  return { range, markdown: md };
}

const CURSOR = '__sdnb_cursor__';

/** Completions at a position: keys valid at the cursor's indentation, or values (enums, booleans, estimate names). */
export function completeModel(source: string, position: Position, schema: ObjectField, ctx: ServiceContext): Completion[] {
  if (source.length > MAX_MODEL_SOURCE) return [];
  const lines = source.split('\n');
  const line = lines[position.line] ?? '';
  const before = line.slice(0, position.column);
  const valueCtx = /^(\s*(?:-\s+)*)([^\s:#][^:#]*?):\s+([^#]*)$/.exec(before) ?? /^(\s*(?:-\s+)*)([^\s:#][^:#]*?):$/.exec(before);
  const keyCtx = /^(\s*(?:-\s+)*)([A-Za-z0-9_-]*)$/.exec(before);
  let probe: string;
  let mode: 'key' | 'value';
  if (keyCtx) {
    mode = 'key';
    probe = `${keyCtx[1]}${CURSOR}: x`;
  } else if (valueCtx) {
    mode = 'value';
    probe = `${valueCtx[1]}${valueCtx[2]}: ${CURSOR}`;
  } else return [];
  const patched = [...lines.slice(0, position.line), probe, ...lines.slice(position.line + 1)].join('\n');
  const doc = parseDocument(patched, { uniqueKeys: false });
  const found = findCursor(doc.contents as AnyNode, []);
  if (!found) return [];
  if (mode === 'key') {
    const parent = fieldAt(schema, found.path.slice(0, -1));
    if (parent?.type !== 'object') return [];
    return Object.entries(parent.fields)
      .filter(([k]) => !found.siblings.includes(k))
      .map(([k, f]) => ({
        label: k,
        kind: 'property' as const,
        detail: typeName(f),
        documentation: fieldDoc(k, f),
        insertText: f.type === 'object' || f.type === 'map' ? `${k}:\n` : f.type === 'list' ? `${k}:\n  - ` : `${k}: `,
      }));
  }
  const f = fieldAt(schema, found.path);
  if (!f) return [];
  if (f.type === 'enum') return f.values.map((v) => ({ label: v, kind: 'value' as const, detail: f.valueDocs?.[v], documentation: f.description }));
  if (f.type === 'boolean') return ['true', 'false'].map((v) => ({ label: v, kind: 'value' as const }));
  if (f.type === 'number' || f.type === 'integer') {
    const out: Completion[] = ctx.scope.names().map((n) => {
      const d = ctx.scope.get(n);
      return { label: n, kind: 'variable' as const, detail: d?.quantity.display ?? d?.expression };
    });
    if (f.type === 'number' && f.dimension && f.dimension !== 'none')
      for (const u of unitsFor(f.dimension)) out.push({ label: u, kind: 'unit', detail: describeDimension(f.dimension) });
    return out;
  }
  return [];
}

function findCursor(node: AnyNode, path: Path): { path: Path; siblings: string[] } | undefined {
  if (!node) return undefined;
  if (isMap(node)) {
    const keys = node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      if (name === CURSOR) return { path: [...path, name], siblings: keys };
      const v = pair.value as AnyNode;
      if (isScalar(v) && v.value === CURSOR) return { path: [...path, name], siblings: keys };
      const r = findCursor(v, [...path, name]);
      if (r) return r;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const r = findCursor(node.items[i] as AnyNode, [...path, i]);
      if (r) return r;
    }
  } else if (isPair(node)) return undefined;
  return undefined;
}
