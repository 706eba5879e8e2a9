// The gateway as a discrete-event simulation on the shared Environment. One replication = one
// GatewaySim. Per request: route match -> lifecycle (410) -> auth (401/403) -> rate limit -> cache ->
// transform -> load balancer -> instance (or shared) FIFO queue with c servers -> response.
// Hot state lives in typed arrays indexed by request and call slots, so a run allocates almost nothing.
import { Environment, RunOutcome } from '../sim/environment';
import { Budget } from '../sim/budget';
import { Rng, WeightedChoice, Zipf } from '../sim/random';
import { LogHistogram, TimeAverage, TimeSeries } from '../sim/stats';
import { Balancer, Maglev, makeBalancer } from './balancers';
import { RouteCache } from './cache';
import { visitsFrom } from './callgraph';
import { DIST, GatewayModel, PolicyModel, RETRY_ON_BITS, ratePieces } from './config';
import { LIMITS } from './schema';
import { LeakyBucket, Limiter, TimerTokenBucket, TokenBucket } from './rateLimit';
import { OutlierDetector, RetryThrottle, nextInterval, retryBudgetMax } from './resilience';

/** Assumed size of a bearer token header, bytes (for `remove_headers: [authorization]`). */
const JWT_HEADER_BYTES = 800; // "authorization: Bearer " + a typical signed JWT

/** Timer arguments carry a slot and its generation: slot + generation × SLOT (slots stay below 2^22, generations below 2^30). */
const SLOT = 2 ** 23;
const GEN_MASK = 0x3fffffff;

/** Why a try failed, besides its status: an answer, a refused connection, a per-try timeout, or a local overflow (never retried). */
const WHY_ANSWER = 0,
  WHY_CONNECT = 1,
  WHY_TIMEOUT = 2,
  WHY_LOCAL = 3;

/** Envoy's `wouldRetryFromHeaders` / `wouldRetryFromReset` for a try that failed with `status` for reason `why`. */
export function wouldRetry(p: PolicyModel, status: number, why: number): boolean {
  const on = p.retryOn,
    B = RETRY_ON_BITS;
  if (why === WHY_LOCAL) return false; // overflow and no healthy upstream are local answers, never retried
  if (why === WHY_TIMEOUT) return (on & (B['5xx'] | B['gateway-error'] | B.reset)) !== 0;
  if (why === WHY_CONNECT) return (on & (B['5xx'] | B['gateway-error'] | B.reset | B['connect-failure'])) !== 0;
  if (on & B['5xx'] && status >= 500) return true;
  if (on & B['gateway-error'] && (status === 502 || status === 503 || status === 504)) return true;
  return (on & B['retriable-4xx']) !== 0 && status === 409;
}

const retryBudgetMaxOf = (b: { percent: number; minConcurrency: number }, activeAndPending: number) =>
  retryBudgetMax(activeAndPending, b.percent, b.minConcurrency);

/** Time-series columns. */
export const TS = { requests: 0, ok: 1, clientErrors: 2, serverErrors: 3, latencySumMs: 4, cacheHits: 5 } as const;

/** A copy of `a` with length `n` (the slot arrays grow by doubling). */
function grown<T extends Float64Array | Int32Array>(a: T, n: number): T {
  const b = (a instanceof Float64Array ? new Float64Array(n) : new Int32Array(n)) as T;
  b.set(a);
  return b;
}

/** Time spent at each level (0 … LEVELS − 1, the last counting everything above) of a count that changes in steps. */
export const LEVELS = 64;
class LevelTime {
  declare private readonly times: Float64Array;
  declare private level: number;
  declare private last: number;
  constructor(times: Float64Array, start = 0) {
    this.times = times;
    this.level = 0;
    this.last = start;
  }
  set(now: number, level: number): void {
    this.times[this.level < LEVELS ? this.level : LEVELS - 1] += now - this.last;
    this.last = now;
    this.level = level;
  }
  /** Starts counting afresh at `now` (after a warm-up). */
  reset(now: number): void {
    this.times.fill(0);
    this.last = now;
  }
}

/** One row of a small run's trace: what happened to a request, and why. */
export interface TraceRow {
  /** Arrival, µs, and the arrival's number in the run (simultaneous arrivals keep their order). */
  at: number;
  seq: number;
  client: number;
  /** Route index, or −1 for no route. */
  route: number;
  key: number;
  status: number;
  latencyUs: number;
  /** Why it was answered so: 'served', 'cache hit', 'rate limited', … */
  decision: string;
  /** Global index of the instance that answered the route's call (−1: none). */
  instance: number;
  /** Tries sent for the route's calls (retries and hedges included). */
  tries: number;
}

class IntQueue {
  private buf = new Int32Array(16);
  private head = 0;
  size = 0;
  push(x: number): void {
    if (this.size === this.buf.length) {
      const b = new Int32Array(this.buf.length * 2);
      for (let i = 0; i < this.size; i++) b[i] = this.buf[(this.head + i) & (this.buf.length - 1)];
      this.buf = b;
      this.head = 0;
    }
    this.buf[(this.head + this.size) & (this.buf.length - 1)] = x;
    this.size++;
  }
  shift(): number {
    const x = this.buf[this.head];
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.size--;
    return x;
  }
}

/**
 * Everything one replication measured (after warm-up); mergeable across replications.
 *
 * Every field is `declare`d and set in the constructor, in the order they are listed (the order
 * reports and JSON see). With ES2022 class fields a field declared without a value is first defined as
 * `undefined`, and V8 then keeps it as any value and checks the array's type on every access; every
 * request updates several of these arrays.
 */
export class GatewayStats {
  declare latency: LogHistogram;
  declare status: Float64Array;
  declare routeCount: Float64Array;
  declare routeStatus: Float64Array;
  declare routeLatency: LogHistogram[];
  declare routeCacheHits: Float64Array;
  declare routeCacheMisses: Float64Array;
  /** Entries evicted to make room in a route's bounded cache. */
  declare routeCacheEvictions: Float64Array;
  declare routeLimited: Float64Array;
  declare routePartial: Float64Array;
  declare routeUpBytes: Float64Array;
  declare routeForwarded: Float64Array;
  declare routeRespBytes: Float64Array;
  declare clientCount: Float64Array;
  declare clientRejected: Float64Array;
  declare clientLimited: Float64Array;
  /** Calls per client and deprecated route over the whole run: [client * routes + route]. */
  declare deprecatedCalls: Float64Array;
  declare goneCalls: Float64Array;
  declare instCalls: Float64Array;
  declare instFailures: Float64Array;
  declare instBusy: number[];
  declare svcCalls: Float64Array;
  declare svcWaitSum: Float64Array;
  declare svcSojournSum: Float64Array;
  declare svcL: number[];
  declare svcRejected: Float64Array;
  /** Attempts sent to each service (the load a hop is offered, retries and hedges included). */
  declare svcArrivals: Float64Array;
  /** Lookups at each cache service that hit, and that missed (a failed lookup counts as a miss). */
  declare svcHopHits: Float64Array;
  declare svcHopMisses: Float64Array;
  /** Per service: retries sent (hedges included), hedges, retries refused by the budget or circuit breaker, by gRPC throttling. */
  declare svcRetries: Float64Array;
  declare svcHedges: Float64Array;
  declare svcRetryOverflow: Float64Array;
  declare svcThrottled: Float64Array;
  /** Tries past their per-try timeout, calls past their own timeout (timer), calls refused by the circuit breaker, ejections. */
  declare svcTryTimeouts: Float64Array;
  declare svcCallTimeouts: Float64Array;
  declare svcBreakerOpen: Float64Array;
  declare svcEjections: Float64Array;
  /** Requests a route's bulkhead (`max_in_flight`) shed. */
  declare routeShed: Float64Array;
  /** Requests of each route that a timeout struck (their own call's, or a call further down). */
  declare routeTimeouts: Float64Array;
  /** Per service: the waits of calls before service (µs), and the time spent with n calls at the service ([s * LEVELS + n]). */
  declare svcWait: LogHistogram[];
  declare svcLevelTime: Float64Array;
  /** Each instance's service and each service's servers (n × concurrency), so figures need no model. */
  declare instService: Int32Array;
  declare svcServers: Float64Array;
  /** Least request: sum over picks of each eligible instance's effective weight w / (active + 1)^bias, and the picks. */
  declare instEffWeight: Float64Array;
  declare svcPicks: Float64Array;
  /** The first requests of the first replication to be answered, when the run keeps a trace. */
  declare trace: TraceRow[];
  declare retryAfterSum: number;
  /** Measured window in µs: warm-up end to the end of the run (arrivals stop at `duration`, then in-flight work drains). */
  declare windowUs: number;
  declare offeredUs: number;
  declare requests: number;
  declare series: TimeSeries;

  constructor(m: GatewayModel) {
    const R = m.routes.length + 1; // last row: no route (404)
    const I = m.services.reduce((a, s) => a + s.n, 0);
    const S = m.services.length,
      C = m.clients.length;
    this.latency = new LogHistogram(7);
    this.status = new Float64Array(600);
    this.routeCount = new Float64Array(R);
    this.routeStatus = new Float64Array(R * 600);
    this.routeLatency = Array.from({ length: R }, () => new LogHistogram(6));
    this.routeCacheHits = new Float64Array(R);
    this.routeCacheMisses = new Float64Array(R);
    this.routeCacheEvictions = new Float64Array(R);
    this.routeLimited = new Float64Array(R);
    this.routePartial = new Float64Array(R);
    this.routeUpBytes = new Float64Array(R);
    this.routeForwarded = new Float64Array(R);
    this.routeRespBytes = new Float64Array(R);
    this.clientCount = new Float64Array(C);
    this.clientRejected = new Float64Array(C);
    this.clientLimited = new Float64Array(C);
    this.deprecatedCalls = new Float64Array(C * R);
    this.goneCalls = new Float64Array(C * R);
    this.instCalls = new Float64Array(I);
    this.instFailures = new Float64Array(I);
    this.instBusy = Array(I).fill(0);
    this.svcCalls = new Float64Array(S);
    this.svcWaitSum = new Float64Array(S);
    this.svcSojournSum = new Float64Array(S);
    this.svcL = Array(S).fill(0);
    this.svcRejected = new Float64Array(S);
    this.svcArrivals = new Float64Array(S);
    this.svcHopHits = new Float64Array(S);
    this.svcHopMisses = new Float64Array(S);
    this.svcRetries = new Float64Array(S);
    this.svcHedges = new Float64Array(S);
    this.svcRetryOverflow = new Float64Array(S);
    this.svcThrottled = new Float64Array(S);
    this.svcTryTimeouts = new Float64Array(S);
    this.svcCallTimeouts = new Float64Array(S);
    this.svcBreakerOpen = new Float64Array(S);
    this.svcEjections = new Float64Array(S);
    this.routeShed = new Float64Array(R);
    this.routeTimeouts = new Float64Array(R);
    this.svcWait = m.services.map(() => new LogHistogram(5));
    this.svcLevelTime = new Float64Array(S * LEVELS);
    this.instService = new Int32Array(I);
    let g = 0;
    m.services.forEach((svc, k) => {
      for (let i = 0; i < svc.n; i++) this.instService[g++] = k;
    });
    this.svcServers = Float64Array.from(m.services, (svc) => svc.n * svc.concurrency);
    this.instEffWeight = new Float64Array(I);
    this.svcPicks = new Float64Array(S);
    this.trace = [];
    this.retryAfterSum = 0;
    this.windowUs = 0;
    this.offeredUs = 0;
    this.requests = 0;
    const width = Math.max(1, Math.ceil(m.durationUs / 60));
    this.series = new TimeSeries(6, width, 120);
  }
}

export interface ReplicationResult {
  stats: GatewayStats;
  outcome: RunOutcome;
}

export class GatewaySim {
  // Fields set in the constructor are `declare`d (see GatewayStats): defined first as `undefined`, the
  // model, random streams, typed arrays and event kinds read on every event would be kept as any value.
  readonly env = new Environment(4096);
  declare readonly stats: GatewayStats;
  declare private readonly m: GatewayModel;
  declare private readonly rArr: Rng;
  declare private readonly rSvc: Rng;
  declare private readonly rMix: Rng;
  declare private readonly rHop: Rng;
  declare private readonly clientPick: WeightedChoice | undefined;
  declare private readonly kindPick: WeightedChoice | undefined;
  declare private readonly zipf: Zipf;
  // instances, flattened
  declare private readonly base: number[];
  declare private readonly alive: Uint8Array;
  declare private readonly hv: Uint8Array;
  declare private readonly up: Uint8Array;
  /** Each service's outlier detector (indexed by instance within the service), when configured. */
  declare private readonly detectors: (OutlierDetector | undefined)[];
  declare private readonly busy: Int32Array;
  declare private readonly active: Int32Array;
  declare private readonly epoch: Int32Array;
  declare private readonly killedAt: Float64Array;
  declare private readonly hcPass: Int32Array;
  declare private readonly hcFail: Int32Array;
  declare private readonly instQ: IntQueue[];
  declare private readonly busyTA: TimeAverage[];
  declare private readonly upViews: Uint8Array[];
  declare private readonly activeViews: Int32Array[];
  declare private readonly balancers: Balancer[];
  // services
  declare private readonly svcQ: IntQueue[];
  declare private readonly inSys: Int32Array;
  declare private readonly inSysTA: TimeAverage[];
  declare private readonly levels: LevelTime[];
  /** Trace the first this many requests (0: none). */
  declare private readonly traceLimit: number;
  /** Calls in flight at each service (sent, not yet answered or given up), for circuit breakers and budgets. */
  declare private readonly activeReq: Int32Array;
  /** Retries in flight at each service (Envoy's retry resource: held from a retry's scheduling to the next answer). */
  declare private readonly retriesActive: Int32Array;
  declare private readonly throttles: (RetryThrottle | undefined)[];
  declare private readonly routeInFlight: Int32Array;
  declare private readonly rRetry: Rng;
  /** Each service's modelled cache (keyed on the request key), when it has one. */
  declare private readonly svcCache: (RouteCache | undefined)[];
  // routes
  declare private readonly limiters: (Limiter[] | undefined)[];
  declare private readonly caches: (RouteCache | undefined)[];
  declare private readonly varyClass: (Int32Array | undefined)[];
  declare private readonly varyCard: number[];
  declare private readonly respBytes: Float64Array;
  declare private readonly shapingUs: Float64Array;
  declare private readonly sunsetUs: Float64Array;
  declare private readonly deprecatedRoute: Uint8Array;
  declare private readonly reqBytes: Float64Array;
  declare private readonly kindRoute: Int32Array;
  declare private readonly kindGet: Uint8Array;
  // request and call slots
  private cap = 0;
  private rqArr = new Float64Array(0);
  private rqRoute = new Int32Array(0);
  private rqClient = new Int32Array(0);
  private rqCk = new Int32Array(0);
  private rqKey = new Int32Array(0);
  private rqPending = new Int32Array(0);
  private rqOk = new Int32Array(0);
  private rqFail = new Int32Array(0);
  private rqMaxDone = new Float64Array(0);
  private rqPre = new Float64Array(0);
  private rqBytes = new Float64Array(0);
  /** 1 when a timeout struck one of the request's calls (its own, or one further down). */
  private rqTimedOut = new Int32Array(0);
  /** The instance that answered the route's call, and the tries sent for it (for the trace). */
  private rqInst = new Int32Array(0);
  private rqSeq = new Float64Array(0);
  private rqTries = new Int32Array(0);
  private rqGen = new Int32Array(0);
  private rqFree: number[] = [];
  // logical calls: a caller (a request, or an attempt's step) waiting for one service
  private lcap = 0;
  private lcParent = new Int32Array(0);
  private lcFromAttempt = new Int32Array(0);
  private lcSvc = new Int32Array(0);
  private lcStart = new Float64Array(0);
  private lcTimeout = new Float64Array(0);
  private lcKey = new Int32Array(0);
  private lcClient = new Int32Array(0);
  private lcPolicy = new Int32Array(0);
  /** Retries left, the next back-off interval, tries in flight, and whether it holds a retry resource. */
  private lcLeft = new Int32Array(0);
  private lcInterval = new Float64Array(0);
  private lcActive = new Int32Array(0);
  private lcHeld = new Int32Array(0);
  /** Retries scheduled (waiting out their back-off). */
  private lcScheduled = new Int32Array(0);
  /** 1 when the timeout is a timer (a call with a retry policy); 0: judged when the answer comes. */
  private lcTimed = new Int32Array(0);
  private lcGen = new Int32Array(0);
  /** The call's first try still in flight (tries of a call are a list through `clNext`). */
  private lcFirst = new Int32Array(0);
  /** The request the call works for, and that request's generation (the slot may serve another later). */
  private lcRoot = new Int32Array(0);
  private lcRootGen = new Int32Array(0);
  private lcFree: number[] = [];
  // attempts: one try of a call at one instance (queued, served, then its steps)
  private ccap = 0;
  private clCall = new Int32Array(0);
  private clSvc = new Int32Array(0);
  private clInst = new Int32Array(0);
  private clEnq = new Float64Array(0);
  private clEpoch = new Int32Array(0);
  private clStep = new Int32Array(0);
  private clPhase = new Int32Array(0);
  private clPending = new Int32Array(0);
  private clFail = new Int32Array(0);
  private clGen = new Int32Array(0);
  /** 1 once the caller gave the try up (a per-try timeout, another try won, the call timed out): the instance still does the work. */
  private clAbandoned = new Int32Array(0);
  private clNext = new Int32Array(0);
  private clFree: number[] = [];
  // event kinds
  declare private readonly K_ARRIVAL: number;
  declare private readonly K_DONE: number;
  declare private readonly K_DISPATCH: number;
  declare private readonly K_HC: number;
  declare private readonly K_WARMUP: number;
  declare private readonly K_FAULT: number;
  declare private readonly K_TRY_TIMEOUT: number;
  declare private readonly K_RETRY: number;
  declare private readonly K_CALL_TIMEOUT: number;
  declare private readonly K_SWEEP: number;
  private arrivals = 0;
  /** No arrival is left to come (the last one has arrived). */
  private arrivalsDone = false;
  /** Arrivals so far (numbers a small run's trace). */
  private arrived = 0;
  /** The rate's pieces (steps and spike), and the one holding the last arrival. */
  declare private readonly pieces: { startUs: number; endUs: number; rate: number }[];
  private piece = 0;
  /** Arrivals are a Poisson stream at one rate (the usual case), with this mean gap in µs. */
  declare private readonly poisson: boolean;
  declare private readonly meanGapUs: number;
  declare private measuring: boolean;
  declare private readonly budget: Budget;

  /**
   * Steps a replication's setup costs (instances, ring points, cache slots, the kind × client and
   * route × client tables, its statistics), spent before it is built; the key table is shared.
   */
  static setupSteps(m: GatewayModel): number {
    const R = m.routes.length + 1,
      C = m.clients.length;
    let steps = R * 600 + R * C + m.kinds.length * C;
    for (const s of m.services)
      steps +=
        s.n +
        (s.balancer === 'consistent_hash' ? 100 * s.weights.reduce((a, w) => a + w, 0) : 0) +
        (s.balancer === 'maglev' ? Maglev.buildSteps(s.weights) : 0) +
        (s.cacheModel ? m.keyCount : 0);
    for (const r of m.routes) if (r.cache) steps += m.kinds.length * m.keyCount * (r.cache.vary.length ? C : 1);
    return steps;
  }

  /** `zipf`: the key table for `model` (the same for every replication, so it is built once). */
  constructor(model: GatewayModel, seed: number, budget: Budget = new Budget(), zipf?: Zipf, traceLimit = 0) {
    this.m = model;
    this.budget = budget;
    const root = new Rng(seed, 'gateway');
    this.rArr = root.fork('arrivals');
    this.rSvc = root.fork('service');
    this.rMix = root.fork('mix');
    this.rHop = root.fork('cache-hops');
    this.pieces = ratePieces(model);
    const sp = model.spike;
    this.poisson = model.pattern !== 'constant' && !model.diurnal && !model.steps.length && (sp.factor === 1 || sp.endUs <= sp.atUs);
    this.meanGapUs = 1e6 / model.rate;
    const lbRng = root.fork('balancer');
    this.stats = new GatewayStats(model);
    const C = model.clients.length;
    this.clientPick = C > 1 ? new WeightedChoice(model.clients.map((c) => c.weight)) : undefined;
    this.kindPick = model.kinds.length > 1 ? new WeightedChoice(model.kinds.map((k) => k.weight)) : undefined;
    this.zipf = zipf ?? Zipf.of(model.keyCount, model.zipf);

    this.base = [];
    let I = 0;
    for (const s of model.services) {
      this.base.push(I);
      I += s.n;
    }
    this.alive = new Uint8Array(I).fill(1);
    this.hv = new Uint8Array(I).fill(1);
    this.up = new Uint8Array(I);
    this.detectors = model.services.map((s) => (s.outlier ? new OutlierDetector(s.n, s.outlier) : undefined));
    this.activeReq = new Int32Array(model.services.length);
    this.retriesActive = new Int32Array(model.services.length);
    this.throttles = model.services.map((s) => (s.throttle ? new RetryThrottle(s.throttle.maxTokens, s.throttle.ratio) : undefined));
    this.routeInFlight = new Int32Array(model.routes.length);
    this.rRetry = root.fork('retry');
    this.busy = new Int32Array(I);
    this.active = new Int32Array(I);
    this.epoch = new Int32Array(I);
    this.killedAt = new Float64Array(I);
    this.hcPass = new Int32Array(I);
    this.hcFail = new Int32Array(I);
    this.instQ = Array.from({ length: I }, () => new IntQueue());
    this.busyTA = Array.from({ length: I }, () => new TimeAverage(0));
    this.upViews = model.services.map((s, k) => this.up.subarray(this.base[k], this.base[k] + s.n));
    this.activeViews = model.services.map((s, k) => this.active.subarray(this.base[k], this.base[k] + s.n));
    this.balancers = model.services.map((s) => makeBalancer(s.balancer, s.weights, lbRng.fork(s.name), s.bias));
    this.svcQ = model.services.map(() => new IntQueue());
    this.inSys = new Int32Array(model.services.length);
    this.inSysTA = model.services.map(() => new TimeAverage(0));
    this.levels = model.services.map((_, k) => new LevelTime(this.stats.svcLevelTime.subarray(k * LEVELS, (k + 1) * LEVELS)));
    this.traceLimit = traceLimit;
    this.svcCache = model.services.map((s) => (s.cacheModel ? new RouteCache(model.keyCount, s.cacheModel.maxEntries) : undefined));

    const R = model.routes.length;
    this.limiters = model.routes.map((r) => {
      const rl = r.rateLimit;
      if (!rl) return undefined;
      const mk = (): Limiter =>
        rl.algorithm === 'leaky_bucket'
          ? new LeakyBucket(rl.rate, rl.burst, rl.nodelay)
          : rl.algorithm === 'envoy_timer'
            ? new TimerTokenBucket(rl.burst, Math.max(1, Math.round((rl.rate * rl.fillIntervalUs) / 1e6)), rl.fillIntervalUs)
            : new TokenBucket(rl.rate, rl.burst);
      return Array.from({ length: rl.perClient ? C : 1 }, mk);
    });
    this.varyClass = [];
    this.varyCard = [];
    this.caches = model.routes.map((r) => {
      if (!r.cache) {
        this.varyClass.push(undefined);
        this.varyCard.push(1);
        return undefined;
      }
      const classes = new Map<string, number>();
      const vc = new Int32Array(C);
      model.clients.forEach((c, ci) => {
        const tuple = r
          .cache!.vary.map((h) =>
            h === 'authorization'
              ? c.cred.jwt
                ? `Bearer ${c.name}`
                : ''
              : h === 'x-api-key'
                ? (c.cred.apiKey ?? '')
                : (c.headers[h] ?? ''),
          )
          .join('\u0000');
        if (!classes.has(tuple)) classes.set(tuple, classes.size);
        vc[ci] = classes.get(tuple)!;
      });
      this.varyClass.push(vc);
      this.varyCard.push(classes.size);
      return new RouteCache(model.kinds.length * model.keyCount * classes.size, r.cache.maxEntries, r.cache.maxBytes);
    });
    this.respBytes = new Float64Array(R);
    this.shapingUs = new Float64Array(R);
    this.sunsetUs = new Float64Array(R).fill(Infinity);
    this.deprecatedRoute = new Uint8Array(R);
    model.routes.forEach((r, ri) => {
      const up = r.services.reduce((a, s) => a + model.services[s].responseSize, 0);
      this.respBytes[ri] = up * r.responseFactor;
      this.shapingUs[ri] = r.responseFactor !== 1 ? Math.round(up / model.shapingBytesPerUs) : 0;
      if (r.sunset !== undefined) this.sunsetUs[ri] = (r.sunset - model.startUnix) * 1e6;
      if (r.deprecated !== undefined || r.sunset !== undefined) this.deprecatedRoute[ri] = 1;
    });
    this.kindRoute = Int32Array.from(model.kinds.map((k) => k.route));
    this.kindGet = Uint8Array.from(model.kinds.map((k) => (k.method === 'GET' ? 1 : 0)));
    this.reqBytes = new Float64Array(model.kinds.length * C);
    // Bytes sent upstream: the request (`size`) plus the client's credential and headers, then the
    // route's header changes.
    model.kinds.forEach((k, ki) =>
      model.clients.forEach((c, ci) => {
        const sent: Record<string, number> = {};
        if (c.cred.jwt) sent['authorization'] = JWT_HEADER_BYTES;
        if (c.cred.apiKey) sent['x-api-key'] = c.cred.apiKey.length + 13;
        for (const [h, x] of Object.entries(c.headers)) sent[h] = h.length + x.length + 4;
        let b = k.size + Object.values(sent).reduce((a, x) => a + x, 0);
        const r = k.route >= 0 ? model.routes[k.route] : undefined;
        if (r) {
          b += r.requestDelta;
          for (const h of r.removeHeaders) b -= sent[h] ?? 0;
        }
        this.reqBytes[ki * C + ci] = b;
      }),
    );

    const env = this.env;
    // Every event that can answer a request or free an instance ends with the idle check (`endIfIdle`).
    this.K_ARRIVAL = env.on(() => {
      this.onArrival();
      this.endIfIdle();
    });
    this.K_DONE = env.on((c) => {
      this.onDone(c);
      this.endIfIdle();
    });
    this.K_DISPATCH = env.on((slot) => this.dispatch(slot));
    this.K_HC = env.on((s) => this.onHealthCheck(s));
    this.K_WARMUP = env.on(() => this.onWarmup());
    this.K_FAULT = env.on((f) => {
      this.onFault(f);
      this.endIfIdle();
    });
    this.K_TRY_TIMEOUT = env.on((x) => {
      this.onTryTimeout(x % SLOT, Math.floor(x / SLOT));
      this.endIfIdle();
    });
    this.K_RETRY = env.on((x) => {
      this.onRetry(x % SLOT, Math.floor(x / SLOT));
      this.endIfIdle();
    });
    this.K_CALL_TIMEOUT = env.on((x) => {
      this.onCallTimeout(x % SLOT, Math.floor(x / SLOT));
      this.endIfIdle();
    });
    this.K_SWEEP = env.on((s) => this.onSweep(s));
    this.measuring = model.warmupUs === 0;
    this.growRequests(1024);
    this.growCalls(1024);
    this.growLogical(1024);
    this.warmCaches(root.fork('cache-warm'));
  }

  /**
   * Caches start as they are at the traffic's initial rate in steady state, not empty as after a
   * restart. With expiry counted from the store and a key looked up at rate λ (Poisson), a key is
   * fresh for the TTL T after each miss, then waits an exponential time for its next lookup: it is
   * fresh a share λT / (1 + λT) of the time, and a fresh entry's age is uniform over T (renewal
   * theory). A route cache's λ comes from the request mix, the client's vary class and the key's
   * Zipf probability; a service cache's from the calls the routes make to it, through any route cache
   * in front. A cache with a capacity (LRU), `warm: false`, and runs of explicit arrivals start empty.
   */
  private warmCaches(rng: Rng): void {
    const m = this.m;
    if (m.arrivals) return;
    const d = m.diurnal;
    const rate = this.pieces[0].rate * (d ? 1 + d.amplitude * Math.cos((2 * Math.PI * (0 - d.peakUs)) / d.periodUs) : 1);
    if (!(rate > 0)) return;
    const K = m.keyCount;
    const kindW = m.kinds.reduce((a, k) => a + k.weight, 0) || 1;
    const clientW = m.clients.reduce((a, c) => a + c.weight, 0) || 1;
    const fresh = (lookupsPerS: number, ttlUs: number) => {
      const x = (lookupsPerS * ttlUs) / 1e6;
      return x / (1 + x);
    };
    // Only a warm service cache reads how often a route cache misses each key.
    const serviceWarm = m.services.some((svc, s) => this.svcCache[s]?.bounded === false && svc.cacheModel!.warm !== false);
    /** Per route, per key: the share of its requests that miss its cache (1 without a warm one). */
    const routeMiss = m.routes.map(() => undefined as Float64Array | undefined);
    m.routes.forEach((r, route) => {
      const cache = this.caches[route];
      if (!cache || cache.bounded || !r.cache || r.cache.warm === false) return;
      const T = r.cache.ttlUs;
      const classW = new Float64Array(this.varyCard[route]);
      m.clients.forEach((c, ci) => (classW[this.varyClass[route]?.[ci] ?? 0] += c.weight / clientW));
      const miss = serviceWarm ? new Float64Array(K) : undefined;
      let routeShare = 0;
      m.kinds.forEach((k, kind) => {
        if (this.kindRoute[kind] !== route) return;
        const share = k.weight / kindW;
        routeShare += share;
        if (!this.kindGet[kind]) {
          if (miss) for (let key = 0; key < K; key++) miss[key] += share;
          return;
        }
        this.budget.spend(K * classW.length);
        this.warmRoute(cache, rng, kind * K * classW.length, rate * share, share, classW, T, miss);
      });
      if (miss && routeShare > 0) for (let key = 0; key < K; key++) miss[key] /= routeShare;
      routeMiss[route] = miss;
    });
    m.services.forEach((svc, s) => {
      const cache = this.svcCache[s];
      if (!cache || cache.bounded || svc.cacheModel!.warm === false) return;
      // Calls to this cache service per request of each route (its steps' hit ratios as configured).
      const perRoute = m.routes.map((r) => {
        const v = new Float64Array(m.services.length);
        for (const e of r.services) if (e >= 0) visitsFrom(m.services, e, (x, j) => m.services[x].steps[j].hitRatio ?? 0, v);
        return v[s];
      });
      const T = svc.cacheModel!.ttlUs;
      this.budget.spend(K * m.routes.length);
      for (let key = 0; key < K; key++) {
        const pKey = this.zipf.probability(key);
        let calls = 0;
        m.kinds.forEach((k, kind) => {
          const route = this.kindRoute[kind];
          if (route < 0 || perRoute[route] === 0) return;
          calls += (k.weight / kindW) * perRoute[route] * (routeMiss[route]?.[key] ?? 1);
        });
        const p = fresh(rate * calls * pKey, T);
        if (p > 0 && rng.uniform() < p) cache.store(key, rng.uniform() * T, 0);
      }
    });
  }

  /**
   * Warms one GET kind of a route cache: each key and vary class v (keys in order, classes within a
   * key) is cached with probability p = fresh(`rate` · classW[v] · P(key)) and a uniform remaining
   * life (see `warmCaches`); `miss`, when kept, gains the share of the kind's requests that miss.
   * The kind's slots start at `first`.
   */
  private warmRoute(
    cache: RouteCache,
    rng: Rng,
    first: number,
    rate: number,
    share: number,
    classW: Float64Array,
    T: number,
    miss: Float64Array | undefined,
  ): void {
    const K = this.m.keyCount,
      V = classW.length,
      zipf = this.zipf;
    const classRate = classW.map((w) => rate * w),
      classShare = classW.map((w) => share * w);
    for (let key = 0; key < K; key++) {
      const pKey = zipf.probability(key);
      for (let v = 0; v < V; v++) {
        if (classW[v] === 0) continue;
        const x = (classRate[v] * pKey * T) / 1e6;
        const p = x / (1 + x);
        if (miss) miss[key] += classShare[v] * (1 - p);
        if (rng.uniform() < p) cache.store(first + key * V + v, rng.uniform() * T, 0);
      }
    }
  }

  private growRequests(n: number): void {
    const g = <T extends Float64Array | Int32Array>(a: T): T => grown(a, n);
    this.rqArr = g(this.rqArr);
    this.rqRoute = g(this.rqRoute);
    this.rqClient = g(this.rqClient);
    this.rqCk = g(this.rqCk);
    this.rqKey = g(this.rqKey);
    this.rqPending = g(this.rqPending);
    this.rqOk = g(this.rqOk);
    this.rqFail = g(this.rqFail);
    this.rqMaxDone = g(this.rqMaxDone);
    this.rqPre = g(this.rqPre);
    this.rqBytes = g(this.rqBytes);
    this.rqTimedOut = g(this.rqTimedOut);
    this.rqGen = g(this.rqGen);
    this.rqInst = g(this.rqInst);
    this.rqTries = g(this.rqTries);
    this.rqSeq = g(this.rqSeq);
    for (let i = n - 1; i >= this.cap; i--) this.rqFree.push(i);
    this.cap = n;
  }

  /**
   * Ends the run at the in-flight ceiling (docs/limits.md): queues that grow this far grow without
   * bound, and the state would outgrow the memory a cell may use. The run stops after this event.
   */
  private outOfMemory(): void {
    const n = (x: number) => x.toLocaleString('en-US');
    this.budget.stop(
      'memory',
      `more than ${n(LIMITS.inFlightRequests)} requests or ${n(LIMITS.inFlightCalls)} upstream calls in flight at once: the queues grow without bound`,
    );
  }

  private growCalls(n: number): void {
    const g = <T extends Float64Array | Int32Array>(a: T): T => grown(a, n);
    this.clCall = g(this.clCall);
    this.clSvc = g(this.clSvc);
    this.clInst = g(this.clInst);
    this.clEnq = g(this.clEnq);
    this.clEpoch = g(this.clEpoch);
    this.clStep = g(this.clStep);
    this.clPhase = g(this.clPhase);
    this.clPending = g(this.clPending);
    this.clFail = g(this.clFail);
    this.clGen = g(this.clGen);
    this.clAbandoned = g(this.clAbandoned);
    this.clNext = g(this.clNext);
    for (let i = n - 1; i >= this.ccap; i--) this.clFree.push(i);
    this.ccap = n;
  }

  private growLogical(n: number): void {
    const g = <T extends Float64Array | Int32Array>(a: T): T => grown(a, n);
    this.lcParent = g(this.lcParent);
    this.lcFromAttempt = g(this.lcFromAttempt);
    this.lcSvc = g(this.lcSvc);
    this.lcStart = g(this.lcStart);
    this.lcTimeout = g(this.lcTimeout);
    this.lcKey = g(this.lcKey);
    this.lcClient = g(this.lcClient);
    this.lcPolicy = g(this.lcPolicy);
    this.lcLeft = g(this.lcLeft);
    this.lcInterval = g(this.lcInterval);
    this.lcActive = g(this.lcActive);
    this.lcHeld = g(this.lcHeld);
    this.lcScheduled = g(this.lcScheduled);
    this.lcTimed = g(this.lcTimed);
    this.lcGen = g(this.lcGen);
    this.lcFirst = g(this.lcFirst);
    this.lcRoot = g(this.lcRoot);
    this.lcRootGen = g(this.lcRootGen);
    for (let i = n - 1; i >= this.lcap; i--) this.lcFree.push(i);
    this.lcap = n;
  }

  /** Runs the replication on the budget given to the constructor. */
  run(): ReplicationResult {
    const m = this.m,
      env = this.env;
    if (m.arrivals) env.at(m.arrivals[0], this.K_ARRIVAL);
    else env.schedule(0, this.K_ARRIVAL);
    if (m.warmupUs > 0) env.at(m.warmupUs, this.K_WARMUP);
    m.services.forEach((s, k) => {
      if (s.healthCheck) env.at(s.healthCheck.intervalUs, this.K_HC, k);
    });
    m.services.forEach((s, k) => {
      if (s.outlier) env.at(s.outlier.intervalUs, this.K_SWEEP, k);
    });
    m.faults.forEach((f, i) => env.at(f.atUs, this.K_FAULT, i));
    const outcome = env.run({ budget: this.budget });
    const st = this.stats;
    const end = Math.max(env.now, m.durationUs);
    st.windowUs = end - m.warmupUs;
    st.offeredUs = Math.min(env.now, m.durationUs) - m.warmupUs;
    this.busyTA.forEach((t, i) => (st.instBusy[i] = t.average(end)));
    this.inSysTA.forEach((t, s) => (st.svcL[s] = t.average(end)));
    this.levels.forEach((l, s) => l.set(end, this.inSys[s]));
    this.balancers.forEach((b, s) => {
      if (!b.effective) return;
      b.effective.sums.forEach((x, i) => (st.instEffWeight[this.base[s] + i] += x));
      st.svcPicks[s] += b.effective.picks;
    });
    return { stats: st, outcome };
  }

  /**
   * Ends the run once the last request is answered and every instance has finished the work it holds
   * (abandoned tries included), when no arrival is left to come. What the queue still holds then is
   * timers of calls and tries that already ended (they carry an old generation and would do nothing),
   * health checks and sweeps with no traffic to act on, and faults after the traffic: none changes a
   * measured figure, but a call's 15 s timeout would keep the clock running, and the time averages
   * (busy, L, Lq) would be diluted over that idle tail. So the run's end is when the work drained.
   */
  private endIfIdle(): void {
    if (
      this.arrivalsDone &&
      this.measuring &&
      this.rqFree.length === this.cap &&
      this.lcFree.length === this.lcap &&
      this.clFree.length === this.ccap
    )
      this.env.queue.clear();
  }

  private onWarmup(): void {
    this.measuring = true;
    const now = this.env.now;
    for (const t of this.busyTA) t.reset(now);
    for (const t of this.inSysTA) t.reset(now);
    for (const l of this.levels) l.reset(now);
    for (const b of this.balancers)
      if (b.effective) {
        b.effective.sums.fill(0);
        b.effective.picks = 0;
      }
  }

  private nextArrivalDelay(): number {
    const m = this.m;
    if (m.pattern === 'constant') {
      const k = ++this.arrivals;
      return Math.round((k * 1e6) / m.rate) - this.env.now;
    }
    if (m.diurnal) return this.thinnedDelay();
    if (this.poisson) return this.rArr.exponential(this.meanGapUs);
    // The rate is piecewise constant (the steps, and before, during and after the spike), so the next
    // arrival comes by inverting the cumulative rate: one exponential draw spent across the pieces.
    // (Thinning at the peak rate cost `factor` draws per arrival outside the spike.)
    const now = this.env.now;
    const pieces = this.pieces;
    let i = this.piece;
    while (pieces[i].endUs <= now) i++;
    this.piece = i;
    let left = this.rArr.standardExponential() * 1e6; // in µs × (1/s)
    let t = now;
    for (;;) {
      const { rate: r, endUs: end } = pieces[i];
      if (r > 0) {
        if (t + left / r < end) return t + left / r - now;
        left -= (end - t) * r;
      }
      if (end === Infinity) return Infinity; // the rate stays 0: no more arrivals
      t = end;
      i++;
    }
  }

  /**
   * A daily cycle: candidates at the peak rate, each kept with probability rate(t) / peak (thinning,
   * Lewis and Shedler): about peak / mean draws per arrival; candidates past the end are not drawn.
   */
  private thinnedDelay(): number {
    const m = this.m,
      d = m.diurnal!,
      now = this.env.now;
    const top = this.pieces.reduce((a, p) => Math.max(a, p.rate), 0) * (1 + d.amplitude);
    if (!(top > 0)) return Infinity;
    let t = now;
    for (;;) {
      t += this.rArr.exponential(1e6 / top);
      if (t >= m.durationUs) return t - now;
      this.budget.spend(1);
      let i = 0;
      while (this.pieces[i].endUs <= t) i++;
      const r = this.pieces[i].rate * (1 + d.amplitude * Math.cos((2 * Math.PI * (t - d.peakUs)) / d.periodUs));
      if (this.rArr.uniform() * top < r) return t - now;
    }
  }

  private onArrival(): void {
    const m = this.m,
      env = this.env,
      now = env.now;
    this.arrived++;
    if (m.arrivals) {
      // A trace: the next arrival at its listed time.
      const k = ++this.arrivals;
      if (k < m.arrivals.length) env.at(m.arrivals[k], this.K_ARRIVAL);
      else this.arrivalsDone = true;
    } else {
      // The usual Poisson gap is drawn here: a call (not inlined) would hand the fractional gap back in a
      // new heap number, one per arrival, and that stream of garbage evicts the key table and the cache.
      const d = Math.round(this.poisson ? this.rArr.exponential(this.meanGapUs) : this.nextArrivalDelay());
      if (now + d < m.durationUs) env.schedule(d, this.K_ARRIVAL);
      else this.arrivalsDone = true;
    }
    const C = m.clients.length;
    const client = this.clientPick ? this.clientPick.sample(this.rMix) : 0;
    const kind = this.kindPick ? this.kindPick.sample(this.rMix) : 0;
    const key = this.zipf.sample(this.rMix);
    const route = this.kindRoute[kind];
    if (route < 0) return this.respond(m.routes.length, client, m.status.noRoute, m.overheadUs, now, 0, key, 'no route');
    const r = m.routes[route];
    if (this.deprecatedRoute[route]) {
      this.stats.deprecatedCalls[client * (m.routes.length + 1) + route]++;
      if (now >= this.sunsetUs[route]) {
        this.stats.goneCalls[client * (m.routes.length + 1) + route]++;
        return this.respond(route, client, 410, m.overheadUs, now, 0, key, 'gone: past the sunset');
      }
    }
    let pre = m.overheadUs;
    if (r.authType !== 'none') {
      pre += m.authUs;
      const a = m.authStatus[route * C + client];
      if (a !== 0)
        return this.respond(route, client, a, pre, now, 0, key, a === 401 ? 'no valid credential' : 'forbidden: credential or scope');
    }
    let delay = 0;
    const lims = this.limiters[route];
    if (lims) {
      const dec = lims[lims.length === 1 ? 0 : client].take(now);
      if (!dec.allowed) {
        if (this.measuring) {
          this.stats.routeLimited[route]++;
          this.stats.clientLimited[client]++;
          this.stats.retryAfterSum += dec.retryAfterS;
        }
        return this.respond(
          route,
          client,
          r.rateLimit!.status,
          pre,
          now,
          0,
          key,
          r.rateLimit!.status === 429 ? `rate limited (Retry-After ${dec.retryAfterS} s)` : 'rate limited',
        );
      }
      delay = dec.delayUs;
    }
    let ck = -1;
    const cache = this.caches[route];
    if (cache && this.kindGet[kind]) {
      ck = (kind * m.keyCount + key) * this.varyCard[route] + this.varyClass[route]![client];
      if (cache.lookup(ck, now)) {
        if (this.measuring) {
          this.stats.routeCacheHits[route]++;
          this.stats.series.add(now, TS.cacheHits);
        }
        return this.respond(route, client, 200, pre + m.cacheUs, now, this.respBytes[route], key, 'cache hit');
      }
      if (this.measuring) this.stats.routeCacheMisses[route]++;
    }
    if (this.routeInFlight[route] >= r.maxInFlight) {
      // A bulkhead: the route's share of the gateway is full, so the request is shed at once.
      if (this.measuring) this.stats.routeShed[route]++;
      return this.respond(route, client, 503, pre, now, 0, key, 'shed: the route is at max_in_flight');
    }
    this.routeInFlight[route]++;
    pre += r.transformUs; // a limiter delay shows up as the gap between arrival and dispatch
    if (this.rqFree.length === 0) {
      if (this.cap >= LIMITS.inFlightRequests) return this.outOfMemory();
      this.growRequests(this.cap * 2);
    }
    const slot = this.rqFree.pop()!;
    this.rqArr[slot] = now;
    this.rqRoute[slot] = route;
    this.rqClient[slot] = client;
    this.rqCk[slot] = ck;
    this.rqKey[slot] = key;
    this.rqPre[slot] = pre;
    this.rqBytes[slot] = this.reqBytes[kind * C + client];
    this.rqPending[slot] = r.services.length;
    this.rqOk[slot] = 0;
    this.rqFail[slot] = 0;
    this.rqTimedOut[slot] = 0;
    this.rqInst[slot] = -1;
    this.rqSeq[slot] = this.arrived - 1;
    this.rqTries[slot] = 0;
    this.rqGen[slot] = (this.rqGen[slot] + 1) & GEN_MASK;
    this.rqMaxDone[slot] = now;
    if (delay > 0) env.schedule(delay, this.K_DISPATCH, slot);
    else this.dispatch(slot);
  }

  /** Sends a request's upstream calls (one, or one per aggregated service). */
  private dispatch(slot: number): void {
    const r = this.m.routes[this.rqRoute[slot]];
    const svcs = r.services;
    this.rqMaxDone[slot] = this.env.now;
    for (let i = 0; i < svcs.length; i++) this.startCall(svcs[i], slot, -1, r.timeoutUs, r.policy);
  }

  /**
   * A caller calls service `s`: request `slot` (when `parent` < 0) or attempt `parent`'s current step.
   * The call fails with the timeout status when it takes longer than `timeoutUs`: judged when its answer
   * comes, or, for a call with a retry policy, by a timer that also stops its retries.
   */
  private startCall(s: number, slot: number, parent: number, timeoutUs: number, policy: number): void {
    if (this.lcFree.length === 0) {
      if (this.lcap >= LIMITS.inFlightCalls) this.outOfMemory();
      this.growLogical(this.lcap * 2);
    }
    const lc = this.lcFree.pop()!;
    const from = parent < 0 ? -1 : this.clCall[parent];
    this.lcParent[lc] = parent < 0 ? slot : parent;
    this.lcFromAttempt[lc] = parent < 0 ? 0 : 1;
    this.lcSvc[lc] = s;
    this.lcStart[lc] = this.env.now;
    this.lcTimeout[lc] = timeoutUs;
    this.lcKey[lc] = from < 0 ? this.rqKey[slot] : this.lcKey[from];
    this.lcClient[lc] = from < 0 ? this.rqClient[slot] : this.lcClient[from];
    this.lcRoot[lc] = from < 0 ? slot : this.lcRoot[from];
    this.lcRootGen[lc] = from < 0 ? this.rqGen[slot] : this.lcRootGen[from];
    this.lcPolicy[lc] = policy;
    this.lcActive[lc] = 0;
    this.lcHeld[lc] = 0;
    this.lcScheduled[lc] = 0;
    this.lcFirst[lc] = -1;
    this.lcGen[lc] = (this.lcGen[lc] + 1) & GEN_MASK;
    if (policy >= 0) {
      const p = this.m.policies[policy];
      this.lcLeft[lc] = p.attempts;
      this.lcInterval[lc] = p.baseUs;
      this.lcTimed[lc] = 1;
      if (timeoutUs < Infinity) this.env.schedule(timeoutUs, this.K_CALL_TIMEOUT, lc + this.lcGen[lc] * SLOT);
    } else this.lcTimed[lc] = 0;
    this.sendAttempt(lc);
  }

  /** One try of call `lc`: the balancer picks an instance, and the try queues there (or in the shared queue). */
  private sendAttempt(lc: number): void {
    const m = this.m,
      env = this.env,
      now = env.now;
    const s = this.lcSvc[lc];
    const svc = m.services[s];
    const b = this.base[s],
      n = svc.n;
    const up = this.up;
    const det = this.detectors[s];
    this.budget.spend(n); // the scan below and the balancer's are as long as the service
    let any = false;
    for (let i = 0; i < n; i++) {
      const g = b + i;
      const ok = this.hv[g] === 1 && !(det && det.ejected[i]);
      any = any || ok;
      up[g] = ok && (!svc.shared || this.busy[g] < svc.concurrency) ? 1 : 0;
    }
    const hashKey = svc.hashOnClient ? this.lcClient[lc] : this.lcKey[lc];
    if (this.clFree.length === 0) {
      // Past the ceiling the run ends after this event; one more doubling serves the event's calls.
      if (this.ccap >= LIMITS.inFlightCalls) this.outOfMemory();
      this.growCalls(this.ccap * 2);
    }
    const c = this.clFree.pop()!;
    this.clCall[c] = lc;
    this.clSvc[c] = s;
    this.clEnq[c] = now;
    this.clStep[c] = 0;
    this.clPhase[c] = 0;
    this.clAbandoned[c] = 0;
    this.clInst[c] = -1;
    this.clNext[c] = this.lcFirst[lc];
    this.lcFirst[lc] = c;
    this.lcActive[lc]++;
    if (this.measuring) this.stats.svcArrivals[s]++;
    if (!this.lcFromAttempt[lc] && this.rqGen[this.lcRoot[lc]] === this.lcRootGen[lc]) this.rqTries[this.lcRoot[lc]]++;
    const br = svc.breaker;
    // Envoy's circuit breakers: past max_requests (or max_pending for the shared queue) the call fails at once (503, not retried).
    if (br && this.activeReq[s] >= br.maxRequests) return this.overflowed(c, s);
    if (!any) return this.attemptDone(c, -1, m.status.noHealthy, now, WHY_LOCAL);
    const p = this.lcPolicy[lc];
    if (p >= 0 && m.policies[p].perTryUs < Infinity) env.schedule(m.policies[p].perTryUs, this.K_TRY_TIMEOUT, c + this.clGen[c] * SLOT);
    // A shared queue is FIFO: while anyone waits, a new call queues behind them.
    const i = svc.shared && this.svcQ[s].size > 0 ? -1 : this.balancers[s].pick(this.upViews[s], this.activeViews[s], hashKey);
    if (i < 0) {
      // shared queue, every eligible instance busy (or others waiting): wait in the gateway
      if (br && this.svcQ[s].size >= br.maxPending) return this.overflowed(c, s);
      this.activeReq[s]++;
      if (this.svcQ[s].size >= svc.queueLimit) {
        if (this.measuring) this.stats.svcRejected[s]++;
        return this.attemptDone(c, -1, m.status.overflow, now, WHY_ANSWER);
      }
      this.svcQ[s].push(c);
      this.enterSystem(s);
      return;
    }
    const g = b + i;
    this.clInst[c] = g;
    this.activeReq[s]++;
    if (!this.alive[g]) return this.attemptDone(c, g, 503, now, WHY_CONNECT); // connect failure (Envoy UF)
    if (this.busy[g] < svc.concurrency) {
      this.enterSystem(s);
      this.active[g]++;
      this.startService(c, g);
    } else if (this.instQ[g].size < svc.queueLimit) {
      this.enterSystem(s);
      this.active[g]++;
      this.instQ[g].push(c);
    } else {
      if (this.measuring) this.stats.svcRejected[s]++;
      this.attemptDone(c, g, m.status.overflow, now, WHY_ANSWER);
    }
  }

  /** A try refused by the circuit breaker: 503 at once, never retried (Envoy's x-envoy-overloaded). */
  private overflowed(c: number, s: number): void {
    if (this.measuring) this.stats.svcBreakerOpen[s]++;
    this.attemptDone(c, -1, 503, this.env.now, WHY_LOCAL);
  }

  private enterSystem(s: number): void {
    this.setInSys(s, this.inSys[s] + 1);
  }

  private setInSys(s: number, level: number): void {
    this.inSys[s] = level;
    this.inSysTA[s].set(this.env.now, level);
    this.levels[s].set(this.env.now, level);
  }

  private startService(c: number, g: number): void {
    const now = this.env.now;
    const s = this.clSvc[c];
    this.clInst[c] = g;
    this.clEpoch[c] = this.epoch[g];
    this.busyTA[g].set(now, ++this.busy[g]);
    if (this.measuring && this.clEnq[c] >= this.m.warmupUs) {
      this.stats.svcWaitSum[s] += now - this.clEnq[c];
      this.stats.svcWait[s].record(now - this.clEnq[c]);
    }
    this.env.schedule(this.sample(s), this.K_DONE, c);
  }

  private sample(s: number): number {
    const v = this.m.services[s],
      r = this.rSvc;
    if (v.slowP > 0 && r.uniform() < v.slowP) return v.slowUs;
    switch (v.dist) {
      case DIST.exponential:
        return Math.round(r.exponential(v.meanUs));
      case DIST.constant:
        return v.meanUs;
      case DIST.lognormal:
        return Math.round(r.lognormal(v.mu, v.sigma));
      default:
        return Math.round(v.minUs + (v.maxUs - v.minUs) * r.uniform());
    }
  }

  /** An attempt's own work at its instance is done: then its steps, or its answer. */
  private onDone(c: number): void {
    const m = this.m,
      now = this.env.now;
    const g = this.clInst[c],
      s = this.clSvc[c];
    const svc = m.services[s];
    if (svc.steps.length === 0) {
      this.release(c, g, s);
      let status = 200;
      let doneAt = now;
      if (this.clEpoch[c] !== this.epoch[g]) {
        status = 503;
        doneAt = Math.max(this.clEnq[c], Math.min(now, this.killedAt[g]));
      } else if (svc.errorRate > 0 && this.rSvc.uniform() < svc.errorRate) status = 500;
      return this.attemptDone(c, g, status, doneAt);
    }
    // With steps the server stays held while they run (a thread waiting on its database).
    if (this.clEpoch[c] !== this.epoch[g]) return this.finishAttempt(c, 503);
    if (svc.errorRate > 0 && this.rSvc.uniform() < svc.errorRate) return this.finishAttempt(c, 500);
    this.runStep(c);
  }

  /** The instance lets attempt `c` go: statistics, and the next waiting attempt starts. */
  private release(c: number, g: number, s: number): void {
    const now = this.env.now;
    const svc = this.m.services[s];
    this.busyTA[g].set(now, --this.busy[g]);
    this.active[g]--;
    this.setInSys(s, this.inSys[s] - 1);
    if (this.measuring && this.clEnq[c] >= this.m.warmupUs) {
      this.stats.svcCalls[s]++;
      this.stats.svcSojournSum[s] += now - this.clEnq[c];
      this.stats.instCalls[g]++;
    }
    // Next waiting call: from this instance's queue, or from the service's shared queue.
    if (svc.shared) {
      const next = this.alive[g] ? this.nextShared(s) : -1;
      if (next >= 0) {
        this.active[g]++;
        this.startService(next, g);
      }
    } else if (this.instQ[g].size > 0) this.startService(this.instQ[g].shift(), g);
  }

  /** The next try waiting in service `s`'s shared queue; tries given up while waiting in the gateway are dropped (never sent). */
  private nextShared(s: number): number {
    const q = this.svcQ[s];
    while (q.size > 0) {
      const c = q.shift();
      if (!this.clAbandoned[c]) return c;
      this.setInSys(s, this.inSys[s] - 1);
      this.freeAttempt(c);
    }
    return -1;
  }

  /** Issues the calls of attempt `c`'s current step (phase 0: the step's services; phase k: the k-th call after a miss). */
  private runStep(c: number): void {
    const st = this.m.services[this.clSvc[c]].steps[this.clStep[c]];
    if (st === undefined) return this.finishAttempt(c, 200);
    const phase = this.clPhase[c];
    this.clFail[c] = 0;
    if (phase > 0) {
      this.clPending[c] = 1;
      return this.startCall(st.miss[phase - 1], -1, c, st.timeoutUs, st.policy);
    }
    const svcs = st.services;
    this.clPending[c] = svcs.length;
    for (let i = 0; i < svcs.length; i++) this.startCall(svcs[i], -1, c, st.timeoutUs, st.policy);
  }

  /** A call of attempt `c`'s current step answered. */
  private childDone(c: number, status: number): void {
    if (status >= 400 && this.clFail[c] === 0) this.clFail[c] = status;
    if (--this.clPending[c] > 0) return;
    const st = this.m.services[this.clSvc[c]].steps[this.clStep[c]];
    const phase = this.clPhase[c];
    if (phase === 0 && st.miss.length) {
      // A cache lookup: a failed lookup is a miss (cache-aside falls through to the database).
      const t = st.services[0];
      const cache = this.svcCache[t];
      const hit =
        this.clFail[c] === 0 && (cache ? cache.lookup(this.lcKey[this.clCall[c]], this.env.now) : this.rHop.uniform() < st.hitRatio!);
      if (this.measuring) (hit ? this.stats.svcHopHits : this.stats.svcHopMisses)[t]++;
      if (hit) this.clStep[c]++;
      else this.clPhase[c] = 1;
      return this.runStep(c);
    }
    if (this.clFail[c] !== 0) return this.finishAttempt(c, this.clFail[c]);
    if (phase > 0 && phase < st.miss.length) {
      this.clPhase[c]++;
      return this.runStep(c);
    }
    if (phase > 0) {
      const cache = this.svcCache[st.services[0]];
      if (cache) cache.store(this.lcKey[this.clCall[c]], this.env.now + this.m.services[st.services[0]].cacheModel!.ttlUs, 0);
    }
    this.clStep[c]++;
    this.clPhase[c] = 0;
    this.runStep(c);
  }

  /** Attempt `c` of a service with steps answers `status` now (or, on an instance killed meanwhile, 503 as of the kill). */
  private finishAttempt(c: number, status: number): void {
    const g = this.clInst[c],
      now = this.env.now;
    this.release(c, g, this.clSvc[c]);
    if (this.clEpoch[c] !== this.epoch[g]) return this.attemptDone(c, g, 503, Math.max(this.clEnq[c], Math.min(now, this.killedAt[g])));
    this.attemptDone(c, g, status, now);
  }

  /** Takes try `c` off its call's list of tries in flight and frees its slot (its timers see another generation). */
  private freeAttempt(c: number): void {
    const lc = this.clCall[c];
    if (this.lcFirst[lc] === c) this.lcFirst[lc] = this.clNext[c];
    else
      for (let x = this.lcFirst[lc]; x >= 0; x = this.clNext[x])
        if (this.clNext[x] === c) {
          this.clNext[x] = this.clNext[c];
          break;
        }
    this.clGen[c] = (this.clGen[c] + 1) & GEN_MASK;
    this.clFree.push(c);
  }

  /** Try `c` (at instance `g`, or none) ended with `status` at `doneAt`: passive health, then its call, unless given up. */
  private attemptDone(c: number, g: number, status: number, doneAt: number, why = WHY_ANSWER): void {
    const lc = this.clCall[c],
      s = this.clSvc[c];
    const abandoned = this.clAbandoned[c] === 1;
    if (!abandoned && why !== WHY_LOCAL) this.activeReq[s]--;
    this.freeAttempt(c);
    if (abandoned) return; // the caller stopped waiting: the instance's work is wasted
    if (g >= 0) {
      // Passive health sees the instance's answer, or a timeout the caller judged when the answer came.
      const late = !this.lcTimed[lc] && doneAt - this.lcStart[lc] > this.lcTimeout[lc];
      if (status >= 500 && this.measuring) this.stats.instFailures[g]++;
      const det = this.detectors[s];
      if (det && det.result(g - this.base[s], status >= 500 || late, this.env.now) && this.measuring) this.stats.svcEjections[s]++;
    }
    this.lcActive[lc]--;
    if (g >= 0 && status < 400 && !this.lcFromAttempt[lc] && this.rqGen[this.lcRoot[lc]] === this.lcRootGen[lc])
      this.rqInst[this.lcRoot[lc]] = g;
    this.tryResult(lc, status, doneAt, why);
  }

  /** Envoy's router on a try's answer: a success ends the call; a failure may be retried, waits for other tries, or ends the call. */
  private tryResult(lc: number, status: number, doneAt: number, why: number): void {
    const p = this.lcPolicy[lc];
    const s = this.lcSvc[lc];
    const th = this.throttles[s];
    if (status < 400) {
      th?.success();
      return this.finishCall(lc, status, doneAt);
    }
    if (p < 0) return this.finishCall(lc, status, doneAt);
    const would = wouldRetry(this.m.policies[p], status, why);
    if (would) th?.failure();
    if (this.shouldRetry(lc, would)) return;
    if (this.lcActive[lc] > 0 || this.lcScheduled[lc] > 0) return; // a hedge or a retry may still answer
    this.finishCall(lc, status, doneAt);
  }

  /** Envoy's `RetryStateImpl::shouldRetry`: releases the retry resource held, then takes a retry if one is left and allowed. */
  private shouldRetry(lc: number, would: boolean): boolean {
    const s = this.lcSvc[lc];
    if (this.lcHeld[lc]) {
      this.lcHeld[lc] = 0;
      this.retriesActive[s]--;
    }
    if (!would || this.lcLeft[lc] === 0) return false;
    this.lcLeft[lc]--;
    const svc = this.m.services[s];
    const bud = svc.retryBudget;
    const allowed = bud
      ? this.retriesActive[s] < retryBudgetMaxOf(bud, this.activeReq[s] + this.svcQ[s].size)
      : svc.breaker
        ? this.retriesActive[s] < svc.breaker.maxRetries
        : true;
    if (!allowed) {
      if (this.measuring) this.stats.svcRetryOverflow[s]++;
      return false;
    }
    const th = this.throttles[s];
    if (th && !th.allows) {
      if (this.measuring) this.stats.svcThrottled[s]++;
      return false;
    }
    this.lcHeld[lc] = 1;
    this.retriesActive[s]++;
    this.lcScheduled[lc]++;
    if (this.measuring) this.stats.svcRetries[s]++;
    const interval = this.lcInterval[lc];
    const p = this.m.policies[this.lcPolicy[lc]];
    this.lcInterval[lc] = nextInterval(interval, p.maxUs);
    const delay = interval > 0 ? Math.floor(this.rRetry.uniform() * interval) : 0;
    this.env.schedule(delay, this.K_RETRY, lc + this.lcGen[lc] * SLOT);
    return true;
  }

  private onRetry(lc: number, gen: number): void {
    if (this.lcGen[lc] !== gen) return; // the call ended meanwhile
    this.lcScheduled[lc]--;
    this.sendAttempt(lc);
  }

  /** A try passed its per-try timeout: given up (and maybe retried), or, when hedging, kept while another is sent. */
  private onTryTimeout(c: number, gen: number): void {
    if (this.clGen[c] !== gen || this.clAbandoned[c]) return;
    const lc = this.clCall[c],
      s = this.clSvc[c],
      g = this.clInst[c];
    const p = this.m.policies[this.lcPolicy[lc]];
    if (this.measuring) this.stats.svcTryTimeouts[s]++;
    // Envoy records a local-origin timeout against the host (a 5xx for consecutive-5xx detection).
    const det = this.detectors[s];
    if (g >= 0 && det && det.result(g - this.base[s], true, this.env.now) && this.measuring) this.stats.svcEjections[s]++;
    if (p.hedge) {
      // Hedged: always retried while retries are left (Envoy `shouldHedgeRetryPerTryTimeout`).
      if (this.shouldRetry(lc, true) && this.measuring) this.stats.svcHedges[s]++;
      return;
    }
    this.abandon(c);
    const would = wouldRetry(p, this.m.status.timeout, WHY_TIMEOUT);
    if (would) this.throttles[s]?.failure();
    if (this.shouldRetry(lc, would)) return;
    if (this.lcActive[lc] > 0 || this.lcScheduled[lc] > 0) return;
    this.finishCall(lc, this.m.status.timeout, this.env.now, true);
  }

  /** The call's own timeout (with a retry policy): it answers the timeout status now, and its tries are given up. */
  private onCallTimeout(lc: number, gen: number): void {
    if (this.lcGen[lc] !== gen) return;
    this.finishCall(lc, this.m.status.timeout, this.env.now, true);
  }

  /** The caller stops waiting for try `c`; a try still waiting in the gateway's shared queue is never sent. */
  private abandon(c: number): void {
    if (this.clAbandoned[c]) return;
    this.clAbandoned[c] = 1;
    this.lcActive[this.clCall[c]]--;
    this.activeReq[this.clSvc[c]]--;
  }

  /** Call `lc` answered: without a timer, past its timeout it answers the timeout status when the timeout struck. */
  private finishCall(lc: number, status: number, doneAt: number, timedOut = false): void {
    if (!this.lcTimed[lc]) {
      const start = this.lcStart[lc],
        timeout = this.lcTimeout[lc];
      if (doneAt - start > timeout) {
        status = this.m.status.timeout;
        doneAt = start + timeout;
        timedOut = true;
      }
    }
    if (timedOut) {
      if (this.measuring) this.stats.svcCallTimeouts[this.lcSvc[lc]]++;
      const root = this.lcRoot[lc];
      if (this.rqGen[root] === this.lcRootGen[lc]) this.rqTimedOut[root] = 1;
    }
    if (this.lcHeld[lc]) {
      this.lcHeld[lc] = 0;
      this.retriesActive[this.lcSvc[lc]]--;
    }
    // Tries still in flight are given up (a hedge that lost, or tries past the call's timeout).
    for (let x = this.lcFirst[lc]; x >= 0; x = this.clNext[x]) this.abandon(x);
    this.lcGen[lc] = (this.lcGen[lc] + 1) & GEN_MASK;
    this.lcFree.push(lc);
    const parent = this.lcParent[lc];
    if (this.lcFromAttempt[lc]) return this.childDone(parent, status);
    const slot = parent;
    if (status < 400) this.rqOk[slot]++;
    else if (this.rqFail[slot] === 0) this.rqFail[slot] = status;
    if (doneAt > this.rqMaxDone[slot]) this.rqMaxDone[slot] = doneAt;
    if (--this.rqPending[slot] > 0) return;
    this.complete(slot);
  }

  private complete(slot: number): void {
    const m = this.m;
    const route = this.rqRoute[slot];
    this.routeInFlight[route]--;
    if (this.rqTimedOut[slot] && this.measuring && this.rqArr[slot] >= m.warmupUs) this.stats.routeTimeouts[route]++;
    const r = m.routes[route];
    const arr = this.rqArr[slot];
    let status: number;
    if (r.aggregate) {
      // KrakenD: merged answer if any backend succeeded (partial when not all); none -> 500.
      status = this.rqOk[slot] === 0 ? 500 : 200;
      if (this.rqOk[slot] > 0 && this.rqFail[slot] !== 0 && this.measuring && arr >= m.warmupUs) this.stats.routePartial[route]++;
    } else status = this.rqFail[slot] || 200;
    let lat = this.rqMaxDone[slot] - arr;
    if (r.aggregate && lat > r.timeoutUs) lat = r.timeoutUs;
    lat += this.rqPre[slot];
    if (status < 400) lat += this.shapingUs[route];
    const ck = this.rqCk[slot];
    if (ck >= 0 && status === 200 && this.rqFail[slot] === 0) {
      const evicted = this.caches[route]!.store(ck, this.env.now + r.cache!.ttlUs, this.respBytes[route]);
      if (evicted > 0 && this.measuring) this.stats.routeCacheEvictions[route] += evicted;
    }
    if (this.measuring && arr >= m.warmupUs) {
      this.stats.routeUpBytes[route] += this.rqBytes[slot];
      this.stats.routeForwarded[route]++;
    }
    this.rqFree.push(slot);
    const decision = this.rqTimedOut[slot]
      ? 'timed out'
      : status >= 400
        ? 'failed upstream'
        : r.aggregate && this.rqFail[slot] !== 0
          ? 'served, partial'
          : 'served';
    this.respond(
      route,
      this.rqClient[slot],
      status,
      lat,
      arr,
      status < 400 ? this.respBytes[route] : 0,
      this.rqKey[slot],
      decision,
      this.rqInst[slot],
      this.rqTries[slot],
      this.rqSeq[slot],
    );
  }

  /** Records a finished request (route index = routes.length for no route). */
  private respond(
    route: number,
    client: number,
    status: number,
    latUs: number,
    arrival: number,
    bytes: number,
    key = -1,
    decision = '',
    instance = -1,
    tries = 0,
    seq = this.arrived - 1,
  ): void {
    if (!this.measuring || arrival < this.m.warmupUs) return;
    const st = this.stats;
    if (st.trace.length < this.traceLimit)
      st.trace.push({
        at: arrival,
        seq,
        client,
        route: route === this.m.routes.length ? -1 : route,
        key,
        status,
        latencyUs: latUs,
        decision,
        instance,
        tries,
      });
    st.requests++;
    st.latency.record(latUs);
    st.status[status]++;
    st.routeCount[route]++;
    st.routeStatus[route * 600 + status]++;
    st.routeLatency[route].record(latUs);
    st.routeRespBytes[route] += bytes;
    st.clientCount[client]++;
    const ts = st.series;
    const at = ts.slot(arrival);
    const d = ts.data;
    d[at + TS.requests]++;
    d[at + TS.latencySumMs] += latUs / 1000;
    if (status < 400) d[at + TS.ok]++;
    else if (status < 500) {
      d[at + TS.clientErrors]++;
      st.clientRejected[client]++;
    } else d[at + TS.serverErrors]++;
  }

  private onHealthCheck(s: number): void {
    const svc = this.m.services[s],
      hc = svc.healthCheck!;
    this.budget.spend(svc.n);
    for (let i = 0; i < svc.n; i++) {
      const g = this.base[s] + i;
      if (this.alive[g]) {
        this.hcFail[g] = 0;
        this.detectors[s]?.uneject(i, this.env.now); // Envoy: a passing active check returns an ejected host
        if (!this.hv[g] && ++this.hcPass[g] >= hc.healthy) this.hv[g] = 1;
      } else {
        this.hcPass[g] = 0;
        if (this.hv[g] && ++this.hcFail[g] >= hc.unhealthy) this.hv[g] = 0;
      }
    }
    if (this.env.now + hc.intervalUs < this.m.durationUs) this.env.schedule(hc.intervalUs, this.K_HC, s);
  }

  private onSweep(s: number): void {
    const o = this.m.services[s].outlier!;
    this.detectors[s]!.sweep(this.env.now);
    if (this.env.now + o.intervalUs < this.m.durationUs) this.env.schedule(o.intervalUs, this.K_SWEEP, s);
  }

  private onFault(f: number): void {
    const fault = this.m.faults[f];
    const g = this.base[fault.service] + fault.instance;
    if (fault.kill) {
      if (!this.alive[g]) return;
      this.alive[g] = 0;
      this.epoch[g]++;
      this.killedAt[g] = this.env.now;
      // Queued calls at the dead instance fail now; calls in service fail as of the kill time.
      const q = this.instQ[g];
      while (q.size > 0) {
        const c = q.shift();
        this.active[g]--;
        this.setInSys(fault.service, this.inSys[fault.service] - 1);
        this.attemptDone(c, g, 503, this.env.now);
      }
    } else {
      this.alive[g] = 1;
      // A restored instance of a shared-queue service takes waiting calls at once.
      const svc = this.m.services[fault.service];
      const q = this.svcQ[fault.service];
      while (svc.shared && q.size > 0 && this.busy[g] < svc.concurrency) {
        const next = this.nextShared(fault.service);
        if (next < 0) break;
        this.active[g]++;
        this.startService(next, g);
      }
    }
  }
}
