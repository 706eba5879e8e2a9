// From the validated YAML value to a compiled model with integer times (µs) and index-based references,
// plus the semantic checks the schema cannot express (unknown services, sunset before deprecation, …).
import { Diagnostic, Range } from '../types';
import {
  MemoryTerm,
  ModelParse,
  formatBytes,
  memoryNeed,
  MAX_WORK_STEPS,
  overMemory,
  pathLabel,
  valueAsWritten,
  workMessage,
} from '../model';
import { ticks } from '../sim/environment';
import { Credential, AuthType, authenticate } from './auth';
import { parseDate } from './lifecycle';
import { RoutePattern, compilePattern, matchRoute } from './routing';
import { GatewayValue, LIMITS, Profile, gatewaySchema } from './schema';
import { OutlierConfig } from './resilience';
import { MAGLEV_TABLE_SIZE } from './balancers';
import { StepModel, findCycle, visitsFrom } from './callgraph';

/** Status codes of each gateway product (model-notes §2). */
export const PROFILE_STATUS: Record<
  Profile,
  { noRoute: number; rateLimited: number; noHealthy: number; timeout: number; overflow: number }
> = {
  envoy: { noRoute: 404, rateLimited: 429, noHealthy: 503, timeout: 504, overflow: 503 },
  kong: { noRoute: 404, rateLimited: 429, noHealthy: 503, timeout: 504, overflow: 503 },
  nginx: { noRoute: 404, rateLimited: 503, noHealthy: 502, timeout: 504, overflow: 502 },
  aws: { noRoute: 404, rateLimited: 429, noHealthy: 503, timeout: 504, overflow: 503 },
  // KrakenD answers a backend that failed or timed out with 500 (an aggregate with some answers: 200, partial).
  krakend: { noRoute: 404, rateLimited: 503, noHealthy: 500, timeout: 500, overflow: 500 },
  apigee: { noRoute: 404, rateLimited: 429, noHealthy: 503, timeout: 504, overflow: 503 },
};

export const DIST = { exponential: 0, constant: 1, lognormal: 2, uniform: 3 } as const;

export interface ServiceModel {
  name: string;
  n: number;
  weights: number[];
  concurrency: number;
  shared: boolean;
  queueLimit: number;
  dist: number;
  meanUs: number;
  /** lognormal log-space parameters (seconds → µs applied after). */
  mu: number;
  sigma: number;
  minUs: number;
  maxUs: number;
  slowP: number;
  slowUs: number;
  errorRate: number;
  responseSize: number;
  balancer: string;
  /** Envoy least request's `active_request_bias`. */
  bias: number;
  hashOnClient: boolean;
  /** Active health checking, when configured. */
  healthCheck?: { intervalUs: number; unhealthy: number; healthy: number };
  /** Envoy consecutive-5xx outlier detection, when configured. */
  outlier?: OutlierConfig;
  /** Envoy circuit breaker thresholds, when configured. */
  breaker?: { maxRequests: number; maxPending: number; maxRetries: number };
  /** Envoy retry budget, when configured (it replaces `breaker.maxRetries`). */
  retryBudget?: { percent: number; minConcurrency: number };
  /** gRPC retry throttling, when configured. */
  throttle?: { maxTokens: number; ratio: number };
  kind: 'service' | 'database' | 'cache';
  /** What one call does after the service's own work, while it holds its server. */
  steps: StepModel[];
  /** A modelled cache: lookups keyed on the request key, fresh for `ttlUs` after a store. */
  cacheModel?: { ttlUs: number; maxEntries: number; warm: boolean };
}

export interface RateLimitModel {
  algorithm: 'token_bucket' | 'envoy_timer' | 'leaky_bucket';
  rate: number;
  burst: number;
  fillIntervalUs: number;
  perClient: boolean;
  nodelay: boolean;
  status: number;
}

/** What a retry policy retries (Envoy `retry_on`), as bits. */
export const RETRY_ON_BITS = { '5xx': 1, 'gateway-error': 2, 'connect-failure': 4, reset: 8, 'retriable-4xx': 16 } as const;

/** A call's retry policy (Envoy's route retry policy), times in µs. */
export interface PolicyModel {
  attempts: number;
  retryOn: number;
  /** Per-try timeout (Infinity: none). */
  perTryUs: number;
  baseUs: number;
  maxUs: number;
  hedge: boolean;
}

export interface RouteModel {
  name: string;
  method: string;
  path: string;
  pattern: RoutePattern;
  services: number[];
  aggregate: boolean;
  timeoutUs: number;
  /** Index of the route's retry policy in `GatewayModel.policies`, or −1. */
  policy: number;
  /** Bulkhead: most requests of the route in flight (Infinity: none). */
  maxInFlight: number;
  authType: AuthType;
  scopes: string[];
  rateLimit?: RateLimitModel;
  /** `maxEntries`/`maxBytes`: capacity (Infinity: none), least recently used evicted. */
  cache?: { ttlUs: number; vary: string[]; maxEntries: number; maxBytes: number; warm: boolean };
  addHeaders: Record<string, string>;
  removeHeaders: string[];
  rewrite?: string;
  responseFactor: number;
  /** Request transformation latency (header ops and rewrite), µs. */
  transformUs: number;
  /** Bytes the request transformation adds (negative: removes). */
  requestDelta: number;
  deprecated?: number;
  sunset?: number;
  link?: string;
}

export interface ClientModel {
  name: string;
  weight: number;
  cred: Credential;
  headers: Record<string, string>;
}

export interface RequestKindModel {
  method: string;
  path: string;
  weight: number;
  size: number;
  /** Route the request matches (−1: none → 404), decided once per kind: generated keys never equal a literal segment. */
  route: number;
}

export interface GatewayModel {
  /** The name its measured figures are published under (`checkout` → `checkout.p99`). */
  name?: string;
  /** Where the name is written, for the definitions it publishes. */
  nameRange?: Range;
  seed?: number;
  profile: Profile;
  status: (typeof PROFILE_STATUS)[Profile];
  replications: number;
  overheadUs: number;
  authUs: number;
  cacheUs: number;
  /** Bytes per µs for response shaping. */
  shapingBytesPerUs: number;
  services: ServiceModel[];
  routes: RouteModel[];
  clients: ClientModel[];
  kinds: RequestKindModel[];
  apiKeys: Map<string, string[]>;
  /** authStatus[route * clients + client]: 0 allowed, 401 or 403. */
  authStatus: Int32Array;
  authHeaders: Record<string, string>[];
  durationUs: number;
  warmupUs: number;
  rate: number;
  pattern: 'poisson' | 'constant';
  spike: { atUs: number; endUs: number; factor: number };
  /** Step changes of the base rate, sorted: from `atUs` on the rate is `rate`. */
  steps: { atUs: number; rate: number }[];
  /** A daily cycle multiplying the rate. */
  diurnal?: { amplitude: number; periodUs: number; peakUs: number };
  /** An explicit trace of arrival times, µs, sorted (then `rate` is its mean over the run). */
  arrivals?: number[];
  startUnix: number;
  keyCount: number;
  zipf: number;
  faults: { atUs: number; service: number; instance: number; kill: boolean }[];
  /** Retry policies of routes and steps. */
  policies: PolicyModel[];
  /** Latency percentiles the headline shows. */
  percentiles: number[];
  /** Requests of the first replication to trace (undefined: all when there are at most 50). */
  trace?: number;
}

/** A route's timeout when it gives none (Envoy's 15 s), as the schema declares it. */
export const DEFAULT_TIMEOUT_US = ticks(
  valueAsWritten(gatewaySchema.fields.routes.items.fields.timeout, gatewaySchema.fields.routes.items.fields.timeout.default),
);

/** Default wall-clock start when `traffic.start` is not given: 2026-01-01T00:00:00Z. */
export const DEFAULT_START = 1767225600;

const HEADER_BYTES = (name: string, value: string) => name.length + value.length + 4; // "name: value\r\n"

type RetryValue = NonNullable<GatewayValue['routes'][number]['retry']>;

export function compileModel(parse: ModelParse<GatewayValue>): { model?: GatewayModel; diagnostics: Diagnostic[] } {
  const v = parse.value!;
  const diagnostics: Diagnostic[] = [];
  const err = (path: (string | number)[], message: string, code: string, key = false) =>
    diagnostics.push({ range: parse.rangeOf(path, key), severity: 'error', message, code });
  const warn = (path: (string | number)[], message: string, code: string) =>
    diagnostics.push({ range: parse.rangeOf(path), severity: 'warning', message, code });

  const profile = v.profile;
  const serviceNames = Object.keys(v.services);
  const policies: PolicyModel[] = [];
  /** A retry policy at `path` for a call whose own timeout is `timeoutUs`: its index in `policies`, or −1. */
  const policyOf = (p: RetryValue | undefined, path: (string | number)[], timeoutUs: number): number => {
    if (!p) return -1;
    const baseUs = ticks(p.backoff.base);
    const maxUs = p.backoff.max !== undefined ? ticks(p.backoff.max) : 10 * baseUs;
    if (maxUs < baseUs) err([...path, 'backoff', 'max'], '`max` is below `base` (Envoy requires max ≥ base)', 'bad-range');
    const perTryUs = p.per_try_timeout !== undefined ? ticks(p.per_try_timeout) : Infinity;
    if (p.hedge && perTryUs === Infinity)
      err([...path, 'hedge'], 'a hedge is sent when a try passes `per_try_timeout`: give `per_try_timeout`', 'hedge-needs-per-try', true);
    if (perTryUs !== Infinity && perTryUs >= timeoutUs)
      warn(
        [...path, 'per_try_timeout'],
        `\`per_try_timeout\` is not shorter than the call's timeout (${timeoutUs / 1000} ms): the timeout ends the call before any retry after a timed-out try`,
        'per-try-not-shorter',
      );
    policies.push({
      attempts: p.attempts,
      retryOn: p.on.reduce((a, o) => a | RETRY_ON_BITS[o], 0),
      perTryUs,
      baseUs,
      maxUs,
      hedge: p.hedge,
    });
    return policies.length - 1;
  };
  if (serviceNames.length === 0) err(['services'], 'define at least one service under `services:`', 'no-services');
  const services: ServiceModel[] = serviceNames.map((name) => {
    const s = v.services[name];
    const lat = s.latency;
    const weights: number[] = s.weights ?? Array(s.instances).fill(1);
    if (s.weights && s.weights.length !== s.instances)
      err(['services', name, 'weights'], `\`weights\` has ${s.weights.length} entries for ${s.instances} instances`, 'weights-length');
    const cv = lat.cv;
    const s2 = Math.log(1 + cv * cv);
    const meanUs = ticks(lat.mean);
    if (lat.dist === 'uniform' && lat.max < lat.min) err(['services', name, 'latency', 'max'], '`max` is below `min`', 'bad-range');
    return {
      name,
      n: s.instances,
      weights,
      concurrency: s.concurrency,
      shared: s.queue === 'shared',
      queueLimit: s.queue_limit,
      // A lognormal with mean 0 is the constant 0 (its log-mean would be -∞).
      dist: meanUs === 0 && lat.dist === 'lognormal' ? DIST.constant : DIST[lat.dist],
      meanUs,
      mu: meanUs > 0 ? Math.log(meanUs) - s2 / 2 : 0,
      sigma: Math.sqrt(s2),
      minUs: ticks(lat.min),
      maxUs: ticks(lat.max),
      slowP: lat.slow.probability,
      slowUs: ticks(lat.slow.latency),
      errorRate: s.error_rate,
      responseSize: s.response_size,
      balancer: s.balancer,
      bias: s.active_request_bias,
      hashOnClient: s.hash_on === 'client',
      healthCheck: s.health_check && {
        intervalUs: ticks(s.health_check.interval),
        unhealthy: s.health_check.unhealthy_threshold,
        healthy: s.health_check.healthy_threshold,
      },
      outlier: s.outlier_detection && {
        consecutive: s.outlier_detection.consecutive_errors,
        baseUs: ticks(s.outlier_detection.ejection_time),
        maxUs: ticks(Math.max(s.outlier_detection.max_ejection_time, s.outlier_detection.ejection_time)),
        intervalUs: ticks(s.outlier_detection.interval),
        maxPercent: s.outlier_detection.max_ejection_percent,
        alwaysEjectOne: s.outlier_detection.always_eject_one_host,
      },
      breaker: s.circuit_breaker && {
        maxRequests: s.circuit_breaker.max_requests,
        maxPending: s.circuit_breaker.max_pending,
        maxRetries: s.circuit_breaker.max_retries,
      },
      retryBudget: s.retry_budget && { percent: s.retry_budget.budget_percent, minConcurrency: s.retry_budget.min_retry_concurrency },
      throttle: s.retry_throttling && { maxTokens: s.retry_throttling.max_tokens, ratio: s.retry_throttling.token_ratio },
      kind: s.kind,
      steps: [],
      cacheModel: s.cache && { ttlUs: ticks(s.cache.ttl), maxEntries: s.cache.max_entries ?? Infinity, warm: s.cache.warm !== false },
    };
  });
  // The steps, once every service has its index.
  const serviceRef = (name: string, path: (string | number)[]): number => {
    const k = serviceNames.indexOf(name);
    if (k < 0) err(path, `unknown service \`${name}\`; services: ${serviceNames.map((x) => `\`${x}\``).join(', ')}`, 'unknown-service');
    return k;
  };
  serviceNames.forEach((name, k) => {
    const at = (i: number, ...rest: (string | number)[]) => ['services', name, 'calls', i, ...rest];
    services[k].steps = (v.services[name].calls ?? []).flatMap((st, i) => {
      if ((st.call === undefined) === (st.parallel === undefined)) {
        err(at(i), 'a step needs exactly one of `call` (one service) or `parallel` (a list called at once)', 'bad-step', true);
        return [];
      }
      const called =
        st.call !== undefined ? [serviceRef(st.call, at(i, 'call'))] : st.parallel!.map((n, j) => serviceRef(n, at(i, 'parallel', j)));
      const miss = (st.on_miss ?? []).map((n, j) => serviceRef(n, at(i, 'on_miss', j)));
      if (st.on_miss && st.call === undefined)
        err(at(i, 'on_miss'), '`on_miss` follows a lookup in one cache: use it with `call`, not `parallel`', 'bad-step', true);
      if (st.hit_ratio !== undefined && !st.on_miss)
        err(at(i, 'hit_ratio'), '`hit_ratio` says how often `on_miss` is skipped: give `on_miss` too', 'bad-step', true);
      const cache = called[0];
      if (st.on_miss && st.call !== undefined && st.hit_ratio === undefined && cache >= 0 && !services[cache].cacheModel)
        err(
          at(i, 'on_miss'),
          `a miss needs a hit ratio: give the step \`hit_ratio\`, or model the cache with \`services.${st.call}.cache\``,
          'no-hit-ratio',
          true,
        );
      if (st.on_miss && st.hit_ratio !== undefined && cache >= 0 && services[cache].cacheModel)
        warn(
          at(i, 'hit_ratio'),
          `\`${st.call}\` models its cache (\`cache:\`), so lookups hit or miss by key: \`hit_ratio\` is not used`,
          'hit-ratio-unused',
        );
      const timeoutUs = st.timeout !== undefined ? ticks(st.timeout) : Infinity;
      return [{ services: called, miss, hitRatio: st.hit_ratio, timeoutUs, policy: policyOf(st.retry, at(i, 'retry'), timeoutUs) }];
    });
  });
  const resolved = services.every((x) => x.steps.every((st) => [...st.services, ...st.miss].every((t) => t >= 0)));
  const cycle = resolved ? findCycle(services) : undefined;
  if (cycle) {
    const from = serviceNames[cycle.path[cycle.path.length - 2]];
    err(
      ['services', from, 'calls', cycle.step],
      `calls go round in a cycle: ${cycle.path.map((k) => serviceNames[k]).join(' → ')}; a request would never finish`,
      'call-cycle',
    );
  }

  const g = v.gateway;
  const start = v.traffic.start !== undefined ? parseDate(v.traffic.start) : DEFAULT_START;
  if (Number.isNaN(start)) err(['traffic', 'start'], `cannot read the date \`${v.traffic.start}\``, 'bad-date');

  const routes: RouteModel[] = v.routes.map((r, i) => {
    const names: string[] = r.aggregate ?? (r.service !== undefined ? [r.service] : []);
    if (r.aggregate && r.service !== undefined)
      err(['routes', i, 'aggregate'], 'give either `service` or `aggregate`, not both', 'service-and-aggregate', true);
    if (names.length === 0) err(['routes', i], `route ${i} needs a \`service\` or an \`aggregate\` list`, 'no-service');
    const idx = names.map((n, j) => {
      const k = serviceNames.indexOf(n);
      if (k < 0)
        err(
          r.aggregate ? ['routes', i, 'aggregate', j] : ['routes', i, 'service'],
          `unknown service \`${n}\`; services: ${serviceNames.map((x) => `\`${x}\``).join(', ')}`,
          'unknown-service',
        );
      return k;
    });
    const method = r.method.toUpperCase();
    const dep = r.deprecated !== undefined ? parseDate(r.deprecated) : undefined;
    const sun = r.sunset !== undefined ? parseDate(r.sunset) : undefined;
    if (dep !== undefined && Number.isNaN(dep)) err(['routes', i, 'deprecated'], `cannot read the date \`${r.deprecated}\``, 'bad-date');
    if (sun !== undefined && Number.isNaN(sun)) err(['routes', i, 'sunset'], `cannot read the date \`${r.sunset}\``, 'bad-date');
    if (dep !== undefined && sun !== undefined && sun < dep)
      err(
        ['routes', i, 'sunset'],
        'the sunset is earlier than the deprecation; RFC 8594: Sunset MUST NOT be earlier than Deprecation',
        'sunset-before-deprecation',
      );
    const t = r.transform;
    const add: Record<string, string> = t.add_headers ?? {};
    const remove: string[] = t.remove_headers ?? [];
    const headerOps = Object.keys(add).length + remove.length;
    const rl = r.rate_limit;
    const rateLimit: RateLimitModel | undefined = rl && {
      algorithm: rl.algorithm,
      rate: rl.rate,
      burst: rl.burst,
      fillIntervalUs: ticks(rl.fill_interval),
      perClient: rl.per === 'client',
      nodelay: rl.nodelay,
      status: rl.status ?? (rl.algorithm === 'leaky_bucket' && profile !== 'nginx' ? 503 : PROFILE_STATUS[profile].rateLimited),
    };
    if (rl?.algorithm === 'envoy_timer' && rl.fill_interval < 0.05)
      warn(['routes', i, 'rate_limit', 'fill_interval'], 'Envoy requires fill_interval ≥ 50 ms', 'envoy-fill-interval');
    if (r.cache && method !== 'GET' && method !== '*')
      warn(['routes', i, 'cache'], 'only GET responses are cached; this route has no GET', 'cache-not-get');
    if (r.cache?.max_size !== undefined && idx.every((k) => k >= 0)) {
      const response = idx.reduce((a, k) => a + services[k].responseSize, 0) * t.response_size_factor;
      if (response > r.cache.max_size)
        warn(
          ['routes', i, 'cache', 'max_size'],
          `\`max_size\` (${r.cache.max_size} B) is smaller than one response (${response} B): nothing is cached`,
          'cache-too-small',
        );
    }
    return {
      name: r.name ?? `${method === '*' ? '' : method + ' '}${r.path}`,
      method,
      path: r.path,
      pattern: compilePattern(method, r.path),
      services: idx,
      aggregate: !!r.aggregate,
      timeoutUs: ticks(r.timeout),
      policy: policyOf(r.retry, ['routes', i, 'retry'], ticks(r.timeout)),
      maxInFlight: r.max_in_flight ?? Infinity,
      authType: r.auth.type,
      scopes: r.auth.scopes ?? [],
      rateLimit,
      cache: r.cache && {
        ttlUs: ticks(r.cache.ttl),
        vary: (r.cache.vary ?? []).map((h) => h.toLowerCase()),
        maxEntries: r.cache.max_entries ?? Infinity,
        maxBytes: r.cache.max_size ?? Infinity,
        warm: r.cache.warm !== false,
      },
      addHeaders: add,
      removeHeaders: remove.map((h) => h.toLowerCase()),
      rewrite: t.rewrite,
      responseFactor: t.response_size_factor,
      transformUs: ticks(headerOps * g.header_op_latency + (t.rewrite ? g.rewrite_latency : 0)),
      requestDelta: Object.entries(add).reduce((a, [k, x]) => a + HEADER_BYTES(k, x), 0),
      deprecated: dep,
      sunset: sun,
      link: r.link,
    };
  });

  const clients: ClientModel[] = v.clients.map((c) => ({
    name: c.name,
    weight: c.weight,
    cred: { apiKey: c.api_key, jwt: c.jwt && { scopes: c.jwt.scopes ?? [], valid: c.jwt.valid } },
    headers: Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, x]) => [k.toLowerCase(), x])),
  }));
  const seenClients = new Set<string>();
  clients.forEach((c, i) => {
    if (seenClients.has(c.name)) err(['clients', i, 'name'], `client \`${c.name}\` is defined twice`, 'duplicate-client');
    seenClients.add(c.name);
  });
  if (clients.every((c) => c.weight === 0)) err(['clients'], 'at least one client needs a positive weight', 'no-weight');

  const apiKeys = new Map<string, string[]>(Object.entries(v.api_keys ?? {}));
  const patterns = routes.map((r) => r.pattern);
  // Without `requests`, one request kind per route, as if written as a `requests` item.
  const rawKinds =
    v.traffic.requests ??
    routes
      .filter((r) => !r.pattern.rest)
      .map((r) =>
        valueAsWritten(gatewaySchema.fields.traffic.fields.requests.items, {
          method: r.method === '*' ? 'GET' : r.method,
          path: r.path.replace(/\{[^}]+\}/g, '{key}'),
        }),
      );
  const kinds: RequestKindModel[] = rawKinds.map((k, i) => {
    const method = k.method.toUpperCase();
    const route = matchRoute(patterns, method, k.path.replace(/\{key\}/g, '\u0000key')).index;
    if (route < 0)
      warn(
        v.traffic.requests ? ['traffic', 'requests', i, 'path'] : ['routes'],
        `\`${method} ${k.path}\` matches no route: it will be answered ${PROFILE_STATUS[profile].noRoute}`,
        'no-route',
      );
    return { method, path: k.path, weight: k.weight, size: k.size, route };
  });
  if (kinds.length && kinds.every((k) => k.weight === 0))
    err(['traffic', 'requests'], 'at least one request kind needs a positive weight', 'no-weight');
  // Without `requests` the mix is one request per route, and a route ending in `/*` gives none.
  if (kinds.length === 0 && routes.length)
    err(
      ['traffic'],
      'no request to send: every route ends in `/*`, so give `traffic.requests` (e.g. `- { path: /files/a }`)',
      'no-requests',
      true,
    );

  const authStatus = new Int32Array(routes.length * clients.length);
  const authHeaders: Record<string, string>[] = [];
  routes.forEach((r, ri) =>
    clients.forEach((c, ci) => {
      const o = authenticate(r.authType, r.scopes, c.cred, apiKeys, profile);
      authStatus[ri * clients.length + ci] = o.status;
      authHeaders[ri * clients.length + ci] = o.headers;
    }),
  );

  // Traffic: a rate (with steps, a spike, a daily cycle) or an explicit trace.
  const tr = v.traffic;
  if (tr.rate === undefined && !tr.arrivals)
    err(['traffic'], 'give `rate` (arrivals per second) or `arrivals` (a trace of arrival times)', 'no-rate', true);
  if (tr.rate !== undefined && tr.arrivals)
    err(['traffic', 'arrivals'], 'give either `rate` or `arrivals`, not both', 'rate-and-arrivals', true);
  const arrivalsUs = tr.arrivals ? tr.arrivals.map(ticks).sort((a, b) => a - b) : undefined;
  // A trace runs to just after its last arrival unless `duration` is written.
  const durationUs = arrivalsUs && !parse.ranges.has('traffic.duration') ? arrivalsUs[arrivalsUs.length - 1] + 1 : ticks(tr.duration);
  if (arrivalsUs && arrivalsUs[arrivalsUs.length - 1] >= durationUs) {
    const late = tr.arrivals!.findIndex((x) => ticks(x) >= durationUs);
    err(
      ['traffic', 'arrivals', late],
      `an arrival at ${tr.arrivals![late]} s is not before the end of the run (\`duration\`: ${tr.duration} s)`,
      'after-end',
    );
  }
  if (arrivalsUs) {
    for (const [k, what] of [
      ['steps', 'steps'],
      ['diurnal', 'a daily cycle'],
      ['spike', 'a spike'],
    ] as const)
      if (parse.ranges.has(`traffic.${k}`))
        warn(['traffic', k], `a trace (\`arrivals\`) gives every arrival: ${what} is not used`, 'ignored-with-trace');
  }
  const steps = [...(tr.steps ?? [])].map((x) => ({ atUs: ticks(x.at), rate: x.rate })).sort((a, b) => a.atUs - b.atUs);
  steps.forEach((x, i) => {
    if (i > 0 && x.atUs === steps[i - 1].atUs) err(['traffic', 'steps'], `two steps at ${x.atUs / 1e6} s`, 'duplicate-step');
  });
  if (tr.pattern === 'constant' && (steps.length || tr.diurnal))
    err(['traffic', 'pattern'], '`constant` spaces arrivals at one rate: use `poisson` with `steps` or `diurnal`', 'constant-and-shape');
  // Expected upstream calls per request (every miss taken where a cache is modelled): the work a request brings.
  let callsPerRequest = 0;
  if (resolved && !cycle) {
    const kindW = kinds.reduce((a, k) => a + k.weight, 0) || 1;
    const perRoute = routes.map((r) =>
      r.services
        .filter((k) => k >= 0)
        .reduce((a, k) => a + visitsFrom(services, k, (x, j) => services[x].steps[j].hitRatio ?? 0).reduce((b, c) => b + c, 0), 0),
    );
    for (const k of kinds) if (k.route >= 0) callsPerRequest += (perRoute[k.route] * k.weight) / kindW;
    routes.forEach((r, i) => {
      if (perRoute[i] > LIMITS.callsPerRequest)
        err(
          ['routes', i, r.aggregate ? 'aggregate' : 'service'],
          `\`routes[${i}]\`: one request makes about ${Math.round(perRoute[i]).toLocaleString('en-US')} upstream calls through the call graph — at most ${LIMITS.callsPerRequest.toLocaleString('en-US')} calls per request`,
          'too-large',
        );
    });
  }
  const perReplication = arrivalsUs
    ? arrivalsUs.length
    : tr.rate === undefined
      ? 0
      : expectedArrivals({
          rate: tr.rate,
          durationUs,
          spike: { atUs: ticks(tr.spike.at), endUs: ticks(tr.spike.at + tr.spike.duration), factor: tr.spike.factor },
          steps,
          diurnal: tr.diurnal && { amplitude: tr.diurnal.amplitude, periodUs: 1, peakUs: 0 },
        });
  checkSize(
    v,
    services,
    routes,
    kinds.length,
    clients.length,
    err,
    callsPerRequest,
    perReplication,
    steps.length > 0 || !!tr.diurnal || !!arrivalsUs,
  );

  const faults = (v.faults ?? []).flatMap((f, i) => {
    const which = f.kill ?? f.restore;
    if (!which || (f.kill && f.restore)) {
      err(['faults', i], 'a fault needs exactly one of `kill` or `restore`', 'bad-fault');
      return [];
    }
    const [sn, ix] = which.split('/');
    const s = serviceNames.indexOf(sn);
    if (s < 0) {
      err(['faults', i, f.kill ? 'kill' : 'restore'], `unknown service \`${sn}\``, 'unknown-service');
      return [];
    }
    const inst = Number(ix);
    if (inst >= services[s].n) {
      err(['faults', i, f.kill ? 'kill' : 'restore'], `\`${sn}\` has instances 0..${services[s].n - 1}`, 'bad-instance');
      return [];
    }
    return [{ atUs: ticks(f.at), service: s, instance: inst, kill: !!f.kill }];
  });

  const model: GatewayModel = {
    name: v.name,
    nameRange: v.name !== undefined ? parse.rangeOf(['name']) : undefined,
    seed: v.seed,
    profile,
    status: PROFILE_STATUS[profile],
    replications: v.replications,
    overheadUs: ticks(g.overhead),
    authUs: ticks(g.auth_latency),
    cacheUs: ticks(g.cache_latency),
    shapingBytesPerUs: g.shaping_throughput / 1e6,
    services,
    routes,
    clients,
    kinds,
    apiKeys,
    authStatus,
    authHeaders,
    durationUs,
    warmupUs: ticks(tr.warmup),
    rate: tr.rate ?? (arrivalsUs ? arrivalsUs.length / (durationUs / 1e6) : 0),
    pattern: tr.pattern,
    spike: { atUs: ticks(tr.spike.at), endUs: ticks(tr.spike.at + tr.spike.duration), factor: tr.spike.factor },
    steps,
    diurnal: tr.diurnal && { amplitude: tr.diurnal.amplitude, periodUs: ticks(tr.diurnal.period), peakUs: ticks(tr.diurnal.peak) },
    arrivals: arrivalsUs,
    startUnix: Number.isNaN(start) ? DEFAULT_START : start,
    keyCount: tr.keys.count,
    zipf: tr.keys.zipf,
    faults,
    policies,
    percentiles: v.percentiles,
    trace: v.trace,
  };
  if (model.warmupUs >= model.durationUs) err(['traffic', 'warmup'], '`warmup` must be shorter than `duration`', 'bad-warmup');
  if (!arrivalsUs && tr.rate !== undefined && !(model.rate > 0)) err(['traffic', 'rate'], '`rate` must be positive', 'bad-rate');
  return { model: diagnostics.some((d) => d.severity === 'error') ? undefined : model, diagnostics };
}

/** The rate over time, piecewise constant: the base rate and its steps, times the spike's factor inside the spike. */
export function ratePieces(m: Pick<GatewayModel, 'rate' | 'spike' | 'steps'>): { startUs: number; endUs: number; rate: number }[] {
  const sp = m.spike;
  const spiked = sp.factor !== 1 && sp.endUs > sp.atUs;
  const cuts = [...new Set([0, ...m.steps.map((x) => x.atUs), ...(spiked ? [sp.atUs, sp.endUs] : [])])].sort((a, b) => a - b);
  return cuts.map((startUs, i) => {
    let base = m.rate;
    for (const x of m.steps) if (x.atUs <= startUs) base = x.rate;
    return {
      startUs,
      endUs: i + 1 < cuts.length ? cuts[i + 1] : Infinity,
      rate: spiked && startUs >= sp.atUs && startUs < sp.endUs ? base * sp.factor : base,
    };
  });
}

/** Expected arrivals in one replication: the rate's integral over the run (a daily cycle at its peak factor: an upper bound). */
export function expectedArrivals(m: Pick<GatewayModel, 'rate' | 'spike' | 'steps' | 'diurnal' | 'durationUs'>): number {
  let total = 0;
  for (const p of ratePieces(m)) total += (p.rate * (Math.min(p.endUs, m.durationUs) - Math.min(p.startUs, m.durationUs))) / 1e6;
  return total * (m.diurnal ? 1 + m.diurnal.amplitude : 1);
}

type ErrAt = (path: (string | number)[], message: string, code: string, key?: boolean) => void;

/** The bounds that span keys (docs/limits.md): instances in all services, ring points, cache slots. */
function checkSize(
  v: GatewayValue,
  services: ServiceModel[],
  routes: RouteModel[],
  kinds: number,
  clients: number,
  report: ErrAt,
  callsPerRequest: number,
  perReplication: number,
  shaped: boolean,
): void {
  const n = (x: number) => x.toLocaleString('en-US');
  let refused = false;
  const err: ErrAt = (...a) => {
    refused = true;
    report(...a);
  };
  let instances = 0;
  for (const s of services) {
    instances += s.n;
    if (instances > LIMITS.instances && instances - s.n <= LIMITS.instances) {
      err(
        ['services', s.name, 'instances'],
        `\`services.${s.name}.instances\`: the services have ${n(services.reduce((a, x) => a + x.n, 0))} instances in all — at most ${n(LIMITS.instances)} in all services${memoryNeed(
          services.reduce((a, x) => a + x.n, 0),
          { what: '', bytesEach: LIMITS.instanceBytes },
        )}`,
        'too-large',
      );
    }
    if (s.balancer === 'maglev' && s.n > LIMITS.maglevInstances)
      err(
        ['services', s.name, 'instances'],
        `\`services.${s.name}.instances\`: a Maglev table of ${n(MAGLEV_TABLE_SIZE)} entries is built over ${n(s.n)} instances — at most ${n(LIMITS.maglevInstances)} with \`balancer: maglev\` (the table is filled in rounds, one entry per instance)`,
        'too-large',
      );
    if (s.balancer === 'consistent_hash') {
      const points = 100 * s.weights.reduce((a, w) => a + w, 0);
      if (points > LIMITS.ringPoints) {
        const where = v.services[s.name].weights ? 'weights' : 'instances';
        err(
          ['services', s.name, where],
          `\`services.${s.name}.${where}\`: consistent hashing places 100 ring points per unit of weight: ${n(points)} points — at most ${n(LIMITS.ringPoints)} per service${memoryNeed(points, { what: '', bytesEach: LIMITS.ringPointBytes })}`,
          'too-large',
        );
      }
    }
  }
  // Work: every arrival is at least one event, in every replication.
  const tr = v.traffic;
  const spikeS = Math.max(0, Math.min(tr.duration, tr.spike.at + tr.spike.duration) - tr.spike.at);
  const arrivals = shaped
    ? perReplication * v.replications
    : (tr.rate ?? 0) * (tr.duration + spikeS * (tr.spike.factor - 1)) * v.replications;
  if (arrivals * Math.max(1, callsPerRequest) > MAX_WORK_STEPS) {
    const spikeMost = tr.spike.factor > 1 && spikeS * (tr.spike.factor - 1) > tr.duration;
    const calls = callsPerRequest > 1 ? `, each with ${+callsPerRequest.toPrecision(3)} upstream calls` : '';
    const what = shaped
      ? 'arrivals: the rate with its steps, spike and daily cycle (at its peak) over the duration × replications'
      : 'arrivals: rate × duration × replications, with the spike';
    const at = shaped
      ? tr.steps
        ? ['traffic', 'steps']
        : ['traffic', 'diurnal']
      : spikeMost
        ? ['traffic', 'spike', 'factor']
        : ['traffic', 'rate'];
    err(at, `\`traffic\`: ${workMessage(arrivals * Math.max(1, callsPerRequest), `${what}${calls}`)}`, 'too-much-work');
  }
  // One slot per request kind, key and vary class (at most one class per client).
  const keys = v.traffic.keys.count;
  let slots = 0;
  const terms: MemoryTerm[] = [
    { path: ['traffic', 'keys', 'count'], what: 'key table', bytes: keys * LIMITS.keyBytes },
    { path: ['routes'], what: 'route statistics', bytes: (routes.length + 1) * LIMITS.routeBytes },
    { path: ['services'], what: 'service statistics', bytes: services.length * LIMITS.serviceBytes },
    { path: v.clients ? ['clients'] : ['routes'], what: 'route × client tables', bytes: routes.length * clients * LIMITS.routeClientBytes },
  ];
  for (const s of services) {
    terms.push({ path: ['services', s.name, 'instances'], what: `instances of \`${s.name}\``, bytes: s.n * LIMITS.instanceBytes });
    if (s.cacheModel)
      terms.push({ path: ['services', s.name, 'cache'], what: `cache of \`${s.name}\``, bytes: keys * LIMITS.cacheSlotBytes });
    if (s.balancer === 'maglev')
      terms.push({ path: ['services', s.name, 'balancer'], what: `Maglev table of \`${s.name}\``, bytes: MAGLEV_TABLE_SIZE * 4 });
    if (s.balancer === 'consistent_hash')
      terms.push({
        path: ['services', s.name, v.services[s.name].weights ? 'weights' : 'instances'],
        what: `ring of \`${s.name}\``,
        bytes: 100 * s.weights.reduce((a, w) => a + w, 0) * LIMITS.ringPointBytes,
      });
  }
  routes.forEach((r, i) => {
    if (!r.cache) return;
    const classes = r.cache.vary.length ? clients : 1;
    const mine = kinds * keys * classes;
    terms.push({
      path: ['routes', i, 'cache'],
      what: `cache of \`${r.name}\``,
      bytes: mine * (r.cache.maxEntries < Infinity || r.cache.maxBytes < Infinity ? LIMITS.cacheSlotBytes : 8),
    });
    slots += mine;
    if (slots > LIMITS.cacheSlots && slots - mine <= LIMITS.cacheSlots) {
      err(
        ['routes', i, 'cache'],
        `\`routes[${i}].cache\`: the caches keep one slot per request kind × key${classes > 1 ? ' × client' : ''} (here ${n(kinds)} × ${n(keys)}${classes > 1 ? ` × ${n(classes)}` : ''}), ${n(slots)} slots with the routes above — at most ${n(LIMITS.cacheSlots)} cache slots in a model${memoryNeed(slots, { what: '', bytesEach: LIMITS.cacheSlotBytes })}`,
        'too-large',
        true,
      );
    }
  });
  // The parts together, unless one of them was already refused on its own.
  const over = refused ? undefined : overMemory(terms, formatBytes);
  if (over) err(over.path, `\`${pathLabel(over.path)}\`: ${over.message}`, 'too-large');
}
