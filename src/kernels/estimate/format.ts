// Display rules: four significant digits; bytes scaled to the best decimal prefix (IEC only if the
// input used IEC, bits only if the input used bits and no bytes); rates per second, never Hz; money
// as `2,484 USD/month`: the currency code after the number, per month, cents below 1,000.
import { Dims, INFO, TIME, currenciesOf, dimName, isCurrencyIndex, isNone } from './dimensions';
import { F_BITS, F_BYTES, F_DOWNTIME, F_IEC, F_PERCENT, MONTH, YEAR, displayName } from './units';

/** Four significant digits, thousands separators, exponent only for the very large or small. */
export function fmtNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e15 || a < 1e-4) return cleanExp(x.toExponential(3));
  let e = Math.floor(Math.log10(a));
  // Round to 4 significant digits by an exact power of ten; String() then drops trailing zeros.
  let d = 10 ** (3 - e);
  let r = e < 3 ? Math.round(a * d) : 0;
  if (r >= 10000) e++; // 9.9996 rounds up to 10.00: one digit fewer after the point
  if (e >= 3) {
    const q = 10 ** (e - 3);
    return groupThousands(String(Math.round(x / q) * q));
  }
  d = 10 ** (3 - e);
  r = Math.round(a * d);
  const out = String(r / d);
  return x < 0 ? '-' + out : out;
}

function cleanExp(s: string): string {
  const [m, e] = s.split('e');
  const mm = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
  return `${mm}e${e.replace('+', '')}`;
}

function groupThousands(s: string): string {
  const neg = s.startsWith('-');
  const digits = neg ? s.slice(1) : s;
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return neg ? '-' + out : out;
}

/** Counts and plain numbers: `3,472`, `300M`, `1.5bn`, `2 trillion` (all valid input again). */
export function fmtCount(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e6 && a < 1e15) {
    if (a < 1e9) return fmtNumber(x / 1e6) + 'M';
    if (a < 1e12) return fmtNumber(x / 1e9) + 'bn';
    return fmtNumber(x / 1e12) + ' trillion';
  }
  return fmtNumber(x);
}

/**
 * Money never in exponent notation: whole units with separators from 1,000 (`2,484`), M/bn/trillion
 * from a million (`1.2M`), cents from 1 to 1,000 (`248.20`), and up to four significant digits below 1
 * (`0.34`, `0.023`, `0.0000125`).
 */
export function fmtMoney(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a === 0) return '0';
  const sign = x < 0 ? '-' : '';
  if (Math.round(a) >= 1e6) {
    if (a < 1e9) return sign + fmtNumber(a / 1e6) + 'M';
    if (a < 1e12) return sign + fmtNumber(a / 1e9) + 'bn';
    if (a < 1e27) return sign + fmtNumber(a / 1e12) + ' trillion';
    return sign + BigInt(Math.round(a / 1e12)).toLocaleString('en-US') + ' trillion';
  }
  if (a >= 999.995) return sign + groupThousands(String(Math.round(a)));
  if (a >= 0.995) return sign + a.toFixed(2);
  // Four significant digits, at least the cents, trailing zeros after them dropped.
  const decimals = Math.max(2, 3 - Math.floor(Math.log10(a)));
  return sign + a.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** Percentages near 100% keep enough digits to show the nines (99.999%). */
export function fmtPercent(p: number): string {
  const gap = 100 - p;
  if (p > 99 && gap > 0) {
    const decimals = Math.min(12, Math.ceil(-Math.log10(gap)) + 3);
    return p.toFixed(decimals).replace(/\.?0+$/, '') + '%';
  }
  return fmtNumber(p) + '%';
}

export interface DisplayUnit {
  /** Unit text after the number (`req/s`, `TB`, `%`), possibly empty. */
  unit: string;
  /** Base units per displayed unit: shown number = value / factor. */
  factor: number;
  /** Scale big counts with M / bn rather than prefixes. */
  count: boolean;
  percent: boolean;
  /** Money: `fmtMoney` (cents, never an exponent). */
  money: boolean;
}

const DURATIONS: [string, number][] = [
  ['years', YEAR],
  ['days', 86400],
  ['h', 3600],
  ['min', 60],
  ['s', 1],
  ['ms', 1e-3],
  ['µs', 1e-6],
  ['ns', 1e-9],
];

function pickDuration(seconds: number): [string, number] {
  const a = Math.abs(seconds);
  if (a === 0) return ['s', 1];
  for (const d of DURATIONS) if (a >= d[1] * 0.99995) return d;
  return DURATIONS[DURATIONS.length - 1];
}

const DEC = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
const BIN = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function pickPrefix(value: number, iec: boolean): [string, number] {
  const step = iec ? 1024 : 1000;
  const names = iec ? BIN : DEC;
  const a = Math.abs(value);
  let k = 0;
  let f = 1;
  // 0.99995 keeps 999.99 kB from showing as 1,000 kB after rounding.
  while (k < names.length - 1 && a >= f * step * 0.99995) {
    f *= step;
    k++;
  }
  return [names[k], f];
}

/** Chooses the unit a value is shown in when the line has no `->`. */
export function autoUnit(v: number, d: Dims, f: number): DisplayUnit {
  if (isNone(d)) {
    if (f & F_PERCENT) return { unit: '%', factor: 0.01, count: false, percent: true, money: false };
    if (f & F_DOWNTIME) {
      const [u, uf] = pickDuration(v * YEAR);
      return {
        unit: `${u === 'years' ? 'year' : u === 'days' ? 'days' : u}/year`,
        factor: uf / YEAR,
        count: false,
        percent: false,
        money: false,
      };
    }
    return { unit: '', factor: 1, count: true, percent: false, money: false };
  }
  const money = currenciesOf(d).length > 0;
  if (money) {
    const m = moneyUnit(d);
    if (m) return m;
  }
  const t = d[TIME] ?? 0;
  const i = d[INFO] ?? 0;
  if (t === 1 && d.length === 1) {
    const [u, uf] = pickDuration(v);
    return {
      unit: u === 'years' && Math.abs(v / uf - 1) < 5e-5 ? 'year' : u === 'days' && Math.abs(v / uf - 1) < 5e-5 ? 'day' : u,
      factor: uf,
      count: false,
      percent: false,
      money: false,
    };
  }
  const num: string[] = [];
  const den: string[] = [];
  let factor = 1;
  let count = true;
  let countIdx = -1;
  if (i === 1) {
    const bits = (f & F_BITS) !== 0 && (f & F_BYTES) === 0;
    const iec = (f & F_IEC) !== 0;
    const [p, pf] = pickPrefix(bits ? v * 8 : v, iec);
    factor = bits ? pf / 8 : pf;
    count = false;
    const rate = t === -1 && d.length === 2;
    if (rate) return { unit: bits ? `${p}bps` : `${p}B/s`, factor, count, percent: false, money: false };
    num.push(bits ? `${p}bit` : `${p}B`);
  } else if (i !== 0) {
    (i > 0 ? num : den).push(`B${Math.abs(i) === 1 ? '' : '^' + Math.abs(i)}`);
  }
  for (let k = 2; k < d.length; k++) {
    const e = d[k];
    if (e === 0) continue;
    const name = dimName(k);
    const pw = Math.abs(e) === 1 ? '' : '^' + Math.abs(e);
    if (e > 0) {
      if (countIdx < 0 && pw === '' && !isCurrencyIndex(k)) countIdx = num.length;
      num.push(name + pw);
    } else den.push(name + pw);
  }
  if (t > 0) num.push('s' + (t === 1 ? '' : '^' + t));
  else if (t < 0) den.push('s' + (t === -1 ? '' : '^' + -t));
  if (countIdx >= 0 && num.length === 1 && count) num[countIdx] = displayName(num[countIdx], v);
  const unit = num.join('·') + den.map((x) => '/' + x).join('');
  return { unit, factor, count: count && !money, percent: false, money };
}

/**
 * One currency per month, per GB or per countable thing: `USD`, `USD/month`, `USD/GB/month`,
 * `USD/server/month`. Other money dimensions (USD², USD·s) take the general rules.
 */
function moneyUnit(d: Dims): DisplayUnit | undefined {
  let code = '';
  let factor = 1;
  const den: string[] = [];
  for (let k = 0; k < d.length; k++) {
    const e = d[k];
    if (e === 0) continue;
    if (isCurrencyIndex(k)) {
      if (e !== 1 || code) return undefined;
      code = dimName(k);
    } else if (e !== -1) return undefined;
    else if (k === TIME) factor /= MONTH;
    else if (k === INFO) {
      den.push('GB');
      factor *= 1e-9;
    } else den.push(dimName(k));
  }
  if (d[TIME] === -1) den.push('month');
  return { unit: code + den.map((x) => '/' + x).join(''), factor, count: false, percent: false, money: true };
}

/** The table text: `3,472 tweets/s`, `54.79 PB`, `99.99%`. */
export function formatValue(v: number, du: DisplayUnit): string {
  const x = v / du.factor;
  if (du.percent) return fmtPercent(x);
  const n = du.money ? fmtMoney(x) : du.count ? fmtCount(x) : fmtNumber(x);
  if (!du.unit) return n;
  return `${n} ${du.unit}`;
}

/** Full precision for hovers: 15 significant digits, which hides unit-scaling noise (500.00000000000006). */
export function formatFull(v: number, du: DisplayUnit): string {
  const x = Number.isFinite(v) ? +(v / du.factor).toPrecision(15) : v;
  return du.unit === '%' ? `${x}%` : du.unit ? `${x} ${du.unit}` : String(x);
}
