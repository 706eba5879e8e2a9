// Built-in constants and functions as data: the latency numbers every programmer should know,
// powers of two, availability helpers and a few numeric functions.
import { Dims, NONE, TIME, baseDim, isNone, sameDims } from './dimensions';
import { F_DOWNTIME, F_FLOW, F_PERCENT } from './units';

export interface BuiltinConstant {
  name: string;
  value: number;
  dims: Dims;
  doc: string;
}

const T = baseDim(TIME);
const ns = 1e-9;

/** Jeff Dean's "latency numbers every programmer should know" (Norvig / Dean, 2012 revision). */
export const LATENCIES: [string, number, string][] = [
  ['l1_ref', 0.5 * ns, 'L1 cache reference'],
  ['branch_mispredict', 5 * ns, 'branch mispredict'],
  ['l2_ref', 7 * ns, 'L2 cache reference'],
  ['mutex_lock', 25 * ns, 'mutex lock/unlock'],
  ['mem_ref', 100 * ns, 'main memory reference'],
  ['compress_1kb', 3_000 * ns, 'compress 1 KB with Zippy (Snappy)'],
  ['send_1kb', 10_000 * ns, 'send 1 KB over a 1 Gbps network'],
  ['ssd_random_read', 150_000 * ns, 'read 4 KB randomly from SSD'],
  ['mem_read_1mb', 250_000 * ns, 'read 1 MB sequentially from memory'],
  ['rtt_dc', 500_000 * ns, 'round trip within the same datacenter'],
  ['ssd_read_1mb', 1_000_000 * ns, 'read 1 MB sequentially from SSD'],
  ['disk_seek', 10_000_000 * ns, 'disk seek'],
  ['disk_read_1mb', 20_000_000 * ns, 'read 1 MB sequentially from disk'],
  ['rtt_ca_nl', 150_000_000 * ns, 'send a packet California → Netherlands → California'],
];

export const CONSTANTS = new Map<string, BuiltinConstant>();
for (const [name, value, doc] of LATENCIES) CONSTANTS.set(name, { name, value, dims: T, doc: `latency: ${doc}` });
(
  [
    ['kibi', 10],
    ['mebi', 20],
    ['gibi', 30],
    ['tebi', 40],
    ['pebi', 50],
    ['exbi', 60],
  ] as const
).forEach(([name, e]) =>
  CONSTANTS.set(name, { name, value: 2 ** e, dims: NONE, doc: `${name} = 2^${e} = ${(2 ** e).toLocaleString('en-US')}` }),
);
(
  [
    ['thousand', 1e3],
    ['million', 1e6],
    ['billion', 1e9],
    ['trillion', 1e12],
  ] as const
).forEach(([name, v]) => CONSTANTS.set(name, { name, value: v, dims: NONE, doc: `${name} = ${v.toLocaleString('en-US')}` }));

export interface ArgInfo {
  d: Dims;
  f: number;
}

export interface BuiltinFunction {
  name: string;
  signature: string;
  doc: string;
  minArgs: number;
  maxArgs: number;
  /** Result dimension and flags, or a message saying what is wrong with the arguments. */
  check(args: ArgInfo[]): { d: Dims; f: number } | string;
  /** Throws a RangeError with a user-facing message for inputs outside the domain. */
  eval(args: number[]): number;
}

const scalar =
  (name: string, f = 0) =>
  (args: ArgInfo[]) => {
    for (const a of args) if (!isNone(a.d)) return `\`${name}\` takes plain numbers; divide by a unit first, e.g. \`${name}(x / 1 GB)\``;
    return { d: NONE, f };
  };

function availability(a: number, name: string): number {
  if (!(a >= 0 && a <= 1)) throw new RangeError(`\`${name}\` needs availabilities between 0% and 100%, got ${a * 100}%`);
  return a;
}

const FUNCS: BuiltinFunction[] = [
  {
    name: 'ceil',
    signature: 'ceil(x)',
    doc: 'rounds up to an integer',
    minArgs: 1,
    maxArgs: 1,
    check: scalar('ceil'),
    eval: (a) => Math.ceil(a[0]),
  },
  {
    name: 'floor',
    signature: 'floor(x)',
    doc: 'rounds down to an integer',
    minArgs: 1,
    maxArgs: 1,
    check: scalar('floor'),
    eval: (a) => Math.floor(a[0]),
  },
  {
    name: 'round',
    signature: 'round(x)',
    doc: 'rounds to the nearest integer',
    minArgs: 1,
    maxArgs: 1,
    check: scalar('round'),
    eval: (a) => Math.round(a[0]),
  },
  {
    name: 'log2',
    signature: 'log2(x)',
    doc: 'base-2 logarithm',
    minArgs: 1,
    maxArgs: 1,
    check: scalar('log2'),
    eval: (a) => {
      if (!(a[0] > 0)) throw new RangeError('`log2` needs a positive number');
      return Math.log2(a[0]);
    },
  },
  {
    name: 'log10',
    signature: 'log10(x)',
    doc: 'base-10 logarithm',
    minArgs: 1,
    maxArgs: 1,
    check: scalar('log10'),
    eval: (a) => {
      if (!(a[0] > 0)) throw new RangeError('`log10` needs a positive number');
      return Math.log10(a[0]);
    },
  },
  {
    name: 'sqrt',
    signature: 'sqrt(x)',
    doc: 'square root; units must have even powers',
    minArgs: 1,
    maxArgs: 1,
    check: (a) => {
      if (a[0].d.some((e) => e % 2 !== 0)) return '`sqrt` needs units with even powers (like `s^2`)';
      return { d: a[0].d.map((e) => e / 2), f: a[0].f & F_FLOW };
    },
    eval: (a) => {
      if (a[0] < 0) throw new RangeError('`sqrt` of a negative number');
      return Math.sqrt(a[0]);
    },
  },
  {
    name: 'abs',
    signature: 'abs(x)',
    doc: 'absolute value',
    minArgs: 1,
    maxArgs: 1,
    check: (a) => ({ d: a[0].d, f: a[0].f & F_FLOW }),
    eval: (a) => Math.abs(a[0]),
  },
  {
    name: 'min',
    signature: 'min(a, b, …)',
    doc: 'smallest argument (same dimension)',
    minArgs: 1,
    maxArgs: 64,
    check: sameDimension('min'),
    eval: (a) => Math.min(...a),
  },
  {
    name: 'max',
    signature: 'max(a, b, …)',
    doc: 'largest argument (same dimension)',
    minArgs: 1,
    maxArgs: 64,
    check: sameDimension('max'),
    eval: (a) => Math.max(...a),
  },
  {
    name: 'pow2',
    signature: 'pow2(n)',
    doc: '2^n (pow2(10) = 1,024)',
    minArgs: 1,
    maxArgs: 1,
    check: scalar('pow2'),
    eval: (a) => 2 ** a[0],
  },
  {
    name: 'nines',
    signature: 'nines(n)',
    doc: 'availability with n nines: nines(4) = 99.99%',
    minArgs: 1,
    maxArgs: 1,
    check: scalar('nines', F_PERCENT),
    eval: (a) => 1 - 10 ** -a[0],
  },
  {
    name: 'downtime',
    signature: 'downtime(availability)',
    doc: 'unavailable fraction; shown per year, convert with `-> min/year`',
    minArgs: 1,
    maxArgs: 1,
    check: scalar('downtime', F_DOWNTIME),
    eval: (a) => 1 - availability(a[0], 'downtime'),
  },
  {
    name: 'serial',
    signature: 'serial(a1, a2, …)',
    doc: 'availability of components in series: a1 × a2 × …',
    minArgs: 1,
    maxArgs: 64,
    check: scalar('serial', F_PERCENT),
    eval: (a) => a.reduce((p, x) => p * availability(x, 'serial'), 1),
  },
  {
    name: 'parallel',
    signature: 'parallel(a1, a2, …)',
    doc: 'availability of redundant components: 1 − (1 − a1)(1 − a2)…',
    minArgs: 1,
    maxArgs: 64,
    check: scalar('parallel', F_PERCENT),
    eval: (a) => 1 - a.reduce((p, x) => p * (1 - availability(x, 'parallel')), 1),
  },
];

function sameDimension(name: string) {
  return (args: ArgInfo[]) => {
    let f = 0;
    for (let i = 1; i < args.length; i++)
      if (!sameDims(args[0].d, args[i].d))
        return `all arguments of \`${name}\` must have the same dimension (argument ${i + 1} differs from argument 1)`;
    for (const a of args) f |= a.f & (F_FLOW | F_PERCENT);
    return { d: args[0].d, f };
  };
}

export const FUNCTIONS = new Map<string, BuiltinFunction>(FUNCS.map((f) => [f.name, f]));
