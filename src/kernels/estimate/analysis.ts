// One parse serves execution, diagnostics, hover and completion: each line is parsed and checked in
// order (a `unit` line changes how later lines parse), then evaluated if nothing was wrong.
import type { Definition, Diagnostic, Quantity, Scope } from '../types';
import type { Stmt } from './ast';
import { Binding, Checker, UNIT_DECL } from './checker';
import { dimsToRecord, NONE } from './dimensions';
import { EvalError, evalExpr } from './evaluator';
import { DisplayUnit, autoUnit, formatValue } from './format';
import { parseLine, splitLines } from './parser';

export interface EstimateParse {
  source: string;
  lines: string[];
  stmts: Stmt[];
  diagnostics: Diagnostic[];
  errorCount: number;
  /** Names this cell read from earlier cells. */
  reads: string[];
  checker: Checker;
  scope: Scope;
}

export const EMPTY_SCOPE: Scope = { get: () => undefined, names: () => [] };

export function analyze(source: string, scope: Scope): EstimateParse {
  const lines = splitLines(source);
  const checker = new Checker(scope);
  const stmts: Stmt[] = [];
  for (let li = 0; li < lines.length; li++) {
    const text = lines[li];
    const { stmt, error } = parseLine(text, li, checker);
    if (error) checker.parseError(li, error);
    else if (stmt) {
      checker.checkStmt(stmt, text);
      stmts.push(stmt);
    }
  }
  return { source, lines, stmts, diagnostics: checker.diagnostics, errorCount: checker.errors, reads: [...checker.reads], checker, scope };
}

export interface LineValue {
  stmt: Stmt;
  value: number;
  quantity: Quantity;
  /** Unit the value is shown in (the `->` target or the automatic choice). */
  unit: DisplayUnit;
  display: string;
}

export interface Evaluation {
  values: LineValue[];
  errors: Diagnostic[];
  definitions: Definition[];
}

/** Evaluates a cleanly checked cell. Runtime problems (division by zero, log of 0) become diagnostics. */
export function evaluate(p: EstimateParse, cellIndex: number): Evaluation {
  const slots: number[] = [];
  const values: LineValue[] = [];
  const errors: Diagnostic[] = [];
  const lastDef = new Map<string, Definition>();
  const bindings = p.checker.bindings;
  let bi = 0;
  for (const st of p.stmts) {
    if (st.kind === 'unit') {
      const name = st.name!;
      if (p.checker.declared.has(name))
        lastDef.set(name, { name, quantity: { value: 1, dims: { [name]: 1 }, display: `1 ${name}` }, cellIndex, range: nameRange(st), expression: UNIT_DECL + name });
      continue;
    }
    const e = st.expr!;
    let v: number;
    try {
      v = evalExpr(e, slots);
      if (!Number.isFinite(v)) throw new EvalError(`the result is not a finite number (${v})`, { start: st.textStart, end: e.end });
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
      errors.push({ range: { start: { line: st.line, column: err.span.start }, end: { line: st.line, column: err.span.end } }, severity: 'error', message: err.message, code: 'evaluation' });
      v = NaN;
    }
    const d = e.d ?? NONE;
    const unit = displayUnit(st, p.lines[st.line], v);
    const display = formatValue(v, unit);
    const quantity: Quantity = { value: v, dims: dimsToRecord(d), display };
    values.push({ stmt: st, value: v, quantity, unit, display });
    if (st.kind === 'assign') {
      const b: Binding = bindings[bi++];
      slots[b.slot] = v;
      lastDef.set(st.name!, { name: st.name!, quantity, cellIndex, range: nameRange(st), expression: st.text });
    }
  }
  return { values, errors, definitions: [...lastDef.values()] };
}

/** The `->` target as written, or the automatic choice of format.ts. */
export function displayUnit(st: Stmt, lineText: string, v: number): DisplayUnit {
  const e = st.expr!;
  if (st.target && st.targetFactor !== undefined) {
    const percent = st.target.percent;
    return { unit: percent ? '%' : lineText.slice(st.target.start, st.target.end), factor: st.targetFactor, count: !percent, percent };
  }
  return autoUnit(v, e.d ?? NONE, e.f);
}

function nameRange(st: Stmt) {
  return { start: { line: st.line, column: st.nameSpan!.start }, end: { line: st.line, column: st.nameSpan!.end } };
}
