// Axis arithmetic for charts: ticks at round values (1, 2 or 5 × 10^k), the log10(1 + y) scale used
// when one value dominates, tick labels, and how many category labels fit. Pure: tested in node.

export interface Ticks {
  /** The axis range (widened to whole steps when `extend`). */
  lo: number;
  hi: number;
  step: number;
  ticks: number[];
}

/** The smallest step of 1, 2 or 5 × 10^k that splits `span` into at most `maxIntervals` parts. */
export function niceStep(span: number, maxIntervals: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, maxIntervals);
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw * (1 - 1e-12)) return m * mag;
  return 10 * mag;
}

const decimalsOf = (step: number) => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
const snap = (v: number, step: number) => Number(v.toFixed(Math.min(20, decimalsOf(step) + 1)));

/**
 * Round ticks for [lo, hi]. With `extend` the range grows to whole steps (a value axis starting at
 * a tick and ending at one); without, ticks stay inside the data (a time axis).
 */
export function niceTicks(lo: number, hi: number, maxIntervals: number, extend = true): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { lo: 0, hi: 1, step: 1, ticks: [0, 1] };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    if (lo === 0) hi = 1;
    else if (lo > 0) lo = 0;
    else hi = 0;
  }
  const step = niceStep(hi - lo, maxIntervals);
  const first = extend ? Math.floor(lo / step + 1e-9) : Math.ceil(lo / step - 1e-9);
  const last = extend ? Math.ceil(hi / step - 1e-9) : Math.floor(hi / step + 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(snap(i * step, step));
  return extend ? { lo: ticks[0], hi: ticks[ticks.length - 1], step, ticks } : { lo, hi, step, ticks };
}

/** The log scale's transform: log10(1 + y), so that zero sits at the bottom of the axis. */
export const symlog = (y: number) => Math.log10(1 + Math.max(0, y));

/** Ticks for the log10(1 + y) scale up to `max`: 0 and powers of ten (with 2× and 5× over at most two decades). */
export function logTicks(max: number): Ticks {
  const top = Math.max(1, Math.ceil(Math.log10(Math.max(1, max)) - 1e-9));
  const ticks = [0];
  for (let k = 0; k <= top; k++) {
    ticks.push(10 ** k);
    if (top <= 2 && k < top) ticks.push(2 * 10 ** k, 5 * 10 ** k);
  }
  return { lo: 0, hi: 10 ** top, step: 10, ticks };
}

/** A tick's label: as many decimals as the step needs; 10,000 and over in compact form (20K, 1.5M). */
export function tickLabel(v: number, step: number): string {
  if (Math.abs(v) >= 10_000) return v.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  const d = Math.min(20, decimalsOf(step));
  return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** Label every n-th category so that labels `labelWidth` wide (plus a gap) fit in `width`. */
export function labelEvery(count: number, width: number, labelWidth: number, gap = 8): number {
  if (count <= 1 || width <= 0) return 1;
  return Math.max(1, Math.ceil((count * (labelWidth + gap)) / width));
}
