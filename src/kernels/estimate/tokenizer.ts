// Hand-written scanner for one line: no regex per character. Columns are UTF-16 offsets, as in VS Code.

/** Token kinds are string literals: cheap to compare and nothing to import on the hot path. */
export type TokenKind = 'num' | 'id' | 'op' | 'end';

export interface Token {
  t: TokenKind;
  /** Start and end columns in the line. */
  s: number;
  e: number;
  /** Identifier name or operator (`->`, `+`, `%`, …); number source text. */
  text: string;
  /** Numeric value of a number token. */
  v: number;
  /** Whitespace (or the line start) precedes this token. */
  sp: boolean;
}

export interface ScanError {
  message: string;
  start: number;
  end: number;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const LETTER = /\p{L}/u;
const POW10: number[] = [];
for (let k = 0, p = 1; k <= 22; k++, p *= 10) POW10.push(p);

/** ASCII fast path; the regex only runs for non-ASCII characters. */
function isIdentStart(c: number, src: string, i: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  return c === 0xb5 || c === 0x3bc || LETTER.test(src[i]);
}

function isIdentPart(c: number, src: string, i: number): boolean {
  return (c >= 48 && c <= 57) || isIdentStart(c, src, i);
}

/** Single-character operators: + - * / ^ ( ) , = % */
function isSingleOp(c: number): boolean {
  return c === 43 || c === 45 || c === 42 || c === 47 || c === 94 || c === 40 || c === 41 || c === 44 || c === 61 || c === 37;
}

function put(toks: Token[], k: number, t: TokenKind, s: number, e: number, text: string, v: number, sp: boolean): void {
  toks[k] = { t, s, e, text, v, sp };
}

export interface ScanResult {
  /** The tokens, ending with an `end` token. */
  tokens: Token[];
  count: number;
  error?: ScanError;
}

/** Scans one line. */
export function scanLine(src: string): ScanResult {
  const tokens: Token[] = [];
  let k = 0;
  const n = src.length;
  let i = 0;
  let sp = true;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff) {
      i++;
      sp = true;
      continue;
    }
    if (c === 35) break; // `#` comment
    const s = i;
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
      // Digits are accumulated while scanning (Clinger's fast path below); `_` groups digits.
      let mant = 0;
      let digits = 0;
      let frac = 0;
      let underscore = false;
      let cc = c;
      while (i < n && ((cc >= 48 && cc <= 57) || cc === 95)) {
        if (cc === 95) underscore = true;
        else if (digits > 0 || cc !== 48) {
          mant = mant * 10 + (cc - 48);
          digits++;
        }
        cc = src.charCodeAt(++i);
      }
      if (cc === 46 && isDigit(src.charCodeAt(i + 1))) {
        cc = src.charCodeAt(++i);
        while (i < n && ((cc >= 48 && cc <= 57) || cc === 95)) {
          if (cc === 95) underscore = true;
          else {
            if (digits > 0 || cc !== 48) digits++;
            mant = mant * 10 + (cc - 48);
            frac++;
          }
          cc = src.charCodeAt(++i);
        }
      }
      let exp = 0;
      if (cc === 101 || cc === 69) {
        let j = i + 1;
        const sc = src.charCodeAt(j);
        if (sc === 43 || sc === 45) j++;
        if (isDigit(src.charCodeAt(j))) {
          i = j;
          while (i < n && isDigit(src.charCodeAt(i))) {
            if (exp < 1000) exp = exp * 10 + (src.charCodeAt(i) - 48);
            i++;
          }
          if (sc === 45) exp = -exp;
        }
      }
      const text = src.slice(s, i);
      if (underscore && /_$|__|_\.|\._/.test(text))
        return {
          tokens,
          count: k,
          error: { message: `misplaced \`_\` in number \`${text}\`: write digit groups like \`1_000_000\``, start: s, end: i },
        };
      // Exact when the mantissa has at most 15 digits and the power of ten is at most 10^22: one
      // correctly rounded multiply or divide of exact doubles, the same result as Number(text).
      const e10 = exp - frac;
      let v: number;
      if (digits <= 15 && e10 >= -22 && e10 <= 22) v = e10 >= 0 ? mant * POW10[e10] : mant / POW10[-e10];
      else v = Number(underscore ? text.replace(/_/g, '') : text);
      put(tokens, k++, 'num', s, i, text, v, sp);
    } else if (isIdentStart(c, src, i)) {
      i++;
      // A dotted name (`checkout.p99`) is one name: a model's result, published under the model's name.
      while (
        i < n &&
        (isIdentPart(src.charCodeAt(i), src, i) ||
          (src.charCodeAt(i) === 46 && i + 1 < n && isIdentStart(src.charCodeAt(i + 1), src, i + 1)))
      )
        i++;
      put(tokens, k++, 'id', s, i, src.slice(s, i), NaN, sp);
    } else if (c === 36 || c === 0x20ac || c === 0xa3) {
      // `$`, `€`, `£`: a currency symbol is a name of its own, before a number (`$5`) or as a unit (`5 $/h`).
      i++;
      put(tokens, k++, 'id', s, i, src[s], NaN, sp);
    } else if (c === 45 && src.charCodeAt(i + 1) === 62) {
      i += 2;
      put(tokens, k++, 'op', s, i, '->', NaN, sp);
    } else if (c === 42 && src.charCodeAt(i + 1) === 42) {
      i += 2;
      put(tokens, k++, 'op', s, i, '^', NaN, sp);
    } else if ((c === 60 || c === 62) && src.charCodeAt(i + 1) === 61) {
      i += 2;
      put(tokens, k++, 'op', s, i, c === 60 ? '<=' : '>=', NaN, sp);
    } else if (c === 60 || c === 62 || c === 58) {
      i++;
      put(tokens, k++, 'op', s, i, src[s], NaN, sp);
    } else if (c === 0x2264 || c === 0x2265) {
      i++;
      put(tokens, k++, 'op', s, i, c === 0x2264 ? '<=' : '>=', NaN, sp);
    } else if (isSingleOp(c)) {
      i++;
      put(tokens, k++, 'op', s, i, src[s], NaN, sp);
    } else if (c === 0x2192) {
      i++;
      put(tokens, k++, 'op', s, i, '->', NaN, sp);
    } else if (c === 0xd7 || c === 0xb7 || c === 0x22c5) {
      i++;
      put(tokens, k++, 'op', s, i, '*', NaN, sp);
    } else if (c === 0xf7) {
      i++;
      put(tokens, k++, 'op', s, i, '/', NaN, sp);
    } else {
      // Report one UTF-16 unit (or a surrogate pair) so the range stays inside the line.
      const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      return { tokens, count: k, error: { message: `unexpected character \`${src.slice(i, i + w)}\``, start: i, end: i + w } };
    }
    sp = false;
  }
  put(tokens, k++, 'end', n, n, '', NaN, true);
  return { tokens, count: k };
}
