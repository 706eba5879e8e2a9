// One parse serves execution, diagnostics, hover and completion: each line is parsed and checked in
// order (a `unit` line changes how later lines parse), then every line that neither has an error nor
// reads a name whose line has one is evaluated.
import type { BrokenCheck, Definition, Diagnostic, Quantity, Scope, Unavailable, Verdict, VerdictStatus } from '../types';
import { eachNode, someNode, type Comparison, type Expr, type Stmt } from './ast';
import { Binding, Checker, UNIT_DECL } from './checker';
import { currenciesOf, dimsToRecord, NONE } from './dimensions';
import { EvalError, evalExpr } from './evaluator';
import { DisplayUnit, autoUnit, formatValue } from './format';
import { brokenAssignment, brokenRequirement, parseLine, splitLines } from './parser';
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
  /** `require` lines that did not parse: their ids and where they stand. */
  brokenRequirements: { id: string; line: number; start: number; end: number }[];
}

export const EMPTY_SCOPE: Scope = { get: () => undefined, names: () => [] };

export function analyze(source: string, scope: Scope): EstimateParse {
  const lines = splitLines(source);
  const checker = new Checker(scope);
  const stmts: Stmt[] = [];
  const brokenRequirements: EstimateParse['brokenRequirements'] = [];
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
      const req = brokenRequirement(text);
      if (req) brokenRequirements.push({ ...req, line: li });
    } else if (stmt) {
      checker.checkStmt(stmt, text);
      stmts.push(stmt);
    }
  }
  return {
    source,
    lines,
    stmts,
    diagnostics: checker.diagnostics,
    errorCount: checker.errors,
    reads: [...checker.reads],
    checker,
    scope,
    brokenRequirements,
  };
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
  /** A requirement check's verdict. */
  verdict?: Verdict;
}

export interface Evaluation {
  /** The lines that have a value. */
  values: LineValue[];
  /** Every statement in order, with its value or the reason it has none. */
  lines: LineOutcome[];
  /** Runtime problems (division by zero, log of 0…). */
  errors: Diagnostic[];
  /** The names the cell defines: those whose last definition has a value (or is pending on a model). */
  definitions: Definition[];
  /** The verdicts of the cell's requirement checks, in order. */
  verdicts: Verdict[];
  /** The names whose last assignment has no value, and why. */
  unavailable: Unavailable[];
  /** The requirement checks that have an error or read a line that has one, in order. */
  brokenChecks: BrokenCheck[];
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
  const unavailable = new Map<string, Unavailable>();
  const verdicts: Verdict[] = [];
  const brokenChecks: BrokenCheck[] = p.brokenRequirements.map((r) => ({
    id: r.id,
    cellIndex,
    range: { start: { line: r.line, column: r.start }, end: { line: r.line, column: r.end } },
    reason: brokenReason(cellIndex, r.line, undefined),
  }));
  /** Slot → 95% interval of a value computed from measured results. */
  const slotCi: ({ low: number; high: number } | undefined)[] = [];
  const bindings = p.checker.bindings;
  for (const st of p.stmts) {
    if (st.kind === 'unit') {
      const name = st.name!;
      if (p.checker.declared.has(name))
        lastDef.set(name, {
          name,
          quantity: { value: 1, dims: { [name]: 1 }, display: `1 ${name}` },
          cellIndex,
          range: nameRange(st),
          expression: UNIT_DECL + name,
        });
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
    if (broken < 0 && st.pending !== undefined) {
      // A model result that has not run: the line's dimension is known, its value is not.
      const note = `pending: ${st.pending}`;
      const verdict = st.req && requirementVerdict(p, st, cellIndex, 'pending', { pending: st.pending });
      if (verdict) verdicts.push(verdict);
      lines.push({ stmt: st, value: undefined, note, verdict });
      if (st.kind === 'assign' && st.expr!.d) {
        const quantity: Quantity = { value: 0, dims: dimsToRecord(st.expr!.d), display: 'pending' };
        lastDef.set(st.name!, { name: st.name!, quantity, cellIndex, range: nameRange(st), expression: st.text, pending: st.pending });
        unavailable.delete(st.name!);
      }
      continue;
    }
    let v = NaN;
    let ci: { low: number; high: number } | undefined;
    if (broken < 0) {
      const e = st.expr!;
      try {
        v = evalExpr(e, slots);
        if (!Number.isFinite(v)) throw new EvalError(`the result is not a finite number (${v})`, { start: st.textStart, end: e.end });
        ci = interval(p, st, e, slots, slotCi);
        if (st.req) {
          const limit = evalExpr(st.req.limit, slots);
          if (!Number.isFinite(limit)) throw new EvalError(`the limit is not a finite number (${limit})`, st.req.limit);
          const verdict = judgeLine(
            p,
            st,
            cellIndex,
            { value: v, ...(ci ?? { low: v, high: v }) },
            { value: limit, ...(interval(p, st, st.req.limit, slots, slotCi) ?? { low: limit, high: limit }) },
          );
          verdicts.push(verdict);
          lines.push({ stmt: st, value: undefined, note: verdict.status, verdict });
          continue;
        }
      } catch (err) {
        if (!(err instanceof EvalError)) throw err;
        errors.push({
          range: { start: { line: st.line, column: err.span.start }, end: { line: st.line, column: err.span.end } },
          severity: 'error',
          message: err.message,
          code: 'evaluation',
        });
        broken = st.line;
      }
    }
    if (broken >= 0) {
      lines.push({ stmt: st, value: undefined, note: brokenNote(broken, via < 0 ? undefined : bindings[via]) });
      if (st.req) {
        const { id, idSpan } = st.req;
        const range = { start: { line: st.line, column: idSpan.start }, end: { line: st.line, column: idSpan.end } };
        brokenChecks.push({ id, cellIndex, range, reason: brokenReason(cellIndex, broken, via < 0 ? undefined : bindings[via]) });
      }
      if (st.slot >= 0) brokenAt[st.slot] = broken;
      if (st.kind === 'assign') {
        lastDef.delete(st.name!);
        const reason = `\`${st.name}\` has no value: ${brokenReason(cellIndex, broken, via < 0 ? undefined : bindings[via])}`;
        unavailable.set(st.name!, { name: st.name!, cellIndex, range: nameRange(st), reason });
      }
      continue;
    }
    const e = st.expr!;
    const d = e.d ?? NONE;
    const unit = displayUnit(st, p.lines[st.line], v);
    const display = formatValue(v, unit);
    const quantity: Quantity = ci ? { value: v, dims: dimsToRecord(d), display, ci } : { value: v, dims: dimsToRecord(d), display };
    const lv: LineValue = { stmt: st, value: v, quantity, unit, display };
    values.push(lv);
    lines.push({ stmt: st, value: lv, note: '' });
    if (st.kind === 'assign') {
      slots[st.slot] = v;
      slotCi[st.slot] = ci;
      lastDef.set(st.name!, { name: st.name!, quantity, cellIndex, range: nameRange(st), expression: st.text });
      unavailable.delete(st.name!);
    }
  }
  brokenChecks.sort((a, b) => a.range.start.line - b.range.start.line);
  return { values, lines, errors, definitions: [...lastDef.values()], verdicts, unavailable: [...unavailable.values()], brokenChecks };
}

/** Most measured inputs a line may combine and still get an interval (2^n corner evaluations). */
const MAX_INTERVAL_INPUTS = 6;

/**
 * The 95% interval of an expression whose inputs include measured results: evaluated at every
 * combination of its inputs' interval ends, which is exact for expressions monotone in each input
 * (sums, products and quotients of positive quantities, the usual case). Undefined when no input varies.
 */
function interval(
  p: EstimateParse,
  st: Stmt,
  e: Expr,
  slots: number[],
  slotCi: ({ low: number; high: number } | undefined)[],
): { low: number; high: number } | undefined {
  type Input = { set(x: number): void; restore(): void; low: number; high: number };
  const inputs: Input[] = [];
  for (const n of st.stochastic ?? []) {
    if (!within(n, e)) continue;
    const ci = p.scope.get(n.name)?.quantity.ci;
    const saved = n.cv;
    if (ci) inputs.push({ set: (x) => (n.cv = x), restore: () => (n.cv = saved), ...ci });
  }
  for (const slot of st.localReads) {
    const ci = slotCi[slot];
    const saved = slots[slot];
    if (ci && readsSlot(e, slot)) inputs.push({ set: (x) => (slots[slot] = x), restore: () => (slots[slot] = saved), ...ci });
  }
  if (inputs.length === 0 || inputs.length > MAX_INTERVAL_INPUTS) return undefined;
  let low = Infinity,
    high = -Infinity;
  for (let mask = 0; mask < 1 << inputs.length; mask++) {
    inputs.forEach((x, k) => x.set(mask & (1 << k) ? x.high : x.low));
    const y = evalExpr(e, slots);
    if (y < low) low = y;
    if (y > high) high = y;
  }
  for (const x of inputs) x.restore();
  return Number.isFinite(low) && Number.isFinite(high) ? { low, high } : undefined;
}

const within = (n: Expr, e: Expr) => n.start >= e.start && n.end <= e.end;

const readsSlot = (e: Expr, slot: number) => someNode(e, (n) => n.k === 'id' && n.slot === slot);

interface Interval {
  value: number;
  low: number;
  high: number;
}

/** met / not met / marginal of `measured OP limit`: met only when the whole interval satisfies it. */
export function judge(op: Comparison, measured: Interval, limit: Interval): Exclude<VerdictStatus, 'pending'> {
  const below = op === '<' || op === '<=';
  const strict = op === '<' || op === '>';
  const holds = (a: number, b: number) => (below ? (strict ? a < b : a <= b) : strict ? a > b : a >= b);
  // Worst case against the whole interval, and best case: if even the best case fails, it is not met.
  const worst = below ? holds(measured.high, limit.low) : holds(measured.low, limit.high);
  const best = below ? holds(measured.low, limit.high) : holds(measured.high, limit.low);
  return worst ? 'met' : best ? 'marginal' : 'not met';
}

function judgeLine(p: EstimateParse, st: Stmt, cellIndex: number, measured: Interval, limit: Interval): Verdict {
  const status = judge(st.req!.op, measured, limit);
  return requirementVerdict(p, st, cellIndex, status, { measured, limit });
}

/** The verdict of a requirement line, with its figures shown in the limit's unit. */
function requirementVerdict(
  p: EstimateParse,
  st: Stmt,
  cellIndex: number,
  status: VerdictStatus,
  fig: { measured?: Interval; limit?: Interval; pending?: string },
): Verdict {
  const req = st.req!;
  const lineText = p.lines[st.line];
  const check = st.text;
  const left = lineText.slice(st.expr!.start, st.expr!.end);
  const range = {
    start: { line: st.line, column: req.idSpan.start },
    end: { line: st.line, column: Math.max(req.idSpan.end, req.limit.end) },
  };
  const base = { id: req.id, check, status, cellIndex, range, reads: lineReads(p, st) };
  if (status === 'pending' || !fig.measured || !fig.limit)
    return { ...base, message: `${req.id} is not checked yet: ${fig.pending ?? 'its inputs have no value'}.` };
  const d = req.limit.d ?? NONE;
  const unit = autoUnit(fig.limit.value, d, req.limit.f);
  const fmt = (x: number) => formatValue(x, unit);
  const m = fig.measured;
  const measured = withInterval(m.value, m.low !== m.high ? m : undefined, unit);
  const limit = fmt(fig.limit.value);
  const below = req.op === '<' || req.op === '<=';
  const room = below ? fig.limit.value - m.value : m.value - fig.limit.value;
  const pct = fig.limit.value !== 0 ? ` (${percent(Math.abs(room / fig.limit.value))})` : '';
  const side = room >= 0 ? (below ? 'under' : 'over') : below ? 'over' : 'under';
  const margin = `${fmt(Math.abs(room))} ${side} the limit${pct}`;
  const opText = req.op;
  const message =
    status === 'met'
      ? `${req.id} met: ${left} = ${measured} ${opText} ${limit}, ${margin}.`
      : status === 'not met'
        ? `${req.id} not met: ${left} = ${measured}, required ${opText} ${limit}: ${margin}.`
        : `${req.id} marginal: the 95% interval of ${left}, ${measured}, straddles the limit ${limit}. Run more replications or a longer duration to decide.`;
  const shown = (x: number) => x / unit.factor;
  const figures = {
    measured: shown(m.value),
    low: shown(m.low),
    high: shown(m.high),
    limit: shown(fig.limit.value),
    unit: unit.unit,
    factor: unit.factor,
  };
  return { ...base, measured, limit, margin, message, figures };
}

/** Names from earlier cells a line reads, directly or through the names of its own cell it reads. */
function lineReads(p: EstimateParse, st: Stmt): string[] {
  const out = new Set<string>();
  const seen = new Set<Stmt>();
  const visit = (s: Stmt) => {
    if (seen.has(s)) return;
    seen.add(s);
    eachNode(s, (e) => {
      if (e.k !== 'id') return;
      if (e.slot >= 0) visit(p.checker.bindings[e.slot].stmt);
      else if (p.reads.includes(e.name)) out.add(e.name);
    });
  };
  visit(st);
  return [...out];
}

/** A share to two significant digits: 18%, 1.9%, 0.27%. */
function percent(x: number): string {
  const p = x * 100;
  return `${p >= 10 ? Math.round(p) : +p.toPrecision(2)}%`;
}

/** `41.2 ms (95% CI 39–43.1 ms)`: a value and its interval in one unit. */
export function withInterval(value: number, ci: { low: number; high: number } | undefined, unit: DisplayUnit): string {
  const shown = formatValue(value, unit);
  if (!ci || ci.low === ci.high) return shown;
  const suffix = unit.percent ? '%' : unit.unit ? ` ${unit.unit}` : '';
  const bare = (x: number) => (suffix ? formatValue(x, unit).slice(0, -suffix.length) : formatValue(x, unit));
  return `${shown} (95% CI ${bare(ci.low)}–${bare(ci.high)}${suffix})`;
}

/** `error (line 2)`, or why a line that reads a broken name was not evaluated. */
function brokenNote(line: number, via: Binding | undefined): string {
  if (!via) return `error (line ${line + 1})`;
  if (via.stmt.line === line) return `not evaluated: \`${via.name}\` (line ${line + 1}) has an error`;
  return `not evaluated: \`${via.name}\` depends on the error on line ${line + 1}`;
}

/** Why a name assigned on a broken line has no value, for the cells below (lines and cells 1-based). */
function brokenReason(cellIndex: number, line: number, via: Binding | undefined): string {
  const where = `line ${line + 1} of cell ${cellIndex + 1}`;
  if (!via) return `${where} has an error`;
  if (via.stmt.line === line) return `it reads \`${via.name}\`, and ${where} has an error`;
  return `it reads \`${via.name}\`, which depends on the error on ${where}`;
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
