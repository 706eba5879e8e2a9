// The unit prelude as data: every unit is a factor to base units (seconds, bytes, 1 of a currency,
// 1 per countable thing) and a dimension array. Lookup is one Map get; plurals of countables resolve
// to the singular.
import { Dims, INFO, NONE, TIME, baseDim, dimIndex, mulDims, divDims } from './dimensions';

/** Display hints carried from the input to the output. */
export const F_IEC = 1;
export const F_BITS = 2;
export const F_BYTES = 4;
export const F_PERCENT = 8;
export const F_DOWNTIME = 16;
/** Flags that flow through arithmetic (the others belong to a single value). */
export const F_FLOW = F_IEC | F_BITS | F_BYTES;

export interface UnitDef {
  /** Canonical spelling, used in hovers. */
  name: string;
  /** Value of one of this unit in base units. */
  factor: number;
  dims: Dims;
  flags: number;
  /** One-line explanation for hover and completion, e.g. `year = 365.25 days`. */
  doc: string;
  /** For countable units: the singular name, which is also the dimension name. */
  countable?: string;
}

const TABLE = new Map<string, UnitDef>();

function add(names: string[], factor: number, dims: Dims, flags: number, doc: string, countable?: string): void {
  const def: UnitDef = { name: names[0], factor, dims, flags, doc, countable };
  for (const n of names) if (!TABLE.has(n)) TABLE.set(n, def);
}

const T = baseDim(TIME);
const I = baseDim(INFO);
const PER_T = divDims(NONE, T);
const I_PER_T = mulDims(I, PER_T);

export const SECOND = 1;
export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;
export const YEAR = 365.25 * DAY;
export const MONTH = YEAR / 12;

// Time
add(['s', 'sec', 'secs', 'second', 'seconds'], 1, T, 0, 'second, the base unit of time');
add(['ns', 'nsec', 'nanosecond', 'nanoseconds'], 1e-9, T, 0, 'nanosecond = 10⁻⁹ s');
add(['µs', 'μs', 'us', 'usec', 'microsecond', 'microseconds'], 1e-6, T, 0, 'microsecond = 10⁻⁶ s');
add(['ms', 'msec', 'millisecond', 'milliseconds'], 1e-3, T, 0, 'millisecond = 10⁻³ s');
add(['min', 'mins', 'minute', 'minutes'], MINUTE, T, 0, 'minute = 60 s');
add(['h', 'hr', 'hrs', 'hour', 'hours'], HOUR, T, 0, 'hour = 3,600 s');
add(['day', 'days', 'd'], DAY, T, 0, 'day = 86,400 s');
add(['week', 'weeks', 'wk'], 7 * DAY, T, 0, 'week = 7 days');
add(['month', 'months', 'mo'], MONTH, T, 0, 'month = year / 12 = 30.4375 days = 730.5 h');
add(['year', 'years', 'yr', 'yrs'], YEAR, T, 0, 'year = 365.25 days (Julian year, as in availability tables)');

// Information: byte (B) is the base; bit (b) is 1/8 byte. `B` is never "billion".
add(['B', 'byte', 'bytes'], 1, I, F_BYTES, 'byte = 8 bits');
add(['b', 'bit', 'bits'], 0.125, I, F_BITS, 'bit = 1/8 byte');
add(['bps'], 0.125, I_PER_T, F_BITS, 'bits per second');

// Money: one base dimension per currency, never converted into each other (no exchange rates; a price
// is a name the user declares). The symbols are also written before a number: `$0.34/hour`.
export const CURRENCY_UNITS: [string, string[], string][] = [
  ['USD', ['usd', 'dollar', 'dollars', '$'], 'US dollar'],
  ['EUR', ['eur', 'euro', 'euros', '€'], 'euro'],
  ['GBP', ['gbp', '£'], 'pound sterling'],
];
for (const [code, aliases, long] of CURRENCY_UNITS)
  add(
    [code, ...aliases],
    1,
    baseDim(dimIndex(code)),
    0,
    `${long} (${[code, ...aliases].map((a) => '`' + a + '`').join(', ')}): a currency, never converted into another`,
  );

/** Currency symbols, which are also written before a number (`$0.34`), mapped to their codes. */
export const CURRENCY_SYMBOLS = new Map<string, string>([
  ['$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
]);

const DECIMAL: [string[], number, string][] = [
  [['k', 'K'], 1e3, 'kilo'],
  [['M'], 1e6, 'mega'],
  [['G'], 1e9, 'giga'],
  [['T'], 1e12, 'tera'],
  [['P'], 1e15, 'peta'],
  [['E'], 1e18, 'exa'],
];
for (const [ps, f, long] of DECIMAL) {
  const p0 = ps[0];
  const exp = Math.round(Math.log10(f));
  for (const p of ps) {
    add([p + 'B', long + 'byte', long + 'bytes'], f, I, F_BYTES, `${p0}B = 10^${exp} bytes (decimal; KB = kB)`);
    add([p + 'b', p + 'bit', long + 'bit', long + 'bits'], f / 8, I, F_BITS, `${p0}bit = 10^${exp} bits`);
    add([p + 'bps'], f / 8, I_PER_T, F_BITS, `${p0}bps = 10^${exp} bits per second`);
    add([p + 'Bps'], f, I_PER_T, F_BYTES, `${p0}B/s = 10^${exp} bytes per second`);
  }
}
const BINARY: [string, string][] = [
  ['Ki', 'kibi'],
  ['Mi', 'mebi'],
  ['Gi', 'gibi'],
  ['Ti', 'tebi'],
  ['Pi', 'pebi'],
  ['Ei', 'exbi'],
];
BINARY.forEach(([p, long], k) => {
  const f = 2 ** (10 * (k + 1));
  add([p + 'B', long + 'byte', long + 'bytes'], f, I, F_IEC | F_BYTES, `${p}B = 2^${10 * (k + 1)} bytes (binary)`);
  add([p + 'b', p + 'bit', long + 'bit', long + 'bits'], f / 8, I, F_IEC | F_BITS, `${p}bit = 2^${10 * (k + 1)} bits (binary)`);
});

// Request rates: `100 QPS` is 100 req/s (queries, requests and transactions are all counted as `req`).
const REQ_PER_S = divDims(baseDim(dimIndex('req')), T);
add(['QPS'], 1, REQ_PER_S, 0, 'queries per second, counted as requests: 1 QPS = 1 req/s');
add(['RPS'], 1, REQ_PER_S, 0, 'requests per second: 1 RPS = 1 req/s');
add(['TPS'], 1, REQ_PER_S, 0, 'transactions per second, counted as requests: 1 TPS = 1 req/s');

/** Predefined countable units: [singular, ...aliases]. Each is a dimension of its own. */
export const COUNTABLES: string[][] = [
  ['req', 'request', 'rq'],
  ['user'],
  ['msg', 'message'],
  ['tweet'],
  ['event'],
  ['order'],
  ['post'],
  ['photo'],
  ['video'],
  ['image'],
  ['file'],
  ['page'],
  ['view'],
  ['click'],
  ['query', 'queries'],
  ['txn', 'transaction'],
  ['item'],
  ['record'],
  ['row'],
  ['object', 'obj'],
  ['call'],
  ['session'],
  ['conn', 'connection'],
  ['server'],
  ['machine'],
  ['host'],
  ['core'],
  ['packet'],
  ['job'],
  ['task'],
  ['visit'],
  ['like'],
  ['comment'],
  ['device'],
  ['account'],
  ['customer'],
  ['upload'],
  ['download'],
  ['search', 'searches'],
  ['notification'],
  ['chunk'],
  ['shard'],
  ['replica'],
  ['doc', 'document'],
];

/** Short countable names that read badly with an `s` (`3 reqs/s`): shown singular. */
const ABBREVIATED = new Set(['req', 'msg', 'txn', 'conn', 'obj', 'doc', 'rq']);

export function countableUnit(singular: string, doc?: string): UnitDef {
  return {
    name: singular,
    factor: 1,
    dims: baseDim(dimIndex(singular)),
    flags: 0,
    doc: doc ?? `countable unit \`${singular}\` (a dimension of its own)`,
    countable: singular,
  };
}

for (const names of COUNTABLES) {
  const def = countableUnit(names[0], `countable unit \`${names[0]}\` (predefined; a dimension of its own)`);
  for (const n of names) {
    if (!TABLE.has(n)) TABLE.set(n, def);
    // A name listed as another's plural (`queries`) gets no plural of its own (`querieses`).
    if (names.some((m) => m !== n && plural(m) === n)) continue;
    const pl = plural(n);
    if (!TABLE.has(pl)) TABLE.set(pl, def);
  }
}

export function plural(n: string): string {
  if (n.endsWith('y') && !/[aeiou]y$/.test(n)) return n.slice(0, -1) + 'ies';
  if (n.endsWith('s') || n.endsWith('ch') || n.endsWith('sh') || n.endsWith('x')) return n + 'es';
  return n + 's';
}

/** The plural used when showing a count of this unit (`300M users`), or the name itself. */
export function displayName(singular: string, count: number): string {
  if (ABBREVIATED.has(singular) || Math.abs(count) === 1) return singular;
  return plural(singular);
}

/** Singular candidates for a plural spelling (`photos` → `photo`, `queries` → `query`). */
export function singulars(name: string): string[] {
  const out: string[] = [];
  if (name.endsWith('ies') && name.length > 3) out.push(name.slice(0, -3) + 'y');
  if (name.endsWith('es') && name.length > 2) out.push(name.slice(0, -2));
  if (name.endsWith('s') && name.length > 1) out.push(name.slice(0, -1));
  return out;
}

export function lookupBuiltinUnit(name: string): UnitDef | undefined {
  return TABLE.get(name);
}

export function builtinUnitNames(): string[] {
  return [...TABLE.keys()];
}

/** Magnitude suffixes and words written after a number: `100k`, `100M`, `2bn`, `3 million`. Never `B`. */
export const MAGNITUDES = new Map<string, number>([
  ['k', 1e3],
  ['K', 1e3],
  ['M', 1e6],
  ['bn', 1e9],
  ['thousand', 1e3],
  ['million', 1e6],
  ['billion', 1e9],
  ['trillion', 1e12],
]);
