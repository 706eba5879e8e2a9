// Sweeps and capacity solving: the keys that ask for them, the values they run, the knee, the search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../../src/kernels/all';
import { findKnee, solveCapacity, withParameter, type PointRun, type SolveSpec, type SweepSpec } from '../../../src/kernels/model';
import { kneeSentence, pointVerdict } from '../../../src/kernels/model/whatif';
import { gatewayKernel, runGateway } from '../../../src/kernels/gateway';
import { NotebookAnalysis } from '../../../src/analysis/analysis';
import { runCells } from '../../../src/runtime/session';
import { parseNotebook } from '../../../src/format/sdnb';
import { DEFAULT_BUDGET, MARKDOWN_MIME, type Definition, type ParseContext, type Scope, type Verdict } from '../../../src/kernels/types';

const peak: Definition = {
  name: 'peak',
  quantity: { value: 3000, dims: { req: 1, time: -1 }, display: '3,000 req/s' },
  cellIndex: 0,
  range: { start: { line: 0, column: 0 }, end: { line: 0, column: 4 } },
  expression: '3000 req/s',
};
const scope: Scope = { get: (n) => (n === 'peak' ? peak : undefined), names: () => ['peak'] };
const ctx: ParseContext = { cellIndex: 1, scope };

const cell = (extra: string, service = 'instances: 2\n    concurrency: 8') =>
  `name: shop\nreplications: 5\n${extra}services:\n  orders:\n    ${service}\n    latency: { mean: 5 ms }\nroutes:\n  - path: /x\n    service: orders\ntraffic:\n  duration: 2 s\n  rate: peak\n  requests:\n    - path: /x\n`;

const errors = (src: string) =>
  gatewayKernel
    .parse(src, ctx)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => [d.range.start.line, d.message]);

test('sweep and solve name a number written in the cell, with values of its dimension', () => {
  const cases: [string, [number, RegExp][]][] = [
    ['sweep:\n  parameter: traffic.bogus\n  from: 1\n  to: 2\n', [[3, /`traffic.bogus` is not a key of this cell/]]],
    [
      'sweep:\n  parameter: traffic.warmup\n  from: 1 s\n  to: 2 s\n',
      [[3, /`traffic\.warmup` is not written in this cell: write it \(with its current value\) so the sweep has a place to go/]],
    ],
    ['sweep:\n  parameter: routes.0.path\n  from: 1\n  to: 2\n', [[3, /`routes.0.path` is not a number/]]],
    [
      'sweep:\n  parameter: traffic.rate\n  from: 5 ms\n  to: peak\n',
      [[4, /`sweep.from` should be a rate \(per second\) like `traffic.rate`, but `5 ms` is a duration/]],
    ],
    ['sweep:\n  parameter: traffic.rate\n  to: peak\n', [[3, /a sweep needs `from` and `to`/]]],
    ['solve:\n  parameter: traffic.rate\n', [[3, /`traffic.rate` is not a whole number: solve sizes instances/]]],
    ['solve:\n  parameter: services.orders.instances\n  min: 9\n  max: 3\n', [[4, /`solve.min` \(9\) is above `solve.max` \(3\)/]]],
    [
      'sweep:\n  parameter: services.orders.instances\n  from: 0\n  to: 4\n',
      [[4, /`services.orders.instances` = 0 is outside what the key takes \(1 to 100000\)/]],
    ],
  ];
  for (const [extra, want] of cases) {
    const got = errors(cell(extra));
    assert.equal(got.length, want.length, `${extra}: ${JSON.stringify(got)}`);
    want.forEach(([line, re], i) => {
      assert.match(String(got[i][1]), re, extra);
      assert.equal(got[i][0], line, `${extra}: ${got[i][1]}`);
    });
  }
  assert.deepEqual(errors(cell('sweep:\n  parameter: traffic.rate\n  from: peak / 4\n  to: 2 * peak\n')), []);
  assert.deepEqual(gatewayKernel.parse(cell('sweep:\n  parameter: traffic.rate\n  from: peak / 4\n  to: 2 * peak\n'), ctx).reads, ['peak']);
});

test('sweep values: linear, log and whole numbers, in SI', () => {
  const spec = (extra: string) => gatewayKernel.parse(cell(extra), ctx).parsed!.whatIf.sweep!.values;
  assert.deepEqual(
    spec('sweep:\n  parameter: traffic.rate\n  from: 1000 req/s\n  to: 4000 req/s\n  points: 4\n'),
    [1000, 2000, 3000, 4000],
  );
  assert.deepEqual(
    spec('sweep:\n  parameter: traffic.rate\n  from: 100 req/s\n  to: 10000 req/s\n  points: 3\n  scale: log\n').map((x) => Math.round(x)),
    [100, 1000, 10000],
  );
  assert.deepEqual(spec('sweep:\n  parameter: services.orders.instances\n  from: 1\n  to: 3\n  points: 5\n'), [1, 2, 3]);
  assert.deepEqual(spec('sweep:\n  parameter: traffic.rate\n  values: [peak, 2 * peak, 500 req/s]\n'), [3000, 6000, 500]);
});

test('a point is the cell with one value written in', () => {
  const src = cell('');
  const p = gatewayKernel.parse(cell('sweep:\n  parameter: services.orders.concurrency\n  from: 1\n  to: 2\n'), ctx).parsed!;
  assert.equal(
    withParameter(src, { ...p.whatIf.sweep!.parameter, range: { start: { line: 5, column: 17 }, end: { line: 5, column: 18 } } }, 32),
    src.replace('concurrency: 8', 'concurrency: 32'),
  );
});

const point = (value: number, statuses: Verdict['status'][]): PointRun => ({
  value,
  results: [],
  verdicts: statuses.map((status, i) => ({
    id: `NFR${i + 1}`,
    check: 'x <= 1',
    status,
    message: '',
    cellIndex: 0,
    range: peak.range,
    reads: [],
  })),
});

test('the knee: the last point that meets every check before the first that does not', () => {
  const cases: [PointRun[], string, number | undefined][] = [
    [[point(1, ['met']), point(2, ['met']), point(3, ['not met'])], 'meets-then-fails', 2],
    [[point(1, ['met', 'met']), point(2, ['met', 'marginal'])], 'meets-then-fails', 1],
    [[point(1, ['not met']), point(2, ['met']), point(3, ['met'])], 'fails-then-meets', 2],
    [[point(1, ['met']), point(2, ['met'])], 'all-meet', 2],
    [[point(1, ['not met']), point(2, ['marginal'])], 'none-meet', undefined],
    [[point(1, ['met']), point(2, ['not met']), point(3, ['met'])], 'mixed', 3],
    [[point(1, ['pending'])], 'none-meet', undefined],
  ];
  for (const [points, direction, knee] of cases) {
    const k = findKnee(points);
    assert.equal(k.direction, direction);
    assert.equal(k.knee?.value, knee, direction);
  }
});

test('a marginal check is shown as marginal (≈), never as failing, and a point with one does not meet every requirement', () => {
  const spec = {
    parameter: { label: 'traffic.rate', path: [], field: { type: 'number', unit: '/s' }, value: 1, range: peak.range },
  } as unknown as SweepSpec;
  const NOTE = ' (a marginal check, whose 95% interval straddles its limit, does not count as met)';
  // [points, knee sentence, the Verdict column]
  const cases: [PointRun[], string, string[]][] = [
    [
      [point(700, ['met']), point(800, ['marginal']), point(900, ['not met'])],
      `The knee: \`traffic.rate\` = 700/s is the highest value that meets every requirement${NOTE}; at 800/s NFR1 is marginal.`,
      ['✔ meets every requirement', '≈ NFR1 marginal', '✘ NFR1'],
    ],
    [
      [point(700, ['met', 'met']), point(800, ['not met', 'marginal'])],
      `The knee: \`traffic.rate\` = 700/s is the highest value that meets every requirement${NOTE}; at 800/s NFR1 fails and NFR2 is marginal.`,
      ['✔ meets every requirement', '✘ NFR1 · ≈ NFR2 marginal'],
    ],
    [
      [point(700, ['met', 'met', 'met']), point(800, ['met', 'marginal', 'marginal'])],
      `The knee: \`traffic.rate\` = 700/s is the highest value that meets every requirement${NOTE}; at 800/s NFR2, NFR3 are marginal.`,
      ['✔ meets every requirement', '≈ NFR2, NFR3 marginal'],
    ],
    [
      [point(700, ['met']), point(800, ['not met'])],
      'The knee: `traffic.rate` = 700/s is the highest value that meets every requirement; at 800/s NFR1 fails.',
      ['✔ meets every requirement', '✘ NFR1'],
    ],
    [[point(700, ['marginal']), point(800, ['not met'])], `No swept value meets every requirement${NOTE}.`, ['≈ NFR1 marginal', '✘ NFR1']],
    [
      [point(1, ['marginal']), point(2, ['met'])],
      `\`traffic.rate\` = 2/s is the smallest value that meets every requirement${NOTE}; at 1/s NFR1 is marginal.`,
      ['≈ NFR1 marginal', '✔ meets every requirement'],
    ],
  ];
  for (const [points, sentence, column] of cases) {
    assert.equal(kneeSentence(spec, findKnee(points), points), sentence);
    assert.deepEqual(points.map(pointVerdict), column, sentence);
  }
});

test('solving: a value whose check is marginal misses it as marginal (≈ in the trail)', async () => {
  const spec = {
    parameter: { label: 'services.x.instances', path: [], field: { type: 'integer' }, value: 1, range: peak.range },
    min: 1,
    max: 1000,
  } as unknown as SolveSpec;
  const at = (v: number) => point(v, [v >= 12 ? 'met' : v === 11 ? 'marginal' : 'not met']);
  const r = await solveCapacity(spec, 12, at, () => false);
  assert.equal(
    r.sentence,
    'The smallest `services.x.instances` that meets every requirement (a marginal check, whose 95% interval straddles its limit, does not count as met) is 12; 11 misses NFR1 (marginal). Found in 2 model runs: 12 ✔, 11 ≈.',
  );
  const none = await solveCapacity(
    { ...spec, max: 4 } as SolveSpec,
    1,
    (v) => point(v, [v === 4 ? 'marginal' : 'not met']),
    () => false,
  );
  assert.equal(
    none.sentence,
    'No `services.x.instances` up to 4 meets every requirement (a marginal check, whose 95% interval straddles its limit, does not count as met) (NFR1 is still marginal); 3 model runs: 1 ✘, 2 ✘, 4 ≈.',
  );
});

test('solving takes a few runs: the guess and one below when the guess is right, doubling and bisection when not', async () => {
  const spec = {
    parameter: { label: 'services.x.instances', path: [], field: { type: 'integer' }, value: 1, range: peak.range },
    min: 1,
    max: 1000,
  } as unknown as SolveSpec;
  const at = (threshold: number) => (v: number) => point(v, [v >= threshold ? 'met' : 'not met']);
  // [threshold, guess, answer, runs]
  const cases: [number, number | undefined, number | undefined, number[]][] = [
    [12, 12, 12, [12, 11]],
    [12, 13, 12, [13, 12, 10, 11]],
    [12, 3, 12, [3, 6, 12, 9, 10, 11]],
    [1, 5, 1, [5, 4, 2, 1]],
    [5000, 600, undefined, [600, 1000]],
    [12, undefined, 12, [1, 2, 4, 8, 16, 12, 10, 11]],
  ];
  for (const [threshold, guess, answer, runs] of cases) {
    const r = await solveCapacity(spec, guess, at(threshold), () => false);
    assert.equal(r.answer?.value, answer, `threshold ${threshold}, guess ${guess}`);
    assert.deepEqual(
      r.runs.map((p) => p.value),
      runs,
      `threshold ${threshold}, guess ${guess}`,
    );
  }
});

const NOTEBOOK = (model: string, checks: string) =>
  `# T\n\n- NFR1: performance — p99 within the limit.\n\n\`\`\`estimate\npeak = 3000 req/s\n\`\`\`\n\n\`\`\`gateway\n${model}\`\`\`\n\n\`\`\`estimate\n${checks}\n\`\`\`\n`;

async function run(text: string, budget = DEFAULT_BUDGET) {
  const nb = parseNotebook(text);
  const analysis = new NotebookAnalysis();
  const runs = await runCells(nb.cells, [1, 2, 3], { seed: 7, notebook: {}, budget, isCancelled: () => false }, analysis);
  // The markdown fallback escapes `, < and *: read it as plain text.
  return {
    runs,
    analysis,
    md: (i: number) => String(runs.find((r) => r.index === i)!.outputs[0].items[MARKDOWN_MIME]).replace(/\\([`<>*_])/g, '$1'),
  };
}

test('a load sweep finds the knee, charts the check with its limit and the M/M/c closed form (named so), and names what saturates', async () => {
  const { md } = await run(
    NOTEBOOK(
      cell('sweep:\n  parameter: traffic.rate\n  from: 1000 req/s\n  to: 3200 req/s\n  points: 12\n'),
      'require NFR1: shop.p99 <= 30 ms',
    ),
  );
  const out = md(2);
  assert.match(
    out,
    // At 2,800/s the 95% interval of p99 straddles 30 ms: marginal, so 2,600/s is the knee (it read "NFR1 fails").
    /#### Sweep: The knee: `traffic\.rate` = 2,600\/s is the highest value that meets every requirement \(a marginal check, whose 95% interval straddles its limit, does not count as met\); at 2,800\/s NFR1 is marginal\. `orders` reaches ρ = 0\.88: its 2 × 8 workers serve 16 \/ 5 ms = 3,200 req\/s\./,
  );
  assert.match(out, /\| 2,800\/s \| [\d.]+ ms \(95% CI [\d.]+–([\d.]+) ms\) \| ≈ NFR1 marginal \|/);
  assert.match(out, /\| traffic\.rate \(\/s\) \| shop\.p99 \| limit \(NFR1\) \| M\/M\/c \|/);
  const rows = out.split('\n').filter((l) => /^\| [\d,]+ \| [\d.]+ \| 30 \| ([\d.]+)? *\|$/.test(l));
  assert.equal(rows.length, 12);
  // At 3,200 req/s the service is at capacity (ρ = 1): no steady state, so no closed form.
  assert.match(rows[11], /^\| 3,200 \| [\d.]+ \| 30 \| +\|$/);
  // The closed form and the simulation agree well below saturation (within 15%).
  for (const r of rows.slice(0, 6)) {
    const [, , sim, , closed] = r.split('|').map((x) => Number(x.trim().replace(/,/g, '')));
    assert.ok(Math.abs(sim - closed) / closed < 0.15, r);
  }
});

test('solving sizes the service in a few runs, runs with the answer and publishes it', async () => {
  const { runs, analysis, md } = await run(
    NOTEBOOK(
      cell('solve:\n  parameter: services.orders.instances\n  max: 64\n', 'instances: 1\n    concurrency: 8'),
      'require NFR1: shop.p99 <= 30 ms\ncost = shop.orders.instances * 0.34 USD/hour -> USD/month',
    ),
  );
  const notice =
    /The smallest `services\.orders\.instances` that meets every requirement is (\d+); (\d+) misses NFR1\. Found in (\d+) model runs?/.exec(
      md(2),
    );
  assert.ok(notice, md(2).slice(0, 1500));
  const [answer, below, n] = notice.slice(1).map(Number);
  assert.equal(below, answer - 1);
  assert.ok(n <= 4, `${n} runs`);
  assert.equal(analysis.lookup('shop.orders.instances', 3)?.quantity.value, answer);
  assert.equal(runs.find((r) => r.index === 3)!.ok, true);
  assert.match(
    md(3),
    new RegExp(`\\| cost \\| ${(answer * 0.34 * 730.5).toLocaleString('en-US', { maximumFractionDigits: 2 })} USD/month \\|`),
  );
});

test('a sweep that spends the budget stops its points, not the run of the cell itself', async () => {
  // The budget holds the run at 3,000 req/s and about as much again: the 12 points (1,000 to
  // 3,200 req/s) get what is left after it, so the sweep stops after a few of them.
  const plain = gatewayKernel.parse(cell(''), ctx).parsed!.model;
  const steps = Math.max(...runGateway(plain, 7, DEFAULT_BUDGET).outcomes.map((o) => o.steps));
  const text = NOTEBOOK(
    cell('sweep:\n  parameter: traffic.rate\n  from: 1000 req/s\n  to: 3200 req/s\n  points: 12\n'),
    'require NFR1: shop.p99 <= 30 ms',
  );
  const short = (await run(text, { maxEvents: 2.2 * steps, maxWallMs: 60_000 })).md(2);
  const whole = (await run(text)).md(2);
  // The run the cell reports (everything before the sweep's fold) is the same as with budget to spare.
  assert.equal(short.split('#### Sweep')[0], whole.split('#### Sweep')[0]);
  assert.doesNotMatch(whole, /The sweep stopped/);
  const stopped = /The sweep stopped after (\d+) of 12 points; the chart covers what ran\./.exec(short);
  assert.ok(stopped, short.slice(0, 2000));
  assert.ok(+stopped[1] >= 2 && +stopped[1] < 12, stopped[0]);
});

test('a value the cell cannot take says why, not that the run stopped early', async () => {
  const spec = {
    parameter: { label: 'cluster.brokers', path: [], field: { type: 'integer' }, value: 1, range: peak.range },
    min: 1,
    max: 8,
  } as unknown as SolveSpec;
  const why = 'replication_factor 3 needs at least 3 brokers; the cluster has 2';
  const at = (v: number): PointRun => (v < 3 ? { value: v, results: [], verdicts: [], invalid: why } : point(v, ['met']));
  const r = await solveCapacity(spec, 3, at, () => false);
  assert.equal(
    r.sentence,
    'The smallest `cluster.brokers` that meets every requirement is 3; 2 misses the checks (the model cannot run there: replication_factor 3 needs at least 3 brokers; the cluster has 2). Found in 2 model runs: 3 ✔, 2 ✘.',
  );
  // A run the budget cut short says so.
  const stopped = await solveCapacity(
    spec,
    3,
    (v) => (v < 3 ? { ...point(v, []), stopped: 'max-events' } : point(v, ['met'])),
    () => false,
  );
  assert.match(stopped.sentence, /; 2 misses the checks \(the run ran out of budget\)\./);
});

test('solving Kafka brokers starts at the replication factor and says why fewer cannot run', async () => {
  const text = `# T\n\n- NFR1: durability — nothing acknowledged is lost.\n\n\`\`\`estimate\nx = 1\n\`\`\`\n\n\`\`\`kafka\nname: q\nduration: 2 s\ncluster:\n  brokers: 5\ntopics:\n  - { name: t, partitions: 3, replication_factor: 3, min_insync_replicas: 2 }\nproducers:\n  - { name: p, topic: t, rate: 500, acks: all }\nsolve:\n  parameter: cluster.brokers\n  max: 8\n\`\`\`\n\n\`\`\`estimate\nrequire NFR1: q.acked_lost <= 0 records\n\`\`\`\n`;
  const { md } = await run(text);
  assert.match(
    md(2),
    /The smallest `cluster\.brokers` that meets every requirement is 3; 2 misses the checks \(the model cannot run there: replication_factor 3 needs at least 3 brokers; the cluster has 2\)\. Found in 2 model runs: 3 ✔, 2 ✘\./,
  );
});
