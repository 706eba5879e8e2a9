// Syntax tree of one estimate line. The checker annotates nodes in place (dims, flags, bindings)
// so the evaluator is a plain walk over numbers.
import type { Dims } from './dimensions';
import type { BuiltinFunction } from './builtins';

export interface Span {
  /** Columns in the line. */
  start: number;
  end: number;
}

export interface UnitAtom extends Span {
  name: string;
  /** Exponent; negative in a denominator (`req/s` → s with -1). */
  exp: number;
  /** Written right after the number with no space (`5B`). */
  attached: boolean;
}

/** A unit product after a number or after `->`; `percent` for `-> %`. */
export interface UnitExpr extends Span {
  atoms: UnitAtom[];
  percent: boolean;
}

interface Annotated extends Span {
  /** Dimension found by the checker; null when an error was already reported inside. */
  d: Dims | null;
  /** Display flags (F_*). */
  f: number;
}

export interface NumNode extends Annotated {
  k: 'num';
  /** The number times its magnitude (`100M` → 1e8), before units. */
  value: number;
  units: UnitExpr | undefined;
  /** Value in base units, set by the checker; with `e`, the value of the units alone. */
  cv: number;
  /** A power written before the units (`2^33` in `2^33 B`), replacing `value`. */
  e: Expr | undefined;
  /** A currency symbol written before the number (`$` in `$0.34/hour`), or ''. */
  name: string;
}

export interface IdentNode extends Annotated {
  k: 'id';
  name: string;
  /** Slot of a name defined earlier in this cell, or -1 when `cv` holds the value. */
  slot: number;
  cv: number;
}

export interface BinNode extends Annotated {
  k: 'bin';
  op: '+' | '-' | '*' | '/' | '^';
  l: Expr;
  r: Expr;
  opStart: number;
  opEnd: number;
}

export interface NegNode extends Annotated {
  k: 'neg';
  e: Expr;
}

export interface PctNode extends Annotated {
  k: 'pct';
  e: Expr;
}

export interface ParenNode extends Annotated {
  k: 'paren';
  e: Expr;
}

export interface CallNode extends Annotated {
  k: 'call';
  name: string;
  nameEnd: number;
  args: Expr[];
  fn: BuiltinFunction | undefined;
}

export type Expr = NumNode | IdentNode | BinNode | NegNode | PctNode | ParenNode | CallNode;

/** The one runtime shape behind every node kind (see `node()` in the parser). */
export interface AnyNode extends Annotated {
  k: Expr['k'];
  value: number;
  units: UnitExpr | undefined;
  cv: number;
  name: string;
  slot: number;
  op: BinNode['op'];
  l: Expr | undefined;
  r: Expr | undefined;
  e: Expr | undefined;
  opStart: number;
  opEnd: number;
  nameEnd: number;
  args: Expr[] | undefined;
  fn: BuiltinFunction | undefined;
}

export interface Stmt {
  /** Zero-based line in the cell. */
  line: number;
  kind: 'expr' | 'assign' | 'unit' | 'require';
  name?: string;
  nameSpan?: Span;
  expr?: Expr;
  target?: UnitExpr;
  /** The `->`/`to`/`in` keyword. */
  arrow?: Span;
  /** Source text right of `=` (or the whole expression), conversion included. */
  text: string;
  textStart: number;
  /** Set by the checker: factor of the conversion target in base units. */
  targetFactor?: number;
  /** Set by the checker: slot of the binding an assignment makes, or -1. */
  slot: number;
  /** Set by the checker: slots of the bindings of this cell the line reads. */
  localReads: number[];
  /** Set by the checker: the line of the error this line has or depends on, or -1. */
  broken: number;
  /** Slot of the binding through which the line depends on `broken` (-1 when the error is on this line). */
  brokenVia: number;
  /** A requirement check `require ID: expr OP limit` (the left side is `expr`). */
  req: RequireClause | undefined;
  /** Set by the checker: why the line has no value yet (it reads a model result that has not run). */
  pending: string | undefined;
  /** Set by the checker: names from earlier cells the line reads whose values carry a confidence interval. */
  stochastic: IdentNode[] | undefined;
}

export type Comparison = '<' | '<=' | '>' | '>=';

export interface RequireClause {
  id: string;
  idSpan: Span;
  op: Comparison;
  opSpan: Span;
  limit: Expr;
}

/** The right side of `x + p%`: `p%`, optionally negated or parenthesised (`-5%`, `(-5%)`). */
export function isPercentTerm(e: Expr): boolean {
  return e.k === 'pct' || ((e.k === 'neg' || e.k === 'paren') && isPercentTerm(e.e));
}

/** True when `test` holds for `e` or any expression inside it (outside in; stops at the first). */
export function someNode(e: Expr, test: (n: Expr) => boolean): boolean {
  if (test(e)) return true;
  switch (e.k) {
    case 'id':
      return false;
    case 'num':
      return !!e.e && someNode(e.e, test);
    case 'bin':
      return someNode(e.l, test) || someNode(e.r, test);
    case 'call':
      return e.args.some((a) => someNode(a, test));
    default:
      return someNode(e.e, test);
  }
}

/** Calls `visit` on every expression of a line: its expression and a requirement's limit, and all inside them. */
export function eachNode(s: Stmt, visit: (n: Expr) => void): void {
  for (const e of [s.expr, s.req?.limit]) if (e) someNode(e, (n) => (visit(n), false));
}
