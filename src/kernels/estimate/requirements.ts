// A cell's requirement checks as objects the rest of the notebook can judge again, against the
// results of a model run or of one point of a sweep (a scope in which the model's names have other
// values): the whole cell is re-evaluated in that scope, so names defined above the check count.
import type { Requirement, Scope, Verdict } from '../types';
import { analyze, evaluate, type EstimateParse } from './analysis';
import type { Expr, Stmt } from './ast';

export function requirementsOf(p: EstimateParse, cellIndex: number): Requirement[] {
  const out: Requirement[] = [];
  for (const st of p.stmts) {
    if (!st.req || st.broken === st.line) continue;
    const line = st.line;
    const range = { start: { line, column: st.req.idSpan.start }, end: { line, column: Math.max(st.req.idSpan.end, st.req.limit.end) } };
    out.push({
      id: st.req.id,
      check: st.text,
      reads: lineReads(p, st),
      range,
      judge(scope: Scope): Verdict {
        const again = evaluate(analyze(p.source, scope), cellIndex);
        const v = again.verdicts.find((x) => x.range.start.line === line);
        if (v) return v;
        const broken = again.lines.find((l) => l.stmt.line === line);
        return { id: st.req!.id, check: st.text, status: 'pending', message: `${st.req!.id} could not be checked: ${broken?.note ?? 'the line has an error'}.`, cellIndex, range };
      },
    });
  }
  return out;
}

/** Names from earlier cells a line reads, directly or through the names of its own cell it reads. */
function lineReads(p: EstimateParse, st: Stmt): string[] {
  const out = new Set<string>();
  const seen = new Set<Stmt>();
  const visit = (s: Stmt) => {
    if (seen.has(s)) return;
    seen.add(s);
    const walk = (e: Expr | undefined): void => {
      if (!e) return;
      switch (e.k) {
        case 'id':
          if (e.slot >= 0) visit(p.checker.bindings[e.slot].stmt);
          else if (p.reads.includes(e.name)) out.add(e.name);
          return;
        case 'num':
          return walk(e.e);
        case 'bin':
          walk(e.l);
          walk(e.r);
          return;
        case 'call':
          e.args.forEach(walk);
          return;
        default:
          walk(e.e);
      }
    };
    walk(s.expr);
    walk(s.req?.limit);
  };
  visit(st);
  return [...out];
}
