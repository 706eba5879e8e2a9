// Where an estimate cell defines and reads notebook names (its own and earlier cells'), for go to
// definition, find references and rename. Built-in constants, functions and units are not names.
import type { NameUse, Range } from '../types';
import type { EstimateParse } from './analysis';
import { eachNode, type Span } from './ast';
import { UNIT_DECL } from './checker';

export function usesOf(p: EstimateParse): NameUse[] {
  const out: NameUse[] = [];
  const local = new Set<string>();
  const isName = (name: string) => local.has(name) || p.reads.includes(name);
  const isDeclaredUnit = (name: string) => p.checker.declared.has(name) || p.scope.get(name)?.expression === UNIT_DECL + name;
  for (const s of p.stmts) {
    const at = (span: Span): Range => ({ start: { line: s.line, column: span.start }, end: { line: s.line, column: span.end } });
    eachNode(s, (e) => {
      if (e.k === 'id' && isName(e.name)) out.push({ name: e.name, range: at(e), role: 'read' });
      if (e.k === 'num') for (const a of e.units?.atoms ?? []) if (isDeclaredUnit(a.name)) out.push({ name: a.name, range: at(a), role: 'read' });
    });
    for (const a of s.target?.atoms ?? []) if (isDeclaredUnit(a.name)) out.push({ name: a.name, range: at(a), role: 'read' });
    if ((s.kind === 'assign' || s.kind === 'unit') && s.name && s.nameSpan) {
      out.push({ name: s.name, range: at(s.nameSpan), role: 'define' });
      local.add(s.name);
    }
  }
  return out;
}
