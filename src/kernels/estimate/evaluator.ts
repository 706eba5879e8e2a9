// Evaluation after a clean check: a walk over numbers in base units. Dimensions were settled
// statically, so nothing here looks at units.
import { isPercentTerm, type Expr, type Span } from './ast';

export class EvalError {
  constructor(
    readonly message: string,
    readonly span: Span,
  ) {}
}

export function evalExpr(n: Expr, slots: number[]): number {
  switch (n.k) {
    case 'num':
      return n.e ? evalExpr(n.e, slots) * n.cv : n.cv;
    case 'id':
      return n.slot >= 0 ? slots[n.slot] : n.cv;
    case 'paren':
      return evalExpr(n.e, slots);
    case 'neg':
      return -evalExpr(n.e, slots);
    case 'pct':
      return evalExpr(n.e, slots) / 100;
    case 'bin': {
      const l = evalExpr(n.l, slots);
      const r = evalExpr(n.r, slots);
      switch (n.op) {
        case '+':
          return isPercentTerm(n.r) ? l * (1 + r) : l + r;
        case '-':
          return isPercentTerm(n.r) ? l * (1 - r) : l - r;
        case '*':
          return l * r;
        case '/':
          if (r === 0) throw new EvalError(`division by zero: \`/\` with a right hand side of 0`, { start: n.opStart, end: n.opEnd });
          return l / r;
        case '^':
          return l ** r;
      }
    }
    // falls through: every op returns above
    case 'call': {
      const c = n as Expr & { k: 'call' };
      const args = new Array<number>(c.args.length);
      for (let i = 0; i < args.length; i++) args[i] = evalExpr(c.args[i], slots);
      try {
        return c.fn!.eval(args);
      } catch (e) {
        if (e instanceof RangeError) throw new EvalError(e.message, c);
        throw e;
      }
    }
  }
}
