// From the validated YAML value to a compiled model with integer times (µs) and index-based references,
// plus the semantic checks the schema cannot express (unknown services, sunset before deprecation, …).
import { Diagnostic, Range } from '../types';
import { MemoryTerm, ModelParse, formatBytes, memoryNeed, MAX_WORK_STEPS, overMemory, pathLabel, workMessage } from '../model';
import { ticks } from '../sim/environment';
import { Credential, AuthType, authenticate } from './auth';
import { parseDate } from './lifecycle';
import { RoutePattern, compilePattern, matchRoute } from './routing';
import { LIMITS, Profile } from './schema';

/** Status codes of each gateway product (model-notes §2). */
export const PROFILE_STATUS: Record<Profile, { noRoute: number; rateLimited: number; noHealthy: number; timeout: number; overflow: number }> = {
  envoy: { noRoute: 404, rateLimited: 429, noHealthy: 503, timeout: 504, overflow: 503 },
  kong: { noRoute: 404, rateLimited: 429, noHealthy: 503, timeout: 504, overflow: 503 },
  nginx: { noRoute: 404, rateLimited: 503, noHealthy: 502, timeout: 504, overflow: 502 },
  aws: { noRoute: 404, rateLimited: 429, noHealthy: 503, timeout: 504, overflow: 503 },
  krakend: { noRoute: 404, rateLimited: 503, noHealthy: 500, timeout: 504, overflow: 500 },
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
  hashOnClient: boolean;
  hcIntervalUs: number;
  hcUnhealthy: number;
  hcHealthy: number;
  outlierErrors: number;
  ejectionUs: number;
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

export interface RouteModel {
  name: string;
  method: string;
  path: string;
  pattern: RoutePattern;
  services: number[];
  aggregate: boolean;
  timeoutUs: number;
  authType: AuthType;
  scopes: string[];
  rateLimit?: RateLimitModel;
  /** `maxEntries`/`maxBytes`: capacity (Infinity: none), least recently used evicted. */
  cache?: { ttlUs: number; vary: string[]; maxEntries: number; maxBytes: number };
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
  startUnix: number;
  keyCount: number;
  zipf: number;
  faults: { atUs: number; service: number; instance: number; kill: boolean }[];
}

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- until the schema types the model

/** Default wall-clock start when `traffic.start` is not given: 2026-01-01T00:00:00Z. */
export const DEFAULT_START = 1767225600;

const HEADER_BYTES = (name: string, value: string) => name.length + value.length + 4; // "name: value\r\n"

export function compileModel(parse: ModelParse): { model?: GatewayModel; diagnostics: Diagnostic[] } {
  const v = parse.value as Raw;
  const diagnostics: Diagnostic[] = [];
  const err = (path: (string | number)[], message: string, code: string, key = false) =>
    diagnostics.push({ range: parse.rangeOf(path, key), severity: 'error', message, code });
  const warn = (path: (string | number)[], message: string, code: string) =>
    diagnostics.push({ range: parse.rangeOf(path), severity: 'warning', message, code });

  const profile = v.profile as Profile;
  const serviceNames = Object.keys(v.services ?? {});
  if (serviceNames.length === 0) err(['services'], 'define at least one service under `services:`', 'no-services');
  const services: ServiceModel[] = serviceNames.map((name) => {
    const s = v.services[name];
    const lat = s.latency;
    const weights: number[] = s.weights ?? Array(s.instances).fill(1);
    if (s.weights && s.weights.length !== s.instances) err(['services', name, 'weights'], `\`weights\` has ${s.weights.length} entries for ${s.instances} instances`, 'weights-length');
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
      dist: meanUs === 0 && lat.dist === 'lognormal' ? DIST.constant : DIST[lat.dist as keyof typeof DIST],
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
      hashOnClient: s.hash_on === 'client',
      hcIntervalUs: s.health_check?.interval ? ticks(s.health_check.interval) : 0,
      hcUnhealthy: s.health_check?.unhealthy_threshold ?? 2,
      hcHealthy: s.health_check?.healthy_threshold ?? 2,
      outlierErrors: s.outlier_detection?.consecutive_errors ?? 5,
      ejectionUs: ticks(s.outlier_detection?.ejection_time ?? 30),
    };
  });

  const g = v.gateway;
  const start = v.traffic.start !== undefined ? parseDate(String(v.traffic.start)) : DEFAULT_START;
  if (Number.isNaN(start)) err(['traffic', 'start'], `cannot read the date \`${v.traffic.start}\``, 'bad-date');

  const routes: RouteModel[] = (v.routes ?? []).map((r: Raw, i: number) => {
    const names: string[] = r.aggregate ?? (r.service !== undefined ? [r.service] : []);
    if (r.aggregate && r.service !== undefined) err(['routes', i, 'aggregate'], 'give either `service` or `aggregate`, not both', 'service-and-aggregate', true);
    if (names.length === 0) err(['routes', i], `route ${i} needs a \`service\` or an \`aggregate\` list`, 'no-service');
    const idx = names.map((n, j) => {
      const k = serviceNames.indexOf(n);
      if (k < 0) err(r.aggregate ? ['routes', i, 'aggregate', j] : ['routes', i, 'service'], `unknown service \`${n}\`; services: ${serviceNames.map((x) => `\`${x}\``).join(', ')}`, 'unknown-service');
      return k;
    });
    const method = String(r.method ?? '*').toUpperCase();
    const dep = r.deprecated !== undefined ? parseDate(String(r.deprecated)) : undefined;
    const sun = r.sunset !== undefined ? parseDate(String(r.sunset)) : undefined;
    if (dep !== undefined && Number.isNaN(dep)) err(['routes', i, 'deprecated'], `cannot read the date \`${r.deprecated}\``, 'bad-date');
    if (sun !== undefined && Number.isNaN(sun)) err(['routes', i, 'sunset'], `cannot read the date \`${r.sunset}\``, 'bad-date');
    if (dep !== undefined && sun !== undefined && sun < dep)
      err(['routes', i, 'sunset'], 'the sunset is earlier than the deprecation; RFC 8594: Sunset MUST NOT be earlier than Deprecation', 'sunset-before-deprecation');
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
    if (rl?.algorithm === 'envoy_timer' && rl.fill_interval < 0.05) warn(['routes', i, 'rate_limit', 'fill_interval'], 'Envoy requires fill_interval ≥ 50 ms', 'envoy-fill-interval');
    if (r.cache && method !== 'GET' && method !== '*') warn(['routes', i, 'cache'], 'only GET responses are cached; this route has no GET', 'cache-not-get');
    if (r.cache?.max_size !== undefined && idx.every((k) => k >= 0)) {
      const response = idx.reduce((a, k) => a + services[k].responseSize, 0) * t.response_size_factor;
      if (response > r.cache.max_size)
        warn(['routes', i, 'cache', 'max_size'], `\`max_size\` (${r.cache.max_size} B) is smaller than one response (${response} B): nothing is cached`, 'cache-too-small');
    }
    return {
      name: r.name ?? `${method === '*' ? '' : method + ' '}${r.path}`,
      method,
      path: r.path,
      pattern: compilePattern(method, r.path),
      services: idx,
      aggregate: !!r.aggregate,
      timeoutUs: ticks(r.timeout),
      authType: (r.auth?.type ?? 'none') as AuthType,
      scopes: r.auth?.scopes ?? [],
      rateLimit,
      cache: r.cache && {
        ttlUs: ticks(r.cache.ttl),
        vary: (r.cache.vary ?? []).map((h: string) => h.toLowerCase()),
        maxEntries: r.cache.max_entries ?? Infinity,
        maxBytes: r.cache.max_size ?? Infinity,
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

  const rawClients: Raw[] = v.clients ?? [{ name: 'anonymous' }];
  const clients: ClientModel[] = rawClients.map((c) => ({
    name: c.name,
    weight: c.weight,
    cred: { apiKey: c.api_key, jwt: c.jwt ? { scopes: c.jwt.scopes ?? [], valid: c.jwt.valid ?? true } : undefined },
    headers: Object.fromEntries(Object.entries((c.headers ?? {}) as Record<string, string>).map(([k, x]) => [k.toLowerCase(), x])),
  }));
  const seenClients = new Set<string>();
  clients.forEach((c, i) => {
    if (seenClients.has(c.name)) err(['clients', i, 'name'], `client \`${c.name}\` is defined twice`, 'duplicate-client');
    seenClients.add(c.name);
  });
  if (clients.every((c) => c.weight === 0)) err(['clients'], 'at least one client needs a positive weight', 'no-weight');

  const apiKeys = new Map<string, string[]>(Object.entries((v.api_keys ?? {}) as Record<string, string[]>));
  const patterns = routes.map((r) => r.pattern);
  const rawKinds: Raw[] = v.traffic.requests ?? routes.filter((r) => !r.pattern.rest).map((r) => ({ method: r.method === '*' ? 'GET' : r.method, path: r.path.replace(/\{[^}]+\}/g, '{key}'), weight: 1, size: 512 }));
  const kinds: RequestKindModel[] = rawKinds.map((k, i) => {
    const method = String(k.method ?? 'GET').toUpperCase();
    const route = matchRoute(patterns, method, String(k.path).replace(/\{key\}/g, '\u0000key')).index;
    if (route < 0) warn(v.traffic.requests ? ['traffic', 'requests', i, 'path'] : ['routes'], `\`${method} ${k.path}\` matches no route: it will be answered ${PROFILE_STATUS[profile].noRoute}`, 'no-route');
    return { method, path: k.path, weight: k.weight, size: k.size, route };
  });
  if (kinds.length && kinds.every((k) => k.weight === 0)) err(['traffic', 'requests'], 'at least one request kind needs a positive weight', 'no-weight');
  // Without `requests` the mix is one request per route, and a route ending in `/*` gives none.
  if (kinds.length === 0 && routes.length) err(['traffic'], 'no request to send: every route ends in `/*`, so give `traffic.requests` (e.g. `- { path: /files/a }`)', 'no-requests', true);

  const authStatus = new Int32Array(routes.length * clients.length);
  const authHeaders: Record<string, string>[] = [];
  routes.forEach((r, ri) =>
    clients.forEach((c, ci) => {
      const o = authenticate(r.authType, r.scopes, c.cred, apiKeys, profile);
      authStatus[ri * clients.length + ci] = o.status;
      authHeaders[ri * clients.length + ci] = o.headers;
    }),
  );

  checkSize(v, services, routes, kinds.length, clients.length, err);

  const faults = ((v.faults ?? []) as Raw[]).flatMap((f, i) => {
    const which = f.kill ?? f.restore;
    if (!which || (f.kill && f.restore)) {
      err(['faults', i], 'a fault needs exactly one of `kill` or `restore`', 'bad-fault');
      return [];
    }
    const [sn, ix] = String(which).split('/');
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

  const tr = v.traffic;
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
    durationUs: ticks(tr.duration),
    warmupUs: ticks(tr.warmup),
    rate: tr.rate,
    pattern: tr.pattern,
    spike: { atUs: ticks(tr.spike.at), endUs: ticks(tr.spike.at + tr.spike.duration), factor: tr.spike.factor },
    startUnix: Number.isNaN(start) ? DEFAULT_START : start,
    keyCount: tr.keys.count,
    zipf: tr.keys.zipf,
    faults,
  };
  if (model.warmupUs >= model.durationUs) err(['traffic', 'warmup'], '`warmup` must be shorter than `duration`', 'bad-warmup');
  if (!(model.rate > 0)) err(['traffic', 'rate'], '`rate` must be positive', 'bad-rate');
  return { model: diagnostics.some((d) => d.severity === 'error') ? undefined : model, diagnostics };
}

type ErrAt = (path: (string | number)[], message: string, code: string, key?: boolean) => void;

/** The bounds that span keys (docs/limits.md): instances in all services, ring points, cache slots. */
function checkSize(v: Raw, services: ServiceModel[], routes: RouteModel[], kinds: number, clients: number, report: ErrAt): void {
  const n = (x: number) => x.toLocaleString('en-US');
  let refused = false;
  const err: ErrAt = (...a) => { refused = true; report(...a); };
  let instances = 0;
  for (const s of services) {
    instances += s.n;
    if (instances > LIMITS.instances && instances - s.n <= LIMITS.instances) {
      err(['services', s.name, 'instances'], `\`services.${s.name}.instances\`: the services have ${n(services.reduce((a, x) => a + x.n, 0))} instances in all — at most ${n(LIMITS.instances)} in all services${memoryNeed(services.reduce((a, x) => a + x.n, 0), { what: '', bytesEach: LIMITS.instanceBytes })}`, 'too-large');
    }
    if (s.balancer === 'consistent_hash') {
      const points = 100 * s.weights.reduce((a, w) => a + w, 0);
      if (points > LIMITS.ringPoints) {
        const where = v.services[s.name].weights ? 'weights' : 'instances';
        err(['services', s.name, where], `\`services.${s.name}.${where}\`: consistent hashing places 100 ring points per unit of weight: ${n(points)} points — at most ${n(LIMITS.ringPoints)} per service${memoryNeed(points, { what: '', bytesEach: LIMITS.ringPointBytes })}`, 'too-large');
      }
    }
  }
  // Work: every arrival is at least one event, in every replication.
  const tr = v.traffic;
  const spikeS = Math.max(0, Math.min(tr.duration, tr.spike.at + tr.spike.duration) - tr.spike.at);
  const arrivals = tr.rate * (tr.duration + spikeS * (tr.spike.factor - 1)) * v.replications;
  if (arrivals > MAX_WORK_STEPS) {
    const spikeMost = tr.spike.factor > 1 && spikeS * (tr.spike.factor - 1) > tr.duration;
    err(spikeMost ? ['traffic', 'spike', 'factor'] : ['traffic', 'rate'], `\`traffic\`: ${workMessage(arrivals, 'arrivals: rate × duration × replications, with the spike')}`, 'too-much-work');
  }
  // One slot per request kind, key and vary class (at most one class per client).
  const keys = v.traffic.keys.count as number;
  let slots = 0;
  const terms: MemoryTerm[] = [
    { path: ['traffic', 'keys', 'count'], what: 'key table', bytes: keys * LIMITS.keyBytes },
    { path: ['routes'], what: 'route statistics', bytes: (routes.length + 1) * LIMITS.routeBytes },
    { path: v.clients ? ['clients'] : ['routes'], what: 'route × client tables', bytes: routes.length * clients * LIMITS.routeClientBytes },
  ];
  for (const s of services) {
    terms.push({ path: ['services', s.name, 'instances'], what: `instances of \`${s.name}\``, bytes: s.n * LIMITS.instanceBytes });
    if (s.balancer === 'consistent_hash') terms.push({ path: ['services', s.name, v.services[s.name].weights ? 'weights' : 'instances'], what: `ring of \`${s.name}\``, bytes: 100 * s.weights.reduce((a, w) => a + w, 0) * LIMITS.ringPointBytes });
  }
  routes.forEach((r, i) => {
    if (!r.cache) return;
    const classes = r.cache.vary.length ? clients : 1;
    const mine = kinds * keys * classes;
    terms.push({ path: ['routes', i, 'cache'], what: `cache of \`${r.name}\``, bytes: mine * (r.cache.maxEntries < Infinity || r.cache.maxBytes < Infinity ? LIMITS.cacheSlotBytes : 8) });
    slots += mine;
    if (slots > LIMITS.cacheSlots && slots - mine <= LIMITS.cacheSlots) {
      err(['routes', i, 'cache'], `\`routes[${i}].cache\`: the caches keep one slot per request kind × key${classes > 1 ? ' × client' : ''} (here ${n(kinds)} × ${n(keys)}${classes > 1 ? ` × ${n(classes)}` : ''}), ${n(slots)} slots with the routes above — at most ${n(LIMITS.cacheSlots)} cache slots in a model${memoryNeed(slots, { what: '', bytesEach: LIMITS.cacheSlotBytes })}`, 'too-large', true);
    }
  });
  // The parts together, unless one of them was already refused on its own.
  const over = refused ? undefined : overMemory(terms, formatBytes);
  if (over) err(over.path, `\`${pathLabel(over.path)}\`: ${over.message}`, 'too-large');
}
