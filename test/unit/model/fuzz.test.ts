// Fuzzing the model cells (gateway and Kafka YAML): cells generated from the schemas themselves, with
// special numbers (.nan, .inf, -0, 1e308, 2^53 + 1, …), sizes past every limit and long lists, never
// make a kernel throw, hang or report NaN: parse gives diagnostics inside the cell, hover and completion
// answer, and a model that parses runs within a small budget to a report with finite numbers only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { gatewayKernel, gatewaySchema } from '../../../src/kernels/gateway';
import { kafkaKernel, kafkaSchema } from '../../../src/kernels/kafka';
import { Field, emptyScope } from '../../../src/kernels/model';
import { Rng } from '../../../src/kernels/sim';
import { Diagnostic, ExecResult, Kernel, MARKDOWN_MIME } from '../../../src/kernels/types';

const NUMBERS = [
  '.nan',
  '.NaN',
  '.inf',
  '-.inf',
  '+.inf',
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '0',
  '0.0',
  '1',
  '-1',
  '2',
  '3',
  '0.5',
  '1e3',
  '1e6',
  '1e9',
  '1e12',
  '1e15',
  '9007199254740993',
  '2147483648',
  '4294967296',
  '0x10',
  '0o17',
  '1_000',
  '"1e3 ms"',
  '"2 min"',
  '"5 GB"',
  '"10 req/s"',
  '"1/0"',
  '"x"',
  'null',
  '~',
  'true',
  '[]',
  '{}',
  '"-0"',
  '1.5e-7',
  '12.25',
];
const WORDS = [
  'a',
  'b',
  't',
  'u',
  'g',
  'x',
  '""',
  '"*"',
  '*',
  'GET',
  'POST',
  '/a',
  '/a/{key}',
  'a/0',
  'b/1',
  'key',
  'authorization',
  'x-api-key',
  '"é 😀"',
  '"a: b"',
  '.nan',
];
/** Names the generated references point at, so that enough cells parse and run. */
const NAMES: Record<string, string[]> = {
  service: ['a', 'b', 'c'],
  topic: ['t', 'u', 'v'],
  group: ['g', 'h'],
  kill: ['a/0', 'a/1', 'b/0', 'c/9'],
  // services a service calls: not `a`, which most references name, so that few call graphs are cycles
  call: ['b', 'c'],
  parallel: ['b', 'c'],
  on_miss: ['c', 'b'],
  // Kafka zones: the racks a cluster names, and the keys that name one
  racks: ['az1', 'az2', 'az3'],
  rack: ['az1', 'az2'],
  kill_zone: ['az1'],
  restart_zone: ['az1'],
  kill_producer: ['n0'],
  restart_producer: ['n0'],
  elect_preferred: ['t', 'all'],
  reassign: ['t-0'],
};
/** Strings for a field with a pattern: the first one the pattern accepts is written (a date, a topic id, hex bytes, a name). */
const PATTERNED = ['"2026-06-30T00:00:00Z"', 'T1-A4s3VTwiI5CTbEp6POw', '"0x00ff10"', 'x'];

/** How often an optional key is written: references most of the time (a route without a service cannot run), keys that must agree with others seldom. */
const INCLUDE: Record<string, number> = {
  service: 0.95,
  topic: 0.95,
  topics: 0.95,
  requests: 0.9,
  producers: 0.9,
  consumer_groups: 0.9,
  // what-if keys name other keys by path: generated at random they rarely resolve (test/unit/model/whatif.test.ts covers them)
  sweep: 0.02,
  solve: 0.02,
  aggregate: 0.05,
  warmup: 0.1,
  weights: 0.1,
  deprecated: 0.1,
  sunset: 0.1,
  faults: 0.3,
  timeline: 0.3,
  // a trace replaces the rate; a step takes `call` or `parallel`, not both
  arrivals: 0.03,
  calls: 0.15,
  parallel: 0.2,
  on_miss: 0.2,
  hit_ratio: 0.2,
  steps: 0.15,
  diurnal: 0.15,
  // Kafka: zones, members, cluster state and committed offsets must agree with the cluster, the group and the topics
  racks: 0.7,
  rack: 0.05,
  id: 0.1,
  members: 0.05,
  state: 0.05,
  committed: 0.05,
  protocol: 0.05,
  key_int: 0.05,
  key_bytes: 0.05,
  transactional: 0.1,
  // Kafka keys each with its own unit tests (racks, transactions, tiered storage, elections): now and then
  abort_rate: 0.15,
  transaction_interval: 0.15,
  transaction_timeout: 0.15,
  cross_zone_price: 0.15,
  currency: 0.15,
  rack_aware_placement: 0.15,
  replica_selector: 0.15,
  reassignment_throttle: 0.15,
  local_retention: 0.15,
  remote_storage: 0.15,
  auto_leader_rebalance: 0.15,
  leader_imbalance_check_interval: 0.15,
  isolation_level: 0.15,
  timestamp: 0.15,
};

function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[r.int(xs.length)];
}

/** How hostile a cell is: the share of special numbers and values past a maximum, and of lists past their limit. */
interface Mood {
  special: number;
  overMax: number;
  longList: number;
}
const MOODS: Mood[] = [
  { special: 0.01, overMax: 0.01, longList: 0 }, // mostly valid: the models run
  { special: 0.3, overMax: 0.15, longList: 0.005 },
  { special: 0.05, overMax: 0.05, longList: 0.03 },
];

/** A YAML scalar for a number field: a special number, a value past its maximum, or one in its range. */
function numberText(r: Rng, f: Extract<Field, { type: 'number' | 'integer' }>, mood: Mood): string {
  const u = r.uniform();
  if (u < mood.special) return pick(r, NUMBERS);
  if (u < mood.special + mood.overMax && f.max !== undefined) return String(f.max * (1 + r.int(3)) + r.int(2));
  const lo = Math.max(f.min ?? 0, 0),
    hi = Math.min(f.max ?? 1000, 1000);
  const x = lo + (hi - lo) * r.uniform() ** 3;
  return f.type === 'integer' ? String(Math.round(x)) : String(+x.toPrecision(4));
}

/** How many items a list gets: mostly a few, sometimes none or one past its limit. */
function length(r: Rng, mood: Mood, maxItems?: number, minItems = 0): number {
  const u = r.uniform();
  // past the limit; lists allowed 10,000 items (40 kB of YAML) only now and then
  if (u < mood.longList && ((maxItems ?? 1000) <= 1000 || r.uniform() < 0.1)) return (maxItems ?? 1000) + 1;
  if (u < 0.1) return r.uniform() < mood.special * 10 ? 0 : minItems;
  return 1 + r.int(3);
}

/** A YAML value (block style, indented by `indent`) for field `f` at key `key`. */
function value(r: Rng, mood: Mood, f: Field, key: string, indent: string, depth: number, index = 0, parent = ''): string {
  switch (f.type) {
    case 'number':
    case 'integer':
      // counts of brokers a cluster must have: within the default three brokers most of the time
      if ((key === 'replication_factor' || key === 'min_insync_replicas') && r.uniform() > mood.special) return ` ${1 + r.int(3)}`;
      return ' ' + numberText(r, f, mood);
    case 'boolean':
      return ' ' + (r.uniform() < mood.special ? pick(r, ['yes', '1', '.nan', '~']) : pick(r, ['true', 'false']));
    case 'enum':
      // Kafka's uniform assignor needs the consumer protocol (seldom generated): the classic ones most of the time
      if (key === 'assignor' && r.uniform() > mood.special)
        return (
          ' ' +
          pick(
            r,
            f.values.filter((v) => v !== 'uniform'),
          )
        );
      return ' ' + (r.uniform() < mood.special ? pick(r, WORDS) : pick(r, f.values));
    case 'string': {
      const names = NAMES[key] ?? (key === 'restore' ? NAMES.kill : key.endsWith('_consumer') ? NAMES.group : undefined);
      // references name the first service, topic or group most of the time (it exists when any does)
      if (names && r.uniform() > mood.special) return ' ' + (r.uniform() < 0.9 ? names[0] : pick(r, names));
      if (key === 'path' || key === 'rewrite')
        return ' ' + pick(r, r.uniform() < mood.special ? ['a', '""', '/{'] : ['/a', '/a/{key}', '/b/{id}/*', '/']);
      if (key === 'name')
        return ' ' + (parent === 'topics' ? NAMES.topic[index % 3] : parent === 'consumer_groups' ? NAMES.group[index % 2] : `n${index}`);
      if (f.pattern && r.uniform() > mood.special)
        return ' ' + (PATTERNED.find((x) => f.pattern!.test(x.replace(/^"|"$/g, ''))) ?? PATTERNED[0]);
      return ' ' + (r.uniform() < mood.special ? pick(r, WORDS) : pick(r, ['x', 'a', 'GET', 'key', 'authorization', '"é 😀"']));
    }
    case 'list': {
      const n = depth > 4 ? 0 : length(r, mood, f.maxItems, f.minItems);
      if (n === 0) return ' []';
      const itemKey = key === 'aggregate' ? 'service' : key === 'topics' && f.items.type === 'string' ? 'topic' : key;
      if (n > 50 && (f.items.type === 'string' || f.items.type === 'number' || f.items.type === 'integer')) {
        return ` [${Array.from({ length: n }, () => value(r, mood, f.items, itemKey, '', depth + 1).trim()).join(', ')}]`;
      }
      if (n > 50) return ` [${Array.from({ length: n }, () => '{}').join(', ')}]`;
      return Array.from(
        { length: n },
        (_, i) => `\n${indent}  -${value(r, mood, f.items, itemKey, indent + '    ', depth + 1, i, key).replace(/^\n\s*/, ' ')}`,
      ).join('');
    }
    case 'map': {
      const n = depth > 4 ? 0 : length(r, mood, f.maxEntries, 1);
      if (n === 0) return ' {}';
      if (n > 50) return ` { ${Array.from({ length: n }, (_, i) => `k${i}: x`).join(', ')} }`;
      const names = key === 'services' ? NAMES.service : key === 'committed' ? ['t-0', 't-1'] : ['k1', 'k2', 'authorization', 'x-api-key'];
      return Array.from(
        { length: n },
        (_, i) =>
          `\n${indent}  ${names[i % names.length]}:${value(r, mood, f.values, key === 'services' ? 'service' : 'v', indent + '    ', depth + 1)}`,
      ).join('');
    }
    case 'object': {
      const lines: string[] = [];
      // A timeline event or a fault takes one action (most of the time).
      const actions = Object.keys(f.fields).filter((k) =>
        /^(kill|restore|kill_broker|restart_broker|add_consumer|remove_consumer|kill_consumer|pause_consumer|resume_consumer|restart_consumer|kill_zone|restart_zone|kill_producer|restart_producer|elect_preferred|reassign)$/.test(
          k,
        ),
      );
      // Kafka's zone actions need racks and a reassignment needs its replicas: seldom
      const common = actions.filter((a) => !/zone|reassign/.test(a));
      const action = actions.length ? pick(r, r.uniform() < 0.9 && common.length ? common : actions) : undefined;
      for (const [k, sub] of Object.entries(f.fields)) {
        if (action && actions.includes(k)) {
          if (k === action || r.uniform() < mood.special) lines.push(`\n${indent}${k}:${value(r, mood, sub, k, indent + '  ', depth + 1)}`);
          continue;
        }
        if (!sub.required && r.uniform() > (INCLUDE[k] ?? 0.35)) continue;
        if (r.uniform() < mood.special / 10) continue; // now and then a required key is missing
        lines.push(`\n${indent}${k}:${value(r, mood, sub, k, indent + '  ', depth + 1, index, parent)}`);
      }
      if (r.uniform() < mood.special / 10) lines.push(`\n${indent}${pick(r, ['unknown', 'rat', 'partitons'])}: 1`);
      return lines.length ? lines.join('') : ' {}';
    }
  }
}

function cellFor(seed: number, kafka: boolean): string {
  const r = new Rng(seed, 'model-fuzz');
  const mood = MOODS[seed % 10 < 6 ? 0 : seed % 10 < 9 ? 1 : 2];
  return value(r, mood, kafka ? kafkaSchema : gatewaySchema, '', '', 0).replace(/^\n/, '') + '\n';
}

function inside(source: string | string[], d: Diagnostic): boolean {
  const lines = typeof source === 'string' ? source.split(/\r\n|\r|\n/) : source;
  const { start, end } = d.range;
  if (start.line < 0 || start.line >= lines.length || end.line < start.line || end.line >= lines.length) return false;
  if (start.column < 0 || start.column > lines[start.line].length || end.column < 0 || end.column > lines[end.line].length) return false;
  return end.line > start.line || end.column >= start.column;
}

/** Paths of numbers that are not finite, in a parsed model or a report (maxEntries/maxBytes, timeoutUs/perTryUs/maxInFlight: Infinity means none). */
function nonFinite(x: unknown, path = '', out: string[] = []): string[] {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) out.push(`${path} = ${x}`);
  } else if (ArrayBuffer.isView(x)) {
    if ((x as unknown as ArrayLike<number>).length < 1e6)
      Array.prototype.forEach.call(x, (v: number, i: number) => nonFinite(v, `${path}[${i}]`, out));
  } else if (Array.isArray(x)) x.forEach((v, i) => nonFinite(v, `${path}[${i}]`, out));
  else if (x instanceof Map) for (const [k, v] of x) nonFinite(v, `${path}.${String(k)}`, out);
  else if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x))
      if (!/^(maxEntries|maxBytes|sunset|deprecated|timeoutUs|perTryUs|maxInFlight)$/.test(k)) nonFinite(v, `${path}.${k}`, out);
  return out;
}

const ctx = { cellIndex: 0, scope: emptyScope };
const kernels: [string, Kernel<unknown>, boolean][] = [
  ['gateway', gatewayKernel as Kernel<unknown>, false],
  ['kafka', kafkaKernel as Kernel<unknown>, true],
];

test('fuzz: 10,000 generated model cells parse without throwing; diagnostics inside the cell; no NaN or infinity in a model', () => {
  let parsed = 0;
  fc.assert(
    fc.property(fc.nat(), fc.boolean(), fc.nat(40), fc.nat(60), (seed, kafka, line, column) => {
      const src = cellFor(seed, kafka);
      const kernel = kafka ? kafkaKernel : gatewayKernel;
      const p = kernel.parse(src, ctx);
      const srcLines = src.split('\n');
      for (const d of p.diagnostics) assert.ok(inside(srcLines, d), `${src}\n${JSON.stringify(d)}`);
      if (p.parsed) {
        parsed++;
        assert.deepEqual(nonFinite(p.parsed), [], src);
      } else
        assert.ok(
          p.diagnostics.some((d) => d.severity === 'error'),
          src,
        );
      if (seed % 20 === 0) {
        kernel.hover!(src, { line, column }, ctx);
        kernel.complete!(src, { line, column }, ctx);
      }
    }),
    { numRuns: 10_000, seed: 20261201 },
  );
  // The generator reaches the runnable part of the space, not only errors.
  assert.ok(parsed > 500, `${parsed} of 10,000 parsed`);
});

test('fuzz: generated models that parse run within a small budget to reports with finite numbers', () => {
  let ran = 0;
  fc.assert(
    fc.property(fc.nat(), fc.constantFrom(0, 1), (seed, which) => {
      const [name, kernel, kafka] = kernels[which];
      const src = cellFor(seed, kafka);
      const p = kernel.parse(src, ctx);
      if (!p.parsed) return;
      ran++;
      const t = Date.now();
      const r = kernel.execute(p.parsed, {
        ...ctx,
        seed: 1,
        budget: { maxEvents: 20_000, maxWallMs: 2000 },
        isCancelled: () => false,
        notebook: {},
      }) as ExecResult;
      assert.ok(Date.now() - t < 10_000, `${name} took ${Date.now() - t} ms:\n${src}`);
      assert.equal(r.ok, true, `${name}:\n${src}\n${String(r.outputs[0]?.items[MARKDOWN_MIME]).slice(0, 600)}`);
      const md = String(r.outputs[0].items[MARKDOWN_MIME]);
      assert.doesNotMatch(md, /\bNaN\b|Infinity/, `${name}:\n${src}\n${md.match(/.*(NaN|Infinity).*/)?.[0]}`);
      const rich = Object.entries(r.outputs[0].items).find(([k]) => k !== MARKDOWN_MIME)![1];
      assert.deepEqual(nonFinite(rich), [], `${name}:\n${src}`);
    }),
    { numRuns: 400, seed: 20261202 },
  );
  assert.ok(ran > 40, `${ran} ran`);
});

test('fuzz: the special numbers in every number field of a valid cell are refused or read as finite', () => {
  // Each number field of a small valid cell, replaced by each special number in turn.
  const cases: [Kernel<unknown>, string][] = [
    [
      gatewayKernel as Kernel<unknown>,
      'replications: 1\nservices:\n  a: { instances: 2, latency: { mean: 10 ms, cv: 1 } }\nroutes:\n  - { path: /a, service: a, timeout: 2 s, rate_limit: { rate: 10, burst: 5 } }\ntraffic:\n  rate: 100\n  duration: 2 s\n  keys: { count: 10, zipf: 1 }\n',
    ],
    [
      kafkaKernel as Kernel<unknown>,
      'duration: 2 s\ncluster: { brokers: 3 }\ntopics:\n  - { name: t, partitions: 3, replication_factor: 3, min_insync_replicas: 2, retention: 1000 }\nproducers:\n  - { name: p, topic: t, rate: 100, keys: 10, record_size: 100, batch_size: 16384 }\nconsumer_groups:\n  - { name: g, topics: [t], consumers: 2, rate: 50 }\n',
    ],
  ];
  let refused = 0,
    runs = 0;
  for (const [kernel, valid] of cases) {
    const numbers = [...valid.matchAll(/(?<=: )[0-9][0-9.]*( ?[a-z]+)?(?=[ ,}\n])/g)];
    assert.ok(numbers.length >= 10);
    for (const m of numbers) {
      for (const special of NUMBERS) {
        const src = valid.slice(0, m.index) + special + valid.slice(m.index! + m[0].length);
        const p = kernel.parse(src, ctx);
        for (const d of p.diagnostics) assert.ok(inside(src, d), `${src}\n${JSON.stringify(d)}`);
        if (!p.parsed) {
          refused++;
          continue;
        }
        assert.deepEqual(nonFinite(p.parsed), [], src);
        if (/^[.+-]|1e|x|o|_/.test(special)) {
          runs++;
          const r = kernel.execute(p.parsed, {
            ...ctx,
            seed: 1,
            budget: { maxEvents: 20_000, maxWallMs: 2000 },
            isCancelled: () => false,
            notebook: {},
          }) as ExecResult;
          assert.equal(r.ok, true, src);
          assert.doesNotMatch(String(r.outputs[0].items[MARKDOWN_MIME]), /\bNaN\b|Infinity/, src);
        }
      }
    }
  }
  assert.ok(refused > 100 && runs > 50, `${refused} refused, ${runs} ran`);
});
