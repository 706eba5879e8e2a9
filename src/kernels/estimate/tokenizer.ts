// Hand-written scanner for one line: no regex per character. Columns are UTF-16 offsets, as in VS Code.

export const T_NUM = 0;
export const T_IDENT = 1;
export const T_OP = 2;
export const T_END = 3;

export interface Token {
  t: number;
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

function isIdentStart(c: number, ch: string): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 0xb5 || c === 0x3bc || (c > 127 && /\p{L}/u.test(ch));
}

function isIdentPart(c: number, ch: string): boolean {
  return isIdentStart(c, ch) || isDigit(c);
}

const SINGLE = '+-*/^(),=%';

export function scanLine(src: string): { tokens: Token[]; error?: ScanError } {
  const tokens: Token[] = [];
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
      let underscore = false;
      while (i < n && (isDigit(src.charCodeAt(i)) || src.charCodeAt(i) === 95)) {
        if (src.charCodeAt(i) === 95) underscore = true;
        i++;
      }
      if (src.charCodeAt(i) === 46 && isDigit(src.charCodeAt(i + 1))) {
        i++;
        while (i < n && (isDigit(src.charCodeAt(i)) || src.charCodeAt(i) === 95)) {
          if (src.charCodeAt(i) === 95) underscore = true;
          i++;
        }
      }
      const ec = src.charCodeAt(i);
      if (ec === 101 || ec === 69) {
        let j = i + 1;
        const sc = src.charCodeAt(j);
        if (sc === 43 || sc === 45) j++;
        if (isDigit(src.charCodeAt(j))) {
          i = j;
          while (i < n && isDigit(src.charCodeAt(i))) i++;
        }
      }
      let text = src.slice(s, i);
      if (underscore) {
        if (/_$|__|_\.|\._/.test(text)) return { tokens, error: { message: `misplaced \`_\` in number \`${text}\`: write digit groups like \`1_000_000\``, start: s, end: i } };
        text = text.replace(/_/g, '');
      }
      tokens.push({ t: T_NUM, s, e: i, text: src.slice(s, i), v: Number(text), sp });
    } else if (isIdentStart(c, src[i])) {
      i++;
      while (i < n && isIdentPart(src.charCodeAt(i), src[i])) i++;
      tokens.push({ t: T_IDENT, s, e: i, text: src.slice(s, i), v: 0, sp });
    } else if (c === 45 && src.charCodeAt(i + 1) === 62) {
      i += 2;
      tokens.push({ t: T_OP, s, e: i, text: '->', v: 0, sp });
    } else if (c === 42 && src.charCodeAt(i + 1) === 42) {
      i += 2;
      tokens.push({ t: T_OP, s, e: i, text: '^', v: 0, sp });
    } else if (SINGLE.indexOf(src[i]) >= 0) {
      i++;
      tokens.push({ t: T_OP, s, e: i, text: src[s], v: 0, sp });
    } else if (c === 0x2192) {
      i++;
      tokens.push({ t: T_OP, s, e: i, text: '->', v: 0, sp });
    } else if (c === 0xd7 || c === 0xb7 || c === 0x22c5) {
      i++;
      tokens.push({ t: T_OP, s, e: i, text: '*', v: 0, sp });
    } else if (c === 0xf7) {
      i++;
      tokens.push({ t: T_OP, s, e: i, text: '/', v: 0, sp });
    } else {
      // Report one UTF-16 unit (or a surrogate pair) so the range stays inside the line.
      const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      return { tokens, error: { message: `unexpected character \`${src.slice(i, i + w)}\``, start: i, end: i + w } };
    }
    sp = false;
  }
  tokens.push({ t: T_END, s: n, e: n, text: '', v: 0, sp: true });
  return { tokens };
}
