// Static dimension check, before anything is evaluated: resolves every name (this cell, earlier
// cells, built-ins, units), gives every node its dimension and reports mismatches numbat-style.
import type { Diagnostic, Scope, Severity } from '../types';
import { isPercentTerm, type Expr, type NumNode, type Span, type Stmt, type UnitAtom, type UnitExpr } from './ast';
import { CONSTANTS, FUNCTIONS, ArgInfo } from './builtins';
import {
  CURRENCIES,
  Dims,
  INFO,
  NONE,
  TIME,
  currenciesOf,
  divDims,
  dimLabel,
  dimName,
  dimsFromRecord,
  formatDims,
  isCurrencyIndex,
  isNone,
  mulDims,
  powDims,
  sameDims,
} from './dimensions';
import { ParseError } from './parser';
import { closest } from '../suggest';
import {
  F_BITS,
  F_BYTES,
  F_FLOW,
  F_IEC,
  F_PERCENT,
  MAGNITUDES,
  UnitDef,
  builtinUnitNames,
  countableUnit,
  lookupBuiltinUnit,
  singulars,
} from './units';

/** Expression text of a `unit photo` declaration, as stored in its Definition. */
export const UNIT_DECL = 'unit ';

export interface Binding {
  name: string;
  slot: number;
  d: Dims | null;
  f: number;
  stmt: Stmt;
}

const OP_NAMES: Record<string, string> = { '+': 'addition', '-': 'subtraction' };

export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly reads = new Set<string>();
  /** Latest binding per name defined in this cell so far. */
  readonly locals = new Map<string, Binding>();
  /** Every binding in order (hover needs the one visible at a given line). */
  readonly bindings: Binding[] = [];
  readonly declared = new Map<string, UnitDef>();
  /** Units declared by earlier cells, looked up once per name (created on first use). */
  private scopeUnits: Map<string, UnitDef> | undefined;
  private line = 0;
  private src = '';
  /** The statement being checked: its reads of this cell's names are recorded on it. */
  private stmt: Stmt | undefined;
  errors = 0;

  constructor(readonly scope: Scope) {}

  report(line: number, span: Span, message: string, code: string, severity: Severity = 'error'): void {
    this.diagnostics.push({
      range: { start: { line, column: span.start }, end: { line, column: Math.max(span.end, span.start) } },
      severity,
      message,
      code,
    });
    if (severity === 'error') this.errors++;
  }

  private err(span: Span, message: string, code: string): void {
    this.report(this.line, span, message, code);
  }

  parseError(line: number, e: ParseError): void {
    this.report(line, e, e.message, e.code);
  }

  private scopeUnit(name: string): UnitDef | undefined {
    const known = this.scopeUnits?.get(name);
    if (known) return known;
    const def = this.scope.get(name);
    if (!def || def.expression !== UNIT_DECL + name) return undefined;
    const u: UnitDef = {
      ...countableUnit(name),
      doc: `countable unit \`${name}\` declared in cell ${def.cellIndex + 1}`,
      dims: dimsFromRecord(def.quantity.dims),
    };
    (this.scopeUnits ??= new Map()).set(name, u);
    return u;
  }

  isUnit(name: string): boolean {
    return this.unitLookup(name) !== undefined;
  }

  /** Units in unit position: built-ins, then units declared in this cell or earlier cells (plurals too). */
  unitLookup(name: string): UnitDef | undefined {
    const b = lookupBuiltinUnit(name);
    if (b) return b;
    const own = this.declaredOrScope(name);
    if (own || name.charCodeAt(name.length - 1) !== 115 /* s */) return own;
    for (const n of singulars(name)) {
      const u = this.declaredOrScope(n);
      if (u) return u;
    }
    return undefined;
  }

  private declaredOrScope(name: string): UnitDef | undefined {
    const own = this.declared.get(name);
    if (own) return own;
    const u = this.scopeUnit(name);
    if (u) this.reads.add(name);
    return u;
  }

  private unitNames(): Iterable<string> {
    const scopeDecls = this.scope.names().filter((n) => this.scopeUnit(n));
    return [...builtinUnitNames(), ...this.declared.keys(), ...scopeDecls];
  }

  checkStmt(st: Stmt, src: string): void {
    this.line = st.line;
    this.src = src;
    this.stmt = st;
    const errorsBefore = this.errors;
    this.checkStmtBody(st);
    // An error of its own outranks an error upstream.
    if (this.errors > errorsBefore) {
      st.broken = st.line;
      st.brokenVia = -1;
    }
    this.stmt = undefined;
  }

  /** A `name = …` line that did not parse: lines below that read `name` depend on its error. */
  brokenAssignment(st: Stmt): void {
    st.broken = st.line;
    this.bind(st, null, 0);
  }

  private bind(st: Stmt, d: Dims | null, f: number): void {
    const b: Binding = { name: st.name!, slot: this.bindings.length, d, f, stmt: st };
    st.slot = b.slot;
    this.bindings.push(b);
    this.locals.set(b.name, b);
  }

  private checkStmtBody(st: Stmt): void {
    const errorsBefore = this.errors;
    if (st.kind === 'unit') {
      const name = st.name!;
      if (lookupBuiltinUnit(name)) {
        this.report(st.line, st.nameSpan!, `\`${name}\` is already a unit; the declaration changes nothing`, 'unit-exists', 'warning');
        return;
      }
      if (name === 'time' || name === 'information') {
        this.err(st.nameSpan!, `\`${name}\` names a base dimension; pick another unit name`, 'unit-clash');
        return;
      }
      if (this.locals.has(name) || CONSTANTS.has(name) || FUNCTIONS.has(name)) {
        this.err(st.nameSpan!, `\`${name}\` is already a name; pick another unit name`, 'unit-clash');
        return;
      }
      this.declared.set(name, { ...countableUnit(name), doc: `countable unit \`${name}\` declared on line ${st.line + 1}` });
      return;
    }
    const e = st.expr!;
    this.expr(e);
    if (st.req) return this.requirement(st, e, st.req.limit);
    if (st.target && e.d) this.conversion(st, e);
    if (st.kind === 'assign') {
      const name = st.name!;
      // Counting names (`users = 300M users`) are natural and harmless: after a number the unit
      // wins, and a bare countable unit is rarely wanted as a value. Hiding `day` or `b` is not.
      const u = this.unitLookup(name);
      const what = CONSTANTS.has(name) ? 'built-in' : FUNCTIONS.has(name) ? 'function' : u && !u.countable ? 'unit' : undefined;
      if (what)
        this.report(
          st.line,
          st.nameSpan!,
          `\`${name}\` hides the ${what} \`${name}\` in expressions below (after a number it still means the ${what === 'unit' ? 'unit' : what})`,
          'shadows',
          'warning',
        );
      this.bind(st, this.errors > errorsBefore ? null : e.d, e.f);
    }
  }

  /** A requirement compares two quantities of one dimension (`api.p99 <= 50 ms`). */
  private requirement(st: Stmt, measured: Expr, limit: Expr): void {
    this.expr(limit);
    if (!measured.d || !limit.d || sameDims(measured.d, limit.d)) return;
    const op = st.req!.op;
    this.err(
      st.req!.opSpan,
      `\`${op}\` compares quantities of one dimension: left hand side \`${this.text(measured)}\` is ${formatDims(measured.d)}${this.origin(measured)}, right hand side \`${this.text(limit)}\` is ${formatDims(limit.d)}${this.origin(limit)}`,
      'dimension-mismatch',
    );
  }

  /** Where a name from an earlier cell was defined, so the message points at the defining cell. */
  private origin(e: Expr): string {
    while (e.k === 'paren') e = e.e;
    if (e.k !== 'id' || this.locals.has(e.name)) return '';
    const def = this.scope.get(e.name);
    return def ? ` (defined in cell ${def.cellIndex + 1}, line ${def.range.start.line + 1})` : '';
  }

  private text(s: Span): string {
    return this.src.slice(s.start, s.end);
  }

  private conversion(st: Stmt, e: Expr): void {
    const t = st.target!;
    const span = { start: st.arrow!.start, end: t.end };
    if (t.percent) {
      if (!isNone(e.d!))
        this.err(
          span,
          `cannot convert to \`%\`: the expression is ${formatDims(e.d!)}, and only plain numbers are percentages`,
          'conversion',
        );
      st.targetFactor = 0.01;
      return;
    }
    const r = this.unitProduct(t, -1);
    if (!r) return;
    st.targetFactor = r.factor;
    if (!sameDims(r.d, e.d!)) {
      const fix = fixHint(r.d, e.d!, 'the expression');
      this.err(
        span,
        `cannot convert to \`${this.text(t)}\`: specified dimension: ${formatDims(r.d)}, actual dimension: ${formatDims(e.d!)} (of \`${this.text(e)}\`${this.origin(e)}).${fix}`,
        'dimension-mismatch',
      );
    }
  }

  /** Factor and dimension of unit names (`req/user/day`); reports unknown names. */
  private unitProduct(u: UnitExpr, numStart: number): { factor: number; d: Dims; f: number } | undefined {
    let factor = 1;
    let d: Dims = NONE;
    let f = 0;
    let ok = true;
    for (const a of u.atoms) {
      const def = this.unitLookup(a.name);
      if (!def) {
        this.unknownUnit(a, numStart < 0 ? undefined : this.src.slice(numStart, u.start).trim());
        ok = false;
        continue;
      }
      factor *= a.exp === 1 ? def.factor : def.factor ** a.exp;
      d = mulDims(d, a.exp === 1 ? def.dims : powDims(def.dims, a.exp));
      f |= def.flags;
    }
    return ok ? { factor, d, f } : undefined;
  }

  private unknownUnit(a: UnitAtom, numText: string | undefined): void {
    const n = a.name;
    if (this.locals.has(n) || this.scope.get(n) || CONSTANTS.has(n)) {
      this.err(
        a,
        `\`${n}\` is a ${CONSTANTS.has(n) ? 'built-in constant' : 'variable'}, not a unit: write \`*\` to multiply${numText ? ` (e.g. \`${numText} * ${n}\`)` : ''}`,
        'not-a-unit',
      );
      return;
    }
    if (n === 'Hz' || n === 'hz' || n.endsWith('Hz')) {
      this.err(a, `\`${n}\` is not supported: write rates per second, e.g. \`100 /s\` or \`100 req/s\``, 'unknown-unit');
      return;
    }
    if (MAGNITUDES.has(n)) {
      this.err(a, `\`${n}\` is a magnitude: write it right after the number (\`100${n} users\`)`, 'unknown-unit');
      return;
    }
    for (const [m] of MAGNITUDES) {
      if (n.length > m.length && n.startsWith(m) && this.unitLookup(n.slice(m.length)) && numText !== undefined) {
        this.err(
          a,
          `unknown unit \`${n}\`; did you mean \`${numText}${m} ${n.slice(m.length)}\`? Magnitudes (k, M, bn) go on the number, units after a space`,
          'unknown-unit',
        );
        return;
      }
    }
    if (n === 'm') {
      this.err(
        a,
        `\`m\` is not a unit: write \`M\` for millions (\`${numText ?? '10'}M\`), \`min\` for minutes or \`ms\` for milliseconds`,
        'unknown-unit',
      );
      return;
    }
    const near = closest(n, [this.unitNames()]);
    this.err(
      a,
      `unknown unit \`${n}\`${near ? `; did you mean \`${near}\`?` : '.'} To count a new kind of thing, declare it on a line above: \`unit ${n}\``,
      'unknown-unit',
    );
  }

  expr(n: Expr): void {
    switch (n.k) {
      case 'num':
        return this.num(n);
      case 'id':
        return this.ident(n);
      case 'paren':
        this.expr(n.e);
        n.d = n.e.d;
        n.f = n.e.f;
        return;
      case 'neg':
        this.expr(n.e);
        n.d = n.e.d;
        n.f = n.e.f & F_FLOW;
        return;
      case 'pct':
        this.expr(n.e);
        if (n.e.d && !isNone(n.e.d))
          this.err(n, `\`%\` applies to plain numbers, but \`${this.text(n.e)}\` is ${formatDims(n.e.d)}`, 'percent');
        n.d = NONE;
        n.f = F_PERCENT;
        return;
      case 'call':
        return this.call(n);
      case 'bin':
        return this.bin(n);
    }
  }

  private num(n: NumNode): void {
    n.f = 0;
    let coefficientOk = true;
    if (n.e) {
      this.expr(n.e);
      coefficientOk = n.e.d !== null;
    }
    const number = n.e ? 1 : n.value;
    let d = NONE;
    let factor = 1;
    let f = 0;
    if (n.name) d = lookupBuiltinUnit(n.name)!.dims;
    if (n.units) {
      const atoms = n.units.atoms;
      const r = this.unitProduct(n.units, n.start);
      if (!r) {
        n.d = null;
        return;
      }
      if (atoms.length > 1 && atoms[0].name === 'B' && atoms[1].exp > 0 && this.unitLookup(atoms[1].name)?.countable) {
        const num = this.src.slice(n.start, atoms[0].start).trim();
        const thing = atoms[1].name;
        const one = this.unitLookup(thing)!.countable ?? thing;
        this.err(
          { start: n.start, end: atoms[1].end },
          `\`${this.text({ start: n.start, end: atoms[1].end })}\` is ambiguous: it reads as ${num} bytes × ${thing} (Information × ${dimLabel(dimIndexOf(this.unitLookup(thing)!))}), but you may mean ${num} billion ${thing}. ` +
            `Write \`${num} bn ${thing}\` (or \`${num} billion ${thing}\`) for billions, or \`${num} B/${one}\` for bytes per ${one}; \`B\` is always the byte`,
          'ambiguous-B',
        );
        n.d = null;
        return;
      }
      const twice = n.name ? atoms.find((a) => a.exp > 0 && currenciesOf(this.unitLookup(a.name)!.dims).length > 0) : undefined;
      if (twice) {
        const num = this.src.slice(n.start + n.name.length, n.units.start).trim();
        this.err(n, `\`${this.text(n)}\` names a currency twice: write \`${n.name}${num}\` or \`${num} ${twice.name}\``, 'currency-twice');
        n.d = null;
        return;
      }
      d = mulDims(d, r.d);
      factor = r.factor;
      f = r.f;
    }
    if (!coefficientOk) {
      n.d = null;
      return;
    }
    n.cv = number * factor;
    n.d = d;
    n.f = f & F_FLOW;
  }

  private ident(n: Expr & { k: 'id' }): void {
    const b = this.locals.get(n.name);
    if (b) {
      const st = this.stmt;
      if (st) {
        if (!st.localReads.includes(b.slot)) st.localReads.push(b.slot);
        if (b.stmt.broken >= 0 && st.broken < 0) {
          st.broken = b.stmt.broken;
          st.brokenVia = b.slot;
        }
        st.pending ??= b.stmt.pending;
      }
      n.slot = b.slot;
      n.d = b.d;
      n.f = b.f;
      return;
    }
    const def = this.scope.get(n.name);
    if (def) {
      this.reads.add(n.name);
      if (this.stmt) {
        this.stmt.pending ??= def.pending;
        if (def.quantity.ci) (this.stmt.stochastic ??= []).push(n);
      }
      n.cv = def.quantity.value;
      n.d = dimsFromRecord(def.quantity.dims);
      n.f = flagsFromDisplay(def.quantity.display);
      return;
    }
    const c = CONSTANTS.get(n.name);
    if (c) {
      n.cv = c.value;
      n.d = c.dims;
      n.f = 0;
      return;
    }
    const u = this.unitLookup(n.name);
    if (u) {
      n.cv = u.factor;
      n.d = u.dims;
      n.f = u.flags & F_FLOW;
      return;
    }
    n.d = null;
    if (FUNCTIONS.has(n.name)) return this.err(n, `\`${n.name}\` is a function: call it like \`${n.name}(x)\``, 'not-a-value');
    if (MAGNITUDES.has(n.name))
      return this.err(n, `\`${n.name}\` is a magnitude suffix: write it right after a number (\`100${n.name}\`)`, 'not-a-value');
    const why = this.scope.unavailable?.(n.name);
    if (why) return this.err(n, why, 'no-value');
    const near = closest(n.name, [this.locals.keys(), this.scope.names(), CONSTANTS.keys(), this.unitNames()]);
    this.err(n, `unknown name \`${n.name}\`${near ? `; did you mean \`${near}\`?` : ''}`, 'unknown-name');
  }

  private call(n: Expr & { k: 'call' }): void {
    for (const a of n.args) this.expr(a);
    n.d = null;
    n.f = 0;
    const fn = FUNCTIONS.get(n.name);
    const nameSpan = { start: n.start, end: n.nameEnd };
    if (!fn) {
      const near = closest(n.name, [FUNCTIONS.keys()]);
      this.err(nameSpan, `unknown function \`${n.name}\`${near ? `; did you mean \`${near}\`?` : ''}`, 'unknown-function');
      return;
    }
    n.fn = fn;
    if (n.args.length < fn.minArgs || n.args.length > fn.maxArgs) {
      const want = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `at least ${fn.minArgs}`;
      this.err(
        n,
        `\`${fn.name}\` takes ${want} argument${fn.minArgs === 1 && fn.maxArgs === 1 ? '' : 's'}, got ${n.args.length}: \`${fn.signature}\``,
        'arguments',
      );
      return;
    }
    const args: ArgInfo[] = [];
    for (const a of n.args) {
      if (!a.d) return;
      args.push({ d: a.d, f: a.f });
    }
    const r = fn.check(args);
    if (typeof r === 'string') {
      const dims = args.map((a) => formatDims(a.d)).join(', ');
      this.err(n, `${r} (argument type: ${dims})`, 'argument-dimension');
      return;
    }
    n.d = r.d;
    n.f = r.f;
  }

  private bin(n: Expr & { k: 'bin' }): void {
    const { l, r } = n;
    this.expr(l);
    this.expr(r);
    n.f = (l.f | r.f) & F_FLOW;
    const op = { start: n.opStart, end: n.opEnd };
    if (!l.d || !r.d) {
      n.d = null;
      return;
    }
    switch (n.op) {
      case '+':
      case '-':
        if (isPercentTerm(r)) {
          // `x + p%` is x·(1 + p/100): increase or decrease by p percent.
          n.d = l.d;
          n.f = l.f;
          return;
        }
        if (!sameDims(l.d, r.d)) {
          const fix = fixHint(l.d, r.d, 'the right hand side');
          this.err(
            op,
            `incompatible dimensions in ${OP_NAMES[n.op]} (\`${n.op}\`): left hand side \`${this.text(l)}\` is ${formatDims(l.d)}${this.origin(l)}, right hand side \`${this.text(r)}\` is ${formatDims(r.d)}${this.origin(r)}.${fix}`,
            'dimension-mismatch',
          );
          n.d = null;
          return;
        }
        n.d = l.d;
        if (l.f & r.f & F_PERCENT) n.f |= F_PERCENT;
        return;
      case '*':
        n.d = mulDims(l.d, r.d);
        return;
      case '/':
        n.d = divDims(l.d, r.d);
        return;
      case '^': {
        if (!isNone(r.d)) {
          this.err(r, `the exponent must be a plain number, but \`${this.text(r)}\` is ${formatDims(r.d)}`, 'dimension-mismatch');
          n.d = null;
          return;
        }
        if (isNone(l.d)) {
          n.d = NONE;
          return;
        }
        const k = constValue(r);
        if (k === undefined || !Number.isInteger(k)) {
          this.err(
            r,
            `\`${this.text(l)}\` is ${formatDims(l.d)}, so its exponent must be an integer written as a number (like \`^2\`)`,
            'exponent',
          );
          n.d = null;
          return;
        }
        n.d = powDims(l.d, k);
        return;
      }
    }
  }
}

function dimIndexOf(u: UnitDef): number {
  return u.dims.length - 1;
}

function constValue(e: Expr): number | undefined {
  if (e.k === 'num' && !e.units) return e.value;
  if (e.k === 'neg') {
    const v = constValue(e.e);
    return v === undefined ? undefined : -v;
  }
  if (e.k === 'paren') return constValue(e.e);
  return undefined;
}

/** Display hints of a value from an earlier cell, recovered from how it was shown. */
function flagsFromDisplay(display: string | undefined): number {
  if (!display) return 0;
  let f = 0;
  if (/\diB|[KMGTPE]iB/.test(display)) f |= F_IEC | F_BYTES;
  else if (/bps|bit/.test(display)) f |= F_BITS;
  else if (/B/.test(display)) f |= F_BYTES;
  return f;
}

const EXAMPLE: Record<string, string> = { time: '1 s', information: '1 B' };

/**
 * What to do when `have` should be `want`: a note when two currencies meet (they are never converted),
 * `multiply … by a Time` when one base dimension is missing or extra, `1 req/tweet` between two countables.
 */
export function fixHint(want: Dims, have: Dims, subject: string): string {
  const cw = currenciesOf(want);
  const ch = currenciesOf(have);
  if (cw.length && ch.length && cw.join() !== ch.join()) {
    const both = CURRENCIES.filter((c) => cw.includes(c) || ch.includes(c));
    return ` ${both.slice(0, -1).join(', ')} and ${both[both.length - 1]} are different currencies and are never converted into each other: declare an exchange rate in \`${cw[0]}/${ch[0]}\` and multiply by it.`;
  }
  const ratio = divDims(want, have);
  const moved: number[] = [];
  for (let i = 0; i < ratio.length; i++) if (ratio[i] !== 0) moved.push(i);
  if (moved.length === 2 && ratio[moved[0]] * ratio[moved[1]] === -1 && moved.every((i) => isCountable(i))) {
    const [up, down] = ratio[moved[0]] > 0 ? moved : [moved[1], moved[0]];
    return ` Suggested fix: if each ${dimName(down)} is one ${dimName(up)}, multiply ${subject} by \`1 ${dimName(up)}/${dimName(down)}\`.`;
  }
  if (moved.length !== 1 || Math.abs(ratio[moved[0]]) !== 1) return '';
  const idx = moved[0];
  // Money is billed per month: `/ 1 month` rather than `/ 1 s`.
  const ex = idx === TIME && cw.length ? '1 month' : (EXAMPLE[dimName(idx)] ?? `1 ${dimName(idx)}`);
  const label = dimLabel(idx);
  if (ratio[idx] < 0 && cw.length && isCountable(idx))
    return ` Suggested fix: give the price per ${dimName(idx)} (\`${cw[0]}/${dimName(idx)}\`), or divide ${subject} by a ${label} (e.g. \`/ ${ex}\`).`;
  return ratio[idx] > 0
    ? ` Suggested fix: multiply ${subject} by a ${label} (e.g. \`* ${ex}\`).`
    : ` Suggested fix: divide ${subject} by a ${label} (e.g. \`/ ${ex}\`).`;
}

function isCountable(i: number): boolean {
  return i !== TIME && i !== INFO && !isCurrencyIndex(i);
}
