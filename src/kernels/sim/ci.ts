// Mean ± 95% Student-t confidence interval over independent replications (one value per replication).

// Two-sided 95% critical values t(0.975, df) for df = 1..30 (standard tables).
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t(0.975, df): table up to 30, then the Cornish-Fisher expansion (error < 1e-4). */
export function studentT975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1];
  const z = 1.959963984540054;
  const z3 = z ** 3,
    z5 = z ** 5,
    z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

export interface ConfidenceInterval {
  n: number;
  mean: number;
  /** Sample standard deviation across replications. */
  sd: number;
  /** Half-width of the 95% interval: t(0.975, n-1) · sd / √n. */
  halfWidth: number;
  lo: number;
  hi: number;
}

/** Mean ± 95% t-interval. Needs at least two values for a finite interval. */
export function meanCI95(values: readonly number[]): ConfidenceInterval {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, halfWidth: NaN, lo: NaN, hi: NaN };
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const halfWidth = n > 1 ? (studentT975(n - 1) * sd) / Math.sqrt(n) : Infinity;
  return { n, mean, sd, halfWidth, lo: mean - halfWidth, hi: mean + halfWidth };
}

export function contains(ci: ConfidenceInterval, x: number): boolean {
  return x >= ci.lo && x <= ci.hi;
}

/**
 * `12.3 ± 0.4`: the half-width to two significant digits, and the mean to at least `digits` and down to
 * the half-width's last digit, so that rounding the mean never moves it by more than the interval
 * shows (`12,345.00 ± 0.50`, not `12,300 ± 0.50`).
 */
export function formatCI(ci: ConfidenceInterval, digits = 3): string {
  if (!Number.isFinite(ci.halfWidth)) return significant(ci.mean, digits);
  const last = ci.halfWidth > 0 ? Math.floor(Math.log10(ci.halfWidth)) - 1 : Infinity; // the half-width's second digit
  const first = ci.mean !== 0 ? Math.floor(Math.log10(Math.abs(ci.mean))) : 0;
  const meanDigits = last === Infinity ? digits : Math.min(21, Math.max(digits, first - last + 1));
  return `${significant(ci.mean, meanDigits)} ± ${significant(ci.halfWidth, 2)}`;
}

/** `digits` significant digits with thousands separators, never in exponent notation (2,000 not 2.00e+3; 0.0000340 not 3.40e-5). */
export function significant(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x.toLocaleString('en-US', { minimumSignificantDigits: digits, maximumSignificantDigits: digits });
}

/**
 * A figure of the full-precision table: a whole number exactly, anything else to 6 significant
 * digits, or more when `halfWidth` (its interval's) asks for them, so that rounding moves it by less
 * than a hundredth of the half-width. The 15–17 digits a double holds are float noise in a simulated figure (299.700000610799).
 */
export function figureText(x: number, halfWidth = NaN): string {
  if (!Number.isFinite(x)) return '–';
  if (Number.isInteger(x)) return x.toLocaleString('en-US', { maximumFractionDigits: 0, useGrouping: false });
  let digits = 6;
  if (Number.isFinite(halfWidth) && halfWidth > 0 && x !== 0) {
    // The place of the rounding step: 6 significant digits of x, then down to a hundredth of the half-width.
    const lead = Math.floor(Math.log10(Math.abs(x)));
    const needed = lead - Math.floor(Math.log10(halfWidth / 100)) + 1;
    digits = Math.min(17, Math.max(6, needed));
  }
  return Number(x.toPrecision(digits)).toLocaleString('en-US', { maximumSignificantDigits: digits, useGrouping: false });
}
