// The gateway cell's YAML schema: one source for validation, hover and completion (docs/gateway.md
// lists the same keys), and for the type of the parsed value (`GatewayValue`).
import {
  MODEL_NAME,
  MODEL_NAME_HINT,
  solveField,
  sweepField,
  Extra,
  Field,
  NoExtra,
  IntegerField,
  ListField,
  MapField,
  NumberField,
  ValueOf,
  bool,
  duration,
  int as integer,
  list as listOf,
  mapOf,
  num,
  obj,
  oneOf,
  str,
  rate,
} from '../model';

/** The `warm` key of a cache, route or service. */
const WARM_CACHE =
  'Start in the steady state of the initial request rate (each key fresh with probability λ·ttl / (1 + λ·ttl) for its lookup rate λ, as at a sustained peak); `false`: start empty, as after a restart. A cache with a capacity always starts empty.';

const int = <const E extends Extra<IntegerField> = NoExtra>(description: string, min = 0, extra?: E) =>
  integer(description, { min, ...(extra as NoInfer<E>) });
const size = <const E extends Extra<NumberField> = NoExtra>(description: string, extra?: E) =>
  num(description, { dimension: 'data', unit: 'B', min: 0, max: LIMITS.bytes as number, ...(extra as NoInfer<E>) });
const list = <const I extends Field, const E extends Extra<ListField> = NoExtra>(description: string, items: I, extra?: E) =>
  listOf(description, items, { maxItems: LIMITS.listItems as number, ...(extra as NoInfer<E>) });
const strings = (description: string) => list(description, str('An item.'));
const named = <const W extends Field, const E extends Extra<MapField> = NoExtra>(
  description: string,
  values: W,
  keyHint: string,
  extra?: E,
) => mapOf(description, values, { keyHint, maxEntries: LIMITS.listItems as number, ...(extra as NoInfer<E>) });

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
  /** Statistics per service (a waiting-time histogram and queue-length time shares), twice like a route's. */
  serviceBytes: 30_000,
  /** Per route and client: the credential check and its headers, and deprecation counts. */
  routeClientBytes: 100,
  replications: 1000,
  /** Items of a list (routes, clients, requests, scopes, …) and entries of a map (services, headers, …). */
  listItems: 1000,
  /** Requests in flight at once in a run, and upstream calls (the run stops past them). */
  inFlightRequests: 1 << 20,
  inFlightCalls: 1 << 21,
  /** Steps of one service's calls, and services called at once in a step (or after a miss). */
  steps: 100,
  fanOut: 100,
  /** Instances of a service balanced by Maglev (its table is filled in rounds over them). */
  maglevInstances: 1000,
  /** Percentiles the headline shows, and requests a trace lists. */
  percentiles: 10,
  trace: 1000,
  /** Arrivals of an explicit trace (each is a row of the report's trace). */
  arrivals: 10_000,
  /** Retries per call (each is another try, and another event). */
  retries: 100,
  /** Expected upstream calls one request makes through the call graph (every route, every step). */
  callsPerRequest: 10_000,
  /** Data sizes (1 TB) and byte rates (1 TB/s). */
  bytes: 1e12,
} as const;

export const PROFILES = ['envoy', 'kong', 'nginx', 'aws', 'krakend', 'apigee'] as const;
export type Profile = (typeof PROFILES)[number];
export const BALANCERS = ['round_robin', 'least_request', 'random', 'consistent_hash', 'maglev'] as const;
export type BalancerName = (typeof BALANCERS)[number];
export const DISTRIBUTIONS = ['exponential', 'constant', 'lognormal', 'uniform'] as const;

const DATE_HINT = 'should be an RFC 3339 date such as `2026-06-30T00:00:00Z` or unix seconds';
const date = (description: string) =>
  str(description, { pattern: /^(\d+|\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)$/, patternHint: DATE_HINT });

const latency = obj(
  'Service time of one call at an instance (a distribution; latencies are distributions, not constants).',
  {
    dist: {
      type: 'enum',
      values: DISTRIBUTIONS,
      default: 'exponential',
      description: 'Shape of the service-time distribution.',
      valueDocs: {
        exponential: 'memoryless, mean `mean` (M/M/c)',
        constant: 'always `mean` (M/D/c)',
        lognormal: 'mean `mean`, spread `cv`',
        uniform: 'uniform on [min, max]',
      },
    },
    mean: duration('Mean service time.', 'ms', { default: 10 }),
    cv: num('Coefficient of variation (sd / mean) for `lognormal`.', { min: 0, max: 100, default: 1 }),
    min: duration('Lower bound for `uniform`.', 'ms', { default: 0 }),
    max: duration('Upper bound for `uniform`.', 'ms', { default: 20 }),
    slow: obj(
      'A slow mode: with probability `probability` a call takes `latency` instead (tail-at-scale).',
      {
        probability: num('Probability a call is slow.', { min: 0, max: 1, default: 0 }),
        latency: duration('Service time of a slow call.', 'ms', { default: 1000 }),
      },
      { implicit: true },
    ),
  },
  { implicit: true },
);

export const RETRY_ON = ['5xx', 'gateway-error', 'connect-failure', 'reset', 'retriable-4xx'] as const;

const retry = obj("Envoy's retry policy for this call: tries after the first, each after a jittered back-off, within the call's timeout.", {
  attempts: int('Retries after the first try (Envoy `num_retries`).', 0, {
    default: 1,
    max: LIMITS.retries,
    limit: { what: 'retries per call (each is another try)' },
  }),
  on: list(
    'What is retried (Envoy `retry_on`).',
    oneOf(RETRY_ON, 'A retry condition.', {
      valueDocs: {
        '5xx': 'any 5xx answer, a reset, a connect failure or a per-try timeout',
        'gateway-error': '502, 503 or 504, a reset, a connect failure or a per-try timeout',
        'connect-failure': 'a connection refused (a dead instance)',
        reset: 'a reset, a connect failure or a per-try timeout',
        'retriable-4xx': '409 Conflict',
      },
    }),
    { default: ['5xx'], minItems: 1, maxItems: RETRY_ON.length },
  ),
  per_try_timeout: duration(
    'Timeout of each try; past it the try is given up (the instance still finishes it) and may be retried. Default: none.',
    'ms',
    { exclusiveMin: true },
  ),
  backoff: obj(
    'Fully jittered exponential back-off (Envoy): before retry n, uniform on [0, interval), the interval doubling from `base` up to `max`.',
    {
      base: duration('First interval (Envoy 25 ms; 0 here means no back-off, which Envoy does not allow).', 'ms', { default: 25 }),
      max: duration('Largest interval (default 10 × `base`, as Envoy).', 'ms'),
    },
    { implicit: true },
  ),
  hedge: bool(
    'Envoy `hedge_on_per_try_timeout`: past `per_try_timeout` send another try and keep waiting for the first; the first good answer wins (a hedged request, "The Tail at Scale").',
    { default: false },
  ),
});

const step = obj('One step of a call: the calls it makes, and waits for, before the next step.', {
  call: str('The service called: another service, a database or a cache.'),
  parallel: list('Services called at once; the step waits for all of them (any failure fails the step).', str('A service name.'), {
    minItems: 1,
    maxItems: LIMITS.fanOut,
    limit: { what: 'services called at once' },
  }),
  hit_ratio: num(
    'For a cache hop: the fraction of lookups that hit; a hit skips `on_miss` (or give the cache service a `cache:` to model it).',
    { min: 0, max: 1 },
  ),
  on_miss: list(
    'Called in order after a cache miss (cache-aside: the database behind the cache); a failed lookup counts as a miss.',
    str('A service name.'),
    { minItems: 1, maxItems: LIMITS.fanOut, limit: { what: 'services called after a miss' } },
  ),
  timeout: duration("Timeout of each call of this step, retries included (default: none; the request's own timeout still applies).", 's', {
    exclusiveMin: true,
  }),
  retry,
});

const service = obj('A backend service: identical instances behind the gateway, or behind another service.', {
  kind: {
    type: 'enum',
    values: ['service', 'database', 'cache'],
    default: 'service',
    description: 'What it is: drawn and named so in the report (the queueing is the same).',
    valueDocs: {
      service: 'an application service',
      database: 'a database: `concurrency` is its connection pool',
      cache: 'a cache (Redis, Memcached): called with a `hit_ratio` or modelled with `cache:`',
    },
  },
  calls: list(
    "What one call does after the service's own work, in order, while it holds its server: each step calls services and waits for them (gateway → service → cache → database).",
    step,
    { maxItems: LIMITS.steps, limit: { what: 'steps per service' } },
  ),
  cache: obj(
    "A modelled cache: a lookup hits when the request's key was stored less than `ttl` ago (stored when the `on_miss` calls succeed); beyond `max_entries` the least recently used key is evicted.",
    {
      ttl: duration('Time to live.', 's', { default: 300 }),
      max_entries: int('Most keys kept (default: no limit).', 1),
      warm: bool(WARM_CACHE, { default: true }),
    },
  ),
  instances: int('Number of instances.', 1, {
    default: 1,
    max: LIMITS.instancesPerService,
    limit: { what: 'instances per service', bytesEach: LIMITS.instanceBytes },
  }),
  weights: list('Per-instance load-balancing weights (default all 1).', int('A weight.', 1, { max: 1e9 }), {
    maxItems: LIMITS.instancesPerService,
    limit: { what: 'weights (one per instance)' },
  }),
  concurrency: int('Requests one instance serves at once (its servers, c per instance).', 1, { default: 1, max: 100_000 }),
  queue: {
    type: 'enum',
    values: ['instance', 'shared'],
    default: 'instance',
    description: 'Where waiting requests queue.',
    valueDocs: {
      instance: 'the balancer picks an instance on arrival; each instance has its own FIFO queue',
      shared: 'one FIFO queue in the gateway; a request goes to the next free instance (HAProxy maxconn; c instances = M/M/c)',
    },
  },
  queue_limit: int('Most requests waiting per queue; more are rejected with 503 (overflow).', 0, { default: 100000 }),
  latency,
  error_rate: num('Fraction of calls a healthy instance answers with 500.', { min: 0, max: 1, default: 0 }),
  response_size: size('Response payload size.', { default: 1024 }),
  balancer: {
    type: 'enum',
    values: BALANCERS,
    default: 'round_robin',
    description: 'Load-balancing policy.',
    valueDocs: {
      round_robin: 'NGINX smooth weighted round robin',
      least_request: 'Envoy power of two choices on active requests',
      random: 'weighted random',
      consistent_hash: 'ring hash on `hash_on` (sticky keys)',
      maglev: 'Envoy Maglev: a 65,537-entry lookup table hashed on `hash_on` (sticky keys, even spread)',
    },
  },
  active_request_bias: num(
    '`least_request` with unequal weights: effective weight = weight / (active requests + 1)^bias (Envoy `active_request_bias`; 0 ignores the load).',
    { min: 0, max: 100, default: 1 },
  ),
  hash_on: { type: 'enum', values: ['key', 'client'], default: 'key', description: 'What consistent hashing and Maglev hash.' },
  health_check: obj('Active health checking.', {
    interval: duration('Time between checks.', 's', { required: true, min: 0.001 }),
    unhealthy_threshold: int('Failed checks before an instance is taken out.', 1, { default: 2 }),
    healthy_threshold: int('Passed checks before it is put back.', 1, { default: 2 }),
  }),
  outlier_detection: obj("Passive ejection: Envoy's consecutive-5xx outlier detection (off unless given).", {
    consecutive_errors: int(
      'Consecutive 5xx answers or local failures (connect failures, timeouts) that eject an instance (Envoy `consecutive_5xx`; 0 = off).',
      0,
      { default: 5 },
    ),
    ejection_time: duration(
      'Base ejection time (Envoy `base_ejection_time`): an instance is out for this times the number of its recent ejections.',
      's',
      { default: 30 },
    ),
    max_ejection_time: duration('Longest ejection (Envoy `max_ejection_time`).', 's', { default: 300 }),
    interval: duration('Sweep interval: ejected instances return at the first sweep after their time is up (Envoy `interval`).', 's', {
      default: 10,
      exclusiveMin: true,
    }),
    max_ejection_percent: num(
      'Most instances ejected at once, as a percentage (Envoy `max_ejection_percent`: with fewer than 10 instances the default ejects none).',
      { min: 0, max: 100, default: 10 },
    ),
    always_eject_one_host: bool('Eject one instance even past `max_ejection_percent` (Envoy `always_eject_one_host`).', { default: false }),
  }),
  circuit_breaker: obj(
    "Envoy's circuit breaker thresholds for calls to this service: past them a call fails at once with 503 and is not retried. Envoy applies these defaults to every cluster; here none apply unless given.",
    {
      max_requests: int('Most calls in flight at the service at once (queued or served).', 1, { default: 1024 }),
      max_pending: int('Most calls waiting in the shared queue (`queue: shared`).', 1, { default: 1024 }),
      max_retries: int('Most retries in flight at once (replaced by `retry_budget` when that is given).', 0, { default: 3 }),
    },
  ),
  retry_budget: obj(
    "Envoy's retry budget: concurrent retries may reach `budget_percent` of the calls in flight and waiting, and never fewer than `min_retry_concurrency`.",
    {
      budget_percent: num('Percentage of active and pending calls that may be retries.', { min: 0, max: 100, default: 20 }),
      min_retry_concurrency: int('Retries allowed at once whatever the load.', 0, { default: 3 }),
    },
  ),
  retry_throttling: obj(
    'gRPC retry throttling for calls to this service: each failed try takes a token, each success gives back `token_ratio`; retries and hedges stop while tokens ≤ `max_tokens` / 2.',
    {
      max_tokens: num('Tokens at the start and at most (gRPC: up to 1000).', { required: true, min: 0, exclusiveMin: true, max: 1000 }),
      token_ratio: num('Tokens a success gives back (gRPC: up to three decimals).', { required: true, min: 0, exclusiveMin: true, max: 1 }),
    },
  ),
});

const rateLimit = obj('A rate limit on this route.', {
  algorithm: {
    type: 'enum',
    values: ['token_bucket', 'envoy_timer', 'leaky_bucket'],
    default: 'token_bucket',
    description: 'Limiter semantics.',
    valueDocs: {
      token_bucket: 'continuous refill (AWS API Gateway, Envoy ≥ 1.31): admit if ≥ 1 token',
      envoy_timer: 'Envoy ≤ 1.30: `burst` tokens added every `fill_interval`, admit if > 0',
      leaky_bucket: 'NGINX limit_req: excess drains at `rate`, over `burst` rejected; delayed unless `nodelay`',
    },
  },
  rate: rate('Sustained rate (tokens or requests per second).', { required: true, min: 0, exclusiveMin: true }),
  burst: int('Bucket size (token bucket) or the excess allowed (leaky bucket).', 0, { default: 1, max: 1e9 }),
  fill_interval: duration('Refill period for `envoy_timer` (≥ 50 ms in Envoy).', 'ms', { default: 1000 }),
  per: {
    type: 'enum',
    values: ['route', 'client'],
    default: 'client',
    description: 'One bucket per route, or one per route and client identity.',
  },
  nodelay: { type: 'boolean', default: false, description: '`leaky_bucket`: forward burst requests at once instead of delaying them.' },
  status: int('Status of a rejected request (default by profile: 429, NGINX/KrakenD 503).', 100, { max: 599 }),
});

const route = obj('A route: first match wins.', {
  name: str('Name shown in the report (default: method and path).'),
  method: str('HTTP method to match, or `*`.', { default: '*' }),
  path: str('Path pattern: literal segments and `{param}`; a trailing `/*` matches any rest.', {
    required: true,
    pattern: /^\//,
    patternHint: 'should start with `/`',
  }),
  service: str('Service that answers this route.'),
  aggregate: list('Services called in parallel and merged (KrakenD-style composition).', str('A service name.'), {
    minItems: 1,
    maxItems: 100,
  }),
  timeout: duration(
    "Timeout of the route's call, retries included (Envoy's route timeout; for an aggregate, of each backend's call and so of the whole request). A request past it answers the profile's timeout status.",
    's',
    { default: 15 },
  ),
  retry,
  max_in_flight: int('Bulkhead: most requests of this route in flight at once; more are answered 503 at once (load shedding).', 1),
  auth: obj(
    'Who may call this route.',
    {
      type: { type: 'enum', values: ['none', 'api_key', 'jwt'], default: 'none', description: 'Credential required.' },
      scopes: strings('Scopes the identity must hold (403 without them).'),
    },
    { implicit: true },
  ),
  rate_limit: rateLimit,
  cache: obj(
    'Response cache (GET only; stored when the response arrives; fresh while now < stored + ttl; beyond `max_entries` or `max_size` the least recently used entry is evicted).',
    {
      ttl: duration('Time to live.', 's', { default: 300 }),
      vary: strings('Request headers that are part of the cache key besides method and path (e.g. `authorization`).'),
      max_entries: int(
        'Most entries kept (one per method, path and `vary` values); storing one more evicts the least recently used (default: no limit).',
        1,
      ),
      max_size: size(
        'Most response payload bytes kept (an entry counts its response size); storing past it evicts least recently used entries (default: no limit).',
        { exclusiveMin: true },
      ),
      warm: bool(WARM_CACHE, { default: true }),
    },
  ),
  transform: obj(
    'Request and response transformation.',
    {
      add_headers: named('Headers added to the upstream request.', str('Header value.'), 'header'),
      remove_headers: strings('Headers removed from the upstream request.'),
      rewrite: str('Upstream path (may use the same `{param}` names).', { pattern: /^\//, patternHint: 'should start with `/`' }),
      response_size_factor: num('Response shaping: the client gets this fraction of the upstream payload.', {
        min: 0,
        max: 1e6,
        default: 1,
      }),
    },
    { implicit: true },
  ),
  deprecated: date('Deprecation date: responses carry `Deprecation: @<unix>` (RFC 9745).'),
  sunset: date('Sunset date: `Sunset` HTTP-date (RFC 8594); calls after it get 410 Gone.'),
  link: str('Documentation URL sent as `Link: <…>; rel="deprecation"`.'),
});

const client = obj('A client (caller identity).', {
  name: str('Client name (identity for rate limits and analytics).', { required: true }),
  weight: num('Share of traffic (relative).', { min: 0, max: 1e12, default: 1 }),
  api_key: str('API key the client sends in `x-api-key`.'),
  jwt: obj('A bearer JWT the client sends.', {
    scopes: strings('Scopes in the token.'),
    valid: { type: 'boolean', default: true, description: 'False for an expired or badly signed token.' },
  }),
  headers: named('Other request headers this client sends.', str('Header value.'), 'header'),
});

const requestKind = obj('A kind of request in the mix.', {
  method: str('HTTP method.', { default: 'GET' }),
  path: str('Path; `{key}` is replaced by a key drawn from `traffic.keys`.', {
    required: true,
    pattern: /^\//,
    patternHint: 'should start with `/`',
  }),
  weight: num('Share of requests (relative).', { min: 0, max: 1e12, default: 1 }),
  size: size('Request size (headers and body) before transformation.', { default: 512 }),
});

export const gatewaySchema = obj('An API gateway model.', {
  name: str(
    'Publishes what the model measures under this name, for later cells: `checkout.p99`, `checkout.throughput`, `checkout.orders.utilisation` (requirement checks, costs).',
    { pattern: MODEL_NAME, patternHint: MODEL_NAME_HINT },
  ),
  seed: int('Seed of this cell (combined with the notebook seed).'),
  sweep: sweepField,
  solve: solveField,
  profile: {
    type: 'enum',
    values: PROFILES,
    default: 'envoy',
    description: 'Gateway product whose status-code defaults are used.',
    valueDocs: {
      envoy: '404 NR, 401/403, 429, 503 UH, 504 UT',
      kong: '429, 503',
      nginx: 'limit_req 503, no upstream 502',
      aws: 'missing or invalid API key 403, 429',
      krakend: 'rate limit 503, no backend or a backend timeout 500',
      apigee: '429, 503',
    },
  },
  replications: int('Independent runs (seeds) for mean ± 95% CI.', 1, {
    default: 5,
    max: LIMITS.replications,
    limit: { what: "replications (each is a whole run; 1,000 already narrow the 95% interval to about 6% of one run's spread)" },
  }),
  gateway: obj(
    'Costs inside the gateway itself.',
    {
      overhead: duration('Per-request processing time (routing, filters).', 'ms', { default: 0.2 }),
      auth_latency: duration('Credential check (API key lookup or JWT signature).', 'ms', { default: 0.05 }),
      cache_latency: duration('Serving a cache hit.', 'ms', { default: 0.1 }),
      header_op_latency: duration('Each header added or removed.', 'ms', { default: 0.002 }),
      rewrite_latency: duration('A path rewrite.', 'ms', { default: 0.005 }),
      shaping_throughput: {
        type: 'number',
        dimension: 'datarate',
        unit: 'MB/s',
        min: 0,
        exclusiveMin: true,
        max: LIMITS.bytes,
        default: 200,
        description: 'Bytes per second response shaping processes.',
      },
    },
    { implicit: true },
  ),
  api_keys: named('Known API keys and the scopes each grants (a key not listed is invalid).', strings('Scopes of this key.'), 'API key'),
  services: named('Backend services by name.', service, 'service', { required: true }),
  routes: list('Routes, matched in order (first match wins; no match is 404).', route, { required: true, minItems: 1 }),
  clients: list('Callers and their credentials.', client, { default: [{ name: 'anonymous' }] }),
  traffic: obj(
    'Offered load.',
    {
      duration: duration('Simulated time per replication.', 's', { default: 60 }),
      warmup: duration('Initial period left out of the statistics.', 's', { default: 0 }),
      rate: rate('Mean arrival rate (required unless `arrivals` lists the arrivals).'),
      pattern: {
        type: 'enum',
        values: ['poisson', 'constant'],
        default: 'poisson',
        description: 'Arrival process.',
        valueDocs: { poisson: 'exponential gaps (M)', constant: 'evenly spaced (D)' },
      },
      arrivals: list(
        'An exact trace: the arrival times (from 0), instead of `rate` — for small exact cases. Each arrival picks its client, request and key as usual.',
        duration('An arrival time.', 's'),
        { minItems: 1, maxItems: LIMITS.arrivals, limit: { what: 'arrivals in a trace (each is listed in the trace table)' } },
      ),
      steps: list(
        'Step changes of the rate: from `at` on, arrivals come at `rate` (Poisson).',
        obj('A step.', {
          at: duration('When the rate changes.', 's', { required: true }),
          rate: rate('The rate from then on.', { required: true }),
        }),
      ),
      diurnal: obj('A daily cycle: the rate times 1 + amplitude · cos(2π (t − peak) / period) (Poisson, sampled by thinning).', {
        amplitude: num('Swing around the mean, as a fraction of it (0.5: from 50% to 150%).', { min: 0, max: 1, default: 0.5 }),
        period: duration('Length of a cycle.', 's', { default: 86400, exclusiveMin: true }),
        peak: duration('When the cycle peaks (from 0).', 's', { default: 0 }),
      }),
      spike: obj(
        'A period of higher load.',
        {
          at: duration('Start.', 's', { default: 0 }),
          duration: duration('Length.', 's', { default: 0 }),
          factor: num('Rate multiplier during the spike.', { min: 0, max: 1e9, default: 1 }),
        },
        { implicit: true },
      ),
      start: date('Wall-clock date of simulated time 0 (for deprecation and sunset).'),
      keys: obj(
        'Key distribution for `{key}` in paths, cache keys and hashing.',
        {
          count: int('Distinct keys.', 1, {
            default: 1000,
            max: LIMITS.keys,
            limit: { what: 'distinct keys', bytesEach: LIMITS.keyBytes },
          }),
          zipf: num('Zipf exponent s (0 = uniform).', { min: 0, max: 100, default: 1 }),
        },
        { implicit: true },
      ),
      requests: list('The request mix.', requestKind, { minItems: 1 }),
    },
    { required: true },
  ),
  percentiles: list(
    'Latency percentiles the headline shows (nearest rank), e.g. `[50, 95, 99, 99.9]`.',
    num('A percentile, between 0 and 100.', { min: 0, exclusiveMin: true, max: 100 }),
    { default: [50, 99], minItems: 1, maxItems: LIMITS.percentiles, limit: { what: 'percentiles' } },
  ),
  trace: int(
    'Requests of the first replication listed one by one with the decisions behind them (which were limited, which instance served each); runs of at most 50 requests list them all unless `trace: 0`.',
    0,
    { max: LIMITS.trace, limit: { what: 'requests in a trace (each is a row)' } },
  ),
  faults: list(
    'Instance failures and recoveries.',
    obj('A fault event.', {
      at: duration('When.', 's', { required: true }),
      kill: str('Instance taken down, as `service/index` (index from 0).', {
        pattern: /^[^/]+\/\d+$/,
        patternHint: 'should be `service/index`, e.g. `users/0`',
      }),
      restore: str('Instance brought back, as `service/index`.', {
        pattern: /^[^/]+\/\d+$/,
        patternHint: 'should be `service/index`, e.g. `users/0`',
      }),
    }),
  ),
});

/** A gateway cell as parsed: defaults filled in, quantities in SI. */
export type GatewayValue = ValueOf<typeof gatewaySchema>;
