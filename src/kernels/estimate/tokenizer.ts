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
      tokens.push({ t: 'num', s, e: i, text: src.slice(s, i), v: Number(text), sp });
    } else if (isIdentStart(c, src, i)) {
      i++;
      while (i < n && isIdentPart(src.charCodeAt(i), src, i)) i++;
      tokens.push({ t: 'id', s, e: i, text: src.slice(s, i), v: 0, sp });
    } else if (c === 45 && src.charCodeAt(i + 1) === 62) {
      i += 2;
      tokens.push({ t: 'op', s, e: i, text: '->', v: 0, sp });
    } else if (c === 42 && src.charCodeAt(i + 1) === 42) {
      i += 2;
      tokens.push({ t: 'op', s, e: i, text: '^', v: 0, sp });
    } else if (isSingleOp(c)) {
      i++;
      tokens.push({ t: 'op', s, e: i, text: src[s], v: 0, sp });
    } else if (c === 0x2192) {
      i++;
      tokens.push({ t: 'op', s, e: i, text: '->', v: 0, sp });
    } else if (c === 0xd7 || c === 0xb7 || c === 0x22c5) {
      i++;
      tokens.push({ t: 'op', s, e: i, text: '*', v: 0, sp });
    } else if (c === 0xf7) {
      i++;
      tokens.push({ t: 'op', s, e: i, text: '/', v: 0, sp });
    } else {
      // Report one UTF-16 unit (or a surrogate pair) so the range stays inside the line.
      const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      return { tokens, error: { message: `unexpected character \`${src.slice(i, i + w)}\``, start: i, end: i + w } };
    }
    sp = false;
  }
  tokens.push({ t: 'end', s: n, e: n, text: '', v: 0, sp: true });
  return { tokens };
}
