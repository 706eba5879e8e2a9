// Report blocks and layout: folds start collapsed past a size, the markdown fallback keeps every
// block, per-instance figures are summarised, and the model reports open with their verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import {
  Block,
  Report,
  blockLines,
  fold,
  formatNumber,
  pickYScale,
  reportToMarkdown,
  spread,
  titleRepeats,
  walkBlocks,
  worstLevel,
} from '../../../src/kernels/report';
import { parseNotebook } from '../../../src/format/sdnb';
import { gatewayKernel } from '../../../src/kernels/gateway';
import { emptyScope } from '../../../src/kernels/model';
import { DEFAULT_BUDGET, ExecContext, MARKDOWN_MIME, richMime } from '../../../src/kernels/types';
import { runAll } from '../examples/helpers';

const table = (title: string, rows: number): Block => ({
  type: 'table',
  title,
  columns: ['a', 'b'],
  rows: Array.from({ length: rows }, (_, i) => [`row ${i}`, i]),
});
const chart: Block = {
  type: 'chart',
  title: 'Lag',
  chart: { kind: 'line', xLabel: 't (s)', yLabel: 'records', x: [0, 0.5, 1], series: [{ name: 'lag', values: [0, 0.25, 1500] }] },
};

test('folds: small sections start open, large ones (and every chart or diagram) collapsed', () => {
  const cases: [Block[], boolean][] = [
    [[table('t', 3)], true],
    [[table('t', 6)], true], // 6 rows + header + title = 8 lines
    [[table('t', 7)], false],
    [[table('t', 2), table('u', 3)], false],
    [[chart], false],
    [[{ type: 'mermaid', source: 'flowchart LR\n  a --> b' }], false],
    [[{ type: 'notice', level: 'info', text: 'x' }], true],
  ];
  for (const [blocks, open] of cases)
    assert.equal((fold('s', blocks) as { open: boolean }).open, open, JSON.stringify(blocks).slice(0, 80));
  assert.equal((fold('s', [chart], true) as { open: boolean }).open, true, 'an explicit choice wins');
  assert.equal(blockLines(fold('s', [table('t', 40)])), 1, 'a closed fold is one line');
});

test('walkBlocks visits folds and their contents in reading order', () => {
  const blocks: Block[] = [table('a', 1), fold('f', [table('b', 1), fold('g', [table('c', 1)])]), table('d', 1)];
  assert.deepEqual(
    [...walkBlocks(blocks)].map((b) => (b.type === 'fold' ? `fold ${b.summary}` : b.type === 'table' ? b.title : b.type)),
    ['a', 'fold f', 'b', 'fold g', 'c', 'd'],
  );
});

test('markdown fallback: the headline first, then every fold as a heading with all its content', () => {
  const report: Report = {
    title: 'Model',
    blocks: [
      {
        type: 'headline',
        verdict: {
          level: 'fail',
          text: 'overloaded: 98.9% of requests answered 429',
          items: [
            { level: 'fail', text: 'most requests rejected' },
            { level: 'marginal', text: 'near capacity' },
          ],
        },
        items: [
          { label: 'Offered', value: '57,900' },
          { label: 'Rejected 4xx', value: '98.9%', level: 'fail' },
        ],
      },
      fold('Instances', [table('Instances', 2), fold('All 20 instances', [table('All instances', 20)])]),
    ],
  };
  const md = reportToMarkdown(report);
  assert.equal(
    md.split('\n\n').slice(0, 4).join('\n\n'),
    [
      '### Model',
      '**✗ overloaded: 98.9% of requests answered 429**',
      '- ✗ most requests rejected\n- ⚠ near capacity',
      '| Figure | Value |\n| --- | ---: |\n| Offered | 57,900 |\n| ✗ Rejected 4xx | 98.9% |',
    ].join('\n\n'),
  );
  assert.match(md, /\n#### Instances\n\n\| a \| b \|/, 'a block titled as its fold is not titled twice');
  assert.match(md, /\n##### All 20 instances\n\n\*\*All instances\*\*/);
  for (let i = 0; i < 20; i++) assert.ok(md.includes(`| row ${i} | ${i} |`), `row ${i} of the folded table is in the fallback`);
});

test('markdown for GitHub: folds are closed <details>, a chart is drawn with its figures closed under it', () => {
  const report: Report = { blocks: [fold('Lag of `clicks` <by group>', [chart, table('Groups', 1)])] };
  const md = reportToMarkdown(report, { beforeChart: () => '```mermaid\nxychart-beta\n```', details: true });
  assert.equal(
    md,
    [
      '<details>\n<summary>Lag of <code>clicks</code> &lt;by group&gt;</summary>',
      '```mermaid\nxychart-beta\n```',
      '<details>\n<summary>Lag: the figures</summary>',
      '| t (s) | lag |\n| --- | ---: |\n| 0 | 0 |\n| 0.5 | 0.25 |\n| 1 | 1,500 |',
      '</details>',
      '**Groups**\n\n| a | b |\n| --- | --- |\n| row 0 | 0 |',
      '</details>',
    ].join('\n\n'),
  );
});

test('titleRepeats: a block title that only restates its fold summary is not shown twice', () => {
  const cases: [string, string | undefined, boolean][] = [
    ['Clients', 'Clients (3)', true],
    ['Status codes', 'Status codes: 200 99%', true],
    ['Routes', 'Routes', true],
    ['Routes', 'Routes and status', true],
    ['Producers: acknowledgements', 'Producers (1): 2 lost', false],
    ['Lag', 'Lagging groups', false],
    ['Lag', undefined, false],
  ];
  for (const [title, summary, want] of cases) assert.equal(titleRepeats(title, summary), want, `${title} / ${summary}`);
});

test('spread: min / median / max and Tukey outliers (quartiles as R quantile type 7) at least 25% from the median', () => {
  const cases: [number[], { min: number; median: number; max: number; outliers: number[] }][] = [
    [[1669, 1669, 1669, 1668], { min: 1668, median: 1669, max: 1669, outliers: [] }],
    [[100, 100, 100, 100, 5], { min: 5, median: 100, max: 100, outliers: [4] }],
    [[10, 11, 12, 13, 100], { min: 10, median: 12, max: 100, outliers: [4] }], // Q1 11, Q3 13, fence 16
    [[10, 11, 12, 13, 15.9], { min: 10, median: 12, max: 15.9, outliers: [] }],
    [[1, 2, 3, 4], { min: 1, median: 2.5, max: 4, outliers: [] }],
    [[7], { min: 7, median: 7, max: 7, outliers: [] }],
  ];
  for (const [values, want] of cases) assert.deepEqual(spread(values), want, values.join(','));
});

test('pickYScale: log10(1 + y) when the largest value is at least 20× the median of the positive ones', () => {
  const c = (values: number[], yScale?: 'linear' | 'log') => ({
    kind: 'bar' as const,
    xLabel: 'x',
    yLabel: 'y',
    x: values.map((_, i) => i),
    series: [{ name: 's', values }],
    yScale,
  });
  // The tour's latency histogram: the first bucket holds 84% of the requests.
  assert.equal(pickYScale(c([33393, 252, 327, 454, 675, 909, 1147, 1159, 925, 500, 172, 22])), 'log');
  assert.equal(pickYScale(c([2154, 2088, 1971, 0, 0, 0])), 'linear');
  assert.equal(pickYScale(c([40, 1, 1, 1, 1])), 'log');
  assert.equal(pickYScale(c([39, 2, 2, 2, 2])), 'linear');
  assert.equal(pickYScale(c([-5, 1000, 1, 1])), 'linear', 'negative values stay linear');
  assert.equal(pickYScale(c([1000, 1])), 'linear', 'too few values to call one dominant');
  assert.equal(pickYScale(c([1, 2, 3], 'log')), 'log', 'an explicit scale wins');
});

test('formatNumber: separators, no trailing zeros, never exponent notation', () => {
  const cases: [number, string][] = [
    [33393, '33,393'],
    [0.201, '0.201'],
    [0.5, '0.5'],
    [0.16667, '0.1667'],
    [1234567.8, '1,234,568'],
    [0.0000123, '0.0000123'],
    [1e21, '1,000,000,000,000,000,000,000'],
    [NaN, '–'],
  ];
  for (const [v, want] of cases) assert.equal(formatNumber(v), want, String(v));
  assert.equal(worstLevel(['pass', 'marginal', 'pass']), 'marginal');
  assert.equal(worstLevel(['marginal', 'fail']), 'fail');
  assert.equal(worstLevel([]), 'pass');
});

// ---------------------------------------------------------------- the model reports

const ctx = { cellIndex: 0, scope: emptyScope };
function gatewayReport(yaml: string): { report: Report; md: string } {
  const p = gatewayKernel.parse(yaml, ctx).parsed!;
  const exec: ExecContext = { ...ctx, seed: 7, budget: DEFAULT_BUDGET, isCancelled: () => false, notebook: {} };
  const r = gatewayKernel.execute(p, exec) as { ok: boolean; outputs: { items: Record<string, unknown> }[] };
  assert.equal(r.ok, true);
  return { report: r.outputs[0].items[richMime('gateway')] as Report, md: String(r.outputs[0].items[MARKDOWN_MIME]) };
}

const OVERLOADED = `replications: 2
services:
  api:
    instances: 20
    concurrency: 4
    latency: { dist: exponential, mean: 20 ms }
routes:
  - path: /v1/items
    service: api
    rate_limit: { rate: 600, burst: 50, per: route }
traffic:
  duration: 2 s
  rate: 50000
  requests:
    - path: /v1/items
`;

test('gateway: when most requests are rejected the verdict says so and the figures are flagged', () => {
  const { report, md } = gatewayReport(OVERLOADED);
  const head = report.blocks[0];
  assert.ok(head.type === 'headline' && head.verdict);
  assert.equal(head.verdict.level, 'fail');
  assert.match(head.verdict.text, /^overloaded: 98\.\d% of requests answered 429 Too Many Requests$/);
  const byLabel = new Map(head.items.map((i) => [i.label.replace(/ \(.*\)$/, ''), i]));
  assert.equal(byLabel.get('Answered 2xx/3xx')?.level, 'fail');
  assert.equal(byLabel.get('Rejected 4xx')?.level, 'fail');
  assert.match(byLabel.get('Rejected 4xx')!.value, /^98\.\d%$/);
  assert.equal(byLabel.get('Failed 5xx')?.value, '0%');
  assert.match(md, /^### API gateway model\n\n\*\*✗ overloaded: 98\.\d% of requests answered 429 Too Many Requests\*\*/);
  // One p99 in the headline: the pooled one, which the folded summary repeats with its label.
  const p99 = /\| Latency p50 \/ p99 \(ms\) \| [\d.,]+ \/ ([\d.,]+) \|/.exec(md)?.[1];
  assert.ok(
    p99 &&
      md.includes(`p99 / p99.9, pooled (ms) | `) &&
      new RegExp(`pooled \\(ms\\) \\| [\\d.,]+ / [\\d.,]+ / ${p99.replace('.', '\\.')} /`).test(md),
    'headline p99 = pooled p99',
  );
});

test('gateway: twenty instances are one summary row; the full table is folded and complete in markdown', () => {
  const { report, md } = gatewayReport(OVERLOADED);
  const all = [...walkBlocks(report.blocks)];
  const summary = all.find((b) => b.type === 'table' && b.title === 'Instances by service (min / median / max)');
  assert.ok(summary && summary.type === 'table');
  assert.equal(summary.rows.length, 1);
  assert.equal(summary.rows[0][1], 20);
  const full = all.find((b) => b.type === 'fold' && b.summary === 'All 20 instances');
  assert.ok(full && full.type === 'fold' && !full.open);
  for (let i = 0; i < 20; i++) assert.ok(md.includes(`| api/${i} | 1 |`), `api/${i} in the markdown fallback`);
});

const exponent = /\b\d+(\.\d+)?e[+-]\d+\b/;
const examples = readdirSync('examples')
  .filter((f) => f.endsWith('.sdnb'))
  .sort();

test('every example: model reports open with a headline, fit their top level in a screen, no exponent or NaN anywhere', async () => {
  let checked = 0;
  for (const file of examples) {
    const runs = await runAll(parseNotebook(readFileSync(`examples/${file}`, 'utf8')));
    for (const run of runs) {
      for (const out of run.outputs) {
        for (const kind of ['gateway', 'kafka']) {
          const report = out.items[richMime(kind)] as Report | undefined;
          if (!report) continue;
          const where = `${file} cell ${run.index} (${kind})`;
          checked++;
          assert.equal(report.blocks[0].type, 'headline', where);
          const strings: string[] = [];
          const collect = (v: unknown): void => {
            if (typeof v === 'string') strings.push(v);
            else if (Array.isArray(v)) v.forEach(collect);
            else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => k !== 'source' && collect(x));
          };
          collect(report);
          strings.push(String(out.items[MARKDOWN_MIME]));
          for (const s of strings) {
            assert.doesNotMatch(s, exponent, `${where}: ${s.slice(0, 120)}`);
            assert.doesNotMatch(s, /\bNaN\b/, `${where}: ${s.slice(0, 120)}`);
          }
          // Closed folds are one line each; what shows before anything is opened stays short.
          const lines = report.blocks.reduce((a, b) => a + blockLines(b), 0);
          assert.ok(lines <= 40, `${where}: ${lines} lines before any fold is opened`);
        }
      }
    }
  }
  assert.ok(checked >= 2 * examples.length, `${checked} model reports checked`);
});
