// `sdnb`: runs and checks System Design notebooks headlessly with the same kernels as the editor, and
// gates design docs in CI (several files and globs, JSON, GitHub annotations, a warning budget).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '../kernels/all';
import { NotebookAnalysis } from '../analysis/analysis';
import { bundledMermaid, MERMAID_RENDER_FILE } from '../export/bundledMermaid';
import { exportHtml, exportMarkdown } from '../export';
import { seedProblem } from '../format/frontMatter';
import { decodeUtf8, frontMatterOf, NotebookData, NotebookReadError, parseNotebookWithLines } from '../format/sdnb';
import { errorOutput, type ErrorData } from '../kernels/output';
import { DEFAULT_BUDGET, ERROR_MIME, MARKDOWN_MIME, type CellOutput, type Diagnostic, type RunBudget } from '../kernels/types';
import { reviewNotebook } from '../review';
import { requirementsSummary, STATE_WORD, summaryLines, type RequirementStatus } from '../review/requirements';
import { seedOf } from '../runtime/session';
import { annotation, type AnnotationLevel } from './annotations';
import { expandGlob } from './glob';
import { plainText } from './plainText';
import { runNotebook } from './runner';
import { mergedPoints, parseShard, shardPoints, type ShardFile, type ShardPoint } from './shards';
import type { CellRun } from '../runtime/session';

const USAGE = `Usage:
  sdnb run FILE... [--format text|json|github] [--json] [--stop-on-error] [--seed N] [--max-wall-seconds N]
      Run every cell like Run All and print the outputs, then the requirements and their checks.
  sdnb check FILE... [--format text|json|github] [--json] [--max-warnings N]
      Parse every cell (nothing is simulated) and print diagnostics and the design review's
      findings as FILE:LINE:COL: severity: message, then the requirements and how each is checked.
  sdnb export FILE --to html|md [-o OUT] [--seed N]
      Run the notebook and write it with its outputs (default OUT: FILE with .html or .md).
  sdnb sweep FILE --shard I/N --json
      Run share I of N of every sweep's points (point k goes to shard k mod N) and print them as JSON.
  sdnb merge SHARD.json...
      Run the notebook with the shards' sweep points and print the report \`sdnb run --json\` would.
  sdnb --help | --version

FILE may be a glob, quoted so the shell leaves it alone: sdnb check "docs/**/*.sdnb*"
--format github prints GitHub Actions annotations (::error file=…,line=…,col=…::…).
--max-warnings N fails when there are more than N warnings (review findings included).
--max-wall-seconds N (run, export, sweep, merge) stops a cell's simulations after N s of wall-clock
  time, as the editor's sdnb.simulation.maxWallSeconds does (default 30); 0: no limit, so only the
  event budget bounds a run and its outputs do not depend on the machine's speed.

Exit status:
  0    every cell ran (run) or no errors were found (check), every requirement check is met
  1    a cell failed, an error was found, a requirement is not met, or more than --max-warnings warnings
  2    bad usage, or a file that cannot be read as a notebook
  130  interrupted (Ctrl-C)`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') };

type Format = 'text' | 'json' | 'github';

interface Finding {
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  code?: string;
  /** `file`: the file is not a notebook `sdnb` can read (code `unreadable`). */
  source: 'cell' | 'review' | 'file';
  /** The annotation's title with `--format github` (not in the JSON): by default from the source and code. */
  title?: string;
  /** For `run`'s text format (not in the JSON): the cell whose block prints the finding. */
  cell?: number;
}

/** A finding as `--json` prints it. */
const findingJson = ({ title: _title, cell: _cell, ...f }: Finding) => f;

function version(): string {
  for (const p of [join(__dirname, '..', 'package.json'), join(__dirname, '..', '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8'));
      if (pkg.name === 'system-design-notebook') return pkg.version;
    } catch {
      /* try the next place */
    }
  }
  return 'unknown';
}

interface Loaded {
  nb: NotebookData;
  cellLines: number[];
}

/**
 * The notebook in `file`, or why it cannot be read, at its position (1:1 when the file cannot be
 * opened). Either way the reason goes to stderr too: it is why `sdnb` exits 2.
 */
function read(file: string, io: Io): Loaded | { unreadable: Finding } {
  const unreadable = (line: number, column: number, message: string) => ({
    unreadable: {
      line,
      column,
      severity: 'error' as const,
      message,
      code: 'unreadable',
      source: 'file' as const,
      title: 'Unreadable notebook',
    },
  });
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    io.err(`sdnb: cannot read ${file}: ${(e as Error).message}`);
    return unreadable(1, 1, `cannot read the file: ${(e as Error).message}`);
  }
  try {
    const { notebook: nb, cellLines } = parseNotebookWithLines(decodeUtf8(bytes).text);
    return { nb, cellLines };
  } catch (e) {
    if (e instanceof NotebookReadError) {
      io.err(`${file}:${e.line + 1}:${e.column + 1}: ${e.detail}`);
      return unreadable(e.line + 1, e.column + 1, e.detail);
    }
    throw e;
  }
}

function load(file: string, io: Io): Loaded | undefined {
  const r = read(file, io);
  return 'unreadable' in r ? undefined : r;
}

/** A file `check` or `run` cannot read: an annotation with `--format github`, an entry with `--json`. */
function reportUnreadable(file: string, why: Finding, format: Format, io: Io, json: unknown[], entry: Record<string, unknown> = {}): void {
  if (format === 'github') printFindings(file, [why], format, io);
  else if (format === 'json') json.push({ file, unreadable: true, ...entry, findings: [findingJson(why)], requirements: [] });
}

/** Mermaid and our renderer for HTML exports (undefined: diagrams stay as source). */
function mermaidScript(io: Io): string | undefined {
  const script = bundledMermaid();
  if (!script) io.err(`sdnb: ${MERMAID_RENDER_FILE} is missing next to sdnb; diagrams in the HTML are shown as their source`);
  return script;
}

/** One line of a finding as compilers print it: `FILE:LINE:COL: severity: message`. */
const findingLine = (file: string, f: Finding) => `${file}:${f.line}:${f.column}: ${f.severity}: ${f.message}`;

/** The diagnostics in a cell's error outputs (positions in the cell, zero-based); hints are not problems. */
function errorDiagnostics(outputs: readonly CellOutput[]): Diagnostic[] {
  return outputs.flatMap((o) => (o.items[ERROR_MIME] as ErrorData | undefined)?.diagnostics ?? []).filter((d) => d.severity !== 'hint');
}

/** A diagnostic of the cell whose text starts on zero-based line `cellLine` of the file, in file coordinates. */
function diagnosticFinding(cellLine: number, d: Diagnostic): Finding {
  return {
    line: cellLine + d.range.start.line + 1,
    column: d.range.start.column + 1,
    severity: d.severity === 'hint' ? 'info' : d.severity,
    message: d.message,
    code: d.code,
    source: 'cell',
  };
}

/** Diagnostics of every cell and the review's findings, in file coordinates. */
function findings(nb: NotebookData, cellLines: number[], analysis: NotebookAnalysis, diagrams: Map<number, Diagnostic>): Finding[] {
  const out: Finding[] = [];
  for (const c of analysis.cells) {
    for (const d of c.diagnostics) {
      // Hints are not problems (a check of a model that has not run: the summary says "not run yet").
      if (d.severity !== 'hint') out.push(diagnosticFinding(cellLines[c.index], d));
    }
    const diagram = diagrams.get(c.index);
    if (diagram) out.push(diagnosticFinding(cellLines[c.index], diagram));
  }
  for (const f of reviewNotebook(nb, analysis)) {
    const line = f.cellIndex === undefined ? 1 : cellLines[f.cellIndex] + f.line + 1;
    const column = f.cellIndex === undefined ? 1 : f.column + 1;
    out.push({ line, column, severity: 'warning', message: f.message, code: f.code, source: 'review' });
  }
  return out;
}

const DIAGRAM_FIX = 'Mermaid cannot draw it. Fix the problem below (the editor shows it too) and run the cell again.';

/**
 * Where mermaid cannot parse the notebook's diagrams, by cell (positions in the cell, as a kernel's
 * diagnostics). A diagram the kernel already finds an error in is not parsed again (its own error
 * says more); mermaid loads on the first diagram.
 */
async function diagramDiagnostics(nb: NotebookData, analysis: NotebookAnalysis): Promise<Map<number, Diagnostic>> {
  const out = new Map<number, Diagnostic>();
  const cells = analysis.cells.filter((c) => c.kernel?.spec.id === 'mermaid' && !c.diagnostics.some((d) => d.severity === 'error'));
  if (!cells.length) return out;
  const { diagramError } = await import('./mermaidParse');
  for (const c of cells) {
    const source = nb.cells[c.index].source;
    const e = await diagramError(source);
    if (!e) continue;
    const end = Math.max(e.column + 1, source.split('\n')[e.line]?.length ?? 0);
    out.set(c.index, {
      range: { start: { line: e.line, column: e.column }, end: { line: e.line, column: end } },
      severity: 'error',
      message: oneLine(e.message),
      code: 'mermaid-parse',
    });
  }
  return out;
}

/**
 * A parser's message on one line: Jison's quotes the text around the error and points at it with
 * `---^` on the next line, which only lines up in the parser's own text; the position says where.
 */
function oneLine(message: string): string {
  const lines = message.split('\n').map((l) => l.trim());
  const caret = lines.findIndex((l) => /^-*\^$/.test(l));
  const kept = caret > 0 ? lines.filter((_, i) => i !== caret && i !== caret - 1) : lines;
  // `on line 2` counts in the diagram; the finding's position is in the file.
  return kept
    .filter(Boolean)
    .join(' ')
    .replace(/^Parse error on line \d+:/, 'Parse error:');
}

/**
 * What a run found, in file coordinates: each diagnostic of a failed cell, each requirement check the
 * run judged not met or marginal, and a failed cell that says neither at its fence, with its error.
 */
export function runFindings(runs: readonly CellRun[], analysis: NotebookAnalysis, cellLines: number[]): Finding[] {
  const out: Finding[] = [];
  for (const v of analysis.verdicts()) {
    if (v.status !== 'not met' && v.status !== 'marginal') continue;
    out.push({
      line: cellLines[v.cellIndex] + v.range.start.line + 1,
      column: v.range.start.column + 1,
      severity: v.status === 'not met' ? 'error' : 'warning',
      message: v.message,
      code: 'requirement',
      source: 'cell',
      title: `Requirement ${v.id}`,
      cell: v.cellIndex,
    });
  }
  for (const r of runs) {
    if (r.ok) continue;
    const diagnostics = errorDiagnostics(r.outputs);
    for (const d of diagnostics) {
      const f = diagnosticFinding(cellLines[r.index], d);
      // A check the cell did not meet is its verdict, above.
      if (!out.some((o) => o.code === 'requirement' && o.line === f.line && o.column === f.column)) out.push({ ...f, cell: r.index });
    }
    if (diagnostics.length || analysis.cell(r.index)?.verdicts.some((v) => v.status === 'not met')) continue;
    const error = r.outputs.map((o) => o.items[ERROR_MIME] as ErrorData | undefined).find((e) => e);
    out.push({
      // The cell's opening fence: the line above its text.
      line: cellLines[r.index],
      column: 1,
      severity: 'error',
      message: error ? (error.message ? `${error.title}: ${error.message}` : error.title) : 'the cell failed',
      code: 'cell-failed',
      source: 'cell',
      title: 'Cell failed',
      cell: r.index,
    });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function printFindings(file: string, list: Finding[], format: Format, io: Io): void {
  for (const f of list) {
    if (format === 'github') {
      const level: AnnotationLevel = f.severity === 'info' ? 'notice' : f.severity;
      io.out(
        annotation({
          level,
          file,
          line: f.line,
          col: f.column,
          title: f.title ?? (f.source === 'review' ? 'Design review' : f.code === 'requirement' ? 'Requirement' : 'System Design Notebook'),
          message: f.message,
        }),
      );
    } else io.out(findingLine(file, f));
  }
}

function requirementJson(r: RequirementStatus) {
  return {
    id: r.id,
    state: STATE_WORD[r.state],
    text: r.stated?.text,
    checks: r.checks.map((c) => ({
      check: c.check,
      status: STATE_WORD[c.status],
      measured: c.measured,
      limit: c.limit,
      margin: c.margin,
      message: c.message,
    })),
    // Checks that judge nothing: why, e.g. `line 2 of cell 7 has an error`.
    ...(r.broken.length ? { brokenChecks: r.broken.map((b) => b.reason) } : {}),
  };
}

interface FileResult {
  code: number;
  warnings: number;
}

async function checkFile(file: string, format: Format, io: Io, json: unknown[]): Promise<FileResult> {
  const loaded = read(file, io);
  if ('unreadable' in loaded) {
    reportUnreadable(file, loaded.unreadable, format, io, json);
    return { code: 2, warnings: 0 };
  }
  const { nb, cellLines } = loaded;
  const analysis = new NotebookAnalysis().update(nb.cells);
  const list = findings(nb, cellLines, analysis, await diagramDiagnostics(nb, analysis));
  const summary = requirementsSummary(nb, analysis);
  if (format === 'json') json.push({ file, findings: list.map(findingJson), requirements: summary.map(requirementJson) });
  else {
    printFindings(file, list, format, io);
    if (format === 'text' && summary.length) for (const l of [`${file}:`, ...(summary.length ? summaryLines(summary) : [])]) io.out(l);
  }
  return { code: list.some((f) => f.severity === 'error') ? 1 : 0, warnings: list.filter((f) => f.severity === 'warning').length };
}

async function runFile(
  file: string,
  format: Format,
  values: { seed?: string; 'stop-on-error'?: boolean; budget: RunBudget },
  io: Io,
  json: unknown[],
): Promise<FileResult & { interrupted: boolean }> {
  const loaded = read(file, io);
  if ('unreadable' in loaded) {
    reportUnreadable(file, loaded.unreadable, format, io, json, {
      seed: values.seed !== undefined ? Number(values.seed) : null,
      cells: [],
    });
    return { code: 2, warnings: 0, interrupted: false };
  }
  const { nb, cellLines } = loaded;
  const meta = frontMatterOf(nb);
  const seed = values.seed !== undefined ? Number(values.seed) : seedOf(meta);
  const codeCells = nb.cells.flatMap((c, i) => (c.kind === 'code' ? [i] : []));
  const {
    runs: ran,
    analysis,
    interrupted,
  } = await runNotebook(nb, codeCells, {
    seed,
    notebook: meta,
    budget: values.budget,
    stopOnFirstFailure: !!values['stop-on-error'],
  });
  const summary = requirementsSummary(nb, analysis);
  // A diagram mermaid cannot parse fails its cell, as one the kernel finds an error in does.
  const diagrams = await diagramDiagnostics(nb, analysis);
  const runs = ran.map((r) => {
    const d = diagrams.get(r.index);
    return d && r.ok ? { ...r, ok: false, outputs: [errorOutput('The diagram does not parse', DIAGRAM_FIX, [d])] } : r;
  });
  const failed = runs.filter((r) => !r.ok).length;
  const found = runFindings(runs, analysis, cellLines);
  if (format === 'json') {
    json.push(runJson(file, nb, seed, runs, summary, found));
  } else if (format === 'github') {
    printFindings(file, found, format, io);
  } else {
    for (const r of runs) {
      io.out(`── cell ${r.index + 1} · ${nb.cells[r.index].language} · ${r.ok ? 'ok' : 'FAILED'} (${r.durationMs.toFixed(1)} ms)`);
      r.outputs.forEach((o, k) => {
        // Outputs apart: an estimate's partial table after its errors, say.
        if (k > 0) io.out('');
        const error = o.items[ERROR_MIME] as ErrorData | undefined;
        if (!error) {
          io.out(plainText(String(o.items[MARKDOWN_MIME] ?? '')));
          return;
        }
        // An error in plain words, its diagnostics where they are in the file (unmet checks below).
        io.out([error.title, ...(error.message ? ['', error.message] : [])].join('\n'));
        const lines = errorDiagnostics([o])
          .filter((d) => d.code !== 'requirement')
          .map((d) => findingLine(file, diagnosticFinding(cellLines[r.index], d)));
        if (lines.length) io.out(['', ...lines].join('\n'));
      });
      // What the outputs do not say with a position: the checks the cell did not meet, a failure with no diagnostics.
      const more = found.filter((f) => f.cell === r.index && (f.code === 'requirement' || f.code === 'cell-failed'));
      if (more.length) io.out(['', ...more.map((f) => findingLine(file, f))].join('\n'));
      io.out('');
    }
    io.out(`${runs.length} cell${runs.length === 1 ? '' : 's'} run, ${failed} failed${interrupted ? ' (interrupted)' : ''}`);
    if (summary.length) {
      io.out('');
      for (const l of summaryLines(summary)) io.out(l);
    }
  }
  const notMet = summary.some((r) => r.state === 'not met');
  return { code: failed || notMet || interrupted ? 1 : 0, warnings: 0, interrupted };
}

/** The JSON report of a run (`sdnb run --json`, `sdnb merge`). */
function runJson(
  file: string,
  nb: NotebookData,
  seed: number,
  runs: readonly CellRun[],
  summary: readonly RequirementStatus[],
  found: readonly Finding[],
) {
  return {
    file,
    seed,
    cells: runs.map((r) => ({
      index: r.index,
      language: nb.cells[r.index].language,
      status: r.ok ? 'ok' : 'error',
      durationMs: Math.round(r.durationMs * 1000) / 1000,
      outputs: r.outputs.map((o) => o.items),
    })),
    findings: found.map(findingJson),
    requirements: summary.map(requirementJson),
  };
}

/** `sdnb sweep FILE --shard I/N`: this shard's points of every sweep, as JSON for `sdnb merge`. */
async function sweepShard(
  file: string,
  shardText: string | undefined,
  values: { seed?: string; budget: RunBudget },
  io: Io,
): Promise<number> {
  const shard = parseShard(shardText ?? '1/1');
  if (typeof shard === 'string') {
    io.err(`sdnb: ${shard}`);
    return 2;
  }
  const loaded = load(file, io);
  if (!loaded) return 2;
  const { nb } = loaded;
  const meta = frontMatterOf(nb);
  const seed = values.seed !== undefined ? Number(values.seed) : seedOf(meta);
  const points: ShardPoint[] = [];
  const { runs, interrupted } = await runNotebook(
    nb,
    nb.cells.flatMap((c, i) => (c.kind === 'code' ? [i] : [])),
    {
      seed,
      notebook: meta,
      budget: values.budget,
      sweepPoints: shardPoints(shard, points),
    },
  );
  const out: ShardFile = { sdnbShard: 1, file, seed, shard, points };
  io.out(JSON.stringify(out));
  if (interrupted) return 130;
  return runs.every((r) => r.ok) ? 0 : 1;
}

/** `sdnb merge SHARD.json…`: the notebook's run with the shards' sweep points, as `sdnb run --json` prints it. */
async function mergeShards(shardFiles: string[], budget: RunBudget, io: Io): Promise<number> {
  const shards: ShardFile[] = [];
  for (const f of shardFiles) {
    try {
      const s = JSON.parse(readFileSync(f, 'utf8')) as ShardFile;
      if (s.sdnbShard !== 1) throw new Error('not a shard file of `sdnb sweep --shard`');
      shards.push(s);
    } catch (e) {
      io.err(`sdnb: ${f}: ${(e as Error).message}`);
      return 2;
    }
  }
  const [first] = shards;
  if (shards.some((s) => s.file !== first.file || s.seed !== first.seed || s.shard.count !== first.shard.count)) {
    io.err('sdnb: the shards are of different runs (file, seed or shard count differ)');
    return 2;
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !shards.some((s) => s.shard.index === i));
  if (missing.length)
    io.err(`sdnb: shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${first.shard.count} missing: those points run here`);
  const loaded = load(first.file, io);
  if (!loaded) return 2;
  const { nb, cellLines } = loaded;
  const meta = frontMatterOf(nb);
  const { runs, analysis, interrupted } = await runNotebook(
    nb,
    nb.cells.flatMap((c, i) => (c.kind === 'code' ? [i] : [])),
    {
      seed: first.seed,
      notebook: meta,
      budget,
      sweepPoints: mergedPoints(shards),
    },
  );
  const summary = requirementsSummary(nb, analysis);
  io.out(JSON.stringify(runJson(first.file, nb, first.seed, runs, summary, runFindings(runs, analysis, cellLines)), null, 2));
  if (interrupted) return 130;
  return runs.every((r) => r.ok) && !summary.some((r) => r.state === 'not met') ? 0 : 1;
}

async function exportFile(
  file: string,
  to: 'html' | 'md',
  values: { seed?: string; output?: string; budget: RunBudget },
  io: Io,
): Promise<number> {
  const loaded = load(file, io);
  if (!loaded) return 2;
  const { nb } = loaded;
  const meta = frontMatterOf(nb);
  const seed = values.seed !== undefined ? Number(values.seed) : seedOf(meta);
  const outFile = values.output ?? file.replace(/(\.sdnb)?(\.md)?$/, '').replace(/$/, to === 'html' ? '.html' : '.md');
  if (!outFile || outFile === file) {
    io.err('sdnb: -o needs an output file other than the notebook');
    return 2;
  }
  const codeCells = nb.cells.flatMap((c, i) => (c.kind === 'code' ? [i] : []));
  const { runs, interrupted } = await runNotebook(nb, codeCells, { seed, notebook: meta, budget: values.budget });
  const text = to === 'md' ? exportMarkdown(nb, runs) : exportHtml(nb, runs, { mermaidScript: mermaidScript(io) });
  writeFileSync(outFile, text);
  const failed = runs.filter((r) => !r.ok).length;
  io.out(`${outFile}: ${runs.length} cell${runs.length === 1 ? '' : 's'} run, ${failed} failed`);
  return interrupted ? 130 : failed === 0 ? 0 : 1;
}

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        json: { type: 'boolean' },
        format: { type: 'string' },
        'max-warnings': { type: 'string' },
        'stop-on-error': { type: 'boolean' },
        seed: { type: 'string' },
        to: { type: 'string' },
        output: { type: 'string', short: 'o' },
        shard: { type: 'string' },
        'max-wall-seconds': { type: 'string' },
      },
    });
  } catch (e) {
    io.err(`sdnb: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const usage = (why: string) => {
    io.err(`sdnb: ${why}\n\n${USAGE}`);
    return 2;
  };
  if (values.version) {
    io.out(version());
    return 0;
  }
  const [command, ...patterns] = positionals;
  if (values.help || !command) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  if (!['run', 'check', 'export', 'sweep', 'merge'].includes(command)) return usage(`unknown command '${command}'`);
  const wall = values['max-wall-seconds'] === undefined ? DEFAULT_BUDGET.maxWallMs / 1000 : Number(values['max-wall-seconds']);
  if (!(wall >= 0 && Number.isFinite(wall))) return usage('--max-wall-seconds takes a number of seconds (0: no limit)');
  // 0: only the event budget bounds a run, so the outputs do not depend on the machine's speed.
  const budget: RunBudget = { ...DEFAULT_BUDGET, maxWallMs: wall === 0 ? Infinity : wall * 1000 };
  if (command === 'merge')
    return patterns.length
      ? mergeShards(patterns.flatMap(expandGlob), budget, io)
      : usage('merge takes the shard files of `sdnb sweep --shard`');
  const format = (values.json ? 'json' : (values.format ?? 'text')) as Format;
  if (!['text', 'json', 'github'].includes(format)) return usage(`--format takes text, json or github, not '${values.format}'`);
  if (values.seed !== undefined && seedProblem(Number(values.seed)) !== undefined)
    return usage(`--seed: ${seedProblem(Number(values.seed))}`);
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : Number(values['max-warnings']);
  if (!(maxWarnings >= 0 && (maxWarnings === Infinity || Number.isInteger(maxWarnings))))
    return usage('--max-warnings takes a whole number');
  const files = patterns.flatMap(expandGlob);
  if (patterns.length === 0) return usage('expected a FILE');
  if (files.length === 0) return usage(`no file matches ${patterns.map((p) => `'${p}'`).join(', ')}`);

  if (command === 'sweep') {
    if (files.length !== 1) return usage('sweep takes exactly one FILE');
    return sweepShard(files[0], values.shard, { ...values, budget }, io);
  }
  if (command === 'export') {
    if (files.length !== 1) return usage('export takes exactly one FILE');
    if (values.to !== 'html' && values.to !== 'md') return usage('export needs --to html or --to md');
    return exportFile(files[0], values.to, { ...values, budget }, io);
  }
  const json: unknown[] = [];
  let code = 0;
  let warnings = 0;
  for (const file of files) {
    const r = command === 'check' ? await checkFile(file, format, io, json) : await runFile(file, format, { ...values, budget }, io, json);
    code = Math.max(code, r.code);
    warnings += r.warnings;
    if ('interrupted' in r && r.interrupted) {
      io.err('sdnb: interrupted');
      return 130;
    }
  }
  if (format === 'json')
    io.out(JSON.stringify(json.length === 1 && patterns.length === 1 && files[0] === patterns[0] ? json[0] : json, null, 2));
  if (warnings > maxWarnings) {
    io.err(`sdnb: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings}`);
    code = Math.max(code, 1);
  }
  return code;
}

if (require.main === module) {
  // `sdnb run x | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`sdnb: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
