// The figures a named gateway model publishes (`checkout.p99`, `checkout.orders.utilisation`, …),
// from the stats of its run: pooled over replications, with the spread of the per-replication
// values as their interval (src/kernels/model/results.ts).
import { Measured, ResultSpec } from '../model';
import type { GatewayModel } from './config';
import type { GatewayRun } from './index';
import type { GatewayStats } from './simulator';

const RATE = { req: 1, time: -1 };
const TIME = { time: 1 };
const NONE = {};

/** The percentiles every gateway model publishes; a model's `percentiles:` add theirs. */
const STANDARD_PERCENTILES = [50, 90, 99, 99.9];

/**
 * The key percentile `p` is published under: `p` and its digits without the decimal point (`p95`,
 * `p999` for 99.9, `p9999` for 99.99), or undefined for a value that has no such digits (1e-7).
 */
export function percentileKey(p: number): string | undefined {
  const text = String(p);
  return /^\d+(\.\d+)?$/.test(text) ? `p${text.replace('.', '')}` : undefined;
}

const ordinal = (p: number) => {
  if (!Number.isInteger(p)) return `${p}th`;
  const tens = p % 100,
    ones = p % 10;
  return `${p}${tens >= 11 && tens <= 13 ? 'th' : ones === 1 ? 'st' : ones === 2 ? 'nd' : ones === 3 ? 'rd' : 'th'}`;
};

/**
 * The percentiles a model publishes, as [key, p, what]: p50, p90, p99 and p999, then each of the
 * model's `percentiles:` (the ones its report shows) under its own key; of two that share a key
 * (12.5 and 1.25 are both `p125`) the first is published.
 */
export function publishedPercentiles(m: Pick<GatewayModel, 'percentiles'>): [string, number, string][] {
  const out: [string, number, string][] = [];
  const seen = new Set<string>();
  for (const p of [...STANDARD_PERCENTILES, ...m.percentiles]) {
    const key = percentileKey(p);
    if (key === undefined || seen.has(key)) continue;
    seen.add(key);
    out.push([
      key,
      p,
      p === 50 ? 'median latency of every measured request' : `${ordinal(p)}-percentile latency of every measured request`,
    ]);
  }
  return out;
}

/** What a gateway model publishes, given its routes and services. */
export function gatewayResultSpecs(m: GatewayModel): ResultSpec[] {
  const specs: ResultSpec[] = [
    { key: 'throughput', dims: RATE, what: 'requests answered per second' },
    ...publishedPercentiles(m).map(([key, , what]) => ({ key, dims: TIME, what })),
    { key: 'error_rate', dims: NONE, what: 'share of requests answered 4xx or 5xx', share: true },
    { key: 'rate_5xx', dims: NONE, what: 'share of requests answered 5xx', share: true },
  ];
  if (m.routes.some((r) => r.cache))
    specs.push({ key: 'cache_hit_ratio', dims: NONE, what: 'share of cacheable requests served from the gateway cache', share: true });
  for (const s of m.services) {
    specs.push(
      {
        key: `${s.name}.utilisation`,
        dims: NONE,
        what: `measured utilisation of \`${s.name}\` (busy time over capacity, mean over instances)`,
        share: true,
      },
      { key: `${s.name}.response_time`, dims: TIME, what: `mean response time (wait + service) of a call to \`${s.name}\`` },
      { key: `${s.name}.instances`, dims: NONE, what: `instances of \`${s.name}\` in the run` },
    );
  }
  return specs;
}

function statusShare(s: GatewayStats, lo: number, hi: number): number {
  let n = 0;
  for (let code = lo; code < hi; code++) n += s.status[code];
  return s.requests ? n / s.requests : NaN;
}

function serviceValues(m: GatewayModel, s: GatewayStats, reps: number): { utilisation: number; response: number }[] {
  let first = 0;
  return m.services.map((svc, k) => {
    let busy = 0;
    for (let i = 0; i < svc.n; i++) busy += s.instBusy[first + i];
    first += svc.n;
    const calls = s.svcCalls[k];
    return { utilisation: busy / reps / svc.concurrency / svc.n, response: calls ? s.svcSojournSum[k] / calls / 1e6 : NaN };
  });
}

/** A run's (or one replication's) figures by key; `reps` replications were merged into `s`. */
export function gatewayFigures(m: GatewayModel, s: GatewayStats, reps = 1): Map<string, number> {
  const out = new Map<string, number>();
  out.set('throughput', s.offeredUs > 0 ? s.requests / (s.offeredUs / 1e6) : NaN);
  for (const [key, p] of publishedPercentiles(m)) out.set(key, s.requests ? s.latency.percentile(p) / 1e6 : NaN);
  out.set('error_rate', statusShare(s, 400, 600));
  out.set('rate_5xx', statusShare(s, 500, 600));
  let hits = 0,
    misses = 0;
  for (let r = 0; r < s.routeCacheHits.length; r++) {
    hits += s.routeCacheHits[r];
    misses += s.routeCacheMisses[r];
  }
  out.set('cache_hit_ratio', hits + misses ? hits / (hits + misses) : NaN);
  const services = serviceValues(m, s, reps);
  m.services.forEach((svc, k) => {
    out.set(`${svc.name}.utilisation`, services[k].utilisation);
    out.set(`${svc.name}.response_time`, services[k].response);
    out.set(`${svc.name}.instances`, svc.n);
  });
  return out;
}

/** The measured figures of a run: the pooled figure, and each replication's. */
export function gatewayResultValues(m: GatewayModel, run: GatewayRun): Map<string, Measured> {
  const pooled = gatewayFigures(m, run.total, run.outcomes.length || 1);
  const out = new Map<string, Measured>();
  for (const [key, value] of pooled) out.set(key, { value, replications: run.repFigures.map((f) => f.get(key) ?? NaN) });
  return out;
}
