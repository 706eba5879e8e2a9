// Exact traces for the gateway's policies, derived from the semantics in model-notes §2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeakyBucket, TimerTokenBucket, TokenBucket } from '../../../src/kernels/gateway/rateLimit';
import { LeastRequest, Maglev, RingHash, SmoothWeightedRoundRobin } from '../../../src/kernels/gateway/balancers';
import { compilePattern, fillTemplate, matchRoute } from '../../../src/kernels/gateway/routing';
import { authenticate } from '../../../src/kernels/gateway/auth';
import { httpDate, lifecycleHeaders, lifecycleStatus, parseDate } from '../../../src/kernels/gateway/lifecycle';
import { Rng } from '../../../src/kernels/sim';

const s = (x: number) => Math.round(x * 1e6);
type Step = [number, boolean, number?]; // [time s, allowed, retry-after or delay ms]

function trace(
  lim: { take(t: number): { allowed: boolean; retryAfterS: number; delayUs: number } },
  steps: Step[],
  what: 'retry' | 'delay' = 'retry',
) {
  steps.forEach(([t, ok, extra], i) => {
    const d = lim.take(s(t));
    assert.equal(d.allowed, ok, `step ${i} at ${t} s`);
    if (extra !== undefined) assert.equal(what === 'retry' ? d.retryAfterS : d.delayUs / 1000, extra, `step ${i} ${what}`);
  });
}

test('continuous token bucket: starts full, refills continuously, Retry-After rounds up', () => {
  // rate 2/s, burst 3
  trace(new TokenBucket(2, 3), [
    [0, true],
    [0, true],
    [0, true],
    [0, false, 1],
    [0.5, true],
    [0.5, false, 1],
    [10, true],
    [10, true],
    [10, true],
    [10, false],
  ]);
  // 0.2 s per token: integer arithmetic admits exactly at 0.2 s, not a float's 0.19999…
  trace(new TokenBucket(5, 1), [
    [0, true],
    [0.2, true],
    [0.399999, false],
    [0.4, true],
    [0.6, true],
  ]);
  // slow refill: Retry-After is the time to the next whole token (10 s at 0.1/s)
  trace(new TokenBucket(0.1, 1), [
    [0, true],
    [0, false, 10],
    [5, false, 5],
    [10, true],
  ]);
  // never more than B + r·dt admissions in any window
  const b = new TokenBucket(100, 20);
  let n = 0;
  for (let t = 0; t <= 1_000_000; t += 1000) if (b.take(t).allowed) n++;
  assert.equal(n, 20 + 100);
});

test('Envoy timer bucket differs from the continuous one on the same trace', () => {
  // 1 token per second delivered as 2 tokens every 2 s, bucket 2
  trace(new TimerTokenBucket(2, 2, s(2)), [
    [0, true],
    [0, true],
    [1, false, 1],
    [1.99, false],
    [2, true],
    [2, true],
    [2, false],
  ]);
  trace(new TokenBucket(1, 2), [
    [0, true],
    [0, true],
    [1, true],
    [1.99, false],
    [2, true],
    [2, false],
  ]);
});

test('NGINX leaky bucket: burst+1 simultaneous pass, rejection leaves state alone, delays', () => {
  // rate 1 r/s, burst 2
  trace(
    new LeakyBucket(1, 2),
    [
      [0, true, 0],
      [0, true, 1000],
      [0, true, 2000],
      [0, false],
      [0.1, false],
      [1, true, 2000],
    ],
    'delay',
  );
  trace(
    new LeakyBucket(1, 2, true),
    [
      [0, true, 0],
      [0, true, 0],
      [0, true, 0],
      [0, false],
      [1.5, true, 0],
    ],
    'delay',
  );
  // excess = prev − rate·ms/1000 + 1000 with integer division: 10 r/s, 150 ms later one request drains
  trace(new LeakyBucket(10, 0), [
    [0, true],
    [0.05, false],
    [0.1, true],
    [0.15, false],
    [0.2, true],
  ]);
});

test('NGINX smooth weighted round robin: 5,1,1 gives a a b a c a a', () => {
  const lb = new SmoothWeightedRoundRobin([5, 1, 1]);
  const up = new Uint8Array([1, 1, 1]);
  assert.deepEqual(Array.from({ length: 14 }, () => 'abc'[lb.pick(up)]).join(''), 'aabacaaaabacaa');
  // an instance that is down is skipped and the total shrinks to the eligible peers
  const lb2 = new SmoothWeightedRoundRobin([1, 1, 1]);
  const up2 = new Uint8Array([1, 0, 1]);
  assert.deepEqual(
    Array.from({ length: 4 }, () => lb2.pick(up2)),
    [0, 2, 0, 2],
  );
  assert.equal(new SmoothWeightedRoundRobin([1]).pick(new Uint8Array([0])), -1);
});

test('least request (P2C) keeps the less loaded of two random picks', () => {
  const rng = new Rng(9, 'p2c');
  const lb = new LeastRequest([1, 1, 1, 1], rng);
  const up = new Uint8Array([1, 1, 1, 1]);
  const active = new Int32Array([5, 0, 5, 5]);
  const picks = Array.from({ length: 1000 }, () => lb.pick(up, active));
  const toIdle = picks.filter((p) => p === 1).length;
  // P(instance 1 among two draws with replacement) = 1 − (3/4)² = 7/16
  assert.ok(Math.abs(toIdle / 1000 - 7 / 16) < 0.05, `${toIdle}`);
  // same seed, same sequence
  const again = new LeastRequest([1, 1, 1, 1], new Rng(9, 'p2c'));
  assert.deepEqual(
    Array.from({ length: 1000 }, () => again.pick(up, active)),
    picks,
  );
});

test('ring hash: a key sticks to one instance; removing an instance moves only its keys', () => {
  const ring = new RingHash([1, 1, 1, 1]);
  const all = new Uint8Array([1, 1, 1, 1]),
    act = new Int32Array(4);
  const before = Array.from({ length: 2000 }, (_, k) => ring.pick(all, act, k));
  const counts = [0, 1, 2, 3].map((i) => before.filter((x) => x === i).length);
  counts.forEach((c) => assert.ok(c > 300 && c < 700, `${counts}`));
  const less = new Uint8Array([1, 0, 1, 1]);
  const after = Array.from({ length: 2000 }, (_, k) => ring.pick(less, act, k));
  before.forEach((b, k) => (b === 1 ? assert.notEqual(after[k], 1) : assert.equal(after[k], b, `key ${k} moved`)));
});

test('routing: first match wins, path parameters, methods, 404', () => {
  const routes = [
    compilePattern('GET', '/v1/users/me'),
    compilePattern('GET', '/v1/users/{id}'),
    compilePattern('*', '/v1/users/{id}/orders/{oid}'),
    compilePattern('POST', '/v1/users'),
    compilePattern('GET', '/static/*'),
  ];
  const cases: [string, string, number, Record<string, string>][] = [
    ['GET', '/v1/users/me', 0, {}],
    ['GET', '/v1/users/42', 1, { id: '42' }],
    ['get', '/v1/users/42?x=1', 1, { id: '42' }],
    ['DELETE', '/v1/users/42', -1, {}],
    ['PUT', '/v1/users/7/orders/9', 2, { id: '7', oid: '9' }],
    ['POST', '/v1/users', 3, {}],
    ['GET', '/v1/users', -1, {}],
    ['GET', '/static/css/a.css', 4, { '*': 'css/a.css' }],
    ['GET', '/v2/users/1', -1, {}],
  ];
  for (const [m, p, idx, params] of cases) assert.deepEqual(matchRoute(routes, m, p), { index: idx, params }, `${m} ${p}`);
  assert.equal(fillTemplate('/users/{id}/x', { id: '42' }), '/users/42/x');
});

test('auth status codes and challenges', () => {
  const keys = new Map([
    ['k1', ['read']],
    ['k2', []],
  ]);
  const cases: [
    Parameters<typeof authenticate>[0],
    string[],
    Parameters<typeof authenticate>[2],
    'envoy' | 'aws',
    number,
    string | undefined,
  ][] = [
    ['none', [], {}, 'envoy', 0, undefined],
    ['api_key', ['read'], {}, 'envoy', 401, 'ApiKey realm="gateway"'],
    ['api_key', ['read'], { apiKey: 'nope' }, 'envoy', 401, 'ApiKey realm="gateway"'],
    ['api_key', ['read'], { apiKey: 'nope' }, 'aws', 403, undefined],
    ['api_key', ['read'], {}, 'aws', 403, undefined], // API Gateway: a missing key is 403 Forbidden too
    ['api_key', ['read'], { apiKey: 'k2' }, 'envoy', 403, undefined],
    ['api_key', ['read'], { apiKey: 'k1' }, 'envoy', 0, undefined],
    ['jwt', ['read'], {}, 'envoy', 401, 'Bearer realm="gateway"'],
    ['jwt', ['read'], { jwt: { scopes: ['read'], valid: false } }, 'envoy', 401, 'Bearer realm="gateway", error="invalid_token"'],
    [
      'jwt',
      ['read', 'write'],
      { jwt: { scopes: ['read'], valid: true } },
      'envoy',
      403,
      'Bearer realm="gateway", error="insufficient_scope", scope="read write"',
    ],
    ['jwt', ['read'], { jwt: { scopes: ['read'], valid: true } }, 'envoy', 0, undefined],
  ];
  for (const [type, scopes, cred, profile, status, challenge] of cases) {
    const o = authenticate(type, scopes, cred, keys, profile);
    assert.equal(o.status, status, `${type} ${JSON.stringify(cred)} ${profile}`);
    assert.equal(o.headers['WWW-Authenticate'], challenge);
    if (status === 401) assert.ok(challenge, '401 must carry WWW-Authenticate');
  }
});

test('deprecation and sunset headers (RFC 9745, RFC 8594) and 410 after the sunset', () => {
  assert.equal(parseDate('2023-07-01T00:00:00Z'), 1688169600);
  assert.equal(parseDate('2018-12-31T23:59:59Z'), 1546300799);
  assert.equal(parseDate('2018-12-31'), 1546214400);
  assert.equal(parseDate('1688169599'), 1688169599);
  assert.ok(Number.isNaN(parseDate('soon')));
  assert.equal(httpDate(1546300799), 'Mon, 31 Dec 2018 23:59:59 GMT');
  assert.deepEqual(lifecycleHeaders(1688169599, 1704067199, 'https://example.com/v1'), {
    Deprecation: '@1688169599',
    Sunset: 'Sun, 31 Dec 2023 23:59:59 GMT',
    Link: '<https://example.com/v1>; rel="deprecation"',
  });
  assert.deepEqual(lifecycleHeaders(undefined, undefined), {});
  assert.equal(lifecycleStatus(1704067198, 1704067199), 0);
  assert.equal(lifecycleStatus(1704067199, 1704067199), 410);
  assert.equal(lifecycleStatus(2e9, undefined), 0);
});

test("Maglev: the paper's lookup table, and Envoy's weighted fill", () => {
  // Eisenbud et al., "Maglev" (NSDI 2016), Table 1: M = 7; B0 offset 3 skip 4, B1 offset 0 skip 2, B2 offset 3 skip 1.
  const place = [
    { offset: 3, skip: 4 },
    { offset: 0, skip: 2 },
    { offset: 3, skip: 1 },
  ];
  assert.deepEqual(Array.from(new Maglev([1, 1, 1], 7, (i) => place[i]).table), [1, 0, 1, 0, 2, 2, 0]);
  // Without B1 (its row left out, B2 keeps its own placement): B0 B0 B0 B0 B2 B2 B2.
  const without = new Maglev([1, 1], 7, (i) => place[i === 0 ? 0 : 2]).table;
  assert.deepEqual(
    Array.from(without).map((i) => (i === 0 ? 0 : 2)),
    [0, 0, 0, 0, 2, 2, 2],
  );
  // Equal weights fill the default table as evenly as it divides: 65,537 over 10 instances.
  const even = new Maglev(Array(10).fill(1)).table;
  const counts = Array(10).fill(0);
  for (const i of even) counts[i]++;
  assert.ok(
    counts.every((c) => c === 6553 || c === 6554),
    counts.join(' '),
  );
  // Envoy's rounds: weight 2 takes an entry every round, weight 1 every other round (a 2 : 1 share, to within a round).
  const weighted = new Maglev([2, 1]).table;
  const w = [0, 0];
  for (const i of weighted) w[i]++;
  assert.ok(Math.abs(w[0] - 2 * w[1]) <= 2, w.join(' '));
  // A key whose instance is down walks to the next entry; the others keep their instance.
  const m = new Maglev(Array(5).fill(1));
  const all = new Uint8Array(5).fill(1),
    no2 = Uint8Array.from([1, 1, 0, 1, 1]);
  let moved = 0;
  for (let key = 0; key < 10_000; key++) {
    const a = m.pick(all, new Int32Array(5), key),
      b = m.pick(no2, new Int32Array(5), key);
    if (a !== 2) assert.equal(b, a, `key ${key}`);
    else moved++;
  }
  assert.ok(moved > 1500 && moved < 2500, `${moved} of 10,000 keys were on instance 2`);
});

test('least request: effective weight = weight / (active + 1)^bias, summed over picks', () => {
  const cases: [number, number[], number[]][] = [
    // bias, active requests → effective weights of weights [1, 2, 4]
    [1, [0, 1, 3], [1, 1, 1]],
    [0, [0, 1, 3], [1, 2, 4]],
    [2, [1, 0, 1], [0.25, 2, 1]],
    [0.5, [0, 3, 0], [1, 1, 4]],
  ];
  for (const [bias, active, expected] of cases) {
    const lr = new LeastRequest([1, 2, 4], new Rng(1), 2, bias);
    lr.pick(new Uint8Array(3).fill(1), Int32Array.from(active));
    lr.pick(new Uint8Array(3).fill(1), Int32Array.from(active));
    assert.deepEqual([lr.effective!.picks, ...Array.from(lr.effective!.sums).map((x) => x / 2)], [2, ...expected], `bias ${bias}`);
  }
  assert.equal(new LeastRequest([1, 1], new Rng(1)).effective, undefined); // equal weights: power of two choices on load alone
});
