// One parse serves execution, diagnostics, hover and completion: each line is parsed and checked in
// order (a `unit` line changes how later lines parse), then every line that neither has an error nor
// reads a name whose line has one is evaluated.
import type { Definition, Diagnostic, Quantity, Scope } from '../types';
import type { Stmt } from './ast';
import { Binding, Checker, UNIT_DECL } from './checker';
import { currenciesOf, dimsToRecord, NONE } from './dimensions';
import { EvalError, evalExpr } from './evaluator';
import { DisplayUnit, autoUnit, formatValue } from './format';
import { brokenAssignment, parseLine, splitLines } from './parser';
import { CURRENCY_SYMBOLS } from './units';

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
    if (error) {
      checker.parseError(li, error);
      const broken = brokenAssignment(text, li);
      if (broken) {
        checker.brokenAssignment(broken);
        stmts.push(broken);
      }
    } else if (stmt) {
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

/** What became of one statement: its value, or why it has none. */
export interface LineOutcome {
  stmt: Stmt;
  value: LineValue | undefined;
  /** Without a value: `error (line 2)` or `not evaluated: …`, naming the line with the error. */
  note: string;
}

export interface Evaluation {
  /** The lines that have a value. */
  values: LineValue[];
  /** Every statement in order, with its value or the reason it has none. */
  lines: LineOutcome[];
  /** Runtime problems (division by zero, log of 0…). */
  errors: Diagnostic[];
  /** The names the cell defines: those whose last definition has a value. */
  definitions: Definition[];
}

/**
 * Evaluates every statement that has no error of its own and reads no name whose line has one
 * (checked statically, or failed at runtime above). Runtime problems become diagnostics.
 */
export function evaluate(p: EstimateParse, cellIndex: number): Evaluation {
  const slots: number[] = [];
  /** Slot → line of the error the binding has or depends on. */
  const brokenAt: number[] = [];
  const values: LineValue[] = [];
  const lines: LineOutcome[] = [];
  const errors: Diagnostic[] = [];
  const lastDef = new Map<string, Definition>();
  const bindings = p.checker.bindings;
  for (const st of p.stmts) {
    if (st.kind === 'unit') {
      const name = st.name!;
      if (p.checker.declared.has(name))
        lastDef.set(name, { name, quantity: { value: 1, dims: { [name]: 1 }, display: `1 ${name}` }, cellIndex, range: nameRange(st), expression: UNIT_DECL + name });
      continue;
    }
    let broken = st.broken;
    let via = st.brokenVia;
    if (broken < 0)
      for (const slot of st.localReads)
        if (brokenAt[slot] !== undefined) {
          broken = brokenAt[slot];
          via = slot;
          break;
        }
    let v = NaN;
    if (broken < 0) {
      const e = st.expr!;
      try {
        v = evalExpr(e, slots);
        if (!Number.isFinite(v)) throw new EvalError(`the result is not a finite number (${v})`, { start: st.textStart, end: e.end });
      } catch (err) {
        if (!(err instanceof EvalError)) throw err;
        errors.push({ range: { start: { line: st.line, column: err.span.start }, end: { line: st.line, column: err.span.end } }, severity: 'error', message: err.message, code: 'evaluation' });
        broken = st.line;
      }
    }
    if (broken >= 0) {
      lines.push({ stmt: st, value: undefined, note: brokenNote(broken, via < 0 ? undefined : bindings[via]) });
      if (st.slot >= 0) brokenAt[st.slot] = broken;
      if (st.kind === 'assign') lastDef.delete(st.name!);
      continue;
    }
    const e = st.expr!;
    const d = e.d ?? NONE;
    const unit = displayUnit(st, p.lines[st.line], v);
    const display = formatValue(v, unit);
    const quantity: Quantity = { value: v, dims: dimsToRecord(d), display };
    const lv: LineValue = { stmt: st, value: v, quantity, unit, display };
    values.push(lv);
    lines.push({ stmt: st, value: lv, note: '' });
    if (st.kind === 'assign') {
      slots[st.slot] = v;
      lastDef.set(st.name!, { name: st.name!, quantity, cellIndex, range: nameRange(st), expression: st.text });
    }
  }
  return { values, lines, errors, definitions: [...lastDef.values()] };
}

/** `error (line 2)`, or why a line that reads a broken name was not evaluated. */
function brokenNote(line: number, via: Binding | undefined): string {
  if (!via) return `error (line ${line + 1})`;
  if (via.stmt.line === line) return `not evaluated: \`${via.name}\` (line ${line + 1}) has an error`;
  return `not evaluated: \`${via.name}\` depends on the error on line ${line + 1}`;
}

/** The `->` target as written, or the automatic choice of format.ts. */
export function displayUnit(st: Stmt, lineText: string, v: number): DisplayUnit {
  const e = st.expr!;
  if (st.target && st.targetFactor !== undefined) {
    const percent = st.target.percent;
    const money = currenciesOf(e.d ?? NONE).length > 0;
    let unit = percent ? '%' : lineText.slice(st.target.start, st.target.end);
    // One money style: `-> $/month` shows `2,484 USD/month`.
    if (money) unit = unit.replace(/[$€£]/g, (c) => CURRENCY_SYMBOLS.get(c)!);
    return { unit, factor: st.targetFactor, count: !percent && !money, percent, money };
  }
  return autoUnit(v, e.d ?? NONE, e.f);
}

function nameRange(st: Stmt) {
  return { start: { line: st.line, column: st.nameSpan!.start }, end: { line: st.line, column: st.nameSpan!.end } };
}
