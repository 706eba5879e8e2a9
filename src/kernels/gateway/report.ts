// Turns replications' statistics into the cell's report: summary, tables, charts and a topology diagram.
import { Block, Level, Report, Verdict, fold, spread, worstLevel } from '../report';
import { RunOutcome, describeStop } from '../sim/environment';
import { ConfidenceInterval, figureText, formatCI, meanCI95, significant } from '../sim/ci';
import { erlangC, md1, mmcQueueLength, mmcStateProbability, mmcWaitQuantile } from '../sim/queueing';
import { erlangCWait } from '../sim/capacity';
import { GatewayModel, DIST, DEFAULT_TIMEOUT_US, ratePieces } from './config';
import { HopLoad, hopLoads, meanWorkUs, saturationOrder } from './callgraph';
import { lifecycleHeaders } from './lifecycle';
import { GatewayStats, LEVELS, TS } from './simulator';
import { mermaidLabelText } from '../mermaid';

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Adds `b` into `a` (same model). */
export function mergeStats(a: GatewayStats, b: GatewayStats): void {
  const add = (x: Float64Array, y: Float64Array) => {
    for (let i = 0; i < x.length; i++) x[i] += y[i];
  };
  a.latency.merge(b.latency);
  add(a.status, b.status);
  add(a.routeCount, b.routeCount);
  add(a.routeStatus, b.routeStatus);
  a.routeLatency.forEach((h, i) => h.merge(b.routeLatency[i]));
  add(a.routeCacheHits, b.routeCacheHits);
  add(a.routeCacheMisses, b.routeCacheMisses);
  add(a.routeCacheEvictions, b.routeCacheEvictions);
  add(a.routeLimited, b.routeLimited);
  add(a.routePartial, b.routePartial);
  add(a.routeUpBytes, b.routeUpBytes);
  add(a.routeForwarded, b.routeForwarded);
  add(a.routeRespBytes, b.routeRespBytes);
  add(a.clientCount, b.clientCount);
  add(a.clientRejected, b.clientRejected);
  add(a.clientLimited, b.clientLimited);
  add(a.deprecatedCalls, b.deprecatedCalls);
  add(a.goneCalls, b.goneCalls);
  add(a.instCalls, b.instCalls);
  add(a.instFailures, b.instFailures);
  a.instBusy = a.instBusy.map((x, i) => x + b.instBusy[i]);
  add(a.svcCalls, b.svcCalls);
  add(a.svcWaitSum, b.svcWaitSum);
  add(a.svcSojournSum, b.svcSojournSum);
  add(a.svcRejected, b.svcRejected);
  add(a.svcArrivals, b.svcArrivals);
  add(a.svcHopHits, b.svcHopHits);
  add(a.svcHopMisses, b.svcHopMisses);
  add(a.svcRetries, b.svcRetries);
  add(a.svcHedges, b.svcHedges);
  add(a.svcRetryOverflow, b.svcRetryOverflow);
  add(a.svcThrottled, b.svcThrottled);
  add(a.svcTryTimeouts, b.svcTryTimeouts);
  add(a.svcCallTimeouts, b.svcCallTimeouts);
  add(a.svcBreakerOpen, b.svcBreakerOpen);
  add(a.svcEjections, b.svcEjections);
  add(a.routeShed, b.routeShed);
  add(a.routeTimeouts, b.routeTimeouts);
  a.svcWait.forEach((h, i) => h.merge(b.svcWait[i]));
  add(a.svcLevelTime, b.svcLevelTime);
  add(a.instEffWeight, b.instEffWeight);
  add(a.svcPicks, b.svcPicks);
  if (a.trace.length === 0) a.trace = b.trace;
  a.svcL = a.svcL.map((x, i) => x + b.svcL[i]);
  a.series.merge(b.series);
  a.retryAfterSum += b.retryAfterSum;
  a.windowUs += b.windowUs;
  a.offeredUs += b.offeredUs;
  a.requests += b.requests;
}

/** Per-replication figures that get a confidence interval. */
export interface RepSummary {
  throughput: number;
  meanMs: number;
  p99Ms: number;
  errorPct: number;
  hitPct: number;
  /** Requests measured in the replication. */
  requests: number;
  /** The percentiles asked for (`summarise`'s list), ms. */
  percentilesMs: number[];
  /** Share of requests a timeout struck, %. */
  timedOutPct: number;
  /** Per service: mean wait and response time (ms), time-average number at the service and waiting, P(wait), utilisation. */
  wqMs: number[];
  wMs: number[];
  L: number[];
  lq: number[];
  pWait: number[];
  busy: number[];
}

/** One replication's figures (each gets a 95% interval over the replications). `percentiles`: those to read, besides p99. */
export function summarise(s: GatewayStats, percentiles: readonly number[] = []): RepSummary {
  const errors = s.status.reduce((a, c, code) => a + (code >= 500 ? c : 0), 0);
  const hits = s.routeCacheHits.reduce((a, b) => a + b, 0),
    misses = s.routeCacheMisses.reduce((a, b) => a + b, 0);
  const S = s.svcCalls.length;
  const busyServers = new Float64Array(S);
  s.instBusy.forEach((b, g) => (busyServers[s.instService[g]] += b));
  const per = (f: (k: number) => number) => Array.from({ length: S }, (_, k) => f(k));
  return {
    throughput: s.offeredUs > 0 ? s.requests / (s.offeredUs / 1e6) : 0,
    meanMs: s.latency.mean / 1000,
    p99Ms: s.latency.percentile(99) / 1000,
    errorPct: s.requests ? (100 * errors) / s.requests : 0,
    hitPct: hits + misses ? (100 * hits) / (hits + misses) : NaN,
    requests: s.requests,
    percentilesMs: percentiles.map((p) => s.latency.percentile(p) / 1000),
    timedOutPct: s.requests ? (100 * s.routeTimeouts.reduce((a, b) => a + b, 0)) / s.requests : 0,
    wqMs: per((k) => (s.svcCalls[k] ? s.svcWaitSum[k] / s.svcCalls[k] / 1000 : NaN)),
    wMs: per((k) => (s.svcCalls[k] ? s.svcSojournSum[k] / s.svcCalls[k] / 1000 : NaN)),
    L: per((k) => s.svcL[k]),
    lq: per((k) => Math.max(0, s.svcL[k] - busyServers[k])),
    pWait: per((k) => s.svcWait[k].fractionAbove(0)),
    busy: per((k) => busyServers[k] / s.svcServers[k]),
  };
}

/** Per-service queueing figures over the measured window; `reps` replications were merged. */
export function serviceFigures(m: GatewayModel, s: GatewayStats, reps: number) {
  return m.services.map((svc, k) => {
    const calls = s.svcCalls[k];
    const windowS = s.windowUs / 1e6; // summed over replications
    const lambda = windowS > 0 ? calls / windowS : 0;
    const wq = calls ? s.svcWaitSum[k] / calls / 1e6 : NaN;
    const w = calls ? s.svcSojournSum[k] / calls / 1e6 : NaN;
    const L = s.svcL[k] / reps;
    return { name: svc.name, calls, lambda, wq, w, L, littleLambdaW: calls ? lambda * w : 0 }; // no calls: λ = 0, and W undefined
  });
}

/** Hit ratio of service `s`'s step `k`: the step's `hit_ratio`, or what its modelled cache measured (0 before any lookup). */
export function hitRatioOf(m: GatewayModel, total?: GatewayStats): (s: number, k: number) => number {
  return (s, k) => {
    const st = m.services[s].steps[k];
    const cache = st.services[0];
    if (!m.services[cache].cacheModel) return st.hitRatio ?? 0;
    const h = total?.svcHopHits[cache] ?? 0,
      x = total?.svcHopMisses[cache] ?? 0;
    return h + x > 0 ? h / (h + x) : 0;
  };
}

/**
 * Per-hop load (calls per request, offered calls/s, capacity, ρ and the request rate at which each hop
 * saturates) after a run of `reps` replications: a service that waits on calls holds its server for
 * its own work and those calls, as measured (W − Wq); one without calls for its own work.
 */
export function hopFigures(m: GatewayModel, total: GatewayStats, reps: number): HopLoad[] {
  const f = serviceFigures(m, total, reps);
  return hopLoads(m, hitRatioOf(m, total), (s) =>
    m.services[s].steps.length && f[s].calls ? (f[s].w - f[s].wq) * 1e6 : meanWorkUs(m.services[s], DIST.uniform),
  );
}

const sig = (x: number, digits: number) => (Number.isFinite(x) ? significant(x, digits) : '–');
const ms = (us: number) => sig(us / 1000, 3);
/** A number as it is, to six significant digits without trailing zeros: `250`, `0.2`, `1,000`. */
const exact = (x: number) => (Number.isFinite(x) ? (+x.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 }) : '–');
/** A duration as written in a cell: `150 ms`, `15 s`. */
const duration = (us: number) => (us >= 1e6 ? `${+(us / 1e6).toPrecision(6)} s` : `${+(us / 1000).toPrecision(6)} ms`);
const pct = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)}%` : '–');
const int = (x: number) => Math.round(x).toLocaleString('en-US');
/** A fraction as a percentage: 0% and 100% exactly, small shares to two significant digits. */
const share = (f: number) =>
  !Number.isFinite(f) ? '–' : f === 0 ? '0%' : f === 1 ? '100%' : f < 0.001 ? `${significant(100 * f, 2)}%` : `${(100 * f).toFixed(1)}%`;

function ci(all: number[], digits = 3): string {
  const values = all.filter(Number.isFinite);
  const c: ConfidenceInterval = meanCI95(values);
  if (values.length > 0 && values.every((v) => v === 0)) return '0';
  return values.length > 1 ? formatCI(c, digits) : Number.isFinite(c.mean) ? significant(c.mean, digits) : '–';
}

/**
 * Every figure with an interval at full precision, for `--json` and anyone who reads the numbers: the
 * mean over replications, the half-width of its 95% Student-t interval, the interval's ends and each
 * replication's value, to 6 significant digits or as many as the interval needs (figureText).
 */
function figureTable(m: GatewayModel, reps: RepSummary[]): Block {
  const rows: (string | number)[][] = [];
  const add = (name: string, values: number[]) => {
    const xs = values.filter(Number.isFinite);
    if (!xs.length) return;
    const c = meanCI95(xs);
    const f = (x: number) => figureText(x, c.halfWidth);
    rows.push([name, f(c.mean), figureText(c.halfWidth), f(c.lo), f(c.hi), xs.map(f).join(' ')]);
  };
  add(
    'offered load (req/s)',
    reps.map((r) => r.throughput),
  );
  add(
    'mean latency (ms)',
    reps.map((r) => r.meanMs),
  );
  add(
    'p99 latency (ms)',
    reps.map((r) => r.p99Ms),
  );
  m.percentiles.forEach((p, i) => {
    if (p !== 99)
      add(
        `p${p} latency (ms)`,
        reps.map((r) => r.percentilesMs[i]),
      );
  });
  add(
    '5xx (%)',
    reps.map((r) => r.errorPct),
  );
  add(
    'timed out (%)',
    reps.map((r) => r.timedOutPct),
  );
  add(
    'cache hit ratio (%)',
    reps.map((r) => r.hitPct),
  );
  m.services.forEach((s, k) => {
    add(
      `${s.name}: Wq (ms)`,
      reps.map((r) => r.wqMs[k]),
    );
    add(
      `${s.name}: W (ms)`,
      reps.map((r) => r.wMs[k]),
    );
    add(
      `${s.name}: L`,
      reps.map((r) => r.L[k]),
    );
    add(
      `${s.name}: Lq`,
      reps.map((r) => r.lq[k]),
    );
    add(
      `${s.name}: P(wait)`,
      reps.map((r) => r.pWait[k]),
    );
    add(
      `${s.name}: utilisation`,
      reps.map((r) => r.busy[k]),
    );
  });
  return {
    type: 'table',
    title: 'Figures at full precision',
    columns: ['Figure', 'Mean', '± 95%', 'Low', 'High', 'Replications'],
    align: ['l', 'r', 'r', 'r', 'r', 'l'],
    rows,
    note: "The mean over replications, the half-width of its 95% Student-t interval and the interval's ends, then each replication's value: 6 significant digits, or more where the interval is narrow (rounding stays under a hundredth of its half-width).",
  };
}

interface Finding {
  level: Level;
  /** The verdict line when this is the worst finding. */
  headline: string;
  text: string;
}

// Measured utilisation from which a service counts as near capacity.
const BUSY = 0.8;
/** Measured busy share past which a service is saturated, whatever shields it. */
const SATURATED = 0.98;
// Calls that must pile up beyond capacity before a rate above it counts as an overload rather than a burst.
const PILE = 10;

/**
 * The request rate over the run as pieces: the rate's steps and spike, a daily cycle in 48 slices a
 * period (at each slice's middle), or a trace's mean over the run.
 */
function rateProfile(m: GatewayModel): { startUs: number; endUs: number; rate: number }[] {
  if (m.arrivals) return [{ startUs: 0, endUs: m.durationUs, rate: m.rate }];
  const pieces = ratePieces(m)
    .filter((p) => p.startUs < m.durationUs)
    .map((p) => ({ ...p, endUs: Math.min(p.endUs, m.durationUs) }));
  const d = m.diurnal;
  if (!d) return pieces;
  const out: { startUs: number; endUs: number; rate: number }[] = [];
  const slice = d.periodUs / 48;
  for (const p of pieces) {
    for (let a = p.startUs; a < p.endUs && out.length < 100_000; a += slice) {
      const b = Math.min(p.endUs, a + slice);
      out.push({
        startUs: a,
        endUs: b,
        rate: p.rate * (1 + d.amplitude * Math.cos((2 * Math.PI * ((a + b) / 2 - d.peakUs)) / d.periodUs)),
      });
    }
  }
  return out;
}

export function buildReport(
  m: GatewayModel,
  total: GatewayStats,
  reps: RepSummary[],
  outcomes: RunOutcome[],
  seed: number,
  requestedReps: number,
): Report {
  const findings: Finding[] = [];
  const notices: Block[] = [];
  const last = outcomes[outcomes.length - 1];
  if (last?.stoppedEarly || outcomes.length < requestedReps) {
    const text = `The simulation ${describeStop(last)} after ${outcomes.length} of ${requestedReps} replications; figures cover what ran.`;
    notices.push({ type: 'notice', level: 'warning', text });
    findings.push({ level: 'marginal', headline: `incomplete: ${outcomes.length} of ${requestedReps} replications ran`, text });
  }
  const R = m.routes.length;
  const reps1 = outcomes.length || 1;
  const N = total.requests;

  // Offered load per service through the call graph (capacity check before the numbers), and measured utilisation.
  const figures = serviceFigures(m, total, outcomes.length);
  const own = hopLoads(m, hitRatioOf(m, total), (s) => meanWorkUs(m.services[s], DIST.uniform));
  const serviceRate = own.map((h) => h.offered);
  const capacity = own.map((h) => h.capacity);
  const firstInstance: number[] = [];
  m.services.reduce((g, s, k) => ((firstInstance[k] = g), g + s.n), 0);
  const instUtil = (k: number, i: number) => total.instBusy[firstInstance[k] + i] / reps1 / m.services[k].concurrency;
  const busy = m.services.map((s, k) => Array.from({ length: s.n }, (_, i) => instUtil(k, i)).reduce((a, b) => a + b, 0) / s.n);

  // Status classes over every measured request (all replications pooled).
  const byStatus = (lo: number, hi: number) => {
    let c = 0;
    for (let code = lo; code < hi; code++) c += total.status[code];
    return c;
  };
  const ok = byStatus(200, 400),
    c4 = byStatus(400, 500),
    c5 = byStatus(500, 600);
  const codeText = (code: number) => `${code}${STATUS_TEXT[code] ? ` ${STATUS_TEXT[code]}` : ''}`;
  const notOk = N ? (N - ok) / N : 0;
  if (N === 0)
    findings.push({
      level: 'fail',
      headline: 'no requests measured',
      text: 'No request was measured: check traffic.duration and traffic.warmup.',
    });
  else if (notOk > 0.05 || c5 / N > 0.001) {
    // The verdict names the status behind the finding: the commonest error, or the commonest 5xx when 5xx decide.
    const mostlyFailing = notOk > 0.5;
    const level: Level = mostlyFailing || c5 / N > 0.01 ? 'fail' : 'marginal';
    const code = mostlyFailing || notOk > 0.05 ? argmaxCode(total.status, 400, 600) : argmaxCode(total.status, 500, 600);
    const limited = code === 429 || code === 503;
    const what =
      level === 'fail'
        ? mostlyFailing && limited
          ? 'overloaded'
          : code >= 500
            ? 'failing'
            : 'rejecting'
        : code === 429
          ? 'rate limited'
          : code === 503
            ? 'shedding load'
            : code >= 500
              ? 'errors'
              : 'some requests rejected';
    const most = `${share(total.status[code] / N)} of requests answered ${codeText(code)}`;
    findings.push({
      level,
      headline: `${what}: ${most}`,
      text: `${most}; ${share(notOk)} answered 4xx or 5xx in all (${share(c4 / N)} 4xx, ${share(c5 / N)} 5xx).`,
    });
  }
  // Overload: a rate above capacity for long enough that calls pile up (no steady state), or a burst
  // that only queues a few calls, which then drain.
  const profile = rateProfile(m);
  const shaped = !!m.arrivals || !!m.diurnal || profile.length > 1;
  m.services.forEach((s, k) => {
    const rho = serviceRate[k] / capacity[k];
    const perRequest = own[k].callsPerRequest;
    let pile = 0,
      peak = 0,
      from = Infinity,
      to = 0;
    for (const p of profile) {
      const offered = p.rate * perRequest;
      if (offered / capacity[k] > peak) peak = offered / capacity[k];
      if (offered >= capacity[k] && offered > 0) {
        pile += ((offered - capacity[k]) * (p.endUs - p.startUs)) / 1e6;
        from = Math.min(from, p.startUs);
        to = Math.max(to, p.endUs);
      }
    }
    if (peak >= 1 && pile < PILE) {
      notices.push({
        type: 'notice',
        level: 'info',
        text: `A burst, not an overload: ${s.name} is offered ρ = ${significant(peak, 3)}${shaped ? ' at its peak' : ''}, but only about ${significant(pile, 2)} calls arrive beyond what it serves in that time; they wait and drain.`,
      });
    } else if (peak >= 1 && !shaped && busy[k] < BUSY && m.routes.some((r) => r.services.includes(k) && (r.cache || r.rateLimit))) {
      // Offered more than it serves, yet measured well below capacity: the gateway's cache or limits
      // took the difference. Worth knowing (lose the cache and it overloads), not a problem.
      notices.push({
        type: 'notice',
        level: 'info',
        text: `${s.name} would be offered ρ = ${significant(peak, 3)} (${int(peak * capacity[k])} calls/s against a capacity of ${int(capacity[k])}), but the gateway's caching and limits take enough off that it is ${pct(100 * busy[k])} busy: without them it would overload.`,
      });
    } else if (peak >= 1 && !shaped && busy[k] < SATURATED && m.routes.some((r) => r.services.includes(k) && (r.cache || r.rateLimit))) {
      // The same, but busy enough that its queues grow fast: near capacity, not in overload.
      findings.push({
        level: 'marginal',
        headline: `near capacity: ${s.name} ${pct(100 * busy[k])} busy`,
        text: `${s.name} is ${pct(100 * busy[k])} busy: queues and tail latency grow fast from here. The gateway's caching and limits keep it there; without them it would be offered ρ = ${significant(peak, 3)} (${int(peak * capacity[k])} calls/s against a capacity of ${int(capacity[k])}).`,
      });
    } else if (peak >= 1 && !shaped) {
      const level: Level = busy[k] >= BUSY ? 'fail' : 'marginal';
      findings.push({
        level,
        headline: `overloaded: ${s.name} offered ρ = ${rho.toFixed(2)}`,
        text: `${s.name} is offered up to ${int(serviceRate[k])} req/s against a capacity of ${int(capacity[k])} req/s (ρ = ${rho.toFixed(2)} ≥ 1): no steady state; queues grow with the run length (before caching and limits). Measured: ${pct(100 * busy[k])} busy.`,
      });
    } else if (peak >= 1) {
      const level: Level = busy[k] >= BUSY ? 'fail' : 'marginal';
      findings.push({
        level,
        headline: `overloaded: ${s.name} offered ρ = ${peak.toFixed(2)} at its peak`,
        text: `${s.name} is offered up to ${int(peak * capacity[k])} calls/s between ${duration(from)} and ${duration(Math.min(to, m.durationUs))} against a capacity of ${int(capacity[k])} calls/s (ρ = ${peak.toFixed(2)} ≥ 1): about ${int(pile)} calls pile up there, to drain when the rate falls (before caching and limits). Measured: ${pct(100 * busy[k])} busy.`,
      });
    } else if (busy[k] >= BUSY) {
      findings.push({
        level: 'marginal',
        headline: `near capacity: ${s.name} ${pct(100 * busy[k])} busy`,
        text: `${s.name} is ${pct(100 * busy[k])} busy (ρ offered ${rho.toFixed(2)}): queues and tail latency grow fast from here.`,
      });
    }
  });
  // Timeouts that shape the figures: their requests are cut at the timeout and answer its status.
  const timedOut = total.routeTimeouts.reduce((a, b) => a + b, 0);
  const timeoutText = (r: (typeof m.routes)[number]) => {
    const perTryUs = r.policy >= 0 ? m.policies[r.policy].perTryUs : Infinity;
    return `${duration(r.timeoutUs)}${r.timeoutUs === DEFAULT_TIMEOUT_US ? ', the default' : ''}${perTryUs < Infinity ? `; per try ${duration(perTryUs)}` : ''}`;
  };
  if (timedOut > 0) {
    const struck = m.routes.map((r, i) => ({ r, n: total.routeTimeouts[i], of: total.routeCount[i] })).filter((x) => x.n > 0);
    const parts = struck.map(({ r, n, of }) => `${share(n / of)} of ${r.name} (timeout ${timeoutText(r)})`).join(', ');
    findings.push({
      level: 'marginal',
      headline: `timeouts shape the result: ${share(timedOut / N)} of requests cut at a timeout`,
      text: `A timeout struck ${int(timedOut)} requests: ${parts}. They are answered at the timeout (${codeText(m.status.timeout)}${struck.some(({ r }) => r.aggregate) ? ', or a partial 200 from an aggregate another backend answered' : ''}), so latency above it is not seen and the percentiles near it are the timeout itself; the work behind them still ran. Raise the timeout to see the real latency, or keep it and size the service so few calls reach it.`,
    });
  }
  // Retries that multiply a service's load (a retry storm).
  m.services.forEach((s, k) => {
    const sent = total.svcArrivals[k],
      retries = total.svcRetries[k];
    const first = sent - retries;
    if (retries === 0 || first <= 0) return;
    const amp = sent / first;
    if (amp < 1.5) return;
    const level: Level = busy[k] >= BUSY ? 'fail' : 'marginal';
    const fix = s.retryBudget ? 'Lower `budget_percent`' : 'Give the service a `retry_budget` (Envoy) or `retry_throttling` (gRPC)';
    // First: the storm explains the errors and the load the other findings report.
    findings.unshift({
      level,
      headline: `retry storm: ${s.name} gets ${amp.toFixed(2)} tries per call`,
      text: `${s.name} is sent ${amp.toFixed(2)} tries per call (${int(retries)} retries for ${int(first)} first tries), ${pct(100 * busy[k])} busy: retries of slow or failed tries add load to the service that is already too slow. ${fix}, or a per-try timeout above its latency.`,
    });
  });
  const level = worstLevel(findings.map((f) => f.level));
  const busiest = busy.reduce((b, u, k) => (u > busy[b] ? k : b), 0);
  const verdict: Verdict = {
    level,
    text:
      level === 'pass'
        ? `stable: ${m.services.length && busy[busiest] >= BUSY ? 'a burst that drains' : `every service below ${BUSY * 100}% busy`}${m.services.length ? ` (busiest: ${m.services[busiest].name}, ${pct(100 * busy[busiest])})` : ''}; ${share(N ? ok / N : 0)} of requests answered 2xx/3xx`
        : findings.find((f) => f.level === level)!.headline,
    items: findings.map((f) => ({ level: f.level, text: f.text })),
  };

  const q = (p: number) => ms(total.latency.percentile(p));
  const pLabel = m.percentiles.map((p) => `p${p}`).join(' / ');
  const hasCache = Number.isFinite(reps[0]?.hitPct);
  // Answers per second of the traffic's duration; a trace's arrivals span no set duration (a burst at
  // t = 0 arrives in no time at all), so its answers count over the measured window: the arrivals,
  // then the drain to the last answer.
  const answeredS = (m.arrivals ? total.windowUs : total.offeredUs) / 1e6;
  const headline: Block = {
    type: 'headline',
    verdict,
    items: [
      m.arrivals
        ? {
            label: 'Arrivals (a trace)',
            value: int(m.arrivals.length),
            hint: `the trace's arrivals in each of ${outcomes.length} replication(s), seed ${seed}; ${int(N)} requests measured`,
          }
        : {
            label: 'Offered load (req/s)',
            value: ci(reps.map((r) => r.throughput)),
            hint: `requests arriving per second: mean ± 95% t-CI over ${outcomes.length} replication(s), seed ${seed}; ${int(N)} requests measured`,
          },
      {
        label: `Answered 2xx/3xx${answeredS > 0 ? ` (${significant(ok / answeredS, 3)} req/s)` : ''}`,
        value: share(N ? ok / N : 0),
        hint: `${int(ok)} of ${int(N)} requests${m.arrivals && answeredS > 0 ? `; per second of the measured window (${duration(total.windowUs / outcomes.length)} per replication: the trace's arrivals, then the drain to the last answer)` : ''}`,
        level: notOk > 0.5 ? 'fail' : notOk > 0.05 ? 'marginal' : undefined,
      },
      {
        label: 'Rejected 4xx',
        value: share(N ? c4 / N : 0),
        hint: `${int(c4)} requests${c4 ? `; most often ${codeText(argmaxCode(total.status, 400, 500))}` : ''}`,
        level: N && c4 / N > 0.5 ? 'fail' : N && c4 / N > 0.05 ? 'marginal' : undefined,
      },
      {
        label: 'Failed 5xx',
        value: share(N ? c5 / N : 0),
        hint: `${int(c5)} requests`,
        level: N && c5 / N > 0.01 ? 'fail' : N && c5 / N > 0.001 ? 'marginal' : undefined,
      },
      {
        label: `Latency ${pLabel} (ms)`,
        value: m.percentiles.map(q).join(' / '),
        hint: `every response, all replications pooled; nearest rank, ±0.4% (log histogram)${timedOut > 0 && total.latency.percentile(99) >= Math.min(...m.routes.map((r) => r.timeoutUs)) ? '; p99 is at a timeout: latency is cut there' : ''}`,
      },
      {
        label: 'Timed out',
        value: share(N ? timedOut / N : 0),
        hint: `${int(timedOut)} requests a timeout struck, answered ${codeText(m.status.timeout)}; route timeouts: ${[...new Set(m.routes.map(timeoutText))].join(', ')}`,
        level: N && timedOut / N > 0.01 ? 'fail' : timedOut > 0 ? 'marginal' : undefined,
      },
      ...(hasCache
        ? [
            {
              label: 'Cache hit ratio',
              value: `${significant((total.routeCacheHits.reduce((a, b) => a + b, 0) / Math.max(1, total.routeCacheHits.reduce((a, b) => a + b, 0) + total.routeCacheMisses.reduce((a, b) => a + b, 0))) * 100, 3)}%`,
              hint: 'all replications pooled',
            },
          ]
        : []),
    ],
  };

  const summary: Block = {
    type: 'metrics',
    title: 'Summary',
    items: [
      { label: 'Requests measured', value: int(N), hint: `${outcomes.length} replication(s), seed ${seed}` },
      { label: 'Offered load (req/s)', value: ci(reps.map((r) => r.throughput)), hint: 'mean ± 95% t-CI over replications' },
      { label: 'Mean latency (ms)', value: ci(reps.map((r) => r.meanMs)), hint: 'mean ± 95% t-CI over replications' },
      {
        label: "p99 latency, replications' mean (ms)",
        value: ci(reps.map((r) => r.p99Ms)),
        hint: "each replication's p99, mean ± 95% t-CI; the headline's p99 pools every request",
      },
      {
        label: 'p50 / p90 / p99 / p99.9, pooled (ms)',
        value: `${q(50)} / ${q(90)} / ${q(99)} / ${q(99.9)}`,
        hint: 'all replications pooled; nearest rank, ±0.4% (log histogram)',
      },
      { label: '5xx (%), replications’ mean', value: ci(reps.map((r) => r.errorPct)), hint: 'mean ± 95% t-CI over replications' },
      ...(total.routeLimited.some((x) => x > 0)
        ? [
            {
              label: 'Mean Retry-After (s)',
              value: (total.retryAfterSum / total.routeLimited.reduce((a, b) => a + b, 0)).toFixed(2),
              hint: 'time to the next token, rounded up to whole seconds',
            },
          ]
        : []),
      ...(hasCache ? [{ label: 'Cache hit ratio (%), replications’ mean', value: ci(reps.map((r) => r.hitPct)) }] : []),
    ],
  };

  const routeName = (i: number) => (i === R ? '(no route)' : m.routes[i].name);
  // An Evictions column only when some route's cache has a capacity.
  const bounded = m.routes.some((r) => r.cache && (r.cache.maxEntries < Infinity || r.cache.maxBytes < Infinity));
  // A Shed column only when some route has a bulkhead.
  const bulkheads = m.routes.some((r) => r.maxInFlight < Infinity);
  const rows: (string | number)[][] = [];
  for (let i = 0; i <= R; i++) {
    const n = total.routeCount[i];
    if (n === 0 && i === R) continue;
    const by = (lo: number, hi: number) => {
      let c = 0;
      for (let code = lo; code < hi; code++) c += total.routeStatus[i * 600 + code];
      return c;
    };
    const h = total.routeLatency[i];
    const hits = total.routeCacheHits[i],
      miss = total.routeCacheMisses[i];
    const r = i < R ? m.routes[i] : undefined;
    const fwd = total.routeForwarded[i];
    const shapingUs =
      r && r.responseFactor !== 1 ? r.services.reduce((a, k) => a + m.services[k].responseSize, 0) / m.shapingBytesPerUs : 0;
    rows.push([
      routeName(i),
      int(n),
      pct((100 * n) / Math.max(1, N)),
      int(by(200, 400)),
      int(by(400, 500)),
      int(by(500, 600)),
      ms(h.mean),
      ms(h.percentile(99)),
      hits + miss ? pct((100 * hits) / (hits + miss)) : '–',
      ...(bounded
        ? [r?.cache && (r.cache.maxEntries < Infinity || r.cache.maxBytes < Infinity) ? int(total.routeCacheEvictions[i]) : '–']
        : []),
      ...(bulkheads ? [r && r.maxInFlight < Infinity ? int(total.routeShed[i]) : '–'] : []),
      int(total.routeLimited[i]),
      r?.aggregate ? int(total.routePartial[i]) : '–',
      fwd > 0 ? int(total.routeUpBytes[i] / fwd) : '–',
      n ? int(total.routeRespBytes[i] / Math.max(1, by(200, 400))) : '–',
      r ? ms(r.transformUs + shapingUs) : '–',
    ]);
  }
  const routeBlocks: Block[] = [
    {
      type: 'table',
      title: 'Routes',
      columns: [
        'Route',
        'Requests',
        'Share',
        '2xx/3xx',
        '4xx',
        '5xx',
        'Mean ms',
        'p99 ms',
        'Cache hits',
        ...(bounded ? ['Evictions'] : []),
        ...(bulkheads ? ['Shed'] : []),
        'Limited',
        'Partial',
        'Upstream req B',
        'Response B',
        'Transform ms',
      ],
      align: [
        'l',
        'r',
        'r',
        'r',
        'r',
        'r',
        'r',
        'r',
        'r',
        ...(bounded ? ['r' as const] : []),
        ...(bulkheads ? ['r' as const] : []),
        'r',
        'r',
        'r',
        'r',
        'r',
      ],
      rows,
      note: `Partial = aggregated responses where some backend failed or timed out (X-KrakenD-Completed: false). Upstream req B = mean request size after header add/remove.${bounded ? ' Evictions = least recently used entries dropped to keep a cache within max_entries / max_size.' : ''}${bulkheads ? ' Shed = requests answered 503 at once because the route already had max_in_flight in flight (a bulkhead).' : ''}`,
    },
    {
      type: 'table',
      title: 'What clients see (headers by route)',
      columns: ['Route', 'Headers'],
      align: ['l', 'l'],
      rows: m.routes.map((r, i) => [r.name, routeHeaders(m, i).join('; ') || '–']),
    },
  ];
  for (const r of m.routes.filter((x) => x.aggregate)) {
    const ps = r.services.map((k) => m.services[k].slowP);
    if (ps.some((p) => p > 0)) {
      const slow = 1 - ps.reduce((a, p) => a * (1 - p), 1);
      routeBlocks.push({
        type: 'notice',
        level: 'info',
        text: `Fan-out on ${r.name}: ${r.services.length} backends called in parallel; with their slow probabilities a request waits for at least one slow backend with probability 1 − Π(1 − pᵢ) = ${(100 * slow).toFixed(1)}% (the tail at scale), capped by the ${ms(r.timeoutUs)} ms timeout as a partial answer.`,
      });
    }
  }
  const deprecated = m.routes.map((r, i) => ({ r, i })).filter(({ r }) => r.deprecated !== undefined || r.sunset !== undefined);
  if (deprecated.length) {
    routeBlocks.push({
      type: 'table',
      title: 'Deprecated routes (who still calls them)',
      columns: ['Route', 'Deprecation', 'Sunset', 'Callers (calls, whole run)'],
      align: ['l', 'l', 'l', 'l'],
      rows: deprecated.map(({ r, i }) => {
        const h = lifecycleHeaders(r.deprecated, r.sunset, r.link);
        const callers = m.clients
          .map((c, ci) => [c.name, total.deprecatedCalls[ci * (R + 1) + i]] as const)
          .filter(([, n]) => n > 0)
          .map(([n, k]) => `${n} (${int(k)})`);
        return [r.name, h.Deprecation ?? '–', h.Sunset ?? '–', callers.join(', ') || 'none'];
      }),
      note: 'Headers sent on every response of the route: Deprecation (RFC 9745), Sunset (RFC 8594). Calls at or after the sunset get 410 Gone.',
    });
  }

  const statusRows: (string | number)[][] = [];
  const codes: number[] = [];
  total.status.forEach((c, code) => {
    if (c > 0) {
      codes.push(code);
      statusRows.push([code, STATUS_TEXT[code] ?? '', int(c), pct((100 * c) / N)]);
    }
  });
  const statusDigest = codes
    .sort((a, b) => total.status[b] - total.status[a])
    .slice(0, 3)
    .map((c) => `${c} ${share(total.status[c] / N)}`)
    .join(', ');

  const serviceBlocks: Block[] = [
    {
      type: 'table',
      title: "Services (queueing; Little's law L = λW)",
      columns: ['Service', 'Calls', 'ρ offered', 'Busy', 'Wq ms', 'W ms', 'Theory W ms', 'L (time avg)', 'λW', 'Rejected'],
      align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows: figures.map((f, k) => {
        const s = m.services[k];
        const c = s.shared || s.n === 1 ? s.n * s.concurrency : 0;
        const mu = 1e6 / s.meanUs;
        const theory =
          c && s.slowP === 0
            ? s.dist === DIST.exponential
              ? erlangC(serviceRate[k], mu, c)
              : s.dist === DIST.constant && c === 1
                ? md1(serviceRate[k], mu)
                : undefined
            : undefined;
        return [
          f.name,
          int(f.calls),
          (serviceRate[k] / capacity[k]).toFixed(3),
          pct(100 * busy[k]),
          ci(reps.map((r) => r.wqMs[k])),
          ci(reps.map((r) => r.wMs[k])),
          theory ? ms(theory.w * 1e6) : '–',
          ci(
            reps.map((r) => r.L[k]),
            4,
          ),
          sig(f.littleLambdaW, 4),
          int(total.svcRejected[k]),
        ];
      }),
      note: "ρ offered: the request mix through the call graph, before caching and limits, against the capacity of the service's own work (a service that waits on calls holds its server longer: see Busy and Per-hop load). Busy: measured utilisation (busy time / concurrency, mean over instances). Theory: Erlang C (M/M/c) or Pollaczek–Khinchine (M/D/1) at the offered rate, where the service is one queue. L is the time-average number at the service; λ counts completed calls over the measured window. Wq, W and L are the mean over replications ± the 95% Student-t interval.",
    },
  ];
  const resilient = m.services
    .map((s, k) => ({ s, k }))
    .filter(
      ({ s, k }) =>
        s.outlier ||
        s.breaker ||
        s.retryBudget ||
        s.throttle ||
        total.svcRetries[k] ||
        total.svcTryTimeouts[k] ||
        total.svcCallTimeouts[k] ||
        total.svcBreakerOpen[k],
    );
  if (resilient.length) {
    serviceBlocks.push({
      type: 'table',
      title: 'Resilience (retries, timeouts, circuit breakers, ejections)',
      columns: [
        'Service',
        'Tries sent',
        'Tries per call',
        'Retries',
        'Hedges',
        'Retries refused',
        'Throttled',
        'Per-try timeouts',
        'Call timeouts',
        'Breaker open',
        'Ejections',
      ],
      align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows: resilient.map(({ s, k }) => {
        const first = total.svcArrivals[k] - total.svcRetries[k];
        return [
          s.name,
          int(total.svcArrivals[k]),
          first > 0 ? sig(total.svcArrivals[k] / first, 4) : '–',
          int(total.svcRetries[k]),
          int(total.svcHedges[k]),
          int(total.svcRetryOverflow[k]),
          int(total.svcThrottled[k]),
          int(total.svcTryTimeouts[k]),
          int(total.svcCallTimeouts[k]),
          int(total.svcBreakerOpen[k]),
          int(total.svcEjections[k]),
        ];
      }),
      note: "Tries sent: every try at the service (first tries, retries and hedges); a try given up (per-try timeout, a hedge that lost, the call's timeout) still runs at its instance. Retries refused: by the retry budget or the circuit breaker's max_retries (Envoy upstream_rq_retry_overflow). Throttled: by gRPC retry throttling. Breaker open: calls failed at once past max_requests or max_pending. Ejections: by outlier detection.",
    });
  }
  serviceBlocks.push(...queueBlocks(m, total, reps, serviceRate, reps1));
  const hops = hopFigures(m, total, outcomes.length);
  const order = saturationOrder(hops);
  const measuredS = total.offeredUs / 1e6;
  const offeredRate = m.rate;
  if (order.length) {
    const first = order[0],
      f = m.services[first.service];
    serviceBlocks.push({
      type: 'table',
      title: 'Per-hop load (first to saturate first)',
      columns: [
        'Hop',
        'Kind',
        'Calls per request',
        'Offered calls/s',
        'Sent calls/s',
        'Hit ratio',
        'Hold ms',
        'Capacity calls/s',
        'ρ',
        'Saturates at req/s',
      ],
      align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows: order.map((h) => {
        const svc = m.services[h.service];
        const looked = total.svcHopHits[h.service] + total.svcHopMisses[h.service];
        return [
          svc.name,
          svc.kind,
          sig(h.callsPerRequest, 4),
          sig(h.offered, 4),
          measuredS > 0 ? sig(total.svcArrivals[h.service] / measuredS, 4) : '–',
          looked ? pct((100 * total.svcHopHits[h.service]) / looked) : '–',
          ms((svc.n * svc.concurrency * 1e6) / h.capacity),
          sig(h.capacity, 4),
          h.rho.toFixed(3),
          sig(h.saturatesAt, 4),
        ];
      }),
      note: "Offered: the request mix through the call graph at the model's rate, before the gateway's caches and limits, cache hops at their hit ratio (a modelled cache at the ratio it measured). Sent: attempts measured at the hop, retries and hedges included. Hold: the time a call holds a server, its own work and, for a service that calls others, the calls it waits for (measured). Saturates at: the request rate at which the hop reaches ρ = 1, at this hold time.",
    });
    serviceBlocks.push({
      type: 'notice',
      level: 'info',
      text: `First to saturate: ${f.name} (${f.kind}) at about ${int(first.saturatesAt)} req/s of this request mix; the model offers ${int(offeredRate)} req/s (${pct(100 * first.rho)} of it).`,
    });
  }
  const instRows: (string | number)[][] = [];
  // Least request with unequal weights: the effective weight w / (active + 1)^bias each instance had, on average over picks.
  const effective = m.services.some((_, k) => total.svcPicks[k] > 0);
  m.services.forEach((s, k) => {
    for (let i = 0; i < s.n; i++) {
      const g = firstInstance[k] + i;
      instRows.push([
        `${s.name}/${i}`,
        s.weights[i],
        int(total.instCalls[g]),
        pct(100 * instUtil(k, i)),
        int(total.instFailures[g]),
        ...(effective ? [total.svcPicks[k] ? sig(total.instEffWeight[g] / total.svcPicks[k], 4) : '–'] : []),
      ]);
    }
  });
  const instances: Block = {
    type: 'table',
    title: 'Instances (load balancing)',
    columns: ['Instance', 'Weight', 'Calls', 'Utilisation', 'Failures', ...(effective ? ['Effective weight'] : [])],
    align: ['l', 'r', 'r', 'r', 'r', ...(effective ? ['r' as const] : [])],
    rows: instRows,
    ...(effective
      ? {
          note: 'Effective weight: Envoy least request with unequal weights picks by weight / (active requests + 1)^active_request_bias; the mean of it over the picks, while the instance was eligible.',
        }
      : {}),
  };
  if (m.services.every((s) => s.n <= 3)) serviceBlocks.push(instances);
  else {
    serviceBlocks.push({
      type: 'table',
      title: 'Instances by service (min / median / max)',
      columns: ['Service', 'Instances', 'Calls', 'Utilisation', 'Failures', 'Outliers'],
      align: ['l', 'r', 'r', 'r', 'r', 'l'],
      rows: m.services.map((s, k) => {
        const idx = Array.from({ length: s.n }, (_, i) => i);
        const calls = idx.map((i) => total.instCalls[firstInstance[k] + i]);
        const util = idx.map((i) => instUtil(k, i));
        const wsum = s.weights.reduce((a, w) => a + w, 0) || 1;
        // Calls are compared per unit of weight: a weighted balancer sends more to heavier instances on purpose.
        const perWeight = calls.map((c, i) => c / (s.weights[i] / wsum || 1));
        const out = new Set([...spread(perWeight).outliers, ...spread(util).outliers]);
        const c = spread(calls),
          u = spread(util);
        return [
          s.name,
          s.n,
          `${int(c.min)} / ${int(c.median)} / ${int(c.max)}`,
          `${pct(100 * u.min)} / ${pct(100 * u.median)} / ${pct(100 * u.max)}`,
          int(idx.reduce((a, i) => a + total.instFailures[firstInstance[k] + i], 0)),
          [...out]
            .sort((a, b) => a - b)
            .map((i) => `${s.name}/${i} (${int(calls[i])} calls, ${pct(100 * util[i])})`)
            .join(', ') || 'none',
        ];
      }),
      note: 'Outliers: instances outside 1.5 interquartile ranges of their service (calls per unit of weight, or utilisation) and at least 25% from the median.',
    });
    serviceBlocks.push(fold(`All ${instRows.length} instances`, [instances], false));
  }

  const clients: Block = {
    type: 'table',
    title: 'Clients',
    columns: ['Client', 'Requests', '4xx', 'Rate limited', 'Deprecated calls', '410 Gone'],
    align: ['l', 'r', 'r', 'r', 'r', 'r'],
    rows: m.clients.map((c, ci) => {
      let dep = 0,
        gone = 0;
      for (let r = 0; r <= R; r++) {
        dep += total.deprecatedCalls[ci * (R + 1) + r];
        gone += total.goneCalls[ci * (R + 1) + r];
      }
      return [c.name, int(total.clientCount[ci]), int(total.clientRejected[ci]), int(total.clientLimited[ci]), int(dep), int(gone)];
    }),
  };

  const charts: Block[] = [];
  const bars = total.latency.coarse(12);
  if (bars.length)
    charts.push(
      fold('Latency distribution', [
        {
          type: 'chart',
          title: 'Latency distribution',
          chart: {
            kind: 'bar',
            xLabel: 'latency (ms, bucket start)',
            yLabel: 'requests',
            x: bars.map((b) => +(b.lo / 1000).toPrecision(3)),
            series: [{ name: 'requests', values: bars.map((b) => b.count), color: 'blue' }],
          },
        },
      ]),
    );
  const rowsTs = total.series.rows(Math.max(1, m.durationUs)).filter((r) => r.start + total.series.width > m.warmupUs);
  if (rowsTs.length > 1) {
    const w = total.series.width / 1e6;
    const per = (i: number) => rowsTs.map((r) => +(r.values[i] / w / reps1).toPrecision(4));
    const t = rowsTs.map((r) => +(r.start / 1e6).toPrecision(4));
    charts.push(
      fold('Throughput over time', [
        {
          type: 'chart',
          title: 'Throughput over time',
          chart: {
            kind: 'line',
            xLabel: 'time (s)',
            yLabel: 'req/s',
            x: t,
            series: [
              { name: 'all', values: per(TS.requests), color: 'foreground' },
              { name: '2xx/3xx', values: per(TS.ok), color: 'green' },
              { name: '4xx', values: per(TS.clientErrors), color: 'yellow' },
              { name: '5xx', values: per(TS.serverErrors), color: 'red' },
            ],
          },
        },
      ]),
    );
    charts.push(
      fold('Mean latency over time', [
        {
          type: 'chart',
          title: 'Mean latency over time',
          chart: {
            kind: 'line',
            xLabel: 'time (s)',
            yLabel: 'ms',
            x: t,
            series: [
              {
                name: 'mean latency',
                values: rowsTs.map((r) =>
                  r.values[TS.requests] ? +(r.values[TS.latencySumMs] / r.values[TS.requests]).toPrecision(4) : 0,
                ),
                color: 'blue',
              },
            ],
          },
        },
      ]),
    );
  }

  const blocks: Block[] = [
    headline,
    ...notices,
    fold(`Routes (${R})`, routeBlocks),
    fold(`Status codes: ${statusDigest || 'none'}`, [
      {
        type: 'table',
        title: 'Status codes',
        columns: ['Status', 'Meaning', 'Count', 'Share'],
        align: ['l', 'l', 'r', 'r'],
        rows: statusRows,
      },
    ]),
    fold(
      `Services and instances${m.services.length ? `: busiest ${m.services[busiest].name}, ${pct(100 * busy[busiest])} busy` : ''}`,
      serviceBlocks,
    ),
    fold(`Clients (${m.clients.length})`, [clients]),
    ...traceBlocks(m, total, reps),
    ...charts,
    fold('Topology', [{ type: 'mermaid', title: 'Topology', source: topology(m) }]),
    fold(
      'All summary figures and how they are computed',
      [
        summary,
        figureTable(m, reps),
        {
          type: 'markdown',
          text: 'Percentiles use the nearest-rank definition (the smallest latency with at least p% of requests at or below it), read from a log-bucketed histogram with at most 0.4% relative error. Latency is measured from arrival at the gateway to the response, including gateway overhead, queueing, service and any limiter delay. Headline shares and percentiles pool every replication; figures with ± are the mean of the replications with a 95% Student-t interval.',
        },
      ],
      false,
    ),
  ];
  return { title: 'API gateway model', blocks };
}

function argmaxCode(status: Float64Array, lo: number, hi: number): number {
  let best = lo;
  for (let code = lo; code < hi; code++) if (status[code] > status[best]) best = code;
  return best;
}

/** Headers the gateway adds on this route's responses, by outcome. */
export function routeHeaders(m: GatewayModel, i: number): string[] {
  const r = m.routes[i];
  const out: string[] = [];
  const lc = lifecycleHeaders(r.deprecated, r.sunset, r.link);
  if (lc.Deprecation) out.push(`Deprecation: ${lc.Deprecation}`);
  if (lc.Sunset) out.push(`Sunset: ${lc.Sunset}`);
  if (lc.Link) out.push(`Link: ${lc.Link}`);
  if (r.sunset !== undefined) out.push('410 Gone from the sunset');
  const C = m.clients.length;
  const challenges = new Set<string>();
  for (let c = 0; c < C; c++) {
    const st = m.authStatus[i * C + c];
    const h = m.authHeaders[i * C + c]['WWW-Authenticate'];
    if (st) challenges.add(`${st} (${m.clients[c].name})${h ? ` WWW-Authenticate: ${h}` : ''}`);
  }
  out.push(...challenges);
  if (r.rateLimit) out.push(`${r.rateLimit.status} with ${r.rateLimit.status === 429 ? 'Retry-After' : 'no Retry-After'} when limited`);
  if (r.aggregate) out.push('X-KrakenD-Completed: true | false (partial)');
  if (r.cache) {
    const cap = [
      r.cache.maxEntries < Infinity ? `${int(r.cache.maxEntries)} entries` : '',
      r.cache.maxBytes < Infinity ? `${int(r.cache.maxBytes)} B` : '',
    ]
      .filter(Boolean)
      .join(', ');
    out.push(`cache key: method, path${r.cache.vary.length ? ', ' + r.cache.vary.join(', ') : ''}${cap ? ` (LRU, at most ${cap})` : ''}`);
  }
  const adds = Object.keys(r.addHeaders);
  if (adds.length || r.removeHeaders.length || r.rewrite)
    out.push(
      `upstream: ${[...adds.map((h) => '+' + h), ...r.removeHeaders.map((h) => '−' + h), ...(r.rewrite ? [`path → ${r.rewrite}`] : [])].join(' ')}`,
    );
  return out;
}

export function topology(m: GatewayModel): string {
  const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
  const label = mermaidLabelText;
  const lines = ['flowchart LR'];
  m.clients.forEach((c, i) => lines.push(`  c${i}["${label(c.name)}"] --> gw`));
  lines.push(`  gw{{"gateway (${m.profile})"}}`);
  m.routes.forEach((r, i) => {
    const tags = [
      r.authType !== 'none' ? r.authType : '',
      r.rateLimit ? 'limit' : '',
      r.cache ? 'cache' : '',
      r.deprecated !== undefined ? 'deprecated' : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  gw --> r${i}["${label(r.name)}${tags ? `<br/>${tags}` : ''}"]`);
    for (const s of r.services) lines.push(`  r${i} --> s_${id(m.services[s].name)}`);
  });
  // Services by kind: databases as cylinders, caches as stadiums; their calls as edges (dotted after a miss).
  m.services.forEach((s) => {
    const text = `"${label(s.name)} ×${s.n}"`;
    lines.push(`  s_${id(s.name)}${s.kind === 'database' ? `[(${text})]` : s.kind === 'cache' ? `([${text}])` : `[${text}]`}`);
  });
  m.services.forEach((s) =>
    s.steps.forEach((st, k) => {
      const tag = s.steps.length > 1 ? `${k + 1}` : '';
      for (const t of st.services)
        lines.push(
          `  s_${id(s.name)} -->${tag || st.services.length > 1 ? `|"${[tag, st.services.length > 1 ? 'parallel' : ''].filter(Boolean).join(' ')}"|` : ''} s_${id(m.services[t].name)}`,
        );
      for (const t of st.miss) lines.push(`  s_${id(s.name)} -.->|"${tag ? tag + ' ' : ''}on miss"| s_${id(m.services[t].name)}`);
    }),
  );
  return lines.join('\n');
}

/** A service that is one M/M/c queue (exponential service, one queue of c servers, no calls, no slow mode): its c. */
function mmcServers(s: GatewayModel['services'][number]): number {
  const c = s.n * s.concurrency;
  // Past 10,000 servers the closed forms (a loop over the servers) say nothing the measure does not: nobody waits.
  return s.dist === DIST.exponential && s.slowP === 0 && s.steps.length === 0 && (s.shared || s.n === 1) && c <= 10_000 ? c : 0;
}

/**
 * Waiting and queue length per service, measured (mean ± 95% CI over replications where they vary), next to
 * the M/M/c closed forms where the service is one M/M/c queue: P(wait) = C, Lq = Cρ/(1 − ρ), the wait's
 * quantiles from P(Wq > t) = Ce^(−(cμ − λ)t), and P(N = n).
 */
function queueBlocks(m: GatewayModel, total: GatewayStats, reps: RepSummary[], offered: number[], nReps: number): Block[] {
  const theory = (k: number) => {
    const s = m.services[k],
      c = mmcServers(s),
      mu = 1e6 / s.meanUs,
      lambda = offered[k];
    return c && Number.isFinite(mu) && lambda > 0 && lambda < c * mu ? { c, mu, lambda } : undefined;
  };
  const ci = (values: number[], digits = 3) => {
    const xs = values.filter(Number.isFinite);
    return xs.length > 1 ? formatCI(meanCI95(xs), digits) : xs.length ? sig(xs[0], digits) : '–';
  };
  const rows = m.services.map((s, k) => {
    const h = total.svcWait[k],
      t = theory(k);
    const wq = (p: number) => (h.total ? ms(h.percentile(p)) : '–');
    const tq = (p: number) => (t ? ms(1e6 * mmcWaitQuantile(t.lambda, t.mu, t.c, p / 100)!) : '–');
    return [
      s.name,
      ci(reps.map((r) => r.pWait[k])),
      t ? significant(erlangCWait(t.lambda / t.mu, t.c), 3) : '–',
      ci(reps.map((r) => r.lq[k])),
      t ? significant(mmcQueueLength(t.lambda, t.mu, t.c)!, 3) : '–',
      ci(reps.map((r) => r.wqMs[k])),
      `${wq(50)} / ${wq(90)} / ${wq(99)}`,
      t ? `${tq(50)} / ${tq(90)} / ${tq(99)}` : '–',
    ];
  });
  const blocks: Block[] = [
    {
      type: 'table',
      title: 'Queues: waiting before service',
      columns: ['Service', 'P(wait)', 'Erlang C', 'Lq', 'M/M/c Lq', 'Wq ms', 'Wq p50 / p90 / p99 ms', 'M/M/c p50 / p90 / p99 ms'],
      align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows,
      note: `P(wait): the share of calls that waited at all; Lq: the time-average number waiting (L minus the servers in use); Wq: the mean wait; its percentiles are nearest rank from a log histogram (±1.6%). Figures with ± are the mean over ${nReps} replications with a 95% Student-t interval. The M/M/c columns are the closed forms at the offered rate where the service is one M/M/c queue (exponential service, queue: shared or one instance, no calls, no slow mode).`,
    },
  ];
  // The queue-length distribution of the first few M/M/c services, as the time share with n calls at the service.
  m.services
    .map((_, k) => k)
    .filter((k) => theory(k))
    .slice(0, 3)
    .forEach((k) => {
      const t = theory(k)!,
        times = total.svcLevelTime.subarray(k * LEVELS, (k + 1) * LEVELS);
      const sum = times.reduce((a, b) => a + b, 0);
      if (!(sum > 0)) return;
      const top = Math.min(LEVELS - 2, t.c + 6);
      blocks.push({
        type: 'table',
        title: `Queue length at ${m.services[k].name}: P(N = n), time share`,
        columns: ['n', 'Measured', 'M/M/c'],
        align: ['r', 'r', 'r'],
        rows: [
          ...Array.from({ length: top + 1 }, (_, n) => [
            n,
            significant(times[n] / sum, 3),
            significant(mmcStateProbability(t.lambda, t.mu, t.c, n)!, 3),
          ]),
          [
            `> ${top}`,
            significant(times.subarray(top + 1).reduce((a, b) => a + b, 0) / sum, 3),
            significant(
              1 - Array.from({ length: top + 1 }, (_, n) => mmcStateProbability(t.lambda, t.mu, t.c, n)!).reduce((a, b) => a + b, 0),
              3,
            ),
          ],
        ],
        note: `N counts the calls at the service, waiting or served (c = ${t.c} servers, ρ = ${significant(t.lambda / (t.c * t.mu), 3)}); all replications pooled.`,
      });
    });
  return blocks;
}

/** The first requests of the first replication, one by one, with the decisions behind them: a small run's trace. */
function traceBlocks(m: GatewayModel, total: GatewayStats, reps: RepSummary[]): Block[] {
  const rows = [...total.trace].sort((a, b) => a.seq - b.seq); // recorded as answered; listed as they arrived
  const asked = m.trace !== undefined;
  if (!rows.length || (asked ? m.trace === 0 : (reps[0]?.requests ?? Infinity) > rows.length)) return [];
  const instanceName = (g: number) => {
    if (g < 0) return '–';
    let k = 0,
      first = 0;
    while (first + m.services[k].n <= g) first += m.services[k++].n;
    return `${m.services[k].name}/${g - first}`;
  };
  return [
    fold(
      `Trace: ${rows.length === reps[0]?.requests ? 'every request' : `the first ${rows.length} requests`} of replication 1`,
      [
        {
          type: 'table',
          title: 'Trace (replication 1)',
          columns: ['#', 'At ms', 'Client', 'Route', 'Key', 'Decision', 'Instance', 'Tries', 'Status', 'Latency ms'],
          align: ['r', 'r', 'l', 'l', 'r', 'l', 'l', 'r', 'r', 'r'],
          rows: rows.map((r, i) => [
            i + 1,
            exact(r.at / 1000),
            m.clients[r.client].name,
            r.route < 0 ? '(no route)' : m.routes[r.route].name,
            r.key,
            r.decision,
            instanceName(r.instance),
            r.tries,
            r.status,
            exact(r.latencyUs / 1000),
          ]),
          note: "Requests in the order they arrived (the first answered, when the run has more). Instance: the one whose answer the route's call took; Tries: tries sent for the route's calls (retries and hedges included). Key: the rank drawn from the Zipf key distribution (0 the most popular).",
        },
      ],
      rows.length <= 20,
    ),
  ];
}
