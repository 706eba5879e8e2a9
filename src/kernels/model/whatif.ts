// Running a sweep and a capacity search, and reporting them: the requirement checks' measured side
// against the swept value with the limit drawn, the knee, and the component that saturates first.
// The kernels say how to run the model at a value; this file decides which values and what it means.
import { formatNumber, type Block, type Chart, type Report } from '../report';
import type { PointRun, RunBudget, Verdict } from '../types';

export type { PointRun } from '../types';
import { unitScale } from './units';
import type { ParameterRef, SolveSpec, SweepSpec } from './sweep';

export const verdictKey = (v: Verdict) => `${v.id}|${v.check}`;

/** Every judged check met (pending checks do not count; a point with no check meets nothing). */
export function meetsAll(p: PointRun): boolean {
  const judged = p.verdicts.filter((v) => v.status !== 'pending');
  return judged.length > 0 && judged.every((v) => v.status === 'met');
}

/** The parameter in the unit its key is written in, for axes and tables. */
export function parameterShown(param: ParameterRef, si: number): number {
  return param.field.type === 'number' ? si / unitScale(param.field.unit) : si;
}

function parameterUnit(param: ParameterRef): string {
  return param.field.type === 'number' && param.field.unit ? param.field.unit : '';
}

export function parameterText(param: ParameterRef, si: number): string {
  const u = parameterUnit(param);
  return `${formatNumber(parameterShown(param, si))}${u ? (u.startsWith('/') ? u : ` ${u}`) : ''}`;
}

/** Runs the points in order; stops at Stop and when the budget is spent. */
export async function runPoints(
  values: readonly number[],
  runAt: (v: number) => PointRun | Promise<PointRun>,
  isCancelled: () => boolean,
): Promise<PointRun[]> {
  const out: PointRun[] = [];
  for (const v of values) {
    if (isCancelled()) break;
    const p = await runAt(v);
    out.push(p);
    // The cell's budget is spent: every point after this one would stop at once.
    if (p.stopped === 'max-events' || p.stopped === 'wall-time') break;
  }
  return out;
}

export interface KneeReport {
  /** Increasing the parameter ends in failure (load) or in success (capacity). */
  direction: 'meets-then-fails' | 'fails-then-meets' | 'all-meet' | 'none-meet' | 'mixed';
  /** Last point that meets before the first that fails (load), or first that meets (capacity). */
  knee?: PointRun;
  /** The point just past the knee. */
  next?: PointRun;
}

export function findKnee(points: readonly PointRun[]): KneeReport {
  const ok = points.map(meetsAll);
  if (ok.length && ok.every(Boolean)) return { direction: 'all-meet', knee: points[points.length - 1] };
  if (!ok.some(Boolean)) return { direction: 'none-meet' };
  const firstFail = ok.indexOf(false);
  const firstMeet = ok.indexOf(true);
  if (firstMeet === 0 && ok.slice(firstFail).every((x) => !x))
    return { direction: 'meets-then-fails', knee: points[firstFail - 1], next: points[firstFail] };
  if (firstFail === 0 && ok.slice(firstMeet).every(Boolean))
    return { direction: 'fails-then-meets', knee: points[firstMeet], next: points[firstMeet - 1] };
  return { direction: 'mixed', knee: points[ok.lastIndexOf(true)] };
}

/** The checks a point does not meet: those not met, and those marginal (the 95% interval straddles the limit). */
function unmet(p: PointRun): { failed: string[]; marginal: string[] } {
  const failed = p.verdicts.filter((v) => v.status === 'not met').map((v) => v.id);
  const marginal = p.verdicts.filter((v) => v.status === 'marginal').map((v) => v.id);
  if (failed.length || marginal.length) return { failed, marginal };
  // Nothing judged: say why (a point with no judged check meets nothing).
  return {
    failed: [
      p.invalid
        ? `the checks (the model cannot run there: ${p.invalid.replace(/\.$/, '')})`
        : p.stopped
          ? `the checks (the run ${p.stopped === 'max-events' || p.stopped === 'wall-time' ? 'ran out of budget' : 'stopped early'})`
          : 'the checks (nothing measured)',
    ],
    marginal: [],
  };
}

/** What a point does not meet, as a clause: `NFR1 fails`, `NFR2 is marginal`, `NFR1 fails and NFR2, NFR3 are marginal`. */
export function unmetClause(p: PointRun, still = false): string {
  const { failed, marginal } = unmet(p);
  const s = still ? 'still ' : '';
  const parts: string[] = [];
  if (failed.length) parts.push(`${failed.join(', ')} ${s}fail${failed.length === 1 ? 's' : ''}`);
  if (marginal.length) parts.push(`${marginal.join(', ')} ${marginal.length === 1 ? 'is' : 'are'} ${s}marginal`);
  return parts.join(' and ');
}

/** What a point misses, as a list: `NFR1, NFR2 (marginal)`. */
function unmetList(p: PointRun): string {
  const { failed, marginal } = unmet(p);
  return [...failed, ...marginal.map((id) => `${id} (marginal)`)].join(', ');
}

/** A point's verdict in a table cell or a trail: ✔ met, ✘ a check fails, ≈ only marginal checks. */
function mark(p: PointRun): '✔' | '✘' | '≈' {
  if (meetsAll(p)) return '✔';
  return unmet(p).failed.length ? '✘' : '≈';
}

const anyMarginal = (points: readonly PointRun[]) => points.some((p) => p.verdicts.some((v) => v.status === 'marginal'));

/** How marginal checks count, for a sentence about points where some check is marginal. */
const MARGINAL_NOTE = ' (a marginal check, whose 95% interval straddles its limit, does not count as met)';

/** One sentence about the knee: where the design stops meeting its requirements and what saturates. */
export function kneeSentence(spec: SweepSpec, k: KneeReport, points: readonly PointRun[] = []): string {
  const param = spec.parameter;
  const at = (p: PointRun) => `\`${param.label}\` = ${parameterText(param, p.value)}`;
  const why = (p: PointRun | undefined) => (p?.saturation ? ` ${p.saturation.reason}` : '');
  const note = anyMarginal(points) ? MARGINAL_NOTE : '';
  switch (k.direction) {
    case 'all-meet':
      return `Every requirement is met over the whole sweep, up to ${at(k.knee!)}.${why(k.knee)}`;
    case 'none-meet':
      return `No swept value meets every requirement${note}.`;
    case 'meets-then-fails':
      return `The knee: ${at(k.knee!)} is the highest value that meets every requirement${note}; at ${parameterText(param, k.next!.value)} ${unmetClause(k.next!)}.${why(k.next)}`;
    case 'fails-then-meets':
      return `${at(k.knee!)} is the smallest value that meets every requirement${note}; at ${parameterText(param, k.next!.value)} ${unmetClause(k.next!)}.${why(k.next)}`;
    case 'mixed':
      return `The requirements are met at some values and not others${note}; the highest that meets them all is ${at(k.knee!)}.`;
  }
}

/** The sweep as report blocks: one chart per check (measured, limit, closed form named by its formula), the knee, the points. */
export function sweepBlocks(spec: SweepSpec, points: readonly PointRun[], requested: number): Block[] {
  const param = spec.parameter;
  const unit = parameterUnit(param);
  const x = points.map((p) => +parameterShown(param, p.value).toPrecision(6));
  const xLabel = `${param.label}${unit ? ` (${unit})` : ''}`;
  const checks = new Map<string, Verdict>();
  for (const p of points) for (const v of p.verdicts) if (v.figures && !checks.has(verdictKey(v))) checks.set(verdictKey(v), v);
  const k = findKnee(points);
  const blocks: Block[] = [{ type: 'markdown', text: kneeSentence(spec, k, points) }];
  if (points.length < requested)
    blocks.push({
      type: 'notice',
      level: 'warning',
      text: `The sweep stopped after ${points.length} of ${requested} points; the chart covers what ran.`,
    });
  if (checks.size === 0)
    blocks.push({
      type: 'notice',
      level: 'info',
      text: "No requirement check reads this model's results, so the sweep has nothing to judge: name the model and state a check such as `require NFR2: checkout.p99 <= 50 ms` in an estimate cell below it.",
    });
  for (const [key, first] of checks) {
    const at = (p: PointRun) => p.verdicts.find((v) => verdictKey(v) === key)?.figures;
    const series: Chart['series'] = [
      { name: first.check.split(/\s*(?:<=|<|>=|>)\s*/)[0], values: points.map((p) => at(p)?.measured ?? NaN), color: 'blue' },
      { name: `limit (${first.id})`, values: points.map((p) => at(p)?.limit ?? NaN), color: 'red' },
    ];
    // The curve is named by its formula (`M/M/c`, `M/G/c (approx.)`), as the first point that has one names it.
    const closed = points.map((p) => p.closedForm?.values.get(key) ?? NaN);
    const formula = points.find((p) => p.closedForm?.values.has(key))?.closedForm?.name;
    if (formula && closed.some(Number.isFinite)) series.push({ name: formula, values: closed, color: 'green' });
    blocks.push({
      type: 'chart',
      title: `${first.id}: ${first.check}`,
      chart: { kind: 'line', xLabel, yLabel: first.figures?.unit ?? '', x, series },
    });
  }
  const ids = [...checks.values()].map((v) => v.id);
  blocks.push({
    type: 'table',
    title: 'Points',
    columns: [xLabel, ...[...checks.values()].map((v) => `${v.id} measured`), 'Verdict', 'Busiest component'],
    align: ['r', ...ids.map(() => 'r' as const), 'l', 'l'],
    rows: points.map((p) => [
      parameterText(param, p.value),
      ...[...checks.keys()].map((key) => p.verdicts.find((v) => verdictKey(v) === key)?.measured ?? '–'),
      pointVerdict(p),
      p.saturation ? `${p.saturation.component} (${formatNumber(100 * p.saturation.utilisation, 3)}%)` : '–',
    ]),
    note:
      [
        anyMarginal(points)
          ? '≈ marginal: the 95% interval of the measured value straddles the limit (run more replications or a longer duration to decide); a point with a marginal check does not meet every requirement.'
          : '',
        points.some((p) => p.stopped) ? 'Some points stopped early; their figures cover what ran.' : '',
      ]
        .filter(Boolean)
        .join(' ') || undefined,
  });
  return blocks;
}

/** The Verdict column of a sweep's points: `✔ meets every requirement`, `✘ NFR1`, `≈ NFR2 marginal`, `✘ NFR1 · ≈ NFR2 marginal`. */
export function pointVerdict(p: PointRun): string {
  if (meetsAll(p)) return '✔ meets every requirement';
  const { failed, marginal } = unmet(p);
  const parts: string[] = [];
  if (failed.length) parts.push(`✘ ${failed.join(', ')}`);
  if (marginal.length) parts.push(`≈ ${marginal.join(', ')} marginal`);
  return parts.join(' · ');
}

export interface SolveResult {
  /** The smallest value that meets every requirement, if one in range does. */
  answer?: PointRun;
  /** Every run, in the order they ran. */
  runs: PointRun[];
  sentence: string;
}

/**
 * The smallest whole value in [min, max] that meets every requirement, assuming more of the resource
 * never hurts: from a first guess (a closed form where the kernel has one) it checks one below, or
 * doubles until a value meets, then bisects. A few runs, not a scan.
 */
export async function solveCapacity(
  spec: SolveSpec,
  guess: number | undefined,
  runAt: (v: number) => PointRun | Promise<PointRun>,
  isCancelled: () => boolean,
): Promise<SolveResult> {
  const { min, max } = spec;
  const runs: PointRun[] = [];
  const tried = new Map<number, PointRun>();
  const test = async (v: number) => {
    let r = tried.get(v);
    if (!r) {
      r = await runAt(v);
      tried.set(v, r);
      runs.push(r);
    }
    return meetsAll(r);
  };
  let hi: number | undefined; // smallest known to meet
  let lo = min - 1; // largest known to fail (min - 1: nothing below min)
  let v = Math.min(max, Math.max(min, Math.round(guess ?? min)));
  const first = v;
  // Find a value that meets: the guess, then doubling.
  while (!isCancelled()) {
    if (await test(v)) {
      hi = v;
      break;
    }
    lo = v;
    if (v >= max) break;
    v = Math.min(max, Math.max(v + 1, v * 2));
  }
  // The guess met: check just below it, the usual case when the closed form is right, then further
  // down in growing steps until a value fails.
  const guessMet = hi === first;
  for (let step = 1; guessMet && hi !== undefined && hi - step > lo && !isCancelled(); step *= 2) {
    if (!(await test(hi - step))) {
      lo = hi - step;
      break;
    }
    hi -= step;
  }
  while (hi !== undefined && hi - lo > 1 && !isCancelled()) {
    const mid = Math.floor((lo + hi) / 2);
    if (await test(mid)) hi = mid;
    else lo = mid;
  }
  const param = spec.parameter;
  const n = runs.length;
  const trail = runs.map((r) => `${parameterText(param, r.value)} ${mark(r)}`).join(', ');
  const note = anyMarginal(runs) ? MARGINAL_NOTE : '';
  if (hi === undefined) {
    const last = runs[runs.length - 1];
    const judged = last?.verdicts.filter((x) => x.status !== 'pending') ?? [];
    const sentence =
      judged.length === 0
        ? "No requirement check reads this model's results, so there is nothing to solve for: state one such as `require NFR2: checkout.p99 <= 50 ms` in an estimate cell below it."
        : `No \`${param.label}\` up to ${parameterText(param, max)} meets every requirement${note} (${unmetClause(last, true)}); ${n} model run${n === 1 ? '' : 's'}: ${trail}.`;
    return { runs, sentence };
  }
  const answer = tried.get(hi)!;
  const below = tried.get(hi - 1);
  const sentence = `The smallest \`${param.label}\` that meets every requirement${note} is ${parameterText(param, hi)}${below ? `; ${parameterText(param, hi - 1)} misses ${unmetList(below)}` : hi === min ? ' (the smallest allowed)' : ''}. Found in ${n} model run${n === 1 ? '' : 's'}: ${trail}.${answer.saturation ? ` ${answer.saturation.reason}` : ''}`;
  return { answer, runs, sentence };
}

/**
 * One cell's budget shared by every run it makes (the solve's runs, the main run, the sweep's
 * points): each run gets what is left of the wall clock and of the steps, and reports what it spent.
 */
export function shareBudget(budget: RunBudget): { left(): RunBudget; spend(steps: number): void } {
  const started = Date.now();
  let steps = 0;
  return {
    left: () => ({ maxEvents: Math.max(1, budget.maxEvents - steps), maxWallMs: Math.max(1, budget.maxWallMs - (Date.now() - started)) }),
    spend: (n) => {
      steps += n;
    },
  };
}

/** The report with the capacity answer under its headline, and the sweep folded after it. */
export function withWhatIf(report: Report, solved: { sentence: string; met: boolean } | undefined, sweep: Block[] | undefined): Report {
  if (!solved && !sweep) return report;
  const blocks = [...report.blocks];
  const at = blocks.findIndex((b) => b.type === 'headline') + 1;
  const extra: Block[] = [];
  if (solved) extra.push({ type: 'notice', level: solved.met ? 'info' : 'warning', text: solved.sentence });
  // The knee is the fold's summary line; its charts and points open on a click (a report's first screen is its verdict).
  if (sweep)
    extra.push({
      type: 'fold',
      summary: `Sweep: ${(sweep[0] as { text?: string }).text ?? 'points'}`,
      open: false,
      blocks: sweep.slice(1),
    });
  blocks.splice(at, 0, ...extra);
  return { ...report, blocks };
}
