// Dimensions as small exponent arrays: index 0 is Time, 1 is Information, 2-4 the currencies USD, EUR
// and GBP, then one slot per countable unit (`req`, `user`, declared ones). Arrays are kept trimmed so
// a plain number is `[]`.

export type Dims = readonly number[];

export const TIME = 0;
export const INFO = 1;
export const NONE: Dims = [];

/** Currencies are base dimensions of their own: money is never converted between them. */
export const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
const FIRST_CURRENCY = 2;

const names: string[] = ['time', 'information', ...CURRENCIES];
const indexOf = new Map<string, number>(names.map((n, i) => [n, i]));

export function isCurrencyIndex(i: number): boolean {
  return i >= FIRST_CURRENCY && i < FIRST_CURRENCY + CURRENCIES.length;
}

/** The currencies a dimension involves (any exponent), e.g. `['USD']` for USD × Time⁻¹. */
export function currenciesOf(a: Dims): string[] {
  const out: string[] = [];
  for (let i = FIRST_CURRENCY; i < FIRST_CURRENCY + CURRENCIES.length && i < a.length; i++) if (a[i] !== 0) out.push(names[i]);
  return out;
}

/** Slot of a base dimension, interned on first use (countable units are dimensions of their own). */
export function dimIndex(name: string): number {
  let i = indexOf.get(name);
  if (i === undefined) {
    i = names.length;
    names.push(name);
    indexOf.set(name, i);
  }
  return i;
}

export function dimName(i: number): string {
  return names[i];
}

export function baseDim(i: number): Dims {
  const d = new Array<number>(i + 1).fill(0);
  d[i] = 1;
  return d;
}

function trim(d: number[]): number[] {
  let n = d.length;
  while (n > 0 && d[n - 1] === 0) n--;
  if (n !== d.length) d.length = n;
  return d;
}

export function mulDims(a: Dims, b: Dims): Dims {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const n = a.length > b.length ? a.length : b.length;
  const r = new Array<number>(n);
  for (let i = 0; i < n; i++) r[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return trim(r);
}

export function divDims(a: Dims, b: Dims): Dims {
  if (b.length === 0) return a;
  const n = a.length > b.length ? a.length : b.length;
  const r = new Array<number>(n);
  for (let i = 0; i < n; i++) r[i] = (a[i] ?? 0) - (b[i] ?? 0);
  return trim(r);
}

export function powDims(a: Dims, k: number): Dims {
  if (a.length === 0) return a;
  return trim(a.map((e) => e * k));
}

export function sameDims(a: Dims, b: Dims): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isNone(a: Dims): boolean {
  return a.length === 0;
}

export function dimsToRecord(a: Dims): Record<string, number> {
  const r: Record<string, number> = {};
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) r[names[i]] = a[i];
  return r;
}

export function dimsFromRecord(r: Record<string, number>): Dims {
  const d: number[] = [];
  for (const k of Object.keys(r)) {
    const e = r[k];
    if (typeof e !== 'number' || e === 0) continue;
    const i = dimIndex(k);
    while (d.length <= i) d.push(0);
    d[i] = e;
  }
  return trim(d);
}

/** `Time`, `Information`, `Req`: how a base dimension is named in messages. */
export function dimLabel(i: number): string {
  const n = names[i];
  return n.charAt(0).toUpperCase() + n.slice(1);
}

const SUP: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '.': '·',
};

function sup(e: number): string {
  let s = '';
  for (const ch of String(e)) s += SUP[ch] ?? ch;
  return s;
}

/** numbat style: `Req × Time⁻¹`, with a common name in brackets where one exists. */
export function formatDims(a: Dims): string {
  if (a.length === 0) return 'Scalar';
  const parts: string[] = [];
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < a.length; i++) {
      const e = a[i];
      if (e === 0 || (pass === 0) !== e > 0) continue;
      parts.push(e === 1 ? dimLabel(i) : dimLabel(i) + sup(e));
    }
  }
  const text = parts.join(' × ');
  const alias = dimAlias(a);
  return alias ? `${text}  [= ${alias}]` : text;
}

function dimAlias(a: Dims): string | undefined {
  if (a.length === 1 && a[TIME] === -1) return 'Rate';
  if (a.length === 2 && a[TIME] === -1 && a[INFO] === 1) return 'Bandwidth';
  return undefined;
}
