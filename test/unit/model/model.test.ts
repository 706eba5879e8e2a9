import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ObjectField,
  ValueOf,
  bool,
  completeModel,
  duration,
  hoverModel,
  int,
  list,
  mapOf,
  num,
  obj,
  oneOf,
  parseModel,
  rate,
  str,
  unitScale,
  unitsFor,
  valueAsWritten,
} from '../../../src/kernels/model';
import { Definition, ParseContext, Quantity, Scope } from '../../../src/kernels/types';

const schema: ObjectField = {
  type: 'object',
  description: 'test cell',
  fields: {
    seed: { type: 'integer', description: 'Random seed.', min: 0 },
    traffic: {
      type: 'object',
      description: 'Offered load.',
      required: true,
      fields: {
        rate: rate('Mean arrival rate.', { required: true }),
        duration: duration('Simulated time.', 's', { default: 60 }),
        pattern: {
          type: 'enum',
          values: ['poisson', 'constant'],
          default: 'poisson',
          description: 'Arrival process.',
          valueDocs: { poisson: 'exponential gaps', constant: 'fixed gaps' },
        },
      },
    },
    services: {
      type: 'map',
      description: 'Backends by name.',
      values: {
        type: 'object',
        description: 'A service.',
        fields: {
          instances: { type: 'integer', min: 1, default: 1, description: 'Instance count.' },
          latency: duration('Mean service time.', 'ms', { required: true }),
          cache: { type: 'boolean', default: false, description: 'Cache responses.' },
        },
      },
    },
    routes: {
      type: 'list',
      description: 'Routes.',
      items: { type: 'object', description: 'A route.', fields: { path: { type: 'string', required: true, description: 'Path.' } } },
    },
  },
};

function scopeOf(defs: Record<string, Quantity>): Scope {
  const m = new Map<string, Definition>(
    Object.entries(defs).map(([name, quantity]) => [
      name,
      {
        name,
        quantity,
        cellIndex: 0,
        range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
        expression: String(quantity.value),
      },
    ]),
  );
  return { get: (n) => m.get(n), names: () => [...m.keys()] };
}

const ctx: ParseContext = {
  cellIndex: 1,
  scope: scopeOf({
    peak_qps: { value: 3472, dims: { req: 1, time: -1 }, display: '3,472 req/s' },
    p_ttl: { value: 30, dims: { time: 1 } },
  }),
};

const at = (d: { range: { start: { line: number; column: number } } }) => [d.range.start.line, d.range.start.column];

test('a valid cell: defaults filled, units converted to SI, reads collected', () => {
  const src =
    'traffic:\n  rate: peak_qps\nservices:\n  users:\n    latency: 20\n  cart:\n    latency: 1.5 s\n    instances: 3\nroutes:\n  - path: /a\n';
  const r = parseModel(src, schema, ctx);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.value, {
    traffic: { rate: 3472, duration: 60, pattern: 'poisson' },
    services: { users: { latency: 0.02, instances: 1, cache: false }, cart: { latency: 1.5, instances: 3, cache: false } },
    routes: [{ path: '/a' }],
  });
  assert.deepEqual(r.reads, ['peak_qps']);
  assert.deepEqual(r.rangeOf(['services', 'cart', 'latency']), { start: { line: 6, column: 13 }, end: { line: 6, column: 18 } });
  assert.deepEqual(r.rangeOf(['routes', 0, 'path'], true).start, { line: 9, column: 4 });
  assert.equal(r.ranges.get('traffic.rate')?.expression, 'peak_qps');
});

test('errors point at the offending key or value (zero-based line/column)', () => {
  const cases: [string, [number, number], RegExp][] = [
    ['traffic:\n  rat: 5\n', [1, 2], /unknown key `rat` in `traffic`; did you mean `rate`\?/],
    ['traffic:\n  rate: 5\n  pattern: poison\n', [2, 11], /one of `poisson`, `constant`, got `poison`; did you mean `poisson`/],
    ['traffic:\n  rate: 5\nseed: 1.5\n', [2, 6], /whole number/],
    ['traffic:\n  rate: 5\nseed: -1\n', [2, 6], />= 0/],
    ['traffic:\n  rate: 10 ms\n', [1, 8], /should be a rate \(per second\), but `10 ms` is a duration/],
    ['traffic:\n  rate: nope\n', [1, 8], /unknown name `nope`/],
    ['traffic:\n  rate: "5 furlongs"\n', [1, 11], /unknown unit `furlongs`/],
    ['traffic:\n  duration: 5\n', [0, 0], /missing required key `rate` in `traffic`/],
    ['seed: 1\n', [0, 0], /missing required key `traffic`/],
    ['traffic:\n  rate: 5\nservices:\n  a:\n    latency: 5\n    cache: yes\n', [5, 11], /`true` or `false`/],
    ['traffic:\n  rate: 5\nroutes: /a\n', [2, 8], /should be a list/],
    ['traffic:\n  rate: 5\nroutes:\n  - {}\n', [3, 4], /missing required key `path` in `routes\[0\]`/],
    ['traffic:\n  rate: 5\n  rate: 6\n', [2, 2], /unique/],
    ['traffic: [\n', [1, 0], /./],
  ];
  for (const [src, pos, msg] of cases) {
    const r = parseModel(src, schema, ctx);
    assert.equal(r.value, undefined, src);
    assert.ok(r.diagnostics.length >= 1, src);
    const d = r.diagnostics[0];
    assert.match(d.message, msg, src);
    if (!/\[\n$/.test(src)) assert.deepEqual(at(d), pos, `${src} -> ${d.message}`);
  }
});

test('plain numbers use the field unit; dimensionless expressions too', () => {
  const r = parseModel('traffic:\n  rate: "2k"\n  duration: 2 min\n', schema, ctx);
  assert.deepEqual(r.value?.traffic, { rate: 2000, duration: 120, pattern: 'poisson' });
});

test('hover gives field description, type and default, and evaluated expressions', () => {
  const src = 'traffic:\n  rate: peak_qps\n  pattern: constant\nservices:\n  users:\n    latency: 20\n';
  const h1 = hoverModel(src, { line: 1, column: 3 }, schema, ctx)!;
  assert.match(h1.markdown, /\*\*rate\*\*: rate \(per second\) \(required\)/);
  assert.match(h1.markdown, /Mean arrival rate/);
  assert.match(h1.markdown, /May be an estimate expression, e\.g\. `peak_qps` or `500 req\/s`\./);
  const h2 = hoverModel(src, { line: 1, column: 10 }, schema, ctx)!;
  assert.match(h2.markdown, /`peak_qps` = \*\*3472 \/s\*\* \(3,472 req\/s\)/);
  const h3 = hoverModel(src, { line: 2, column: 14 }, schema, ctx)!;
  assert.match(h3.markdown, /`constant`: fixed gaps/);
  const h4 = hoverModel(src, { line: 5, column: 6 }, schema, ctx)!;
  assert.match(h4.markdown, /duration \(plain numbers in ms\)/);
  assert.match(h4.markdown, /e\.g\. `250 ms` or `p99_budget \/ 2`\./);
  const h5 = hoverModel(src, { line: 4, column: 3 }, schema, ctx)!;
  assert.match(h5.markdown, /users \(name\)/);
  assert.equal(hoverModel(src, { line: 0, column: 0 }, schema, ctx)?.markdown.startsWith('**traffic**'), true);
});

test('completion offers the keys valid at the cursor and enum values', () => {
  const labels = (src: string, line: number, column: number) => completeModel(src, { line, column }, schema, ctx).map((c) => c.label);
  assert.deepEqual(labels('traffic:\n  rate: 5\n  \n', 2, 2), ['duration', 'pattern']);
  assert.deepEqual(labels('traffic:\n  rate: 5\n  pa\n', 2, 4), ['duration', 'pattern']);
  assert.deepEqual(labels('traffic:\n  rate: 5\n', 2, 0), ['seed', 'services', 'routes']);
  assert.deepEqual(labels('traffic:\n  pattern: \n', 1, 11), ['poisson', 'constant']);
  assert.deepEqual(labels('services:\n  a:\n    cache: \n', 2, 11), ['true', 'false']);
  assert.deepEqual(labels('services:\n  a:\n    \n', 2, 4), ['instances', 'latency', 'cache']);
  assert.deepEqual(labels('routes:\n  - \n', 1, 4), ['path']);
  const v = labels('traffic:\n  rate: \n', 1, 8);
  assert.ok(v.includes('peak_qps') && v.includes('/s'));
});

test("field units come from the estimate kernel's unit table", () => {
  // Every unit the gateway and Kafka schemas write plain numbers in, with its size in base units.
  const cases: [string | undefined, number][] = [
    [undefined, 1],
    ['s', 1],
    ['ms', 1e-3],
    ['/s', 1],
    ['B', 1],
    ['B/s', 1],
    ['MB/s', 1e6],
    ['%', 0.01],
  ];
  for (const [unit, scale] of cases) assert.equal(unitScale(unit), scale, `unit ${unit}`);
  assert.deepEqual(unitsFor('time'), ['s', 'ns', 'µs', 'ms', 'min', 'h', 'day', 'week', 'month', 'year']);
  assert.ok(unitsFor('data').includes('KiB') && unitsFor('data').includes('MB') && !unitsFor('data').includes('megabyte'));
  assert.ok(unitsFor('datarate').includes('Gbps') && unitsFor('datarate').includes('MBps'));
  assert.deepEqual(unitsFor('none'), []);
});

test('an implicit section left out reads as written empty; any other absent section stays absent', () => {
  const s: ObjectField = {
    type: 'object',
    description: 'cell',
    fields: {
      gateway: {
        type: 'object',
        implicit: true,
        description: 'Costs.',
        fields: { overhead: duration('Overhead.', 'ms', { default: 0.2 }) },
      },
      cache: { type: 'object', description: 'Cache.', fields: { ttl: duration('TTL.', 's', { default: 300 }) } },
    },
  };
  assert.deepEqual(parseModel('', s, ctx).value, { gateway: { overhead: 0.0002 } });
  assert.deepEqual(parseModel('cache: {}\n', s, ctx).value, { cache: { ttl: 300 }, gateway: { overhead: 0.0002 } });
  assert.deepEqual(parseModel('gateway: { overhead: 1 }\n', s, ctx).value, { gateway: { overhead: 0.001 } });
});

// ---- hostile numbers and sizes: refused once, in the front end, at the value's position

const limited: ObjectField = {
  type: 'object',
  description: 'cell',
  fields: {
    n: { type: 'integer', min: 1, max: 100_000, description: 'Instances.', limit: { what: 'instances per service', bytesEach: 300 } },
    plain: { type: 'integer', description: 'Any integer.' },
    t: duration('A duration.', 'ms'),
    x: { type: 'number', description: 'A number.' },
    bw: { type: 'number', dimension: 'datarate', unit: 'MB/s', description: 'Bandwidth.' },
    tags: { type: 'list', items: { type: 'string', description: 'Tag.' }, maxItems: 3, limit: { what: 'tags' }, description: 'Tags.' },
    names: { type: 'map', values: { type: 'string', description: 'V.' }, maxEntries: 2, description: 'Names.' },
  },
};

test("non-finite YAML numbers are refused with the key's position; -0 reads as 0", () => {
  const cases: [string, [number, number], string][] = [
    ['x: .nan\n', [0, 3], '`x` should be a finite number, got `.nan`'],
    ['x: .NaN\n', [0, 3], '`x` should be a finite number, got `.NaN`'],
    ['x: .inf\n', [0, 3], '`x` should be a finite number, got `.inf`'],
    ['x: -.inf\n', [0, 3], '`x` should be a finite number, got `-.inf`'],
    ['\n\nn: +.inf\n', [2, 3], '`n` should be a finite number, got `+.inf`'],
    ['x: 1e400\n', [0, 3], '`x` should be a finite number, got `1e400`'],
    ['t: .inf\n', [0, 3], '`t` should be a finite number, got `.inf`'],
    ['bw: 1e305\n', [0, 4], '`bw`: `1e305` is too large to be a number in this unit'],
  ];
  for (const [src, pos, message] of cases) {
    const r = parseModel(src, limited, ctx);
    assert.equal(r.value, undefined, src);
    assert.deepEqual(
      r.diagnostics.map((d) => [at(d), d.message, d.code]),
      [[pos, message, 'not-finite']],
      src,
    );
  }
  const z = parseModel('x: -0\nplain: -0\n', limited, ctx).value as { x: number; plain: number };
  assert.ok(Object.is(z.x, 0) && Object.is(z.plain, 0));
});

test('a value over its limit says the limit, what it counts and the memory it would take', () => {
  const cases: [string, [number, number], string, string][] = [
    [
      'n: 1e9\n',
      [0, 3],
      'too-large',
      '`n: 1e9` — at most 100,000 instances per service; a model this large would need about 300 GB of memory',
    ],
    [
      'n: 100001\n',
      [0, 3],
      'too-large',
      '`n: 100001` — at most 100,000 instances per service; a model this large would need about 30 MB of memory',
    ],
    ['plain: 9007199254740992\n', [0, 7], 'out-of-range', '`plain` should be <= 9,007,199,254,740,991, got 9.007e15'],
    ['plain: -1e300\n', [0, 7], 'out-of-range', '`plain` should be >= -9,007,199,254,740,991, got -1e300'],
    ['tags: [a, b, c, d]\n', [0, 6], 'too-large', '`tags` has 4 items — at most 3 tags'],
    ['names: { a: x, b: y, c: z }\n', [0, 7], 'too-large', '`names` has 3 entries — at most 2'],
  ];
  for (const [src, pos, code, message] of cases) {
    const r = parseModel(src, limited, ctx);
    assert.equal(r.value, undefined, src);
    assert.deepEqual(
      r.diagnostics.map((d) => [at(d), d.code, d.message]),
      [[pos, code, message]],
      src,
    );
  }
  assert.deepEqual(parseModel('n: 100000\nplain: 9007199254740991\ntags: [a, b, c]\n', limited, ctx).diagnostics, []);
});

test("hover shows a field's limit and why", () => {
  const h = hoverModel('n: 5\ntags: []\n', { line: 0, column: 0 }, limited, ctx)!;
  assert.match(h.markdown, /Range: 1 … 100000 \(instances per service; about 300 B each\)/);
  const l = hoverModel('n: 5\ntags: []\n', { line: 1, column: 1 }, limited, ctx)!;
  assert.match(l.markdown, /At most 3 items \(tags\)/);
  const d = hoverModel('t: 5\n', { line: 0, column: 0 }, limited, ctx)!;
  assert.match(d.markdown, /Range: 0 ms … 1000000000000 ms \(about 31 years: the simulation clock counts whole microseconds\)$/m);
});

test('duplicate keys are found by the walk, in linear time; errors past 100 are counted, not listed', () => {
  const dup = parseModel('traffic:\n  rate: 5\n  rate: 6\nservices:\n  a: { latency: 1 }\n  a: { latency: 2 }\n', schema, ctx);
  assert.deepEqual(
    dup.diagnostics.map((d) => [at(d), d.code, d.message]),
    [
      [[2, 2], 'duplicate-key', 'map keys must be unique: `rate` is given twice in `traffic`'],
      [[5, 2], 'duplicate-key', 'map keys must be unique: `a` is given twice in `services`'],
    ],
  );
  // 40,000 keys: the parser's pairwise check took about 7 s; the walk's Set takes milliseconds
  const flat: ObjectField = {
    type: 'object',
    description: 'cell',
    fields: { m: { type: 'map', description: 'M.', values: { type: 'integer', description: 'V.' } } },
  };
  const source = (n: number) => 'm:\n' + Array.from({ length: n }, (_, i) => `  k${i}: 1`).join('\n') + '\n  k7: 2\n';
  const big = source(40_000);
  // Linear, not quadratic: 4× the keys take about 4× the time (16× if pairwise). The fastest of three
  // tries at each size, as a ratio, so a busy machine slows both sizes alike instead of failing a bound.
  const fastest = (text: string) =>
    Math.min(
      ...[0, 1, 2].map(() => {
        const t = performance.now();
        parseModel(text, flat, ctx);
        return performance.now() - t;
      }),
    );
  const ratio = fastest(big) / fastest(source(10_000));
  assert.ok(ratio < 9, `40,000 keys took ${ratio.toFixed(1)}× as long as 10,000`);
  const r = parseModel(big, flat, ctx);
  assert.deepEqual(
    r.diagnostics.map((d) => [at(d), d.message]),
    [[[40_001, 2], 'map keys must be unique: `k7` is given twice in `m`']],
  );
  const many = parseModel('traffic:\n  rate: 5\n' + Array.from({ length: 250 }, (_, i) => `bad${i}: 1`).join('\n') + '\n', schema, ctx);
  assert.equal(many.diagnostics.length, 101);
  assert.deepEqual(
    [at(many.diagnostics[99]), at(many.diagnostics[100]), many.diagnostics[100].message],
    [[101, 0], [102, 0], '… and 150 more errors from here on (the first 100 are listed)'],
  );
});

// ---- the parsed value's type comes from the schema object; defaults are declared once

/** True when A and B are the same type (each assignable to the other, including optional keys). */
type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? { [K in keyof A]-?: 1 } extends { [K in keyof B]-?: 1 }
      ? true
      : false
    : false
  : false;
const sameType = <T extends true>(): T | undefined => undefined;

const typed = obj('cell', {
  seed: int('Seed.'),
  rate: rate('Rate.', { required: true }),
  timeout: duration('Timeout.', 's', { default: 15 }),
  mode: oneOf(['a', 'b'], 'Mode.', { default: 'a' }),
  tags: list('Tags.', str('Tag.')),
  flags: mapOf('Flags.', bool('Flag.')),
  costs: obj('Costs.', { overhead: duration('Overhead.', 'ms', { default: 0.2 }) }, { implicit: true }),
  cache: obj('Cache.', { ttl: duration('TTL.', 's', { default: 300 }), size: num('Size.') }),
  clients: list('Clients.', obj('A client.', { name: str('Name.', { required: true }), weight: num('Weight.', { default: 1 }) }), {
    default: [{ name: 'anonymous' }],
  }),
});

test("the value's type is derived from the schema: required, defaulted and implicit keys are always there", () => {
  type Expected = {
    rate: number;
    timeout: number;
    mode: 'a' | 'b';
    costs: { overhead: number };
    clients: { name: string; weight: number }[];
    seed?: number;
    tags?: string[];
    flags?: Record<string, boolean>;
    cache?: { ttl: number; size?: number };
  };
  sameType<Same<ValueOf<typeof typed>, Expected>>();
  // @ts-expect-error a key the schema may leave absent is optional in the type
  sameType<Same<ValueOf<typeof typed>, Expected & { seed: number }>>();
  const r = parseModel('rate: 5\ncache: {}\n', typed, ctx);
  const v: Expected | undefined = r.value;
  // A default list's items get their own defaults (`weight`), as if the cell had written the list.
  assert.deepEqual(v, {
    rate: 5,
    timeout: 15,
    mode: 'a',
    costs: { overhead: 0.0002 },
    cache: { ttl: 300 },
    clients: [{ name: 'anonymous', weight: 1 }],
  });
  assert.deepEqual(valueAsWritten(typed.fields.cache, { size: 3 }), { ttl: 300, size: 3 });
  assert.deepEqual(valueAsWritten(typed.fields.clients.items, { name: 'x' }), { name: 'x', weight: 1 });
});

test('suggestions come from the shared helper (src/kernels/suggest.ts): a case-only miss is the closest', () => {
  const r = parseModel('traffic:\n  Rate: 5\n', schema, ctx);
  assert.match(r.diagnostics[0].message, /unknown key `Rate` in `traffic`; did you mean `rate`\?/);
  assert.match(hoverModel('traffic:\n  Rate: 5\n', { line: 1, column: 3 }, schema, ctx)!.markdown, /did you mean `rate`/);
  // The shared helper's distance grows with the name (at most 3), so a name far from every key lists them.
  assert.match(
    parseModel('traffic:\n  rate: 5\n  xyzzy: 1\n', schema, ctx).diagnostics[0].message,
    /valid keys: `rate`, `duration`, `pattern`/,
  );
});

test('YAML anchors, aliases and merge keys resolve as YAML says; `x-` keys at the top hold anchors', () => {
  const src = `x-service: &svc
  instances: 2
  latency: 5
services:
  a: *svc
  b:
    <<: *svc
    instances: 3
    cache: true
traffic:
  rate: 5
routes:
  - &r { path: /a }
  - *r
`;
  const r = parseModel(src, schema, ctx);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.value?.services, {
    a: { instances: 2, latency: 0.005, cache: false },
    b: { instances: 3, latency: 0.005, cache: true },
  });
  assert.deepEqual(r.value?.routes, [{ path: '/a' }, { path: '/a' }]);
  // An expression read through an alias is one read and one use.
  const e = parseModel('x-t: &t { rate: peak_qps }\ntraffic: *t\n', schema, ctx);
  assert.deepEqual([e.value?.traffic, e.reads, e.uses.length], [{ rate: 3472, duration: 60, pattern: 'poisson' }, ['peak_qps'], 1]);
  // Errors: an alias without an anchor; a merge of something that is not a map; `x-` only at the top.
  const cases: [string, [number, number], string][] = [
    ['traffic: *nope\n', [0, 9], '`*nope`: no anchor `&nope` above'],
    ['x-l: &l [1]\ntraffic:\n  <<: *l\n  rate: 5\n', [2, 6], '`<<` merges a map (`<<: *base`) or a list of maps'],
    ['traffic:\n  rate: 5\n  x-a: 1\n', [2, 2], 'unknown key `x-a` in `traffic`; valid keys: `rate`, `duration`, `pattern`'],
  ];
  for (const [text, pos, message] of cases) {
    const d = parseModel(text, schema, ctx).diagnostics;
    assert.deepEqual([at(d[0]), d[0].message], [pos, message], text);
  }
});

test('aliases that expand past 100,000 values are refused at the alias (a "billion laughs" cell)', () => {
  const nested = obj('cell', { m: list('Lists.', list('Lists.', list('Lists.', int('A value.')))) });
  const row = (name: string, item: string) => `x-${name}: &${name} [${Array(100).fill(item).join(', ')}]`;
  const src = [row('a', '1'), row('b', '*a'), row('c', '*b'), 'm: *c', ''].join('\n');
  const t = Date.now();
  const d = parseModel(src, nested, ctx).diagnostics;
  // Expanded, the aliases would be 10^8 values: minutes and gigabytes. The bound leaves a loaded machine room.
  assert.ok(Date.now() - t < 30_000);
  assert.deepEqual(
    d.map((x) => [at(x), x.code, x.message]),
    [
      [
        [3, 3],
        'too-large',
        '`*c`: aliases here expand to more than 100,000 values — at most 100,000 values read through aliases in a cell',
      ],
    ],
  );
  // 100 × 100 values (10,100 read through aliases) are fine.
  assert.deepEqual(parseModel([row('a', '1'), row('b', '*a'), 'm: [*b]', ''].join('\n'), nested, ctx).diagnostics, []);
});
