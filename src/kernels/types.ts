// The one small interface every cell kernel implements. Kernels are pure: no `vscode`, no I/O.
// The notebook controller (through a worker thread), the CLI and the tests all drive them the same way.

/** Zero-based position inside a cell's source text. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Diagnostic {
  range: Range;
  severity: Severity;
  /** Says what is wrong and, where possible, what to do about it. */
  message: string;
  /** Short machine-readable code, e.g. `dimension-mismatch`. */
  code?: string;
}

/**
 * One output of a cell. `items` maps MIME type to data: every output carries its rich
 * `application/vnd.sdnb.<kind>+json` item (a JSON value) and a `text/markdown` fallback (a string).
 */
export interface CellOutput {
  items: Record<string, unknown>;
}

export const MARKDOWN_MIME = 'text/markdown';
export const ERROR_MIME = 'application/vnd.sdnb.error+json';
export const richMime = (kind: string): string => `application/vnd.sdnb.${kind}+json`;

/** A dimensioned value shared between cells (estimate names read by model cells). */
export interface Quantity {
  /** Magnitude in SI base units (seconds, bytes, and 1 per countable unit). */
  value: number;
  /** Exponent per base dimension, e.g. { req: 1, time: -1 }. Empty for a plain number. */
  dims: Record<string, number>;
  /** How the value was shown to the user, e.g. `3,472 req/s`. */
  display?: string;
  /** The 95% confidence interval of a value measured by a simulation, in the same SI units. */
  ci?: { low: number; high: number };
}

/** Where a name was defined, so errors and hovers can point at the defining cell. */
export interface Definition {
  name: string;
  quantity: Quantity;
  cellIndex: number;
  range: Range;
  /** Source text of the defining expression. */
  expression: string;
  /**
   * Set when the value is not known yet (a model result before the model ran, or a name computed
   * from one): why, e.g. "run the `checkout` model (cell 7)". The dimension is known; the value is not.
   */
  pending?: string;
}

/** How a requirement check came out. */
export type VerdictStatus = 'met' | 'not met' | 'marginal' | 'pending';

/** One requirement check (`require NFR2: checkout.p99 <= 50 ms`) and how it came out. */
export interface Verdict {
  /** The requirement's id in the scope section, e.g. `NFR2`. */
  id: string;
  /** The check as written, e.g. `checkout.p99 <= 50 ms`. */
  check: string;
  status: VerdictStatus;
  /** The measured value as shown (with its interval when it has one), e.g. `41.2 ms (39.0–43.1)`. */
  measured?: string;
  /** The limit as shown, e.g. `50 ms`. */
  limit?: string;
  /** Headroom (positive) or shortfall (negative) as shown, e.g. `8.8 ms (18%)`. */
  margin?: string;
  /** One sentence for a person: what was measured against what, and what to do when pending. */
  message: string;
  /** Where the check is written. */
  cellIndex: number;
  range: Range;
  /** Names from earlier cells the check reads, directly or through names of its own cell. */
  reads: string[];
  /** The figures behind a judged check, in the unit shown (value / factor), for charts. */
  figures?: { measured: number; low: number; high: number; limit: number; unit: string; /** SI per shown unit. */ factor: number };
}

/** Names visible to a cell: everything defined by estimate cells above it. */
export interface Scope {
  get(name: string): Definition | undefined;
  names(): string[];
  /**
   * Why a name an earlier cell assigns has no value (its line has an error, or reads one), for the
   * error at a read in a later cell; undefined for a name no cell above assigns.
   */
  unavailable?(name: string): string | undefined;
}

/** A name a cell assigns but could not compute: its line has an error or reads one. */
export interface Unavailable {
  name: string;
  cellIndex: number;
  /** The name at its last assignment in the cell. */
  range: Range;
  /** The whole sentence: `` `peak` has no value: its line in cell 2 (line 5) has an error ``. */
  reason: string;
}

/** A requirement check whose line has an error (or reads a name whose line has one): it judges nothing. */
export interface BrokenCheck {
  /** The requirement's id, e.g. `NFR2`. */
  id: string;
  cellIndex: number;
  /** The id on the check's line. */
  range: Range;
  /** Why it judges nothing: `line 2 of cell 7 has an error`. */
  reason: string;
}

export type ExprResult =
  | { ok: true; quantity: Quantity }
  | {
      ok: false;
      message: string;
      /** zero-based column inside the expression text */
      column: number;
      /** The expression reads a model result that has not been measured yet (why), rather than being wrong. */
      pending?: string;
    };

/** Evaluates an estimation expression (`peak_qps`, `30 s`, `2 * dau / 1 day`) against a scope. */
export type ExprEvaluator = (expression: string, scope: Scope) => ExprResult;

export interface ParseContext {
  /** Index of the cell in the notebook, for definitions and error messages. */
  cellIndex: number;
  scope: Scope;
}

export interface RunBudget {
  /** Upper bound on simulation events; a run that reaches it stops and says so. */
  maxEvents: number;
  /** Upper bound on wall-clock milliseconds. */
  maxWallMs: number;
}

export interface ExecContext extends ParseContext {
  /** Notebook seed (front matter `seed`), combined with a cell's own seed by the kernel if it has one. */
  seed: number;
  budget: RunBudget;
  /** True once the user pressed Stop; long loops must poll it (cheaply, e.g. every few thousand events). */
  isCancelled(): boolean;
  /** Notebook front-matter metadata. */
  notebook: Record<string, unknown>;
  /**
   * The notebook's requirement checks that depend on names this cell publishes, judged against
   * results the cell measured (its run, or one point of a sweep). Absent when nothing checks this cell.
   */
  judge?(results: Definition[]): Verdict[];
  /**
   * Runs the cell's sweep at these values elsewhere (other threads, where the runtime has cores to
   * spare), in order; `solved` is the value its solve found, which the points keep. Absent: the
   * kernel runs the points itself.
   */
  runSweep?(values: number[], solved: number | undefined, budget: RunBudget): Promise<PointRun[]>;
}

/** Closed-form predictions of checks' measured sides at one point, and the formula's name (the chart's series: `M/M/c`, `M/G/c (approx.)`). */
export interface ClosedForm {
  name: string;
  /** Keyed by `verdictKey`, in the check's unit. */
  values: Map<string, number>;
}

/** A model run at one value of a swept or solved parameter. */
export interface PointRun {
  /** The parameter's value, in SI. */
  value: number;
  results: Definition[];
  verdicts: Verdict[];
  /** The component closest to saturation at this value, with a sentence that says why. */
  saturation?: { component: string; utilisation: number; reason: string };
  /** A closed-form prediction of checks' measured sides, where the model has one. */
  closedForm?: ClosedForm;
  /** Set when the run stopped early (budget, Stop): its figures cover what ran. */
  stopped?: string;
  /** Set when the model cannot run at this value (the cell's error there, e.g. too few brokers for the replication factor): nothing ran. */
  invalid?: string;
  /** Budget steps the run spent. */
  steps?: number;
}

export interface ParseResult<P> {
  /** Undefined when the source is too broken to execute. */
  parsed: P | undefined;
  diagnostics: Diagnostic[];
  /** Estimate names the source reads, known even when it has errors (so a broken cell still turns stale). */
  reads?: string[];
  /** Where names are defined and read in the source, for go to definition, references and rename. */
  uses?: NameUse[];
  /** Kernel-private results of the parse (a syntax tree, a YAML document) that hover and completion reuse. */
  syntax?: unknown;
  /** Why the cell cannot run yet, though it parses (it reads a model result that has not been measured). */
  pending?: string;
}

/** One occurrence of a notebook name in a cell's source. */
export interface NameUse {
  name: string;
  range: Range;
  /** `define`: the cell gives the name its value; `read`: the cell uses it. */
  role: 'define' | 'read';
}

export interface DefineResult {
  definitions: Definition[];
  /** Problems found while computing the names (a division by zero), beside the parse's own. */
  diagnostics?: Diagnostic[];
  /** The cell's requirement checks and how they came out against the names in scope. */
  verdicts?: Verdict[];
  /** Names the cell assigns that have no value, and why. */
  unavailable?: Unavailable[];
  /** The cell's requirement checks that have an error, so judge nothing. */
  brokenChecks?: BrokenCheck[];
}

export interface ExecResult {
  ok: boolean;
  outputs: CellOutput[];
  /** Names this cell defines for later cells (estimate cells). */
  definitions?: Definition[];
  /** Names from the scope this cell read (for stale marking and re-runs). */
  reads?: string[];
}

/**
 * What a kernel declares about its cell language, once. The format's fence table, the controller's
 * languages, the renderer's MIME types, export labels and the review derive from it, and a test
 * checks package.json against it.
 */
export interface KernelSpec {
  /** VS Code language id, e.g. `sdnb-estimate`. */
  readonly id: string;
  /** The fence info word in a .sdnb file, e.g. `estimate`. */
  readonly fence: string;
  /** What a person calls the cell kind, e.g. `Estimate`. */
  readonly label: string;
  /** Names for the language in VS Code's language picker. */
  readonly aliases: readonly string[];
  /** File extensions VS Code opens in this language outside notebooks (e.g. `.mmd`). */
  readonly extensions?: readonly string[];
  /** The `<kind>` of the rich output MIME type `application/vnd.sdnb.<kind>+json`. */
  readonly outputKind: string;
  /**
   * Whether the cell defines names that later cells read: it is evaluated to analyse the notebook,
   * and it runs even with errors (its kernel evaluates what does not depend on them).
   */
  readonly definesNames: boolean;
  /** How GitHub and exports should highlight the source (`yaml` for model cells). */
  readonly highlight: string;
  /** Files contributed for the language, relative to the extension root (absent: none). */
  readonly files: { configuration?: string; grammar?: { scopeName: string; path: string }; snippets?: string };
}

export interface Kernel<P = unknown> extends LanguageServices<P> {
  readonly spec: KernelSpec;
  /** Parses and validates without running anything (diagnostics as you type, `sdnb check`). */
  parse(source: string, ctx: ParseContext): ParseResult<P>;
  /**
   * The names a parsed cell defines for the cells below, without running a model (estimates
   * evaluate; they only compute). Absent: the cell defines nothing.
   */
  define?(parsed: P, ctx: ParseContext): DefineResult;
  /** One point of the cell's sweep (at `value`, keeping the solve's answer), for a runtime that spreads a sweep over threads. */
  sweepPoint?(parsed: P, value: number, ctx: ExecContext, solved: number | undefined): PointRun;
  /** Runs a parsed cell. May be async; must honour ctx.isCancelled() and ctx.budget. */
  execute(parsed: P, ctx: ExecContext): ExecResult | Promise<ExecResult>;
}

export const DEFAULT_BUDGET: RunBudget = { maxEvents: 100_000_000, maxWallMs: 30_000 };

export interface Hover {
  range?: Range;
  markdown: string;
}

export type CompletionKind = 'variable' | 'unit' | 'function' | 'constant' | 'property' | 'value' | 'keyword' | 'snippet';

export interface Completion {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Text to insert when it differs from the label. */
  insertText?: string;
}

/** Context of a language request: the scope, and the cell's cached parse when the caller has one. */
export interface ServiceContext<P = unknown> extends ParseContext {
  parse?: ParseResult<P>;
}

/** Optional language services, answered from the same parse as execution. */
export interface LanguageServices<P = unknown> {
  hover?(source: string, position: Position, ctx: ServiceContext<P>): Hover | undefined;
  complete?(source: string, position: Position, ctx: ServiceContext<P>): Completion[];
}
