// `sdnb`: runs and checks .sdnb notebooks headlessly with the same kernels as the editor.
import { readFileSync } from 'node:fs';
import '../kernels/all';
import { decodeUtf8, frontMatterOf, NotebookData, NotebookReadError, parseNotebookWithLines } from '../format/sdnb';
import { DEFAULT_BUDGET, MARKDOWN_MIME } from '../kernels/types';
import { CellInput, checkCells, runCells, seedOf } from '../runtime/session';

const USAGE = `Usage:
  sdnb run FILE [--json] [--stop-on-error] [--seed N]   run every cell like Run All and print the outputs
  sdnb check FILE                                       parse every cell and print diagnostics (FILE:LINE:COL: message)
  sdnb --help | --version

Exit status: 0 when every cell succeeds (run) or no errors are found (check), 1 otherwise, 2 for bad usage or an unreadable file.`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

function load(file: string, io: Io): { nb: NotebookData; cellLines: number[]; cells: CellInput[] } | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    io.err(`sdnb: cannot read ${file}: ${(e as Error).message}`);
    return undefined;
  }
  try {
    const { notebook: nb, cellLines } = parseNotebookWithLines(decodeUtf8(bytes).text);
    const cells = nb.cells.map((c, index) => ({ index, language: c.kind === 'markdown' ? 'markdown' : c.language, source: c.source }));
    return { nb, cellLines, cells };
  } catch (e) {
    if (e instanceof NotebookReadError) {
      io.err(`${file}:${e.line + 1}:${e.column + 1}: ${e.detail}`);
      return undefined;
    }
    throw e;
  }
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
  const files = rest.filter((a, i) => !a.startsWith('--') && !(seedArg >= 0 && i === seedArg + 1));
  if ((command !== 'run' && command !== 'check') || files.length !== 1) {
    io.err(`sdnb: ${command !== 'run' && command !== 'check' ? `unknown command '${command}'` : 'expected exactly one FILE'}\n\n${USAGE}`);
    return 2;
  }
  const file = files[0];
  const loaded = load(file, io);
  if (!loaded) return 2;
  const { nb, cellLines, cells } = loaded;
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
      const found = await checkCells(cells, opts);
      let errors = 0;
      for (const [index, diags] of [...found].sort((a, b) => a[0] - b[0])) {
        for (const d of diags) {
          if (d.severity === 'error') errors++;
          io.out(`${file}:${cellLines[index] + d.range.start.line + 1}:${d.range.start.column + 1}: ${d.severity}: ${d.message}`);
        }
      }
      return errors ? 1 : 0;
    }
    const runs = await runCells(cells, cells.map((c) => c.index), { ...opts, stopOnFirstFailure: flags.has('--stop-on-error') });
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
