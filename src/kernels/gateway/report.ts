// Turns replications' statistics into the cell's report: summary, tables, charts and a topology diagram.
import { Block, Report } from '../report';
import { RunOutcome, describeStop } from '../sim/environment';
import { ConfidenceInterval, formatCI, meanCI95, significant } from '../sim/ci';
import { erlangC, md1 } from '../sim/queueing';
import { GatewayModel, DIST } from './config';
import { lifecycleHeaders } from './lifecycle';
import { GatewayStats, TS } from './simulator';

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 410: 'Gone', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** Adds `b` into `a` (same model). */
export function mergeStats(a: GatewayStats, b: GatewayStats): void {
  const add = (x: Float64Array, y: Float64Array) => { for (let i = 0; i < x.length; i++) x[i] += y[i]; };
  a.latency.merge(b.latency);
  add(a.status, b.status); add(a.routeCount, b.routeCount); add(a.routeStatus, b.routeStatus);
  a.routeLatency.forEach((h, i) => h.merge(b.routeLatency[i]));
  add(a.routeCacheHits, b.routeCacheHits); add(a.routeCacheMisses, b.routeCacheMisses); add(a.routeCacheEvictions, b.routeCacheEvictions); add(a.routeLimited, b.routeLimited);
  add(a.routePartial, b.routePartial); add(a.routeUpBytes, b.routeUpBytes); add(a.routeForwarded, b.routeForwarded); add(a.routeRespBytes, b.routeRespBytes);
  add(a.clientCount, b.clientCount); add(a.clientRejected, b.clientRejected); add(a.clientLimited, b.clientLimited);
  add(a.deprecatedCalls, b.deprecatedCalls); add(a.goneCalls, b.goneCalls);
  add(a.instCalls, b.instCalls); add(a.instFailures, b.instFailures);
  a.instBusy = a.instBusy.map((x, i) => x + b.instBusy[i]);
  add(a.svcCalls, b.svcCalls); add(a.svcWaitSum, b.svcWaitSum); add(a.svcSojournSum, b.svcSojournSum); add(a.svcRejected, b.svcRejected);
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
}

export function summarise(s: GatewayStats): RepSummary {
  const errors = s.status.reduce((a, c, code) => a + (code >= 500 ? c : 0), 0);
  const hits = s.routeCacheHits.reduce((a, b) => a + b, 0), misses = s.routeCacheMisses.reduce((a, b) => a + b, 0);
  return {
    throughput: s.offeredUs > 0 ? s.requests / (s.offeredUs / 1e6) : 0,
    meanMs: s.latency.mean / 1000,
    p99Ms: s.latency.percentile(99) / 1000,
    errorPct: s.requests ? (100 * errors) / s.requests : 0,
    hitPct: hits + misses ? (100 * hits) / (hits + misses) : NaN,
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

const ms = (us: number) => (Number.isFinite(us) ? (us / 1000).toPrecision(3) : '–');
const pct = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)}%` : '–');
const int = (x: number) => Math.round(x).toLocaleString('en-US');

function ci(values: number[], digits = 3): string {
  const c: ConfidenceInterval = meanCI95(values);
  return values.length > 1 ? formatCI(c, digits) : Number.isFinite(c.mean) ? significant(c.mean, digits) : '–';
}

export function buildReport(m: GatewayModel, total: GatewayStats, reps: RepSummary[], outcomes: RunOutcome[], seed: number, requestedReps: number): Report {
  const blocks: Block[] = [];
  const last = outcomes[outcomes.length - 1];
  if (last?.stoppedEarly || outcomes.length < requestedReps)
    blocks.push({ type: 'notice', level: 'warning', text: `The simulation ${describeStop(last)} after ${outcomes.length} of ${requestedReps} replications; figures cover what ran.` });
  const R = m.routes.length;

  // Offered load per service (capacity check before the numbers).
  const serviceRate = new Float64Array(m.services.length);
  const kindW = m.kinds.reduce((a, k) => a + k.weight, 0);
  m.kinds.forEach((k) => { if (k.route >= 0) for (const s of m.routes[k.route].services) serviceRate[s] += (m.rate * k.weight) / kindW; });
  const figures = serviceFigures(m, total, outcomes.length);
  const capacity = m.services.map((s) => {
    const mean = s.dist === DIST.uniform ? (s.minUs + s.maxUs) / 2 : s.meanUs;
    const meanWithSlow = (1 - s.slowP) * mean + s.slowP * s.slowUs;
    return (s.n * s.concurrency) / (meanWithSlow / 1e6);
  });
  m.services.forEach((s, k) => {
    const rho = serviceRate[k] / capacity[k];
    if (rho >= 1) blocks.push({ type: 'notice', level: 'warning', text: `\`${s.name}\` is offered up to ${int(serviceRate[k])} req/s against a capacity of ${int(capacity[k])} req/s (ρ = ${rho.toFixed(2)} ≥ 1): no steady state; queues grow with the run length (before caching and limits).` });
  });

  const q = (p: number) => ms(total.latency.percentile(p));
  blocks.push({
    type: 'metrics',
    title: 'Summary',
    items: [
      { label: 'Requests measured', value: int(total.requests), hint: `${outcomes.length} replication(s), seed ${seed}` },
      { label: 'Throughput (req/s)', value: ci(reps.map((r) => r.throughput)), hint: 'mean ± 95% t-CI over replications' },
      { label: 'Mean latency (ms)', value: ci(reps.map((r) => r.meanMs)) },
      { label: 'p99 latency (ms)', value: ci(reps.map((r) => r.p99Ms)) },
      { label: 'p50 / p90 / p99 / p99.9 (ms)', value: `${q(50)} / ${q(90)} / ${q(99)} / ${q(99.9)}`, hint: 'all replications pooled; nearest rank, ±0.4% (log histogram)' },
      { label: '5xx (%)', value: ci(reps.map((r) => r.errorPct)) },
      ...(total.routeLimited.some((x) => x > 0) ? [{ label: 'Mean Retry-After (s)', value: (total.retryAfterSum / total.routeLimited.reduce((a, b) => a + b, 0)).toFixed(2), hint: 'time to the next token, rounded up to whole seconds' }] : []),
      ...(Number.isFinite(reps[0]?.hitPct) ? [{ label: 'Cache hit ratio (%)', value: ci(reps.map((r) => r.hitPct)) }] : []),
    ],
  });

  const routeName = (i: number) => (i === R ? '(no route)' : m.routes[i].name);
  // An Evictions column only when some route's cache has a capacity.
  const bounded = m.routes.some((r) => r.cache && (r.cache.maxEntries < Infinity || r.cache.maxBytes < Infinity));
  const rows: (string | number)[][] = [];
  for (let i = 0; i <= R; i++) {
    const n = total.routeCount[i];
    if (n === 0 && i === R) continue;
    const by = (lo: number, hi: number) => { let c = 0; for (let code = lo; code < hi; code++) c += total.routeStatus[i * 600 + code]; return c; };
    const h = total.routeLatency[i];
    const hits = total.routeCacheHits[i], miss = total.routeCacheMisses[i];
    const r = i < R ? m.routes[i] : undefined;
    const fwd = total.routeForwarded[i];
    const shapingUs = r && r.responseFactor !== 1 ? r.services.reduce((a, k) => a + m.services[k].responseSize, 0) / m.shapingBytesPerUs : 0;
    rows.push([
      routeName(i), int(n), pct((100 * n) / Math.max(1, total.requests)), int(by(200, 400)), int(by(400, 500)), int(by(500, 600)),
      ms(h.mean), ms(h.percentile(99)), hits + miss ? pct((100 * hits) / (hits + miss)) : '–',
      ...(bounded ? [r?.cache && (r.cache.maxEntries < Infinity || r.cache.maxBytes < Infinity) ? int(total.routeCacheEvictions[i]) : '–'] : []),
      int(total.routeLimited[i]),
      r?.aggregate ? int(total.routePartial[i]) : '–',
      fwd > 0 ? int(total.routeUpBytes[i] / fwd) : '–',
      n ? int(total.routeRespBytes[i] / Math.max(1, by(200, 400))) : '–',
      r ? ms(r.transformUs + shapingUs) : '–',
    ]);
  }
  blocks.push({
    type: 'table', title: 'Routes',
    columns: ['Route', 'Requests', 'Share', '2xx/3xx', '4xx', '5xx', 'Mean ms', 'p99 ms', 'Cache hits', ...(bounded ? ['Evictions'] : []), 'Limited', 'Partial', 'Upstream req B', 'Response B', 'Transform ms'],
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', ...(bounded ? ['r' as const] : []), 'r', 'r', 'r', 'r', 'r'],
    rows,
    note: `Partial = aggregated responses where some backend failed or timed out (X-KrakenD-Completed: false). Upstream req B = mean request size after header add/remove.${bounded ? ' Evictions = least recently used entries dropped to keep a cache within max_entries / max_size.' : ''}`,
  });

  blocks.push({
    type: 'table', title: 'What clients see (headers by route)',
    columns: ['Route', 'Headers'],
    align: ['l', 'l'],
    rows: m.routes.map((r, i) => [r.name, routeHeaders(m, i).join('; ') || '–']),
  });
  for (const r of m.routes.filter((x) => x.aggregate)) {
    const ps = r.services.map((k) => m.services[k].slowP);
    if (ps.some((p) => p > 0)) {
      const slow = 1 - ps.reduce((a, p) => a * (1 - p), 1);
      blocks.push({ type: 'notice', level: 'info', text: `Fan-out on ${r.name}: ${r.services.length} backends called in parallel; with their slow probabilities a request waits for at least one slow backend with probability 1 − Π(1 − pᵢ) = ${(100 * slow).toFixed(1)}% (the tail at scale), capped by the ${ms(r.timeoutUs)} ms timeout as a partial answer.` });
    }
  }

  const statusRows: (string | number)[][] = [];
  total.status.forEach((c, code) => { if (c > 0) statusRows.push([code, STATUS_TEXT[code] ?? '', int(c), pct((100 * c) / total.requests)]); });
  blocks.push({ type: 'table', title: 'Status codes', columns: ['Status', 'Meaning', 'Count', 'Share'], align: ['l', 'l', 'r', 'r'], rows: statusRows });

  const reps1 = outcomes.length || 1;
  blocks.push({
    type: 'table', title: "Services (queueing; Little's law L = λW)",
    columns: ['Service', 'Calls', 'ρ offered', 'Wq ms', 'W ms', 'Theory W ms', 'L (time avg)', 'λW', 'Rejected'],
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    rows: figures.map((f, k) => {
      const s = m.services[k];
      const c = s.shared || s.n === 1 ? s.n * s.concurrency : 0;
      const mu = 1e6 / s.meanUs;
      const theory = c && s.slowP === 0 ? (s.dist === DIST.exponential ? erlangC(serviceRate[k], mu, c) : s.dist === DIST.constant && c === 1 ? md1(serviceRate[k], mu) : undefined) : undefined;
      return [f.name, int(f.calls), (serviceRate[k] / capacity[k]).toFixed(3), ms(f.wq * 1e6), ms(f.w * 1e6), theory ? ms(theory.w * 1e6) : '–', f.L.toPrecision(4), f.littleLambdaW.toPrecision(4), int(total.svcRejected[k])];
    }),
    note: 'Theory: Erlang C (M/M/c) or Pollaczek–Khinchine (M/D/1) at the offered rate, where the service is one queue. L is the time-average number at the service; λ counts completed calls over the measured window.',
  });

  const instRows: (string | number)[][] = [];
  let g = 0;
  m.services.forEach((s) => {
    for (let i = 0; i < s.n; i++, g++) instRows.push([`${s.name}/${i}`, s.weights[i], int(total.instCalls[g]), pct((100 * total.instBusy[g]) / reps1 / s.concurrency), int(total.instFailures[g])]);
  });
  blocks.push({ type: 'table', title: 'Instances (load balancing)', columns: ['Instance', 'Weight', 'Calls', 'Utilisation', 'Failures'], align: ['l', 'r', 'r', 'r', 'r'], rows: instRows });

  blocks.push({
    type: 'table', title: 'Clients',
    columns: ['Client', 'Requests', '4xx', 'Rate limited', 'Deprecated calls', '410 Gone'],
    align: ['l', 'r', 'r', 'r', 'r', 'r'],
    rows: m.clients.map((c, ci) => {
      let dep = 0, gone = 0;
      for (let r = 0; r <= R; r++) { dep += total.deprecatedCalls[ci * (R + 1) + r]; gone += total.goneCalls[ci * (R + 1) + r]; }
      return [c.name, int(total.clientCount[ci]), int(total.clientRejected[ci]), int(total.clientLimited[ci]), int(dep), int(gone)];
    }),
  });

  const deprecated = m.routes.map((r, i) => ({ r, i })).filter(({ r }) => r.deprecated !== undefined || r.sunset !== undefined);
  if (deprecated.length) {
    blocks.push({
      type: 'table', title: 'Deprecated routes (who still calls them)',
      columns: ['Route', 'Deprecation', 'Sunset', 'Callers (calls, whole run)'],
      align: ['l', 'l', 'l', 'l'],
      rows: deprecated.map(({ r, i }) => {
        const h = lifecycleHeaders(r.deprecated, r.sunset, r.link);
        const callers = m.clients.map((c, ci) => [c.name, total.deprecatedCalls[ci * (R + 1) + i]] as const).filter(([, n]) => n > 0).map(([n, k]) => `${n} (${int(k)})`);
        return [r.name, h.Deprecation ?? '–', h.Sunset ?? '–', callers.join(', ') || 'none'];
      }),
      note: 'Headers sent on every response of the route: Deprecation (RFC 9745), Sunset (RFC 8594). Calls at or after the sunset get 410 Gone.',
    });
  }

  const bars = total.latency.coarse(12);
  if (bars.length)
    blocks.push({ type: 'chart', title: 'Latency distribution', chart: { kind: 'bar', xLabel: 'latency (ms, bucket start)', yLabel: 'requests', x: bars.map((b) => +(b.lo / 1000).toPrecision(3)), series: [{ name: 'requests', values: bars.map((b) => b.count) }] } });

  const rowsTs = total.series.rows(Math.max(1, m.durationUs)).filter((r) => r.start + total.series.width > m.warmupUs);
  if (rowsTs.length > 1) {
    const w = total.series.width / 1e6;
    const per = (i: number) => rowsTs.map((r) => +(r.values[i] / w / reps1).toPrecision(4));
    blocks.push({
      type: 'chart', title: 'Throughput over time',
      chart: { kind: 'line', xLabel: 'time (s)', yLabel: 'req/s', x: rowsTs.map((r) => +(r.start / 1e6).toPrecision(4)), series: [
        { name: 'all', values: per(TS.requests) }, { name: '2xx/3xx', values: per(TS.ok) }, { name: '4xx', values: per(TS.clientErrors) }, { name: '5xx', values: per(TS.serverErrors) }] },
    });
    blocks.push({
      type: 'chart', title: 'Mean latency over time',
      chart: { kind: 'line', xLabel: 'time (s)', yLabel: 'ms', x: rowsTs.map((r) => +(r.start / 1e6).toPrecision(4)), series: [
        { name: 'mean latency', values: rowsTs.map((r) => (r.values[TS.requests] ? +(r.values[TS.latencySumMs] / r.values[TS.requests]).toPrecision(4) : 0)) }] },
    });
  }

  blocks.push({ type: 'mermaid', title: 'Topology', source: topology(m) });
  blocks.push({
    type: 'markdown',
    text: 'Percentiles use the nearest-rank definition (the smallest latency with at least p% of requests at or below it), read from a log-bucketed histogram with at most 0.4% relative error. Latency is measured from arrival at the gateway to the response, including gateway overhead, queueing, service and any limiter delay.',
  });
  return { title: 'API gateway model', blocks };
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
    const cap = [r.cache.maxEntries < Infinity ? `${int(r.cache.maxEntries)} entries` : '', r.cache.maxBytes < Infinity ? `${int(r.cache.maxBytes)} B` : ''].filter(Boolean).join(', ');
    out.push(`cache key: method, path${r.cache.vary.length ? ', ' + r.cache.vary.join(', ') : ''}${cap ? ` (LRU, at most ${cap})` : ''}`);
  }
  const adds = Object.keys(r.addHeaders);
  if (adds.length || r.removeHeaders.length || r.rewrite) out.push(`upstream: ${[...adds.map((h) => '+' + h), ...r.removeHeaders.map((h) => '−' + h), ...(r.rewrite ? [`path → ${r.rewrite}`] : [])].join(' ')}`);
  return out;
}

export function topology(m: GatewayModel): string {
  const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
  const label = (s: string) => s.replace(/"/g, "'");
  const lines = ['flowchart LR'];
  m.clients.forEach((c, i) => lines.push(`  c${i}["${label(c.name)}"] --> gw`));
  lines.push(`  gw{{"gateway (${m.profile})"}}`);
  m.routes.forEach((r, i) => {
    const tags = [r.authType !== 'none' ? r.authType : '', r.rateLimit ? 'limit' : '', r.cache ? 'cache' : '', r.deprecated !== undefined ? 'deprecated' : ''].filter(Boolean).join(', ');
    lines.push(`  gw --> r${i}["${label(r.name)}${tags ? `<br/>${tags}` : ''}"]`);
    for (const s of r.services) lines.push(`  r${i} --> s_${id(m.services[s].name)}`);
  });
  m.services.forEach((s) => lines.push(`  s_${id(s.name)}[("${label(s.name)} ×${s.n}")]`));
  return lines.join('\n');
}
