// One analysis of a notebook that every feature reads: each cell's parse, the names it defines and
// reads, where they are used, the dependencies between cells, and the diagnostics. Diagnostics,
// hover, completion, navigation, the Estimates view, the review, stale marking, `sdnb check` and the
// runtime all ask it instead of re-reading the notebook their own way.
//
// It is cached per cell version: `update` re-analyses a cell only when its text, language or place
// changed, or when a name it looked up now resolves to another definition. A cell whose new
// definitions equal its old ones keeps the old objects, so its dependents stay as they were.
// Pure: no `vscode`, no I/O.
import type { CellData } from '../format/sdnb';
import { kernelFor } from '../kernels/registry';
import type { BrokenCheck, Definition, Diagnostic, Kernel, NameUse, ParseResult, Scope, Unavailable, Verdict } from '../kernels/types';

/** A cell as the analysis reads it; `key` and `version` let the caller's cells be recognised across updates. */
export interface AnalysisCell extends CellData {
  /** Identity of the cell across edits (the host's cell document); the index when absent. */
  key?: unknown;
  /** Changes whenever the source changes (the host's document version); compared with the source when absent. */
  version?: number;
}

export interface CellAnalysis {
  readonly index: number;
  readonly key: unknown;
  readonly version: number | undefined;
  readonly kind: CellData['kind'];
  readonly language: string;
  readonly source: string;
  /** The kernel of a code cell; undefined for markdown and for languages no kernel runs. */
  readonly kernel: Kernel | undefined;
  /** The kernel's parse; undefined for markdown, unknown languages and a parser that threw. */
  readonly parse: ParseResult<unknown> | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** Names this cell defines for the cells below, in order. */
  readonly defines: readonly Definition[];
  /** Names from cells above that the source reads. */
  readonly reads: readonly string[];
  /** Occurrences of names in the source (definitions and reads). */
  readonly uses: readonly NameUse[];
  /** The names visible to this cell (everything defined above it). */
  readonly scope: Scope;
  /** Every name looked up while analysing, and the definition it resolved to. */
  readonly inputs: ReadonlyMap<string, Definition | undefined>;
  /** Names the cell assigns that have no value (their line has an error), and why. */
  readonly unavailable: readonly Unavailable[];
  /** Every name without a value asked after while analysing, and the reason it got. */
  readonly unavailableInputs: ReadonlyMap<string, string | undefined>;
  /** The cell's requirement checks and how they came out. */
  readonly verdicts: readonly Verdict[];
  /** The cell's requirement checks that have an error, so judge nothing. */
  readonly brokenChecks: readonly BrokenCheck[];
  /** Results of the cell's last run that its names now carry (a model's measured values). */
  readonly results: RunResults | undefined;
}

/** What a model cell measured in a run, kept while the cell is as it was when it ran. */
export interface RunResults {
  definitions: Definition[];
  /** The cell's version (or source, when the caller has no versions) when it ran. */
  version: number | string;
}

/** How much work the last update did. */
export interface UpdateStats {
  analysed: number;
  reused: number;
}

interface Placed {
  at: number;
  def: Definition;
}

/** The names visible at one cell. Lookups while the cell is analysed are recorded as its inputs. */
class CellScope implements Scope {
  recording: Map<string, Definition | undefined> | undefined = new Map();
  recordingUnavailable: Map<string, string | undefined> | undefined = new Map();
  constructor(
    private readonly analysis: NotebookAnalysis,
    readonly index: number,
  ) {}
  get(name: string): Definition | undefined {
    const d = this.analysis.lookup(name, this.index);
    this.recording?.set(name, d);
    return d;
  }
  names(): string[] {
    return this.analysis.namesBefore(this.index);
  }
  unavailable(name: string): string | undefined {
    const why = this.analysis.unavailableReason(name, this.index);
    this.recordingUnavailable?.set(name, why);
    return why;
  }
}

const MARKDOWN_PARTS = {
  kernel: undefined,
  parse: undefined,
  diagnostics: [],
  defines: [],
  reads: [],
  uses: [],
  verdicts: [],
  brokenChecks: [],
  unavailable: [],
  results: undefined,
} as const;

export class NotebookAnalysis {
  private cellsNow: CellAnalysis[] = [];
  private readonly byKey = new Map<unknown, CellAnalysis>();
  /** Every definition by name, in cell order (rebuilt by each update; cheap next to any parse). */
  private defs = new Map<string, Placed[]>();
  /** Names assigned without a value, by name, in cell order (rebuilt with `defs`). */
  private missing = new Map<string, Unavailable[]>();
  /** Model results by cell key, from the runs the caller reported (`setResults`). */
  private readonly results = new Map<unknown, RunResults>();
  private dependentsOf: number[][] | undefined;
  private precedentsOf: number[][] | undefined;
  lastUpdate: UpdateStats = { analysed: 0, reused: 0 };

  /** Brings the analysis up to date with `cells` and returns it. */
  update(cells: readonly AnalysisCell[]): this {
    const stats: UpdateStats = { analysed: 0, reused: 0 };
    this.defs = new Map();
    this.missing = new Map();
    this.dependentsOf = this.precedentsOf = undefined;
    const next: CellAnalysis[] = [];
    const seen = new Set<unknown>();
    for (let index = 0; index < cells.length; index++) {
      const cell = cells[index];
      const key = cell.key ?? index;
      seen.add(key);
      const prev = this.byKey.get(key);
      let a: CellAnalysis;
      if (prev && this.stillValid(prev, cell, index)) {
        a = prev;
        stats.reused++;
      } else {
        a = this.analyse(cell, key, index, prev);
        stats.analysed++;
      }
      next.push(a);
      this.byKey.set(key, a);
      for (const def of a.defines) {
        const list = this.defs.get(def.name);
        if (list) list.push({ at: index, def });
        else this.defs.set(def.name, [{ at: index, def }]);
      }
      for (const u of a.unavailable) {
        const list = this.missing.get(u.name);
        if (list) list.push(u);
        else this.missing.set(u.name, [u]);
      }
    }
    for (const key of [...this.byKey.keys()]) if (!seen.has(key)) this.byKey.delete(key);
    this.cellsNow = next;
    this.lastUpdate = stats;
    return this;
  }

  private stillValid(prev: CellAnalysis, cell: AnalysisCell, index: number): boolean {
    if (prev.index !== index || prev.kind !== cell.kind || prev.language !== cell.language) return false;
    if (cell.version !== undefined ? prev.version !== cell.version : prev.source !== cell.source) return false;
    for (const [name, def] of prev.inputs) if (this.lookup(name, index) !== def) return false;
    for (const [name, why] of prev.unavailableInputs) if (this.unavailableReason(name, index) !== why) return false;
    return true;
  }

  private analyse(cell: AnalysisCell, key: unknown, index: number, prev: CellAnalysis | undefined): CellAnalysis {
    const scope = new CellScope(this, index);
    const base = {
      index,
      key,
      version: cell.version,
      kind: cell.kind,
      language: cell.language,
      source: cell.source,
      scope,
      inputs: scope.recording!,
      unavailableInputs: scope.recordingUnavailable!,
    };
    if (cell.kind === 'markdown') {
      scope.recording = scope.recordingUnavailable = undefined;
      return { ...base, ...MARKDOWN_PARTS, inputs: new Map(), unavailableInputs: new Map() };
    }
    const kernel = kernelFor(cell.language);
    if (!kernel) {
      scope.recording = scope.recordingUnavailable = undefined;
      const message = `no kernel runs \`${cell.language}\` cells; the cell is kept as it is and not run`;
      return {
        ...base,
        ...MARKDOWN_PARTS,
        diagnostics: [{ range: ZERO_RANGE, severity: 'warning', message, code: 'no-kernel' }],
        inputs: new Map(),
        unavailableInputs: new Map(),
      };
    }
    const ctx = { cellIndex: index, scope };
    let parse: ParseResult<unknown> | undefined;
    let diagnostics: Diagnostic[];
    let defines: Definition[] = [];
    let verdicts: Verdict[] = [];
    let brokenChecks: BrokenCheck[] = [];
    let unavailable: Unavailable[] = [];
    const results = this.resultsFor(key, cell);
    try {
      parse = kernel.parse(cell.source, ctx);
      diagnostics = parse.diagnostics;
      if (kernel.define && parse.parsed !== undefined) {
        const d = kernel.define(parse.parsed, ctx);
        defines = d.definitions;
        verdicts = d.verdicts ?? [];
        brokenChecks = d.brokenChecks ?? [];
        unavailable = d.unavailable ?? [];
        if (d.diagnostics?.length) diagnostics = [...diagnostics, ...d.diagnostics];
      }
      // A model that ran publishes what it measured in place of the names it declares.
      if (results) {
        const measured = new Map(results.definitions.map((d) => [d.name, d]));
        defines = [
          ...defines.map((d) => measured.get(d.name) ?? d),
          ...results.definitions.filter((d) => !defines.some((x) => x.name === d.name)),
        ];
      }
    } catch (e) {
      diagnostics = [
        {
          range: ZERO_RANGE,
          severity: 'error',
          message: `the ${kernel.spec.label} kernel failed on this cell: ${(e as Error).message}. This is a bug in System Design Notebook.`,
          code: 'kernel-failed',
        },
      ];
    }
    scope.recording = scope.recordingUnavailable = undefined;
    if (prev && sameDefinitions(prev.defines, defines)) defines = prev.defines as Definition[];
    return {
      ...base,
      kernel,
      parse,
      diagnostics,
      defines,
      reads: parse?.reads ?? [],
      uses: parse?.uses ?? [],
      verdicts,
      brokenChecks,
      unavailable,
      results,
    };
  }

  private resultsFor(key: unknown, cell: AnalysisCell): RunResults | undefined {
    const r = this.results.get(key);
    return r && r.version === (cell.version ?? cell.source) ? r : undefined;
  }

  /**
   * Records what a cell measured when it ran (its version then: a later edit drops the results). The
   * cell and the cells that read its names are analysed again by the next `update`.
   */
  setResults(key: unknown, definitions: Definition[], version: number | string): this {
    this.results.set(key, { definitions, version });
    this.byKey.delete(key);
    return this;
  }

  /** The results every cell carries now, by index, to hand to another analysis (a worker's). */
  resultsByIndex(): { index: number; definitions: Definition[] }[] {
    return this.cellsNow.flatMap((c) => (c.results ? [{ index: c.index, definitions: c.results.definitions }] : []));
  }

  /**
   * A copy that shares this analysis's cached cells: give it other results for one cell and update it,
   * and only that cell and its dependents are analysed again (a sweep point, a what-if), while this
   * analysis stays as it is.
   */
  fork(): NotebookAnalysis {
    const f = new NotebookAnalysis();
    for (const [k, v] of this.byKey) f.byKey.set(k, v);
    for (const [k, v] of this.results) f.results.set(k, v);
    return f;
  }

  /** Every requirement check in the notebook, in order. */
  verdicts(): Verdict[] {
    return this.cellsNow.flatMap((c) => c.verdicts);
  }

  /** Every requirement check that has an error (so judges nothing), in order. */
  brokenChecks(): BrokenCheck[] {
    return this.cellsNow.flatMap((c) => c.brokenChecks);
  }

  /**
   * The verdicts of the checks that depend on what cell `index` publishes, if the cell had measured
   * `results`: a fork with those results, analysed again from that cell down.
   */
  judgeResults(cells: readonly AnalysisCell[], index: number, results: Definition[]): Verdict[] {
    const cell = cells[index];
    const key = cell.key ?? index;
    const fork = this.fork()
      .setResults(key, results, cell.version ?? cell.source)
      .update(cells);
    const published = new Set(fork.cell(index)?.defines.map((d) => d.name));
    const downstream = new Set([index, ...fork.dependents(index)]);
    return fork
      .verdicts()
      .filter((v) =>
        v.reads.some((n) => published.has(n) || fork.definitionsOf(n).some((d) => downstream.has(d.cell) && d.cell < v.cellIndex)),
      );
  }

  get cells(): readonly CellAnalysis[] {
    return this.cellsNow;
  }

  cell(index: number): CellAnalysis | undefined {
    return this.cellsNow[index];
  }

  /** The definition of `name` visible to the cell at `index`: the last one above it. */
  lookup(name: string, index: number): Definition | undefined {
    const list = this.defs.get(name);
    if (!list) return undefined;
    for (let k = list.length - 1; k >= 0; k--) if (list[k].at < index) return list[k].def;
    return undefined;
  }

  /** Why `name` has no value at the cell at `index`: the last cell above assigns it on a broken line. */
  unavailableReason(name: string, index: number): string | undefined {
    const list = this.missing.get(name);
    if (!list) return undefined;
    for (let k = list.length - 1; k >= 0; k--) if (list[k].cellIndex < index) return list[k].reason;
    return undefined;
  }

  namesBefore(index: number): string[] {
    const out: string[] = [];
    for (const [name, list] of this.defs) if (list[0].at < index) out.push(name);
    return out;
  }

  /** The names visible to the cell at `index` (after the last cell: every name). */
  scopeAt(index: number): Scope {
    return this.cellsNow[index]?.scope ?? new CellScope(this, index);
  }

  /** Every definition that is visible at the end of the notebook, in notebook order. */
  definitions(): Definition[] {
    const out: Placed[] = [];
    for (const list of this.defs.values()) out.push(list[list.length - 1]);
    return out.sort((a, b) => a.at - b.at || a.def.range.start.line - b.def.range.start.line).map((p) => p.def);
  }

  /** Every definition of `name` in notebook order, with its cell. */
  definitionsOf(name: string): { cell: number; def: Definition }[] {
    return (this.defs.get(name) ?? []).map((p) => ({ cell: p.at, def: p.def }));
  }

  /** Cells whose analysis read a name defined by cell `index`, and so on down (not the cell itself). */
  dependents(index: number): number[] {
    return closure(index, this.edges().dependents);
  }

  /** Cells that define a name cell `index` read, and so on up (not the cell itself). */
  precedents(index: number): number[] {
    return closure(index, this.edges().precedents);
  }

  private edges(): { dependents: number[][]; precedents: number[][] } {
    if (!this.dependentsOf || !this.precedentsOf) {
      const dependents: number[][] = this.cellsNow.map(() => []);
      const precedents: number[][] = this.cellsNow.map(() => []);
      const cellOf = new Map<Definition, number>();
      for (const list of this.defs.values()) for (const p of list) cellOf.set(p.def, p.at);
      this.cellsNow.forEach((c, j) => {
        for (const def of c.inputs.values()) {
          const i = def && cellOf.get(def);
          if (i === undefined || precedents[j].includes(i)) continue;
          precedents[j].push(i);
          dependents[i].push(j);
        }
      });
      this.dependentsOf = dependents;
      this.precedentsOf = precedents;
    }
    return { dependents: this.dependentsOf, precedents: this.precedentsOf };
  }

  /** Every occurrence of `name` in the notebook, by cell. */
  usesOf(name: string): { cell: number; use: NameUse }[] {
    const out: { cell: number; use: NameUse }[] = [];
    for (const c of this.cellsNow) for (const use of c.uses) if (use.name === name) out.push({ cell: c.index, use });
    return out;
  }
}

const ZERO_RANGE = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

function closure(start: number, edges: number[][]): number[] {
  const seen = new Set<number>([start]);
  const queue = [start];
  while (queue.length) {
    for (const n of edges[queue.shift()!] ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  seen.delete(start);
  return [...seen].sort((a, b) => a - b);
}

function sameDefinitions(a: readonly Definition[], b: readonly Definition[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k],
      y = b[k];
    if (x.name !== y.name || x.cellIndex !== y.cellIndex || x.expression !== y.expression || x.quantity.value !== y.quantity.value)
      return false;
    if (x.quantity.display !== y.quantity.display || JSON.stringify(x.quantity.dims) !== JSON.stringify(y.quantity.dims)) return false;
    const r = x.range,
      s = y.range;
    if (r.start.line !== s.start.line || r.start.column !== s.start.column || r.end.line !== s.end.line || r.end.column !== s.end.column)
      return false;
  }
  return true;
}

/** What a cell saw of a name when it ran: its value and dimension, or `-` when it was undefined. */
export function fingerprint(def: Definition | undefined): string {
  return def ? `${def.quantity.value}|${JSON.stringify(def.quantity.dims)}` : '-';
}

/** The values a cell reads, as it sees them now (compare with a run's to know whether it is stale). */
export function inputsOf(cell: CellAnalysis, reads: readonly string[] = cell.reads): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of reads) out[name] = fingerprint(cell.scope.get(name));
  return out;
}
