// The estimation kernel: a unit-aware back-of-the-envelope calculator (language `sdnb-estimate`).
// Pipeline, one file per stage: tokenizer → parser → checker (dimensions) → evaluator → format.
import type {
  Completion,
  DefineResult,
  Diagnostic,
  Verdict,
  ExecContext,
  ExecResult,
  ExprEvaluator,
  Hover,
  Kernel,
  ParseContext,
  Position,
  Quantity,
  ServiceContext,
} from '../types';
import { errorOutput } from '../output';
import { Block, reportOutput } from '../report';
import { EMPTY_SCOPE, EstimateParse, Evaluation, LineValue, analyze, displayUnit, evaluate, withInterval } from './analysis';
import { eachNode } from './ast';
import { CONSTANTS, FUNCTIONS } from './builtins';
import { Checker, UNIT_DECL } from './checker';
import { dimsFromRecord, dimsToRecord, formatDims, NONE, sameDims } from './dimensions';
import { evalExpr, EvalError } from './evaluator';
import { autoUnit, formatFull, formatValue } from './format';
import { KEYWORDS, parseLine, parseUnitText, splitLines } from './parser';
import { estimateSpec } from './spec';
import { scanLine } from './tokenizer';
import { usesOf } from './uses';
import { builtinUnitNames, countableUnit, lookupBuiltinUnit, MAGNITUDES } from './units';

export type { EstimateParse } from './analysis';
export { analyze, evaluate } from './analysis';
export { builtinUnitNames, lookupBuiltinUnit } from './units';
export { fmtNumber } from './format';

export const ESTIMATE_LANGUAGE = estimateSpec.id;

/** A checked cell's evaluation, computed once per parse (analysis, hover, completion and the run share it). */
const evaluations = new WeakMap<EstimateParse, Evaluation>();
function evaluated(p: EstimateParse, cellIndex: number): Evaluation {
  let ev = evaluations.get(p);
  if (!ev) evaluations.set(p, (ev = evaluate(p, cellIndex)));
  return ev;
}

function run(p: EstimateParse, cellIndex: number): ExecResult {
  const reads = p.reads;
  const ev = evaluated(p, cellIndex);
  const named = ev.lines.filter((l) => l.stmt.kind !== 'require');
  const shown = (v: LineValue) => (v.quantity.ci ? withInterval(v.value, v.quantity.ci, v.unit) : v.display);
  const rows = named.map((l) => [l.stmt.kind === 'assign' ? l.stmt.name! : '—', l.value ? shown(l.value) : l.note, l.stmt.text]);
  const tables: Block[] = [];
  if (rows.length) tables.push({ type: 'table', columns: ['Name', 'Value', 'Expression'], align: ['l', 'r', 'l'], rows });
  if (ev.verdicts.length) tables.push(verdictTable(ev.verdicts));
  const failing = ev.verdicts.filter((v) => v.status === 'not met');
  if (p.errorCount === 0 && ev.errors.length === 0) {
    const blocks: Block[] = [...tables];
    for (const v of ev.verdicts)
      if (v.status !== 'met') blocks.push({ type: 'notice', level: v.status === 'pending' ? 'info' : 'warning', text: v.message });
    for (const d of p.diagnostics)
      blocks.push({
        type: 'notice',
        level: d.severity === 'warning' ? 'warning' : 'info',
        text: `line ${d.range.start.line + 1}: ${d.message}`,
      });
    return { ok: failing.length === 0, outputs: [reportOutput('estimate', { blocks })], definitions: ev.definitions, reads };
  }
  // One broken line does not stop the cell: what does not depend on it is shown and defined.
  const where = ev.errors.length ? 'Fix the problems below' : 'Fix the problems below (also shown in the editor)';
  const rest = ev.values.length || ev.verdicts.length ? ' The lines that do not depend on them were evaluated (table below).' : '';
  const outputs = [errorOutput('The cell has errors', `${where} and run the cell again.${rest}`, [...p.diagnostics, ...ev.errors])];
  if (ev.values.length || ev.verdicts.length) outputs.push(reportOutput('estimate', { blocks: tables }));
  return { ok: false, outputs, definitions: ev.definitions, reads };
}

const VERDICT_MARK: Record<Verdict['status'], string> = {
  met: '✔ met',
  'not met': '✘ not met',
  marginal: '≈ marginal',
  pending: '… pending',
};

/** The requirement checks of a cell: what was measured against which limit, and the verdict. */
export function verdictTable(verdicts: readonly Verdict[]): Block {
  return {
    type: 'table',
    title: 'Requirements',
    columns: ['Requirement', 'Check', 'Measured', 'Limit', 'Margin', 'Verdict'],
    align: ['l', 'l', 'r', 'r', 'l', 'l'],
    rows: verdicts.map((v) => [v.id, v.check, v.measured ?? '—', v.limit ?? '—', v.margin ?? '—', VERDICT_MARK[v.status]]),
  };
}

/** A verdict as a diagnostic at its requirement: an error when not met, a warning when marginal. */
export function verdictDiagnostic(v: Verdict): Diagnostic | undefined {
  if (v.status === 'met') return undefined;
  // Pending is not a problem (the model has not run yet): a hint, which the Problems panel does not list.
  const severity = v.status === 'not met' ? 'error' : v.status === 'marginal' ? 'warning' : 'hint';
  return { range: v.range, severity, message: v.message, code: 'requirement' };
}

/** Evaluates one expression (`peak_qps`, `30 s`, `2 * dau / 1 day`, `x -> GB`) against a scope. */
export const evaluateExpression: ExprEvaluator = (expression, scope) => {
  const checker = new Checker(scope);
  const { stmt, error } = parseLine(expression, 0, checker);
  if (error) return { ok: false, message: error.message, column: error.start };
  if (!stmt) return { ok: false, message: 'expected an expression', column: 0 };
  if (stmt.kind !== 'expr') return { ok: false, message: 'expected an expression, not a definition', column: stmt.nameSpan?.start ?? 0 };
  checker.checkStmt(stmt, expression);
  const first = checker.diagnostics.find((d) => d.severity === 'error');
  if (first) return { ok: false, message: first.message, column: first.range.start.column };
  const e = stmt.expr!;
  // A model result that has not been measured yet has no value to compute with.
  if (stmt.pending !== undefined) {
    const name = [...checker.reads].find((n) => scope.get(n)?.pending !== undefined);
    return {
      ok: false,
      message: `\`${name}\` has no value yet: ${stmt.pending}`,
      column: Math.max(0, name ? expression.indexOf(name) : 0),
      pending: stmt.pending,
    };
  }
  try {
    const value = evalExpr(e, []);
    if (!Number.isFinite(value)) return { ok: false, message: `the result is not a finite number (${value})`, column: e.start };
    const d = e.d ?? NONE;
    const display = formatValue(value, displayUnit(stmt, expression, value));
    return { ok: true, quantity: { value, dims: dimsToRecord(d), display } };
  } catch (err) {
    if (err instanceof EvalError) return { ok: false, message: err.message, column: err.span.start };
    throw err;
  }
};

/** A quantity as an estimate cell would show it, in the unit it picks (`41.2 ms`, `3,472 req/s`). */
export function formatQuantity(value: number, dims: Record<string, number>): string {
  return formatValue(value, autoUnit(value, dimsFromRecord(dims), 0));
}

export type ToUnitResult = { ok: true; value: number } | { ok: false; message: string };

/** A quantity in a requested unit: `toUnit(q, 'req/s')` → requests per second, or why not. */
export function toUnit(q: Quantity, unit: string): ToUnitResult {
  const parsed = parseUnitText(unit);
  if ('message' in parsed) return { ok: false, message: parsed.message };
  const have = dimsFromRecord(q.dims);
  if (parsed.percent) {
    if (have.length) return { ok: false, message: `${formatDims(have)} cannot be shown as a percentage` };
    return { ok: true, value: q.value * 100 };
  }
  let factor = 1;
  let d = NONE;
  const chk = new Checker(EMPTY_SCOPE);
  for (const a of parsed.atoms) {
    // A countable unit declared in some cell is known by the quantity's own dimension names.
    const def = chk.unitLookup(a.name) ?? (a.name in q.dims ? countableUnit(a.name) : undefined);
    if (!def) return { ok: false, message: `unknown unit \`${a.name}\`` };
    factor *= def.factor ** a.exp;
    d = dimsFromRecord(mergeRecord(dimsToRecord(d), dimsToRecord(def.dims), a.exp));
  }
  if (!sameDims(d, have))
    return {
      ok: false,
      message: `expected ${formatDims(d)} (\`${unit.trim()}\`), got ${formatDims(have)}${q.display ? ` (${q.display})` : ''}`,
    };
  return { ok: true, value: q.value / factor };
}

function mergeRecord(a: Record<string, number>, b: Record<string, number>, k: number): Record<string, number> {
  const r = { ...a };
  for (const [n, e] of Object.entries(b)) r[n] = (r[n] ?? 0) + e * k;
  return r;
}

export interface CellNames {
  /** Names the cell assigns or declares (`unit photo`), in order. */
  defines: string[];
  /** Names used before (or without) a definition in this cell: candidates from earlier cells. */
  reads: string[];
}

/**
 * Cheap, scope-free listing of what a cell defines and reads, for spreadsheet-style re-runs.
 * A read is any name that is not defined above it in the cell and is not a built-in.
 */
export function cellNames(source: string): CellNames {
  const defines: string[] = [];
  const reads = new Set<string>();
  const defined = new Set<string>();
  const declared = new Set<string>();
  const isUnit = (n: string) => lookupBuiltinUnit(n) !== undefined || declared.has(n);
  const lines = splitLines(source);
  for (let li = 0; li < lines.length; li++) {
    const { stmt } = parseLine(lines[li], li, { isUnit });
    if (!stmt) continue;
    if (stmt.kind === 'unit') {
      declared.add(stmt.name!);
      defines.push(stmt.name!);
      continue;
    }
    eachNode(stmt, (e) => {
      if (e.k === 'id' && !defined.has(e.name) && !CONSTANTS.has(e.name) && !isUnit(e.name)) reads.add(e.name);
      if (e.k === 'num') for (const a of e.units?.atoms ?? []) if (!isUnit(a.name) && !defined.has(a.name)) reads.add(a.name);
    });
    for (const a of stmt.target?.atoms ?? []) if (!isUnit(a.name)) reads.add(a.name);
    if (stmt.kind === 'assign') {
      defined.add(stmt.name!);
      if (!defines.includes(stmt.name!)) defines.push(stmt.name!);
    }
  }
  return { defines, reads: [...reads] };
}

/** What a parsed cell defines and actually read from the scope it was checked against. */
export function namesOf(p: EstimateParse): CellNames {
  const defines: string[] = [];
  for (const s of p.stmts) if (s.name && !defines.includes(s.name)) defines.push(s.name);
  return { defines, reads: p.reads };
}

function wordAt(line: string, column: number): { name: string; start: number; end: number } | undefined {
  const { tokens } = scanLine(line);
  for (const t of tokens) if (t.t === 'id' && column >= t.s && column <= t.e) return { name: t.text, start: t.s, end: t.e };
  return undefined;
}

/** The cell's cached parse when the caller has one for this source, else a fresh one. */
function parsed(source: string, ctx: ServiceContext<EstimateParse>): EstimateParse {
  const p = ctx.parse?.parsed;
  return p && p.source === source ? p : analyze(source, ctx.scope);
}

export function hover(source: string, position: Position, ctx: ServiceContext<EstimateParse>): Hover | undefined {
  const p = parsed(source, ctx);
  const lineText = p.lines[position.line];
  if (lineText === undefined) return undefined;
  const w = wordAt(lineText, position.column);
  if (!w) return undefined;
  const range = { start: { line: position.line, column: w.start }, end: { line: position.line, column: w.end } };
  const name = w.name;
  // Binding visible here: defined on this line (its own name) or on an earlier line.
  const own = p.stmts.find((s) => s.line === position.line && s.kind === 'assign' && s.nameSpan!.start === w.start);
  const binding = [...p.checker.bindings].reverse().find((b) => b.name === name && (own ? b.stmt === own : b.stmt.line < position.line));
  const afterNumber = isUnitPosition(lineText, w.start);
  if (binding && !afterNumber) {
    const outcome = evaluated(p, ctx.cellIndex).lines.find((l) => l.stmt === binding.stmt);
    const lv = outcome?.value;
    const dims = binding.d
      ? formatDims(binding.d)
      : binding.stmt.broken === binding.stmt.line
        ? 'unknown (the line has errors)'
        : 'unknown';
    const value = lv ? `${formatFull(lv.value, lv.unit)}` : (outcome?.note ?? 'not evaluated');
    return {
      range,
      markdown: `**${name}** = ${value}\n\n- shown as: ${lv?.display ?? '—'}\n- dimension: ${dims}\n- defined: line ${binding.stmt.line + 1} (this cell): \`${binding.stmt.text}\``,
    };
  }
  const def = !afterNumber ? ctx.scope.get(name) : undefined;
  if (def && def.expression !== UNIT_DECL + name) {
    const d = dimsFromRecord(def.quantity.dims);
    const du = autoUnit(def.quantity.value, d, 0);
    const where = `cell ${def.cellIndex + 1}, line ${def.range.start.line + 1}: \`${def.expression}\``;
    if (def.pending !== undefined)
      return { range, markdown: `**${name}**: no value yet (${def.pending})\n\n- dimension: ${formatDims(d)}\n- defined: ${where}` };
    const ci = def.quantity.ci;
    return {
      range,
      markdown: `**${name}** = ${formatFull(def.quantity.value, du)}\n\n- shown as: ${def.quantity.display ?? formatValue(def.quantity.value, du)}${ci ? `\n- 95% interval: ${formatValue(ci.low, du)} to ${formatValue(ci.high, du)}` : ''}\n- dimension: ${formatDims(d)}\n- defined: ${where}`,
    };
  }
  const c = CONSTANTS.get(name);
  if (c && !afterNumber) {
    const du = autoUnit(c.value, c.dims, 0);
    return {
      range,
      markdown: `**${name}** = ${formatFull(c.value, du)} (${formatValue(c.value, du)})\n\n- ${c.doc}\n- dimension: ${formatDims(c.dims)}\n- built-in`,
    };
  }
  const fn = FUNCTIONS.get(name);
  if (fn) return { range, markdown: `**${fn.signature}**: ${fn.doc} (built-in function)` };
  const m = MAGNITUDES.get(name);
  if (m !== undefined && afterNumber) return { range, markdown: `**${name}**: magnitude × ${m.toLocaleString('en-US')}` };
  const u = p.checker.unitLookup(name);
  if (u)
    return {
      range,
      markdown: `**${name}**: ${u.doc}\n\n- 1 ${name} = ${u.factor} ${baseUnitText(u.dims)}\n- dimension: ${formatDims(u.dims)}`,
    };
  if (KEYWORDS.has(name)) return { range, markdown: keywordDoc(name) };
  return undefined;
}

function baseUnitText(d: readonly number[]): string {
  return autoUnit(1, d, 0).unit
    ? formatValue(1, { unit: baseUnit(d), factor: 1, count: false, percent: false, money: false }).replace(/^1 /, '')
    : '';
}

function baseUnit(d: readonly number[]): string {
  const r = dimsToRecord(d);
  const num: string[] = [];
  const den: string[] = [];
  for (const [k, e] of Object.entries(r)) {
    const n = k === 'time' ? 's' : k === 'information' ? 'B' : k;
    const s = Math.abs(e) === 1 ? n : `${n}^${Math.abs(e)}`;
    (e > 0 ? num : den).push(s);
  }
  return (num.join('·') || '1') + den.map((x) => '/' + x).join('');
}

function keywordDoc(k: string): string {
  if (k === 'per') return '**per**: division, `100 msg per day` = `100 msg/day`';
  if (k === 'unit') return '**unit** *name*: declares a countable unit (a dimension of its own), e.g. `unit photo`';
  return `**${k}**: converts the result, like \`->\` (e.g. \`x ${k} GB\`)`;
}

/** True when the identifier at `start` follows a number or a unit (so it is read as a unit). */
function isUnitPosition(line: string, start: number): boolean {
  const { tokens } = scanLine(line);
  let k = tokens.findIndex((t) => t.s === start);
  if (k <= 0) return false;
  for (k = k - 1; k >= 0; k--) {
    const t = tokens[k];
    if (t.t === 'num') return true;
    if (t.t === 'id' && (lookupBuiltinUnit(t.text) || MAGNITUDES.has(t.text))) continue;
    if (t.text === '/' || t.text === 'per' || t.text === '->' || t.text === 'to' || t.text === 'in') {
      if (t.text === '->' || t.text === 'to' || t.text === 'in') return true;
      continue;
    }
    return false;
  }
  return false;
}

export function complete(source: string, position: Position, ctx: ServiceContext<EstimateParse>): Completion[] {
  const p = parsed(source, ctx);
  const out: Completion[] = [];
  const seen = new Set<string>();
  const push = (c: Completion) => {
    if (!seen.has(c.label)) {
      seen.add(c.label);
      out.push(c);
    }
  };
  const ev = evaluated(p, ctx.cellIndex);
  // Only lines above the cursor define names the cursor can use.
  for (const b of [...p.checker.bindings].reverse()) {
    if (b.stmt.line >= position.line) continue;
    const lv = ev.values.find((v) => v.stmt === b.stmt);
    push({
      label: b.name,
      kind: 'variable',
      detail: lv ? lv.display : 'this cell',
      documentation: `line ${b.stmt.line + 1}: ${b.stmt.text}`,
    });
  }
  for (const s of p.stmts)
    if (s.kind === 'unit' && s.line < position.line && p.checker.declared.has(s.name!))
      push({ label: s.name!, kind: 'unit', detail: 'countable unit (this cell)' });
  for (const name of ctx.scope.names()) {
    const d = ctx.scope.get(name);
    if (!d) continue;
    push({
      label: name,
      kind: d.expression === UNIT_DECL + name ? 'unit' : 'variable',
      detail: d.quantity.display,
      documentation: `cell ${d.cellIndex + 1}: ${d.expression}`,
    });
  }
  for (const c of CONSTANTS.values())
    push({ label: c.name, kind: 'constant', detail: formatValue(c.value, autoUnit(c.value, c.dims, 0)), documentation: c.doc });
  for (const f of FUNCTIONS.values())
    push({ label: f.name, kind: 'function', detail: f.signature, documentation: f.doc, insertText: `${f.name}(` });
  for (const u of builtinUnitNames()) push({ label: u, kind: 'unit', detail: lookupBuiltinUnit(u)!.doc });
  for (const k of ['to', 'in', 'per', 'unit']) push({ label: k, kind: 'keyword', documentation: keywordDoc(k) });
  return out;
}

export const estimateKernel: Kernel<EstimateParse> = {
  spec: estimateSpec,
  parse(source: string, ctx: ParseContext) {
    const p = analyze(source, ctx.scope);
    return { parsed: p, diagnostics: p.diagnostics, reads: p.reads, uses: usesOf(p) };
  },
  define(p: EstimateParse, ctx: ParseContext): DefineResult {
    // A broken line defines nothing, nor do the lines that read it; every other line does.
    const ev = evaluated(p, ctx.cellIndex);
    const checks = ev.verdicts.map(verdictDiagnostic).filter((d): d is Diagnostic => !!d);
    return {
      definitions: ev.definitions,
      diagnostics: [...ev.errors, ...checks],
      verdicts: ev.verdicts,
      unavailable: ev.unavailable,
      brokenChecks: ev.brokenChecks,
    };
  },
  execute(parsed: EstimateParse, ctx: ExecContext): ExecResult {
    // Re-check when the scope changed since parse (an earlier cell was re-run).
    const p = parsed.scope === ctx.scope ? parsed : analyze(parsed.source, ctx.scope);
    return run(p, ctx.cellIndex);
  },
  hover,
  complete,
};
