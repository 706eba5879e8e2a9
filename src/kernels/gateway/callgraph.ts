// The architecture behind the gateway as a graph: routes call services, services call services (in
// steps, in parallel, or after a cache miss). From the graph alone: cycles (refused), the expected
// calls each service gets per request, and so the request rate at which each hop saturates.

/** One step of a service's calls: `services` at once, then (for a cache hop) `miss` in order after a miss. */
export interface StepModel {
  services: number[];
  miss: number[];
  /** Fraction of lookups that hit, for a cache hop without a modelled cache. */
  hitRatio?: number;
  /** Timeout of each call of the step, retries included, µs (Infinity: none). */
  timeoutUs: number;
  /** Index of the step's retry policy in the model's `policies`, or −1. */
  policy: number;
}

export interface GraphService {
  name: string;
  steps: StepModel[];
}

/** The path of a call cycle, as service indices (`a → b → a`), or undefined. */
export function findCycle(services: readonly GraphService[]): { path: number[]; step: number } | undefined {
  const state = new Uint8Array(services.length); // 0 new, 1 on the stack, 2 done
  const stack: number[] = [];
  let found: { path: number[]; step: number } | undefined;
  const visit = (s: number): boolean => {
    state[s] = 1;
    stack.push(s);
    const steps = services[s].steps;
    for (let k = 0; k < steps.length; k++) {
      for (const t of [...steps[k].services, ...steps[k].miss]) {
        if (state[t] === 1) {
          found = { path: [...stack.slice(stack.indexOf(t)), t], step: k };
          return true;
        }
        if (state[t] === 0 && visit(t)) return true;
      }
    }
    stack.pop();
    state[s] = 2;
    return false;
  };
  for (let s = 0; s < services.length; s++) if (state[s] === 0 && visit(s)) return found;
  return undefined;
}

/**
 * Expected calls each service gets for one call to `entry` (itself included), added into `out`: every
 * step's services once per call of their caller, `miss` services once per miss. `hit(s, k)` is the hit
 * ratio of service s's step k (a cache hop). The graph must be acyclic; visits flow in topological order,
 * so a graph with many paths costs its edges, not its paths.
 */
export function visitsFrom(
  services: readonly GraphService[],
  entry: number,
  hit: (s: number, k: number) => number,
  out = new Float64Array(services.length),
): Float64Array {
  const order: number[] = [];
  const seen = new Uint8Array(services.length);
  const post = (s: number) => {
    seen[s] = 1;
    for (const st of services[s].steps) for (const t of [...st.services, ...st.miss]) if (!seen[t]) post(t);
    order.push(s);
  };
  post(entry);
  const v = new Float64Array(services.length);
  v[entry] = 1;
  for (let i = order.length - 1; i >= 0; i--) {
    const s = order[i];
    if (v[s] === 0) continue;
    services[s].steps.forEach((st, k) => {
      for (const t of st.services) v[t] += v[s];
      if (st.miss.length) {
        const miss = v[s] * (1 - hit(s, k));
        for (const t of st.miss) v[t] += miss;
      }
    });
  }
  for (let s = 0; s < v.length; s++) out[s] += v[s];
  return out;
}

/** Per-hop load: for each service, calls per request, the offered rate, its capacity, ρ and the request rate at which it saturates. */
export interface HopLoad {
  service: number;
  /** Expected calls per request of the whole mix (cache hops at their hit ratio). */
  callsPerRequest: number;
  /** Calls per second at the model's rate. */
  offered: number;
  /** Calls per second the service can complete: servers / mean service time (its own work). */
  capacity: number;
  rho: number;
  /** Requests per second (of the mix) at which this hop reaches ρ = 1. */
  saturatesAt: number;
}

/** The hops ordered by the request rate at which they saturate: the first is the first to saturate. */
export function saturationOrder(hops: readonly HopLoad[]): HopLoad[] {
  return [...hops].filter((h) => h.callsPerRequest > 0).sort((a, b) => a.saturatesAt - b.saturatesAt || a.service - b.service);
}

/** The part of a compiled gateway model the load figures read. */
export interface LoadModel {
  rate: number;
  services: readonly (GraphService & {
    n: number;
    concurrency: number;
    meanUs: number;
    minUs: number;
    maxUs: number;
    dist: number;
    slowP: number;
    slowUs: number;
  })[];
  routes: readonly { services: readonly number[] }[];
  kinds: readonly { weight: number; route: number }[];
}

/** Mean of a service's own work per call, µs (its slow mode included). */
export function meanWorkUs(s: LoadModel['services'][number], uniform: number): number {
  const mean = s.dist === uniform ? (s.minUs + s.maxUs) / 2 : s.meanUs;
  return (1 - s.slowP) * mean + s.slowP * s.slowUs;
}

/**
 * Per-hop load at the model's request rate, before the gateway's caches and limits. `hit(s, k)` gives
 * the hit ratio of service s's step k (a cache hop); `holdUs(s)` the time a call holds its server,
 * own work plus the calls it waits for (measured after a run; the own work alone before).
 */
export function hopLoads(m: LoadModel, hit: (s: number, k: number) => number, holdUs: (s: number) => number): HopLoad[] {
  const S = m.services.length;
  const kindW = m.kinds.reduce((a, k) => a + k.weight, 0) || 1;
  const perRoute = m.routes.map((r) => {
    const v = new Float64Array(S);
    for (const k of r.services) if (k >= 0) visitsFrom(m.services, k, hit, v);
    return v;
  });
  const visits = new Float64Array(S),
    offered = new Float64Array(S);
  for (const k of m.kinds) {
    if (k.route < 0) continue;
    perRoute[k.route].forEach((x, s) => {
      visits[s] += (x * k.weight) / kindW;
      offered[s] += ((m.rate * k.weight) / kindW) * x;
    });
  }
  return m.services.map((svc, s) => {
    const capacity = (svc.n * svc.concurrency) / (holdUs(s) / 1e6);
    return {
      service: s,
      callsPerRequest: visits[s],
      offered: offered[s],
      capacity,
      rho: offered[s] / capacity,
      saturatesAt: visits[s] > 0 ? capacity / visits[s] : Infinity,
    };
  });
}
