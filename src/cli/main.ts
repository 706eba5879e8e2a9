// `sdnb`: runs and checks .sdnb notebooks headlessly with the same kernels as the editor.
import { readFileSync, writeFileSync } from 'node:fs';
import '../kernels/all';
import { bundledMermaid, MERMAID_RENDER_FILE } from '../export/bundledMermaid';
import { exportHtml, exportMarkdown } from '../export';
import { reviewNotebook } from '../review';
import { decodeUtf8, frontMatterOf, NotebookData, NotebookReadError, parseNotebookWithLines } from '../format/sdnb';
import { DEFAULT_BUDGET, MARKDOWN_MIME } from '../kernels/types';
import { NotebookAnalysis } from '../analysis/analysis';
import { runCells, seedOf } from '../runtime/session';

const USAGE = `Usage:
  sdnb run FILE [--json] [--stop-on-error] [--seed N]   run every cell like Run All and print the outputs
  sdnb check FILE                                       parse every cell and print diagnostics (FILE:LINE:COL: message),
                                                        then the design review's findings as warnings
  sdnb export FILE --to html|md [-o OUT] [--seed N]     run the notebook and write it with its outputs
                                                        (default OUT: FILE with the extension .html or .md)
  sdnb --help | --version

Exit status: 0 when every cell succeeds (run) or no errors are found (check), 1 otherwise, 2 for bad usage or an unreadable file.`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

function load(file: string, io: Io): { nb: NotebookData; cellLines: number[] } | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    io.err(`sdnb: cannot read ${file}: ${(e as Error).message}`);
    return undefined;
  }
  try {
    const { notebook: nb, cellLines } = parseNotebookWithLines(decodeUtf8(bytes).text);
    return { nb, cellLines };
  } catch (e) {
    if (e instanceof NotebookReadError) {
      io.err(`${file}:${e.line + 1}:${e.column + 1}: ${e.detail}`);
      return undefined;
    }
    throw e;
  }
}

/** Mermaid and our renderer for HTML exports (undefined: diagrams stay as source). */
function mermaidScript(io: Io): string | undefined {
  const script = bundledMermaid();
  if (!script) io.err(`sdnb: ${MERMAID_RENDER_FILE} is missing next to sdnb; diagrams in the HTML are shown as their source`);
  return script;
}

export async function main(argv: string[], io: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') }): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version') {
    io.out(process.env.SDNB_VERSION ?? '0.1.0');
    return 0;
  }
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const seedArg = rest.indexOf('--seed');
  const valueArgs = new Set(['--seed', '--to', '-o']);
  const files = rest.filter((a, i) => !a.startsWith('--') && a !== '-o' && !(i > 0 && valueArgs.has(rest[i - 1])));
  const known = command === 'run' || command === 'check' || command === 'export';
  if (!known || files.length !== 1) {
    io.err(`sdnb: ${!known ? `unknown command '${command}'` : 'expected exactly one FILE'}\n\n${USAGE}`);
    return 2;
  }
  const to = command === 'export' ? rest[rest.indexOf('--to') + 1] : undefined;
  if (command === 'export' && (rest.indexOf('--to') < 0 || (to !== 'html' && to !== 'md'))) {
    io.err(`sdnb: export needs --to html or --to md\n\n${USAGE}`);
    return 2;
  }
  const file = files[0];
  const loaded = load(file, io);
  if (!loaded) return 2;
  const { nb, cellLines } = loaded;
  const cells = nb.cells;
  const codeCells = cells.flatMap((c, i) => (c.kind === 'code' ? [i] : []));
  const meta = frontMatterOf(nb);
  const seed = seedArg >= 0 ? Number(rest[seedArg + 1]) : seedOf(meta);
  if (!Number.isInteger(seed)) {
    io.err('sdnb: --seed takes a whole number');
    return 2;
  }
  let cancelled = false;
  const onSigint = () => (cancelled = true);
  process.on('SIGINT', onSigint);
  const opts = { seed, notebook: meta, budget: DEFAULT_BUDGET, isCancelled: () => cancelled };
  try {
    if (command === 'check') {
      const analysis = new NotebookAnalysis().update(cells);
      let errors = 0;
      for (const c of analysis.cells) {
        for (const d of c.diagnostics) {
          if (d.severity === 'error') errors++;
          io.out(`${file}:${cellLines[c.index] + d.range.start.line + 1}:${d.range.start.column + 1}: ${d.severity}: ${d.message}`);
        }
      }
      // The design review: warnings that never change the exit status.
      for (const f of reviewNotebook(nb, analysis)) {
        const line = f.cellIndex === undefined ? 1 : cellLines[f.cellIndex] + f.line + 1;
        const column = f.cellIndex === undefined ? 1 : f.column + 1;
        io.out(`${file}:${line}:${column}: warning: ${f.message}`);
      }
      return errors ? 1 : 0;
    }
    if (command === 'export') {
      const runs = await runCells(cells, codeCells, opts);
      const outFile = rest.indexOf('-o') >= 0 ? rest[rest.indexOf('-o') + 1] : file.replace(/(\.[^./\\]*)?$/, to === 'html' ? '.html' : '.md');
      if (!outFile || outFile === file) {
        io.err('sdnb: -o needs an output file other than the notebook');
        return 2;
      }
      const text = to === 'md' ? exportMarkdown(nb, runs) : exportHtml(nb, runs, { mermaidScript: mermaidScript(io) });
      writeFileSync(outFile, text);
      const failed = runs.filter((r) => !r.ok).length;
      io.out(`${outFile}: ${runs.length} cell${runs.length === 1 ? '' : 's'} run, ${failed} failed`);
      return failed === 0 && !cancelled ? 0 : 1;
    }
    const runs = await runCells(cells, codeCells, { ...opts, stopOnFirstFailure: flags.has('--stop-on-error') });
    if (flags.has('--json')) {
      const report = {
        file,
        seed,
        cells: runs.map((r) => ({
          index: r.index,
          language: cells[r.index].language,
          status: r.ok ? 'ok' : 'error',
          durationMs: Math.round(r.durationMs * 1000) / 1000,
          outputs: r.outputs.map((o) => o.items),
        })),
      };
      io.out(JSON.stringify(report, null, 2));
    } else {
      for (const r of runs) {
        io.out(`── cell ${r.index + 1} · ${cells[r.index].language} · ${r.ok ? 'ok' : 'FAILED'} (${r.durationMs.toFixed(1)} ms)`);
        for (const o of r.outputs) io.out(String(o.items[MARKDOWN_MIME] ?? ''));
        io.out('');
      }
      const failed = runs.filter((r) => !r.ok).length;
      io.out(`${runs.length} cell${runs.length === 1 ? "" : "s"} run, ${failed} failed`);
    }
    return runs.every((r) => r.ok) && !cancelled ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
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
