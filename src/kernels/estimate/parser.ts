// Recursive-descent parser for one line. Precedence, loosest first:
//   `->`/`to`/`in`  <  `+ -`  <  `* / per`  <  unary `-`  <  number+unit  <  `^`  <  postfix `%`.
// A number swallows the units written after it (`20 req/user/day`), so `1 TB / 1 Gbps` is
// `(1 TB) / (1 Gbps)`; a power of a number comes before its units, as in GNU units and numbat:
// `2^33 B` is (2^33) B.
import { AnyNode, BinNode, Comparison, Expr, NumNode, Stmt, UnitAtom, UnitExpr } from './ast';
import { Token, scanLine } from './tokenizer';
import { CURRENCY_SYMBOLS, MAGNITUDES } from './units';

export class ParseError {
  constructor(
    readonly message: string,
    readonly start: number,
    readonly end: number,
    readonly code = 'syntax',
  ) {}
}

const MAX_OPS = 500;

/**
 * Every node gets every field, in one order, so all nodes share one hidden class: the checker and
 * evaluator then read `k`, `d`, `f`… monomorphically instead of across seven object shapes.
 */
function mk(k: Expr['k'], start: number, end: number): AnyNode {
  return {
    k,
    start,
    end,
    d: null,
    f: 0,
    value: NaN,
    units: undefined,
    cv: NaN,
    name: '',
    slot: -1,
    op: '+',
    l: undefined,
    r: undefined,
    e: undefined,
    opStart: 0,
    opEnd: 0,
    nameEnd: 0,
    args: undefined,
    fn: undefined,
  };
}

function binary(op: BinNode['op'], l: Expr, r: Expr, opTok: Token): BinNode {
  const n = mk('bin', l.start, r.end);
  n.op = op;
  n.l = l;
  n.r = r;
  n.opStart = opTok.s;
  n.opEnd = opTok.e;
  return n as BinNode;
}

function wrap(k: 'neg' | 'pct' | 'paren', e: Expr, start: number, end: number): Expr {
  const n = mk(k, start, end);
  n.e = e;
  return n as Expr;
}

export const KEYWORDS = new Set(['to', 'in', 'per', 'unit', 'require']);

/** Says whether a name is a unit (built in or declared) at this point of the cell. */
export interface UnitNames {
  isUnit(name: string): boolean;
}

const ANY_NAME: UnitNames = { isUnit: () => true };

const EMPTY_UNITS: UnitAtom[] = [];

class LineParser {
  private i = 0;
  private depth = 0;
  private ops = 0;
  constructor(
    private readonly toks: Token[],
    private readonly count: number,
    private readonly units: UnitNames,
  ) {}

  private peek(o = 0): Token {
    const k = this.i + o;
    return k < this.count ? this.toks[k] : this.toks[this.count - 1];
  }

  private isOp(tok: Token, op: string): boolean {
    return tok.t === 'op' && tok.text === op;
  }

  private isKw(tok: Token, kw: string): boolean {
    return tok.t === 'id' && tok.text === kw;
  }

  /** Bounds the tree (and the recursion of later stages) on pathological lines. */
  private countOp(t: Token): void {
    if (++this.ops > MAX_OPS)
      throw new ParseError(`more than ${MAX_OPS} operators on one line: split it into named steps`, t.s, t.e, 'too-complex');
  }

  private fail(tok: Token, what: string): never {
    if (tok.t === 'end') throw new ParseError(`${what}, but the line ends here`, tok.s, tok.e);
    let hint = '';
    const prev = this.toks[this.i - 1];
    if (prev && prev.t === 'op' && prev.text === '%' && tok.t === 'num') hint = ' (`%` is percent, not modulo)';
    else if (tok.t === 'op' && tok.text === ',' && prev?.t === 'num' && this.peek(1).t === 'num' && !this.peek(1).sp) {
      const next = this.peek(1).text;
      hint = /^\d{3}(?!\d)/.test(next)
        ? ` (group digits with \`_\`, as in \`${prev.text}_${next}\`; \`,\` only separates function arguments)`
        : ` (write decimals with a point, as in \`${prev.text}.${next}\`)`;
    } else if (what.startsWith('expected an operator') && tok.t === 'id' && prev?.t === 'id')
      hint = ' (write `*` between names to multiply)';
    else if (what.startsWith('expected an operator') && tok.t === 'num') hint = ' (write `*` to multiply)';
    throw new ParseError(`${what}, found \`${tok.text}\`${hint}`, tok.s, tok.e);
  }

  statement(line: number, src: string): Stmt | undefined {
    const t0 = this.peek();
    if (t0.t === 'end') return undefined;
    if (this.isKw(t0, 'unit')) {
      const nm = this.peek(1);
      if (nm.t !== 'id' || KEYWORDS.has(nm.text)) this.fail(nm, 'expected a unit name after `unit` (e.g. `unit photo`)');
      this.i += 2;
      if (this.peek().t !== 'end') this.fail(this.peek(), 'expected the end of the line after `unit ' + nm.text + '`');
      return {
        line,
        kind: 'unit',
        name: nm.text,
        nameSpan: { start: nm.s, end: nm.e },
        expr: undefined,
        target: undefined,
        arrow: undefined,
        text: src.slice(t0.s, nm.e),
        textStart: t0.s,
        targetFactor: undefined,
        slot: -1,
        localReads: [],
        broken: -1,
        brokenVia: -1,
        req: undefined,
        pending: undefined,
        stochastic: undefined,
      };
    }
    if (this.isKw(t0, 'require')) return this.requirement(line, src);
    let stmt: Stmt;
    if (t0.t === 'id' && this.isOp(this.peek(1), '=')) {
      if (KEYWORDS.has(t0.text)) throw new ParseError(`\`${t0.text}\` is a keyword and cannot be a name`, t0.s, t0.e);
      const code = CURRENCY_SYMBOLS.get(t0.text);
      if (code) throw new ParseError(`\`${t0.text}\` is the ${code} currency symbol and cannot be a name`, t0.s, t0.e);
      this.i += 2;
      const textStart = this.peek().s;
      stmt = {
        line,
        kind: 'assign',
        name: t0.text,
        nameSpan: { start: t0.s, end: t0.e },
        expr: undefined,
        target: undefined,
        arrow: undefined,
        text: '',
        textStart,
        targetFactor: undefined,
        slot: -1,
        localReads: [],
        broken: -1,
        brokenVia: -1,
        req: undefined,
        pending: undefined,
        stochastic: undefined,
      };
    } else {
      // Every field up front: one object shape for all statements.
      stmt = {
        line,
        kind: 'expr',
        name: undefined,
        nameSpan: undefined,
        expr: undefined,
        target: undefined,
        arrow: undefined,
        text: '',
        textStart: t0.s,
        targetFactor: undefined,
        slot: -1,
        localReads: [],
        broken: -1,
        brokenVia: -1,
        req: undefined,
        pending: undefined,
        stochastic: undefined,
      };
    }
    stmt.expr = this.expr();
    const a = this.peek();
    if (this.isOp(a, '->') || this.isKw(a, 'to') || this.isKw(a, 'in')) {
      this.i++;
      stmt.arrow = { start: a.s, end: a.e };
      stmt.target = this.target();
    }
    const end = this.peek();
    if (end.t !== 'end')
      this.fail(end, stmt.target ? 'expected the end of the line after the conversion' : 'expected an operator or the end of the line');
    const last = this.toks[this.i - 1];
    stmt.text = src.slice(stmt.textStart, last ? last.e : stmt.textStart);
    return stmt;
  }

  /** `require NFR2: checkout.p99 <= 50 ms`: a requirement's id, the measured side, a comparison and the limit. */
  private requirement(line: number, src: string): Stmt {
    this.i++;
    const id = this.peek();
    if (id.t !== 'id' || KEYWORDS.has(id.text))
      this.fail(id, "expected the requirement's id after `require` (e.g. `require NFR2: api.p99 <= 50 ms`)");
    this.i++;
    if (!this.isOp(this.peek(), ':')) this.fail(this.peek(), `expected \`:\` after \`require ${id.text}\``);
    this.i++;
    const textStart = this.peek().s;
    const left = this.expr();
    const c = this.peek();
    if (c.t !== 'op' || !['<', '<=', '>', '>='].includes(c.text))
      this.fail(c, 'expected a comparison (`<=`, `<`, `>=` or `>`) between the measured value and its limit');
    this.i++;
    const limit = this.expr();
    const end = this.peek();
    if (end.t !== 'end') this.fail(end, 'expected the end of the line after the limit');
    const last = this.toks[this.i - 1];
    const req = { id: id.text, idSpan: { start: id.s, end: id.e }, op: c.text as Comparison, opSpan: { start: c.s, end: c.e }, limit };
    return {
      line,
      kind: 'require',
      name: undefined,
      nameSpan: undefined,
      expr: left,
      target: undefined,
      arrow: undefined,
      text: src.slice(textStart, last.e),
      textStart,
      targetFactor: undefined,
      slot: -1,
      localReads: [],
      broken: -1,
      brokenVia: -1,
      req,
      pending: undefined,
      stochastic: undefined,
    };
  }

  expr(): Expr {
    if (++this.depth > 100) {
      const t = this.peek();
      throw new ParseError('expression nested too deeply', t.s, t.e);
    }
    let l = this.mul();
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || (t.text !== '+' && t.text !== '-')) {
        this.depth--;
        return l;
      }
      this.i++;
      this.countOp(t);
      const r = this.mul();
      l = binary(t.text as '+' | '-', l, r, t);
    }
  }

  private mul(): Expr {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      let op: '*' | '/';
      if (t.t === 'op' && (t.text === '*' || t.text === '/')) op = t.text;
      else if (this.isKw(t, 'per')) op = '/';
      else return l;
      this.i++;
      this.countOp(t);
      const r = this.unary();
      l = binary(op, l, r, t);
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.t === 'op' && (t.text === '-' || t.text === '+')) {
      this.i++;
      if (++this.depth > 100) throw new ParseError('expression nested too deeply', t.s, t.e);
      const e = this.unary();
      this.depth--;
      if (t.text === '-') return wrap('neg', e, t.s, e.end);
      e.start = t.s;
      return e;
    }
    return this.pow();
  }

  private pow(): Expr {
    const b = this.postfix();
    const t = this.peek();
    if (this.isOp(t, '^')) {
      this.i++;
      this.countOp(t);
      const r = this.unary();
      return binary('^', b, r, t);
    }
    return b;
  }

  private postfix(): Expr {
    const e = this.primary();
    const t = this.peek();
    if (this.isOp(t, '%')) {
      this.i++;
      return wrap('pct', e, e.start, t.e);
    }
    return e;
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.t === 'num') return this.quantity(undefined);
    if (t.t === 'id') {
      if (KEYWORDS.has(t.text)) this.fail(t, 'expected a value');
      if (CURRENCY_SYMBOLS.has(t.text) && this.peek(1).t === 'num') {
        this.i++;
        return this.quantity(t);
      }
      this.i++;
      if (this.isOp(this.peek(), '(')) return this.call(t);
      const id = mk('id', t.s, t.e);
      id.name = t.text;
      return id as Expr;
    }
    if (this.isOp(t, '(')) {
      this.i++;
      const e = this.expr();
      const c = this.peek();
      if (!this.isOp(c, ')')) this.fail(c, 'expected `)`');
      this.i++;
      return wrap('paren', e, t.s, c.e);
    }
    return this.fail(t, 'expected a number, a name or `(`');
  }

  private call(nameTok: Token): Expr {
    this.i++; // (
    const args: Expr[] = [];
    if (!this.isOp(this.peek(), ')')) {
      for (;;) {
        args.push(this.expr());
        const t = this.peek();
        if (this.isOp(t, ',')) {
          this.i++;
          continue;
        }
        if (this.isOp(t, ')')) break;
        this.fail(t, 'expected `,` or `)` in the argument list');
      }
    }
    const close = this.peek();
    this.i++;
    const n = mk('call', nameTok.s, close.e);
    n.name = nameTok.text;
    n.nameEnd = nameTok.e;
    n.args = args;
    return n as Expr;
  }

  /** A unit name that may continue a quantity: an identifier, not a keyword, not a function call. */
  private unitName(o: number): Token | undefined {
    const t = this.peek(o);
    if (t.t !== 'id' || KEYWORDS.has(t.text) || this.isOp(this.peek(o + 1), '(')) return undefined;
    return t;
  }

  /** A number with its magnitude, an optional power and its units; `currency` is a `$` written before it. */
  private quantity(currency: Token | undefined): Expr {
    const num = this.peek();
    this.i++;
    let value = num.v;
    let end = num.e;
    const m = this.peek();
    if (m.t === 'id') {
      const mag = MAGNITUDES.get(m.text);
      if (mag !== undefined) {
        value *= mag;
        end = m.e;
        this.i++;
      }
    }
    // `2^33 B`: the power of the number, then its units.
    let coefficient: Expr | undefined;
    if (this.isOp(this.peek(), '^')) {
      const base = mk('num', num.s, end);
      base.value = value;
      coefficient = this.powerTail(base as Expr);
      end = coefficient.end;
    }
    const atoms: UnitAtom[] = [];
    // First unit after the number: any name (an unknown or a variable is reported by the checker).
    let first = true;
    for (;;) {
      const t = this.peek();
      let exp = 1;
      let tok: Token | undefined;
      if (t.t === 'id') {
        tok = this.unitName(0);
        if (!tok || (!first && !this.units.isUnit(tok.text))) break;
        this.i++;
      } else if ((this.isOp(t, '/') || this.isKw(t, 'per')) && (tok = this.unitName(1)) && this.units.isUnit(tok.text)) {
        this.i += 2;
        exp = -1;
      } else break;
      const atom: UnitAtom = { name: tok.text, exp, attached: !tok.sp && this.toks[this.i - 2] === num, start: tok.s, end: tok.e };
      atom.exp *= this.exponent();
      atom.end = this.toks[this.i - 1].e;
      atoms.push(atom);
      end = atom.end;
      first = false;
    }
    const units: UnitExpr | undefined = atoms.length ? { atoms, percent: false, start: atoms[0].start, end } : undefined;
    if (coefficient && !units && !currency) return coefficient;
    const n = mk('num', currency ? currency.s : num.s, end);
    n.value = value;
    n.units = units;
    n.e = coefficient;
    n.name = currency ? currency.text : '';
    return n as NumNode;
  }

  /** `^ exponent` after `base`, right-associative; the exponent takes no units (`2^33 B` is 2^33 bytes). */
  private powerTail(base: Expr): Expr {
    const t = this.peek();
    this.i++;
    this.countOp(t);
    return binary('^', base, this.exponentOperand(), t);
  }

  private exponentOperand(): Expr {
    const t = this.peek();
    if (t.t === 'op' && (t.text === '-' || t.text === '+')) {
      this.i++;
      if (++this.depth > 100) throw new ParseError('expression nested too deeply', t.s, t.e);
      const e = this.exponentOperand();
      this.depth--;
      if (t.text === '-') return wrap('neg', e, t.s, e.end);
      e.start = t.s;
      return e;
    }
    let e: Expr;
    if (t.t === 'num') {
      this.i++;
      const n = mk('num', t.s, t.e);
      n.value = t.v;
      e = n as Expr;
    } else e = this.primary();
    const p = this.peek();
    if (this.isOp(p, '%')) {
      this.i++;
      e = wrap('pct', e, e.start, p.e);
    }
    return this.isOp(this.peek(), '^') ? this.powerTail(e) : e;
  }

  /** Optional `^n` after a unit name: a signed integer. */
  private exponent(): number {
    if (!this.isOp(this.peek(), '^')) return 1;
    let o = 1;
    let sign = 1;
    if (this.isOp(this.peek(1), '-')) {
      sign = -1;
      o = 2;
    }
    const n = this.peek(o);
    if (n.t !== 'num' || !Number.isInteger(n.v)) this.fail(n, 'expected an integer exponent after `^` on a unit');
    this.i += o + 1;
    return sign * n.v;
  }

  unitOnly(): UnitExpr {
    const u = this.target();
    if (this.peek().t !== 'end') this.fail(this.peek(), 'expected the end of the unit');
    return u;
  }

  /** Conversion target: `%`, or unit names joined by spaces, `*`, `/`, `per`. */
  private target(): UnitExpr {
    const t = this.peek();
    if (this.isOp(t, '%')) {
      this.i++;
      return { atoms: EMPTY_UNITS, percent: true, start: t.s, end: t.e };
    }
    const atoms: UnitAtom[] = [];
    let exp = 1;
    // `-> /s` and `-> 1/s`: a pure rate.
    if (this.isOp(t, '/') || (t.t === 'num' && t.v === 1 && this.isOp(this.peek(1), '/'))) {
      this.i += t.t === 'num' ? 2 : 1;
      exp = -1;
    }
    for (;;) {
      const u = this.peek();
      if (u.t !== 'id' || KEYWORDS.has(u.text)) this.fail(u, 'expected a unit to convert to (e.g. `-> req/s`)');
      this.i++;
      const atom: UnitAtom = { name: u.text, exp, attached: false, start: u.s, end: u.e };
      atom.exp *= this.exponent();
      atom.end = this.toks[this.i - 1].e;
      atoms.push(atom);
      const n = this.peek();
      if (this.isOp(n, '/') || this.isKw(n, 'per')) {
        exp = -1;
        this.i++;
      } else if (this.isOp(n, '*')) {
        exp = 1;
        this.i++;
      } else if (n.t === 'id' && !KEYWORDS.has(n.text)) {
        exp = 1;
      } else break;
    }
    return { atoms, percent: false, start: t.s, end: atoms[atoms.length - 1].end };
  }
}

export interface LineParse {
  stmt: Stmt | undefined;
  error: ParseError | undefined;
}

/** Parses one line (its text, without the newline). */
export function parseLine(src: string, line: number, units: UnitNames): LineParse {
  const { tokens, count, error } = scanLine(src);
  if (error) return { stmt: undefined, error: new ParseError(error.message, error.start, error.end, 'syntax') };
  try {
    return { stmt: new LineParser(tokens, count, units).statement(line, src), error: undefined };
  } catch (e) {
    if (e instanceof ParseError) return { stmt: undefined, error: e };
    throw e;
  }
}

/**
 * The statement of a `name = …` line that did not parse, so that lines reading `name` can say they
 * depend on its error rather than call `name` unknown (or silently read an earlier cell's value).
 */
export function brokenAssignment(src: string, line: number): Stmt | undefined {
  const { tokens, count } = scanLine(src);
  const [t0, eq] = tokens;
  if (count < 2 || t0.t !== 'id' || KEYWORDS.has(t0.text) || CURRENCY_SYMBOLS.has(t0.text) || eq.t !== 'op' || eq.text !== '=')
    return undefined;
  const rest = src.slice(eq.e);
  const text = rest.split('#')[0].trim();
  const textStart = eq.e + rest.length - rest.trimStart().length;
  return {
    line,
    kind: 'assign',
    name: t0.text,
    nameSpan: { start: t0.s, end: t0.e },
    expr: undefined,
    target: undefined,
    arrow: undefined,
    text,
    textStart,
    targetFactor: undefined,
    slot: -1,
    localReads: [],
    broken: line,
    brokenVia: -1,
    req: undefined,
    pending: undefined,
    stochastic: undefined,
  };
}

/**
 * The id of a `require ID: …` line that did not parse, so the requirement reads as checked with an
 * error rather than as having no check.
 */
export function brokenRequirement(src: string): { id: string; start: number; end: number } | undefined {
  const { tokens, count } = scanLine(src);
  const [t0, id] = tokens;
  if (count < 2 || t0.t !== 'id' || t0.text !== 'require' || id.t !== 'id' || KEYWORDS.has(id.text)) return undefined;
  return { id: id.text, start: id.s, end: id.e };
}

/** Splits a cell into lines (`\n`, `\r\n` or `\r`), keeping positions zero-based per line. */
export function splitLines(source: string): string[] {
  return source.split(/\r\n|\r|\n/);
}

/** Parses a unit text such as `req/s`, `GB`, `min/year` or `%` (used by `toUnit`). */
export function parseUnitText(text: string): UnitExpr | ParseError {
  const { tokens, count, error } = scanLine(text);
  if (error) return new ParseError(error.message, error.start, error.end);
  try {
    return new LineParser(tokens, count, ANY_NAME).unitOnly();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
}
