// Named model results through the analysis: declared (pending) before a run, measured after, read
// by checks and by other models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../../src/kernels/all';
import { NotebookAnalysis } from '../../../src/analysis/analysis';
import { parseNotebook } from '../../../src/format/sdnb';
import { runCells } from '../../../src/runtime/session';
import { DEFAULT_BUDGET, MARKDOWN_MIME } from '../../../src/kernels/types';

const model = (name: string, rate: string) =>
  `\`\`\`gateway\nname: ${name}\nreplications: 2\nservices:\n  api: { instances: 4, latency: { mean: 5 ms } }\nroutes:\n  - { path: /x, service: api }\ntraffic:\n  duration: 1 s\n  rate: ${rate}\n  requests:\n    - path: /x\n\`\`\``;
const text = `# T\n\n${model('front', '500')}\n\n${model('back', 'front.throughput')}\n\n\`\`\`estimate\nshare = back.throughput / front.throughput\nrequire NFR1: back.p99 <= 1 s\n\`\`\`\n`;

test('before a run a model declares its names with their dimension and no value; what reads them is pending', () => {
  const nb = parseNotebook(text);
  const a = new NotebookAnalysis().update(nb.cells);
  const front = a.cell(1)!.defines;
  assert.deepEqual(
    front.slice(0, 3).map((d) => [d.name, d.quantity.dims, d.pending]),
    [
      ['front.throughput', { req: 1, time: -1 }, 'run the `front` model (cell 2)'],
      ['front.p50', { time: 1 }, 'run the `front` model (cell 2)'],
      ['front.p90', { time: 1 }, 'run the `front` model (cell 2)'],
    ],
  );
  // A model whose rate reads another's result cannot run yet: a hint at the value, no error.
  assert.deepEqual(
    a.cell(2)!.diagnostics.map((d) => [d.severity, d.code, d.range.start.line, d.message]),
    [['hint', 'pending', 8, '`traffic.rate`: `front.throughput` has no value yet: run the `front` model (cell 2)']],
  );
  // It still declares its own names (the shape is known); only the run waits.
  assert.equal(a.cell(2)!.parse!.pending, '`traffic.rate`: `front.throughput` has no value yet: run the `front` model (cell 2)');
  assert.ok(a.cell(2)!.parse!.parsed);
  assert.ok(a.cell(2)!.defines.some((d) => d.name === 'back.p99'));
  assert.deepEqual(
    a.cell(3)!.verdicts.map((v) => v.status),
    ['pending'],
  );
  const hover = a.cell(3)!.kernel!.hover!(
    a.cell(3)!.source,
    { line: 0, column: 10 },
    { cellIndex: 3, scope: a.cell(3)!.scope, parse: a.cell(3)!.parse },
  );
  assert.match(hover!.markdown, /^\*\*back\.throughput\*\*: no value yet \(run the `back` model \(cell 3\)\)/);
});

test('Run All: each model publishes what it measured, the next reads it, the check is judged', async () => {
  const nb = parseNotebook(text);
  const analysis = new NotebookAnalysis();
  const runs = await runCells(nb.cells, [1, 2, 3], { seed: 5, notebook: {}, budget: DEFAULT_BUDGET, isCancelled: () => false }, analysis);
  assert.deepEqual(
    runs.map((r) => r.ok),
    [true, true, true],
  );
  const front = analysis.lookup('front.throughput', 9)!;
  const back = analysis.lookup('back.throughput', 9)!;
  assert.equal(front.pending, undefined);
  assert.ok(front.quantity.ci && front.quantity.ci.low <= front.quantity.value && front.quantity.value <= front.quantity.ci.high);
  // The back model ran at the front's measured throughput.
  assert.ok(
    Math.abs(back.quantity.value - front.quantity.value) / front.quantity.value < 0.15,
    `${back.quantity.value} vs ${front.quantity.value}`,
  );
  assert.match(String(runs[2].outputs[0].items[MARKDOWN_MIME]), /\| NFR1 \| back\.p99 \\<= 1 s \| .* \| ✔ met \|/);
  // Editing a model drops its results: its names are pending again.
  const edited = nb.cells.map((c, i) => (i === 1 ? { ...c, source: c.source.replace('rate: 500', 'rate: 600') } : c));
  analysis.update(edited);
  assert.equal(analysis.lookup('front.throughput', 9)!.pending, 'run the `front` model (cell 2)');
});

test('running a model that reads an unmeasured result alone says which cell to run first, and runs nothing', async () => {
  const nb = parseNotebook(text);
  const analysis = new NotebookAnalysis();
  const runs = await runCells(nb.cells, [2], { seed: 5, notebook: {}, budget: DEFAULT_BUDGET, isCancelled: () => false }, analysis);
  assert.equal(runs[0].ok, false);
  const out = JSON.stringify(runs[0].outputs);
  assert.match(out, /Not run yet/);
  assert.match(out, /`traffic.rate`: `front.throughput` has no value yet: run the `front` model \(cell 2\)\. Run that cell first/);
  assert.equal(analysis.lookup('back.throughput', 9)!.pending, 'run the `back` model (cell 3)');
});
