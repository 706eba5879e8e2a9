// Chart arithmetic: round ticks, the log scale, labels, and colour contrast (WCAG 2.x).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelEvery, logTicks, niceStep, niceTicks, symlog, tickLabel } from '../../../webview/shared/chartScale';
import { contrastRatio, ensureContrast, luminance, parseColor, toCss } from '../../../webview/shared/color';
import { Chart, ChartColor, chartToMermaid } from '../../../src/kernels/report';

const isRoundStep = (step: number) => {
  const m = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return [1, 2, 5].some((x) => Math.abs(m - x) < 1e-9);
};

test('niceTicks: 1-2-5 steps, value axes widened to whole steps, time axes kept inside the data', () => {
  const cases: [number, number, number, boolean, number[]][] = [
    [0, 9.833, 8, false, [0, 2, 4, 6, 8]], // the gateway's 0.1667 s buckets over 10 s
    [0, 2154, 5, true, [0, 500, 1000, 1500, 2000, 2500]],
    [0, 0.37, 4, true, [0, 0.1, 0.2, 0.3, 0.4]],
    [0, 0, 5, true, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [-3, 7, 5, true, [-4, -2, 0, 2, 4, 6, 8]],
    [0, 57900, 5, true, [0, 20000, 40000, 60000]],
    [0.333, 10, 7, false, [2, 4, 6, 8, 10]],
    [0, 21, 4, true, [0, 10, 20, 30]],
    [5, 5, 4, true, [0, 2, 4, 6]],
  ];
  for (const [lo, hi, max, extend, want] of cases) {
    const t = niceTicks(lo, hi, max, extend);
    assert.deepEqual(t.ticks, want, `${lo}..${hi} in ${max}`);
    assert.ok(isRoundStep(t.step), `step ${t.step}`);
    assert.ok(t.ticks.length - 1 <= max + 1, `${t.ticks.length} ticks for at most ${max} intervals`);
  }
  for (const [span, n, want] of [
    [1, 5, 0.2],
    [7, 5, 2],
    [0.013, 4, 0.005],
    [3600, 6, 1000],
  ] as const)
    assert.equal(niceStep(span, n), want);
});

test('log ticks: 0, then powers of ten; 2× and 5× within two decades', () => {
  assert.deepEqual(logTicks(33393).ticks, [0, 1, 10, 100, 1000, 10000, 100000]);
  assert.deepEqual(logTicks(50).ticks, [0, 1, 2, 5, 10, 20, 50, 100]);
  assert.deepEqual(logTicks(0).ticks, [0, 1, 2, 5, 10]);
  assert.equal(symlog(0), 0);
  assert.equal(symlog(9), 1);
  assert.equal(symlog(-3), 0);
});

test('tick labels: decimals from the step, compact from 10,000, never exponent notation', () => {
  const cases: [number, number, string][] = [
    [20000, 20000, '20K'],
    [1500000, 500000, '1.5M'],
    [1500, 500, '1,500'],
    [0.2, 0.1, '0.2'],
    [0.05, 0.05, '0.05'],
    [2, 2, '2'],
    [0, 0.001, '0.000'],
  ];
  for (const [v, step, want] of cases) assert.equal(tickLabel(v, step), want, `${v} step ${step}`);
  assert.equal(labelEvery(60, 600, 40), 5);
  assert.equal(labelEvery(12, 800, 30), 1);
});

test('contrast ratio: WCAG 2.x values as WebAIM reports them', () => {
  const cases: [string, string, number][] = [
    ['#000000', '#ffffff', 21],
    ['#767676', '#ffffff', 4.54],
    ['#808080', '#ffffff', 3.95],
    ['#0000ff', '#ffffff', 8.59],
    ['#ff0000', '#ffffff', 4.0],
    ['rgb(255, 255, 255)', '#1f1f1f', 16.48],
  ];
  for (const [a, b, want] of cases)
    assert.equal(Math.round(contrastRatio(parseColor(a)!, parseColor(b)!) * 100) / 100, want, `${a} on ${b}`);
  assert.equal(luminance(parseColor('#fff')!), 1);
});

test('parseColor reads what getComputedStyle and VS Code variables give', () => {
  assert.deepEqual(parseColor('#1a85ff'), { r: 26, g: 133, b: 255, a: 1 });
  assert.deepEqual(parseColor('#fff8'), { r: 255, g: 255, b: 255, a: 0x88 / 255 });
  assert.deepEqual(parseColor('rgba(59, 59, 59, 0.5)'), { r: 59, g: 59, b: 59, a: 0.5 });
  assert.deepEqual(parseColor('rgb(26 133 255 / 50%)'), { r: 26, g: 133, b: 255, a: 0.5 });
  assert.equal(parseColor('var(--x)'), undefined);
  assert.equal(parseColor(''), undefined);
});

test('ensureContrast keeps theme colours that read at 3:1 and darkens or lightens those that do not', () => {
  const white = parseColor('#ffffff')!,
    dark = parseColor('#1f1f1f')!;
  const lightFg = parseColor('#3b3b3b')!,
    darkFg = parseColor('#cccccc')!;
  // VS Code Light Modern's chart colours on its white editor: blue passes as is, orange (2.95:1) does not.
  assert.equal(toCss(ensureContrast(parseColor('#1a85ff')!, white, lightFg)), '#1a85ff');
  const orange = ensureContrast(parseColor('#d18616')!, white, lightFg);
  assert.ok(contrastRatio(parseColor('#d18616')!, white) < 3);
  assert.ok(contrastRatio(orange, white) >= 3 && contrastRatio(orange, white) < 3.5, toCss(orange));
  // Light Modern's purple on Dark Modern's background would be too dark: it is lightened.
  const purple = ensureContrast(parseColor('#652d90')!, dark, darkFg);
  assert.ok(contrastRatio(purple, dark) >= 3, toCss(purple));
  // A translucent colour counts as painted over the background.
  assert.ok(contrastRatio(ensureContrast(parseColor('rgba(26, 133, 255, 0.2)')!, white, lightFg), white) >= 3);
});

test('exported charts (mermaid xychart): a palette at 3:1 or more on the light and dark export pages', () => {
  const colors: ChartColor[] = ['blue', 'red', 'green', 'yellow', 'orange', 'purple', 'foreground'];
  const chart: Chart = {
    kind: 'line',
    xLabel: 't',
    yLabel: 'y',
    x: [0, 1],
    series: colors.map((color) => ({ name: color, values: [1, 2], color })),
  };
  const init = JSON.parse(/^%%\{init: (.*)\}%%$/m.exec(chartToMermaid('T', chart))![1]);
  assert.equal(init.themeVariables.xyChart.backgroundColor, 'transparent');
  const palette = (init.themeVariables.xyChart.plotColorPalette as string).split(', ');
  assert.equal(palette.length, colors.length);
  for (const page of ['#ffffff', '#0d1117']) {
    for (const c of palette) assert.ok(contrastRatio(parseColor(c)!, parseColor(page)!) >= 3, `${c} on ${page}`);
  }
});
