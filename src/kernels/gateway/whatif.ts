// What the gateway model tells a sweep and a capacity search (src/kernels/model/cell.ts runs them):
// its saturation is the busiest service's utilisation and why; a first guess for instances or
// concurrency; a closed form (M/M/c exact, M/D/c and M/G/c approximate) drawn beside latency checks
// where the model is one plain queue.
import { verdictKey, type ParameterRef, type PointRun } from '../model';
import { mgcResponseQuantile, mmcResponseQuantile, type ServiceTime } from '../sim/capacity';
import type { ClosedForm, Verdict } from '../types';
import { DIST, type GatewayModel } from './config';
import type { GatewayRun } from './index';
import { hopFigures } from './report';
import { gatewayFigures, publishedPercentiles } from './results';

/**
 * The service closest to saturation in a run, and a sentence that says why. A service that waits on
 * its calls holds a worker for them too (as measured), so its capacity counts that time.
 */
export function saturation(m: GatewayModel, run: GatewayRun): PointRun['saturation'] {
  const reps = run.outcomes.length || 1;
  const figures = gatewayFigures(m, run.total, reps);
  const hops = m.services.some((s) => s.steps.length) ? hopFigures(m, run.total, reps) : undefined;
  let best: PointRun['saturation'];
  m.services.forEach((s, k) => {
    const u = figures.get(`${s.name}.utilisation`) ?? NaN;
    if (!Number.isFinite(u) || (best && u <= best.utilisation)) return;
    const workers = s.n * s.concurrency;
    const hop = hops?.find((h) => h.service === k);
    const waits = !!s.steps.length && !!hop && Number.isFinite(hop.capacity) && hop.capacity > 0;
    const capacity = waits ? hop!.capacity : workers / (s.meanUs / 1e6);
    const holdMs = (workers / capacity) * 1000;
    const rho = u >= 0.995 ? '≥ 0.99' : `= ${u.toFixed(2)}`;
    best = {
      component: s.name,
      utilisation: u,
      reason: `\`${s.name}\` reaches ρ ${rho}: its ${s.n} × ${s.concurrency} workers serve ${workers} / ${+holdMs.toPrecision(3)} ms${waits ? ' (its own work and the calls it waits for)' : ''} = ${Math.round(capacity).toLocaleString('en-US')} req/s.`,
    };
  });
  return best;
}

/** The service time of one call as the closed forms read it (seconds), or undefined for a service time of 0. */
function serviceTime(s: GatewayModel['services'][number]): ServiceTime | undefined {
  const mean = s.meanUs / 1e6;
  switch (s.dist) {
    case DIST.exponential:
      return mean > 0 ? { dist: 'exponential', mean } : undefined;
    case DIST.constant:
      return mean > 0 ? { dist: 'constant', mean } : undefined;
    case DIST.lognormal:
      // The model keeps the log-space σ: cv² = e^(σ²) − 1.
      return mean > 0 ? { dist: 'lognormal', mean, cv: Math.sqrt(Math.expm1(s.sigma * s.sigma)) } : undefined;
    case DIST.uniform:
      // The simulation draws min + (max − min)·U and does not read `mean`.
      return s.maxUs > 0 ? { dist: 'uniform', min: s.minUs / 1e6, max: s.maxUs / 1e6 } : undefined;
  }
  return undefined;
}

/** The curve's name: which formula drew it. */
const CLOSED_FORM_NAME: Record<ServiceTime['dist'], string> = {
  exponential: 'M/M/c',
  constant: 'M/D/c (approx.)',
  lognormal: 'M/G/c (approx.)',
  uniform: 'M/G/c (approx.)',
};

/**
 * Closed-form predictions of latency checks (`<name>.p99 <= …`) where the model is one plain queue: one
 * route, one service, no cache, limit, aggregation, slow mode or errors, Poisson arrivals. Each
 * instance is its own queue (c = concurrency) at λ/n, or one queue of n·c servers when `shared`; the
 * gateway's own costs are added. Exponential service times give the exact M/M/c quantile; constant,
 * uniform and lognormal ones the Allen–Cunneen M/G/c approximation (`mgcResponseQuantile`), and the
 * curve's name says which.
 */
export function closedForm(m: GatewayModel, verdicts: readonly Verdict[]): ClosedForm | undefined {
  if (!m.name || m.routes.length !== 1 || m.services.length !== 1) return undefined;
  const r = m.routes[0],
    s = m.services[0];
  if (r.cache || r.rateLimit || r.aggregate || s.slowP > 0 || s.errorRate > 0 || m.pattern !== 'poisson') return undefined;
  const service = serviceTime(s);
  if (!service) return undefined;
  const [lambda, c] = s.shared ? [m.rate, s.n * s.concurrency] : [m.rate / s.n, s.concurrency];
  const fixedS = (m.overheadUs + r.transformUs) / 1e6;
  const values = new Map<string, number>();
  const percentile = new Map(publishedPercentiles(m).map(([key, p]) => [`${m.name}.${key}`, p / 100]));
  for (const v of verdicts) {
    const p = percentile.get(v.check.split(/\s*(?:<=|<|>=|>)\s*/)[0].trim());
    if (p === undefined || !v.figures) continue;
    const q =
      service.dist === 'exponential' ? mmcResponseQuantile(lambda, 1 / service.mean, c, p) : mgcResponseQuantile(lambda, service, c, p);
    if (q !== undefined) values.set(verdictKey(v), (q + fixedS) / v.figures.factor);
  }
  return values.size ? { name: CLOSED_FORM_NAME[service.dist], values } : undefined;
}

/**
 * Calls per second a service is offered over a run: the requests of the routes that call it, less
 * what a route's cache answers. A TTL cache fed Poisson arrivals at λᵢ for key i (its share of the
 * route's rate under the Zipf keys) misses at the first arrival and then once per cycle of T plus
 * the wait for the next arrival: over a run of D from an empty cache, about
 * (1 − e^{−λᵢ·min(D, T)}) + max(0, D − T)·λᵢ/(1 + λᵢT) misses.
 */
export function offeredServiceRate(m: GatewayModel, k: number): number {
  const kindW = m.kinds.reduce((a, kind) => a + kind.weight, 0);
  let rate = 0;
  let zipf: number[] | undefined;
  for (const kind of m.kinds) {
    const route = kind.route >= 0 ? m.routes[kind.route] : undefined;
    if (!route || !route.services.includes(k)) continue;
    const lambda = (m.rate * kind.weight) / kindW;
    const cache = route.cache;
    if (
      !cache ||
      !Number.isFinite(cache.ttlUs) ||
      cache.ttlUs <= 0 ||
      cache.maxEntries !== Infinity ||
      cache.maxBytes !== Infinity ||
      cache.vary.length
    ) {
      rate += lambda;
      continue;
    }
    const T = cache.ttlUs / 1e6;
    const D = m.durationUs / 1e6;
    const missRate = (l: number) => (1 - Math.exp(-l * Math.min(D, T)) + (Math.max(0, D - T) * l) / (1 + l * T)) / D;
    if (!kind.path.includes('{')) {
      rate += missRate(lambda);
      continue;
    }
    if (!zipf) {
      const weights = Array.from({ length: m.keyCount }, (_, i) => Math.pow(i + 1, -m.zipf));
      const norm = weights.reduce((a, w) => a + w, 0);
      zipf = weights.map((w) => w / norm);
    }
    for (const p of zipf) rate += missRate(lambda * p);
  }
  return rate;
}

/** A first guess at the capacity a solve asks for: the smallest count that keeps the service below 80% busy. */
export function capacityGuess(m: GatewayModel, param: ParameterRef): number | undefined {
  const [section, name, key] = param.path;
  if (section !== 'services' || (key !== 'instances' && key !== 'concurrency')) return undefined;
  const s = m.services.find((x) => x.name === name);
  if (!s) return undefined;
  const rate = offeredServiceRate(m, m.services.indexOf(s));
  const busyWorkers = (rate * s.meanUs) / 1e6 / 0.8;
  return Math.max(1, Math.ceil(key === 'instances' ? busyWorkers / s.concurrency : busyWorkers / s.n));
}
