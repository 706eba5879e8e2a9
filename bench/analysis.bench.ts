// The notebook analysis on a 200-cell notebook with 100 estimate cells (issue: hover and completion in
// the last cell answer in under 5 ms; an edit re-analyses only the edited cell and its dependents).
// Each request does what the extension host does: bring the analysis up to date with the cells
// (a version check per cell), then answer from the cached parse.
import '../src/kernels/all';
import { AnalysisCell, NotebookAnalysis } from '../src/analysis/analysis';

function notebook(): AnalysisCell[] {
  const cells: AnalysisCell[] = [];
  let e = 0;
  for (let i = 0; i < 200; i++) {
    if (i % 2 === 0) cells.push({ kind: 'markdown', language: 'markdown', source: `## Part ${i}\n\nProse.`, key: i, version: 1 });
    else {
      // Each estimate cell reads the previous one's last name: a chain, the worst case for dependents.
      const prev = e > 0 ? `n${e - 1}_c` : '1 req/s';
      cells.push({
        kind: 'code',
        language: 'sdnb-estimate',
        source: `n${e}_a = ${e + 1}M users\nn${e}_b = n${e}_a * 10 req/user/day -> req/s\nn${e}_c = n${e}_b + ${prev}`,
        key: i,
        version: 1,
      });
      e++;
    }
  }
  return cells;
}

function stats(label: string, xs: number[]): void {
  xs.sort((a, b) => a - b);
  const q = (p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))].toFixed(3);
  console.log(`${label.padEnd(58)} median ${q(0.5)} ms   p99 ${q(0.99)} ms   (${xs.length} runs)`);
}

const cells = notebook();
const analysis = new NotebookAnalysis();
let t = performance.now();
analysis.update(cells);
console.log(
  `first analysis of 200 cells (100 estimate cells): ${(performance.now() - t).toFixed(2)} ms, ${analysis.lastUpdate.analysed} cells analysed`,
);

const last = 199;
const hover: number[] = [];
const complete: number[] = [];
for (let r = 0; r < 500; r++) {
  t = performance.now();
  const info = analysis.update(cells).cell(last)!;
  info.kernel!.hover!(info.source, { line: 2, column: 2 }, { cellIndex: last, scope: info.scope, parse: info.parse });
  hover.push(performance.now() - t);
  t = performance.now();
  const info2 = analysis.update(cells).cell(last)!;
  info2.kernel!.complete!(info2.source, { line: 2, column: 8 }, { cellIndex: last, scope: info2.scope, parse: info2.parse });
  complete.push(performance.now() - t);
}
stats('hover in the last cell', hover);
stats('completion in the last cell', complete);

// Edits: a value change in cell 101 flows down the chain (its 49 dependents), an edit that keeps
// the values (a trailing space) re-analyses the cell alone, an edit in the last cell touches only it.
for (const [label, index, edit] of [
  ['edit cell 101, value changes (49 dependents)', 101, (s: string, k: number) => s.replace(/^(n\d+_a = )\d+/, `$1${k + 2}`)],
  ['edit cell 101, same values', 101, (s: string) => s + ' '],
  ['edit the last cell', 199, (s: string) => s + ' '],
] as const) {
  const times: number[] = [];
  const counts = new Set<number>();
  for (let r = 0; r < 200; r++) {
    const c = cells[index];
    cells[index] = { ...c, source: edit(c.source, r), version: (c.version ?? 0) + 1 };
    t = performance.now();
    analysis.update(cells);
    times.push(performance.now() - t);
    counts.add(analysis.lastUpdate.analysed);
  }
  stats(`${label}: re-analysed ${[...counts].join('/')} cells`, times);
}
