import { test } from 'node:test';
import assert from 'node:assert/strict';
import './fixtures/testKernels';
import { checkCells, runCells } from '../../../src/runtime/session';
import { AnalysisCell, NotebookAnalysis } from '../../../src/analysis/analysis';
import { DEFAULT_BUDGET, ERROR_MIME, MARKDOWN_MIME } from '../../../src/kernels/types';

const cells = (...specs: [string, string][]): AnalysisCell[] =>
  specs.map(([language, source]) => ({ kind: language === 'markdown' ? 'markdown' : 'code', language, source }));
const opts = { seed: 42, notebook: {}, budget: DEFAULT_BUDGET, isCancelled: () => false };
const md = (run: { outputs: { items: Record<string, unknown> }[] }) => String(run.outputs[0].items[MARKDOWN_MIME]);

test('estimate names flow to the cells below, never above', async () => {
  const nb = cells(
    ['test-echo', 'a'],
    ['sdnb-estimate', 'a = 1\nb = 2'],
    ['markdown', '# x'],
    ['test-echo', 'a b'],
    ['sdnb-estimate', 'c = 3'],
  );
  const runs = await runCells(nb, [0, 3], opts);
  assert.deepEqual(
    runs.map((r) => r.index),
    [0, 3],
  );
  assert.equal(md(runs[0]), 'seed 42; sees ');
  assert.equal(md(runs[1]), 'seed 42; sees a,b', 'the estimate cell above was evaluated although it was not in the run');
  assert.deepEqual(runs[1].reads, ['a', 'b']);
});

test('a later definition shadows an earlier one', async () => {
  const nb = cells(['sdnb-estimate', 'a = 1'], ['sdnb-estimate', 'a = 5'], ['test-echo', '']);
  const scope = new NotebookAnalysis().update(nb).scopeAt(2);
  assert.equal(scope.get('a')?.quantity.value, 5);
  assert.equal(scope.get('a')?.cellIndex, 1);
});

test('a cell with parse errors yields an error output with positions and does not run', async () => {
  const [run] = await runCells(cells(['test-echo', 'ab!c']), [0], opts);
  assert.equal(run.ok, false);
  assert.ok(run.outputs[0].items[ERROR_MIME]);
  assert.match(md(run), /\*\*1:3\*\* error: no ! here/);
});

test('a kernel that throws yields an error output and the run goes on', async () => {
  const runs = await runCells(cells(['test-throws', ''], ['test-echo', '']), [0, 1], opts);
  assert.equal(runs[0].ok, false);
  assert.match(md(runs[0]), /TypeError: boom/);
  assert.equal(runs[1].ok, true);
});

test('a language without a kernel is an error output that says so', async () => {
  const [run] = await runCells(cells(['sdnb-nothing', 'x']), [0], opts);
  assert.equal(run.ok, false);
  assert.match(md(run), /No kernel for this cell language/);
  assert.match(md(run), /sdnb-nothing/);
});

test('stop on first failure skips the cells after it', async () => {
  const nb = cells(['test-echo', ''], ['test-throws', ''], ['test-echo', '']);
  assert.deepEqual(
    (await runCells(nb, [0, 1, 2], { ...opts, stopOnFirstFailure: true })).map((r) => r.index),
    [0, 1],
  );
  assert.deepEqual(
    (await runCells(nb, [0, 1, 2], opts)).map((r) => r.index),
    [0, 1, 2],
  );
});

test('check gives diagnostics per cell without running model cells', async () => {
  const found = checkCells(cells(['markdown', '!'], ['test-runaway', 'x!'], ['test-echo', 'fine']));
  assert.deepEqual([...found.keys()], [1, 2]);
  assert.equal(found.get(1)![0].range.start.column, 1);
  assert.deepEqual(found.get(2), []);
});

test('the same notebook gives the same outputs', async () => {
  const nb = cells(['sdnb-estimate', 'a = 1'], ['test-echo', 'a']);
  const a = await runCells(nb, [0, 1], opts);
  const b = await runCells(nb, [0, 1], opts);
  assert.deepEqual(
    a.map((r) => r.outputs),
    b.map((r) => r.outputs),
  );
});
