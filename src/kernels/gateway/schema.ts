// The gateway cell's YAML schema: one source for validation, hover and completion (docs/gateway.md
// lists the same keys).
import { Field, MODEL_NAME, MODEL_NAME_HINT, ObjectField, duration, rate, solveField, sweepField } from '../model';

const str = (description: string, extra: Partial<Extract<Field, { type: 'string' }>> = {}): Field => ({ type: 'string', description, ...extra });
const int = (description: string, min = 0, extra: Partial<Extract<Field, { type: 'integer' }>> = {}): Field => ({ type: 'integer', description, min, ...extra });
const num = (description: string, extra: Partial<Extract<Field, { type: 'number' }>> = {}): Field => ({ type: 'number', description, ...extra });
const size = (description: string, extra: Partial<Extract<Field, { type: 'number' }>> = {}): Field => ({ type: 'number', dimension: 'data', unit: 'B', min: 0, max: LIMITS.bytes, description, ...extra });
const list = (description: string, items: Field, extra: Partial<Extract<Field, { type: 'list' }>> = {}): Field => ({ type: 'list', description, items, maxItems: LIMITS.listItems, ...extra });
const obj = (description: string, fields: Record<string, Field>, extra: Partial<ObjectField> = {}): Field => ({ type: 'object', description, fields, ...extra });
const strings = (description: string): Field => list(description, str('An item.'));
const named = (description: string, values: Field, keyHint: string, extra: Partial<Extract<Field, { type: 'map' }>> = {}): Field => ({ type: 'map', description, keyHint, values, maxEntries: LIMITS.listItems, ...extra });

/**
 * The largest model one run takes (docs/limits.md): each bound keeps a run's memory within the
 * ceiling there, and each is declared once, here or in the schema below, so messages and hover agree.
 * Bytes per unit are measured (GatewaySim, V8 on 64-bit): instances about 550 B (state, queues,
 * time averages, statistics), keys 50 B while the Zipf table is built, ring points 16 B, cache slots
 * 8 B (24 B with a capacity).
 */
export const LIMITS = {
  instancesPerService: 100_000,
  /** In all services together. */
  instances: 100_000,
  instanceBytes: 550,
  keys: 1_000_000,
  keyBytes: 50,
  /** Ring hash points of one service (100 per unit of weight), and of all services. */
  ringPoints: 1_000_000,
  ringPointBytes: 16,
  /** Slots of every cached route together: request kinds × keys × vary classes. */
  cacheSlots: 4_000_000,
  cacheSlotBytes: 24,
  /** Statistics per route (status counts and a latency histogram), twice: the run's total and the replication's. */
  routeBytes: 60_000,
  /** Per route and client: the credential check and its headers, and deprecation counts. */
  routeClientBytes: 100,
  replications: 1000,
  /** Items of a list (routes, clients, requests, scopes, …) and entries of a map (services, headers, …). */
  listItems: 1000,
  /** Requests in flight at once in a run, and upstream calls (the run stops past them). */
  inFlightRequests: 1 << 20,
  inFlightCalls: 1 << 21,
  /** Data sizes (1 TB) and byte rates (1 TB/s). */
  bytes: 1e12,
} as const;

export const PROFILES = ['envoy', 'kong', 'nginx', 'aws', 'krakend', 'apigee'] as const;
export type Profile = (typeof PROFILES)[number];
export const BALANCERS = ['round_robin', 'least_request', 'random', 'consistent_hash'] as const;
export type BalancerName = (typeof BALANCERS)[number];
export const DISTRIBUTIONS = ['exponential', 'constant', 'lognormal', 'uniform'] as const;

const DATE_HINT = 'should be an RFC 3339 date such as `2026-06-30T00:00:00Z` or unix seconds';
const date = (description: string): Field => str(description, { pattern: /^(\d+|\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)$/, patternHint: DATE_HINT });

const latency: Field = obj('Service time of one call at an instance (a distribution; latencies are distributions, not constants).', {
  dist: { type: 'enum', values: DISTRIBUTIONS, default: 'exponential', description: 'Shape of the service-time distribution.', valueDocs: {
    exponential: 'memoryless, mean `mean` (M/M/c)', constant: 'always `mean` (M/D/c)', lognormal: 'mean `mean`, spread `cv`', uniform: 'uniform on [min, max]' } },
  mean: duration('Mean service time.', 'ms', { default: 10 }),
  cv: num('Coefficient of variation (sd / mean) for `lognormal`.', { min: 0, max: 100, default: 1 }),
  min: duration('Lower bound for `uniform`.', 'ms', { default: 0 }),
  max: duration('Upper bound for `uniform`.', 'ms', { default: 20 }),
  slow: obj('A slow mode: with probability `probability` a call takes `latency` instead (tail-at-scale).', {
    probability: num('Probability a call is slow.', { min: 0, max: 1, default: 0 }),
    latency: duration('Service time of a slow call.', 'ms', { default: 1000 }),
  }, { implicit: true }),
}, { implicit: true });

const service: Field = obj('A backend service: identical instances behind the gateway.', {
  instances: int('Number of instances.', 1, { default: 1, max: LIMITS.instancesPerService, limit: { what: 'instances per service', bytesEach: LIMITS.instanceBytes } }),
  weights: list('Per-instance load-balancing weights (default all 1).', int('A weight.', 1, { max: 1e9 }), { maxItems: LIMITS.instancesPerService, limit: { what: 'weights (one per instance)' } }),
  concurrency: int('Requests one instance serves at once (its servers, c per instance).', 1, { default: 1, max: 100_000 }),
  queue: { type: 'enum', values: ['instance', 'shared'], default: 'instance', description: 'Where waiting requests queue.', valueDocs: {
    instance: 'the balancer picks an instance on arrival; each instance has its own FIFO queue',
    shared: 'one FIFO queue in the gateway; a request goes to the next free instance (HAProxy maxconn; c instances = M/M/c)' } },
  queue_limit: int('Most requests waiting per queue; more are rejected with 503 (overflow).', 0, { default: 100000 }),
  latency,
  error_rate: num('Fraction of calls a healthy instance answers with 500.', { min: 0, max: 1, default: 0 }),
  response_size: size('Response payload size.', { default: 1024 }),
  balancer: { type: 'enum', values: BALANCERS, default: 'round_robin', description: 'Load-balancing policy.', valueDocs: {
    round_robin: 'NGINX smooth weighted round robin', least_request: 'Envoy power of two choices on active requests',
    random: 'weighted random', consistent_hash: 'ring hash on `hash_on` (sticky keys)' } },
  hash_on: { type: 'enum', values: ['key', 'client'], default: 'key', description: 'What consistent hashing hashes.' },
  health_check: obj('Active health checking.', {
    interval: duration('Time between checks.', 's', { required: true, min: 0.001 }),
    unhealthy_threshold: int('Failed checks before an instance is taken out.', 1, { default: 2 }),
    healthy_threshold: int('Passed checks before it is put back.', 1, { default: 2 }),
  }),
  outlier_detection: obj('Passive ejection (Envoy outlier detection).', {
    consecutive_errors: int('Consecutive 5xx/connect failures that eject an instance (0 = off).', 0, { default: 5 }),
    ejection_time: duration('How long an ejected instance is skipped.', 's', { default: 30 }),
  }),
});

const rateLimit: Field = obj('A rate limit on this route.', {
  algorithm: { type: 'enum', values: ['token_bucket', 'envoy_timer', 'leaky_bucket'], default: 'token_bucket', description: 'Limiter semantics.', valueDocs: {
    token_bucket: 'continuous refill (AWS API Gateway, Envoy ≥ 1.31): admit if ≥ 1 token',
    envoy_timer: 'Envoy ≤ 1.30: `burst` tokens added every `fill_interval`, admit if > 0',
    leaky_bucket: 'NGINX limit_req: excess drains at `rate`, over `burst` rejected; delayed unless `nodelay`' } },
  rate: rate('Sustained rate (tokens or requests per second).', { required: true, min: 0, exclusiveMin: true }),
  burst: int('Bucket size (token bucket) or the excess allowed (leaky bucket).', 0, { default: 1, max: 1e9 }),
  fill_interval: duration('Refill period for `envoy_timer` (≥ 50 ms in Envoy).', 'ms', { default: 1000 }),
  per: { type: 'enum', values: ['route', 'client'], default: 'client', description: 'One bucket per route, or one per route and client identity.' },
  nodelay: { type: 'boolean', default: false, description: '`leaky_bucket`: forward burst requests at once instead of delaying them.' },
  status: int('Status of a rejected request (default by profile: 429, NGINX/KrakenD 503).', 100, { max: 599 }),
});

const route: Field = obj('A route: first match wins.', {
  name: str('Name shown in the report (default: method and path).'),
  method: str('HTTP method to match, or `*`.', { default: '*' }),
  path: str('Path pattern: literal segments and `{param}`; a trailing `/*` matches any rest.', { required: true, pattern: /^\//, patternHint: 'should start with `/`' }),
  service: str('Service that answers this route.'),
  aggregate: list('Services called in parallel and merged (KrakenD-style composition).', str('A service name.'), { minItems: 1, maxItems: 100 }),
  timeout: duration('Per-call timeout (and whole-request timeout for aggregates).', 's', { default: 15 }),
  auth: obj('Who may call this route.', {
    type: { type: 'enum', values: ['none', 'api_key', 'jwt'], default: 'none', description: 'Credential required.' },
    scopes: strings('Scopes the identity must hold (403 without them).'),
  }),
  rate_limit: rateLimit,
  cache: obj('Response cache (GET only; stored when the response arrives; fresh while now < stored + ttl; beyond `max_entries` or `max_size` the least recently used entry is evicted).', {
    ttl: duration('Time to live.', 's', { default: 300 }),
    vary: strings('Request headers that are part of the cache key besides method and path (e.g. `authorization`).'),
    max_entries: int('Most entries kept (one per method, path and `vary` values); storing one more evicts the least recently used (default: no limit).', 1),
    max_size: size('Most response payload bytes kept (an entry counts its response size); storing past it evicts least recently used entries (default: no limit).', { exclusiveMin: true }),
  }),
  transform: obj('Request and response transformation.', {
    add_headers: named('Headers added to the upstream request.', str('Header value.'), 'header'),
    remove_headers: strings('Headers removed from the upstream request.'),
    rewrite: str('Upstream path (may use the same `{param}` names).', { pattern: /^\//, patternHint: 'should start with `/`' }),
    response_size_factor: num('Response shaping: the client gets this fraction of the upstream payload.', { min: 0, max: 1e6, default: 1 }),
  }, { implicit: true }),
  deprecated: date('Deprecation date: responses carry `Deprecation: @<unix>` (RFC 9745).'),
  sunset: date('Sunset date: `Sunset` HTTP-date (RFC 8594); calls after it get 410 Gone.'),
  link: str('Documentation URL sent as `Link: <…>; rel="deprecation"`.'),
});

const client: Field = obj('A client (caller identity).', {
  name: str('Client name (identity for rate limits and analytics).', { required: true }),
  weight: num('Share of traffic (relative).', { min: 0, max: 1e12, default: 1 }),
  api_key: str('API key the client sends in `x-api-key`.'),
  jwt: obj('A bearer JWT the client sends.', {
    scopes: strings('Scopes in the token.'),
    valid: { type: 'boolean', default: true, description: 'False for an expired or badly signed token.' },
  }),
  headers: named('Other request headers this client sends.', str('Header value.'), 'header'),
});

const requestKind: Field = obj('A kind of request in the mix.', {
  method: str('HTTP method.', { default: 'GET' }),
  path: str('Path; `{key}` is replaced by a key drawn from `traffic.keys`.', { required: true, pattern: /^\//, patternHint: 'should start with `/`' }),
  weight: num('Share of requests (relative).', { min: 0, max: 1e12, default: 1 }),
  size: size('Request size (headers and body) before transformation.', { default: 512 }),
});

export const gatewaySchema: ObjectField = {
  type: 'object',
  description: 'An API gateway model.',
  fields: {
    name: str('Publishes what the model measures under this name, for later cells: `checkout.p99`, `checkout.throughput`, `checkout.orders.utilisation` (requirement checks, costs).', { pattern: MODEL_NAME, patternHint: MODEL_NAME_HINT }),
    seed: int('Seed of this cell (combined with the notebook seed).'),
    sweep: sweepField,
    solve: solveField,
    profile: { type: 'enum', values: PROFILES, default: 'envoy', description: 'Gateway product whose status-code defaults are used.', valueDocs: {
      envoy: '404 NR, 401/403, 429, 503 UH, 504 UT', kong: '429, 503', nginx: 'limit_req 503, no upstream 502',
      aws: 'invalid API key 403, 429', krakend: 'rate limit 503, no backend 500', apigee: '429, 503' } },
    replications: int('Independent runs (seeds) for mean ± 95% CI.', 1, { default: 5, max: LIMITS.replications, limit: { what: 'replications (each is a whole run; 1,000 already narrow the 95% interval to about 6% of one run\'s spread)' } }),
    gateway: obj('Costs inside the gateway itself.', {
      overhead: duration('Per-request processing time (routing, filters).', 'ms', { default: 0.2 }),
      auth_latency: duration('Credential check (API key lookup or JWT signature).', 'ms', { default: 0.05 }),
      cache_latency: duration('Serving a cache hit.', 'ms', { default: 0.1 }),
      header_op_latency: duration('Each header added or removed.', 'ms', { default: 0.002 }),
      rewrite_latency: duration('A path rewrite.', 'ms', { default: 0.005 }),
      shaping_throughput: { type: 'number', dimension: 'datarate', unit: 'MB/s', min: 0, exclusiveMin: true, max: LIMITS.bytes, default: 200, description: 'Bytes per second response shaping processes.' },
    }, { implicit: true }),
    api_keys: named('Known API keys and the scopes each grants (a key not listed is invalid).', strings('Scopes of this key.'), 'API key'),
    services: named('Backend services by name.', service, 'service', { required: true }),
    routes: list('Routes, matched in order (first match wins; no match is 404).', route, { required: true, minItems: 1 }),
    clients: list('Callers and their credentials.', client, { default: [{ name: 'anonymous' }] }),
    traffic: obj('Offered load.', {
      duration: duration('Simulated time per replication.', 's', { default: 60 }),
      warmup: duration('Initial period left out of the statistics.', 's', { default: 0 }),
      rate: rate('Mean arrival rate.', { required: true }),
      pattern: { type: 'enum', values: ['poisson', 'constant'], default: 'poisson', description: 'Arrival process.', valueDocs: { poisson: 'exponential gaps (M)', constant: 'evenly spaced (D)' } },
      spike: obj('A period of higher load.', {
        at: duration('Start.', 's', { default: 0 }),
        duration: duration('Length.', 's', { default: 0 }),
        factor: num('Rate multiplier during the spike.', { min: 0, max: 1e9, default: 1 }),
      }, { implicit: true }),
      start: date('Wall-clock date of simulated time 0 (for deprecation and sunset).'),
      keys: obj('Key distribution for `{key}` in paths, cache keys and hashing.', {
        count: int('Distinct keys.', 1, { default: 1000, max: LIMITS.keys, limit: { what: 'distinct keys', bytesEach: LIMITS.keyBytes } }),
        zipf: num('Zipf exponent s (0 = uniform).', { min: 0, max: 100, default: 1 }),
      }, { implicit: true }),
      requests: list('The request mix.', requestKind, { minItems: 1 }),
    }, { required: true }),
    faults: list('Instance failures and recoveries.', obj('A fault event.', {
      at: duration('When.', 's', { required: true }),
      kill: str('Instance taken down, as `service/index` (index from 0).', { pattern: /^[^/]+\/\d+$/, patternHint: 'should be `service/index`, e.g. `users/0`' }),
      restore: str('Instance brought back, as `service/index`.', { pattern: /^[^/]+\/\d+$/, patternHint: 'should be `service/index`, e.g. `users/0`' }),
    })),
  },
};
