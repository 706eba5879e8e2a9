// A small declarative schema for YAML model cells. One schema drives validation, hover and completion,
// and the TypeScript type of the value a cell parses to (`ValueOf<typeof schema>`), so a kernel reads
// its model without casts and a default is written once, in the schema.
import { Dimension } from './units';

/**
 * Why a field has its maximum: messages and hovers show it with the limit, and `bytesEach` turns a value
 * over the limit into the memory it would take (`a model this large would need about 250 GB`).
 */
export interface Limit {
  /** What the maximum counts, read after `at most N`: `instances per service`. */
  what: string;
  /** Memory one unit costs in a run, in bytes. */
  bytesEach?: number;
}

export interface Common {
  description: string;
  required?: boolean;
  /** Default as it would be written in the cell (a plain number is in the field's `unit`). */
  default?: unknown;
}

export type NumberField = Common & {
  type: 'number';
  /** Physical dimension of the value; the parsed value is in SI (seconds, bytes, per second). */
  dimension?: Dimension;
  /** Unit of a plain YAML number, e.g. `ms` for a latency; also shown on hover. */
  unit?: string;
  min?: number;
  max?: number;
  /** True when `min` itself is not allowed. */
  exclusiveMin?: boolean;
  limit?: Limit;
};
export type IntegerField = Common & { type: 'integer'; min?: number; max?: number; limit?: Limit };
export type StringField = Common & { type: 'string'; pattern?: RegExp; patternHint?: string };
export type EnumField = Common & { type: 'enum'; values: readonly string[]; valueDocs?: Readonly<Record<string, string>> };
export type BooleanField = Common & { type: 'boolean' };
export type ListField = Common & { type: 'list'; items: Field; minItems?: number; maxItems?: number; limit?: Limit };
export type MapField = Common & { type: 'map'; values: Field; keyHint?: string; maxEntries?: number; limit?: Limit };
export type ObjectField = Common & {
  type: 'object';
  fields: Readonly<Record<string, Field>>;
  /** A section the cell may leave out: it then reads as if written empty, so its defaults apply. */
  implicit?: boolean;
};

export type Field = NumberField | IntegerField | StringField | EnumField | BooleanField | ListField | MapField | ObjectField;

// ---------------------------------------------------------------------------------------------
// The type of a parsed value, derived from the schema object itself

/** A key the parsed value always has: required, defaulted, or an implicit section. */
type Always<F> = F extends { required: true } | { default: unknown } | { type: 'object'; implicit: true } ? true : false;

type Flat<T> = { [K in keyof T]: T[K] } & unknown;

type ObjectValue<Fs> = Flat<
  { -readonly [K in keyof Fs as Always<Fs[K]> extends true ? K : never]: ValueOf<Fs[K]> } & {
    -readonly [K in keyof Fs as Always<Fs[K]> extends true ? never : K]?: ValueOf<Fs[K]>;
  }
>;

/**
 * The value a field parses to, with defaults filled in and quantities in SI: `ValueOf<typeof schema>`
 * for a schema built with the constructors below (or written `as const`). A wide `Field` gives `unknown`.
 */
export type ValueOf<F> = F extends { type: 'number' | 'integer' }
  ? number
  : F extends { type: 'string' }
    ? string
    : F extends { type: 'boolean' }
      ? boolean
      : F extends { type: 'enum'; values: readonly (infer V)[] }
        ? V
        : F extends { type: 'list'; items: infer I }
          ? ValueOf<I>[]
          : F extends { type: 'map'; values: infer W }
            ? Record<string, ValueOf<W>>
            : F extends { type: 'object'; fields: infer Fs }
              ? string extends keyof Fs
                ? Record<string, unknown>
                : ObjectValue<Fs>
              : unknown;

// Constructors that keep the literal type of what they are given (`default: 10`, `required: true`,
// an enum's values), so `ValueOf` can read it. Each is the plain object it returns.
export type Extra<F extends Field> = Partial<Omit<F, 'type' | 'description'>>;
/** No extra keys (a constructor's default). */
export type NoExtra = Record<never, never>;

export const num = <const E extends Extra<NumberField> = NoExtra>(description: string, extra?: E) => ({
  type: 'number' as const,
  description,
  ...(extra as NoInfer<E>),
});
export const int = <const E extends Extra<IntegerField> = NoExtra>(description: string, extra?: E) => ({
  type: 'integer' as const,
  description,
  ...(extra as NoInfer<E>),
});
export const str = <const E extends Extra<StringField> = NoExtra>(description: string, extra?: E) => ({
  type: 'string' as const,
  description,
  ...(extra as NoInfer<E>),
});
export const bool = <const E extends Extra<BooleanField> = NoExtra>(description: string, extra?: E) => ({
  type: 'boolean' as const,
  description,
  ...(extra as NoInfer<E>),
});
export const oneOf = <const V extends readonly string[], const E extends Extra<EnumField> = NoExtra>(
  values: V,
  description: string,
  extra?: E,
) => ({ type: 'enum' as const, values, description, ...(extra as NoInfer<E>) });
export const list = <const I extends Field, const E extends Extra<ListField> = NoExtra>(description: string, items: I, extra?: E) => ({
  type: 'list' as const,
  description,
  items,
  ...(extra as NoInfer<E>),
});
export const mapOf = <const W extends Field, const E extends Extra<MapField> = NoExtra>(description: string, values: W, extra?: E) => ({
  type: 'map' as const,
  description,
  values,
  ...(extra as NoInfer<E>),
});
export const obj = <const Fs extends Readonly<Record<string, Field>>, const E extends Extra<ObjectField> = NoExtra>(
  description: string,
  fields: Fs,
  extra?: E,
) => ({ type: 'object' as const, description, fields, ...(extra as NoInfer<E>) });

/** Longest duration a model takes (about 31.7 years): the clock counts whole microseconds, exact below 2^53. */
export const MAX_DURATION_S = 1e9;
/** Fastest rate a model takes, per second (the clock ticks in microseconds: faster arrivals only pile up on ticks). */
export const MAX_RATE = 1e9;

/**
 * Most steps (events and setup items) a model may need to finish: 1e12 steps take more than a day at
 * ten million a second, so a model estimated past it is refused at parse time rather than left to
 * the run's budget (docs/limits.md).
 */
export const MAX_WORK_STEPS = 1e12;

/** `about 6e14 steps (…) — at most 1e12: it could not finish in a day`. */
export function workMessage(steps: number, what: string): string {
  return `about ${steps.toPrecision(2).replace('+', '')} steps (${what}) — at most ${MAX_WORK_STEPS.toExponential().replace('+', '')} in a run: even at ten million steps a second it could not finish in a day`;
}

/**
 * Memory a model's own state may take (docs/limits.md): what its declared sizes allocate (instances,
 * tables, partitions, records). A run adds at most its in-flight state, which each kernel stops at its
 * own ceiling, so a cell run stays within the documented total.
 */
export const MODEL_MEMORY_BYTES = 256e6;

/** One part of a model's memory, at the key that sizes it. */
export interface MemoryTerm {
  path: (string | number)[];
  /** `instances`, `cache slots`, … */
  what: string;
  bytes: number;
}

/** The part to blame and a message when a model's parts add up past MODEL_MEMORY_BYTES. */
export function overMemory(
  terms: MemoryTerm[],
  formatBytes: (n: number) => string,
): { path: (string | number)[]; message: string } | undefined {
  const total = terms.reduce((a, t) => a + t.bytes, 0);
  if (total <= MODEL_MEMORY_BYTES) return undefined;
  const top = [...terms].sort((a, b) => b.bytes - a.bytes);
  const parts = top
    .slice(0, 3)
    .filter((t) => t.bytes > 0)
    .map((t) => `${t.what} ${formatBytes(t.bytes)}`)
    .join(', ');
  return {
    path: top[0].path,
    message: `the model would need about ${formatBytes(total)} of memory (${parts}) — at most ${formatBytes(MODEL_MEMORY_BYTES)} per cell; the largest part is here`,
  };
}

/** A duration: a plain number is in `unit`; the value is in seconds. */
export const duration = <const E extends Extra<NumberField> = NoExtra>(description: string, unit = 's', extra?: E) => ({
  type: 'number' as const,
  dimension: 'time' as const,
  unit,
  min: 0,
  max: MAX_DURATION_S,
  limit: { what: '(about 31 years: the simulation clock counts whole microseconds)' },
  description,
  ...(extra as NoInfer<E>),
});
/** A rate per second. */
export const rate = <const E extends Extra<NumberField> = NoExtra>(description: string, extra?: E) => ({
  type: 'number' as const,
  dimension: 'rate' as const,
  unit: '/s',
  min: 0,
  max: MAX_RATE,
  limit: { what: '(the clock ticks in microseconds)' },
  description,
  ...(extra as NoInfer<E>),
});

/** Human-readable type of a field, for hovers and messages. */
export function typeName(f: Field): string {
  switch (f.type) {
    case 'number':
      if (f.dimension === 'time') return `duration (plain numbers in ${f.unit ?? 's'})`;
      if (f.dimension === 'rate') return 'rate (per second)';
      if (f.dimension === 'data') return `size (plain numbers in ${f.unit ?? 'B'})`;
      if (f.dimension === 'datarate') return 'data rate (bytes per second)';
      return f.unit ? `number (${f.unit})` : 'number';
    case 'integer':
      return 'integer';
    case 'string':
      return 'string';
    case 'enum':
      return f.values.map((v) => `\`${v}\``).join(' | ');
    case 'boolean':
      return 'boolean';
    case 'list':
      return `list of ${typeName(f.items)}`;
    case 'map':
      return `map of ${f.keyHint ?? 'name'} → ${typeName(f.values)}`;
    case 'object':
      return 'object';
  }
}

/** The field at a path of keys and list indices, or undefined. */
export function fieldAt(root: Field, path: readonly (string | number)[]): Field | undefined {
  let f: Field | undefined = root;
  for (const seg of path) {
    if (!f) return undefined;
    if (f.type === 'object') f = typeof seg === 'string' ? f.fields[seg] : undefined;
    else if (f.type === 'list') f = typeof seg === 'number' ? f.items : undefined;
    else if (f.type === 'map') f = typeof seg === 'string' ? f.values : undefined;
    else return undefined;
  }
  return f;
}
