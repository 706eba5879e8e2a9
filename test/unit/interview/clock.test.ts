import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InterviewClock, OutlineEntry, formatClock, phaseAt, phaseOutline } from '../../../src/interview/clock';
import { PHASES, phaseBudgets } from '../../../src/templates/phases';
import { BLANK_NOTEBOOK, INTERVIEW_NOTEBOOK } from '../../../src/templates';
import { parseNotebook } from '../../../src/format/sdnb';

const MIN = 60_000;

test('a cell without a phase belongs to the phase above it', () => {
  const meta = [undefined, { phase: 'scope' }, undefined, { phase: 'api' }, undefined];
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((i) => phaseAt(meta, i)),
    [undefined, 'scope', 'scope', 'api', 'api'],
  );
});

test('time counts for the phase that was current, sub-phases within their parent', () => {
  const clock = new InterviewClock(phaseBudgets());
  clock.start(0, 'scope');
  clock.tick(3 * MIN, 'estimates'); // 3 min in scope; estimates is part of scope
  clock.tick(7 * MIN, 'api'); // 4 more in scope (7 > 5: overrun), then high-level
  clock.tick(9 * MIN, 'diagram');
  assert.equal(clock.spentMs('scope'), 7 * MIN);
  assert.equal(clock.spentMs('high-level'), 2 * MIN);
  const s = clock.status(10 * MIN)!;
  assert.equal(s.phase.id, 'high-level');
  assert.equal(s.spentMs, 3 * MIN);
  assert.equal(s.leftMs, 17 * MIN);
  assert.equal(s.overrun, false);
  assert.equal(s.totalMs, 10 * MIN);
});

test('an overrun warns once per phase', () => {
  const clock = new InterviewClock(phaseBudgets({ budgets: { intro: 1 } }));
  clock.start(0, 'intro');
  assert.equal(clock.shouldWarn(30_000), false);
  assert.equal(clock.shouldWarn(61_000), true);
  assert.equal(clock.shouldWarn(90_000), false);
  assert.equal(clock.status(90_000)!.leftMs, -30_000);
});

test('the summary tables budget against time spent', () => {
  const clock = new InterviewClock(phaseBudgets());
  clock.start(0, 'intro');
  clock.tick(6 * MIN + 5_000, 'scope');
  clock.tick(10 * MIN, undefined);
  const md = clock.summary();
  assert.match(md, /\| Introduction \| 5 min \| 6:05 \| \+1:05 \|/);
  assert.match(md, /\| Understand the problem and establish design scope \| 5 min \| 3:55 \| — \|/);
  assert.match(md, /Total: 10:00\./);
});

test('clock formatting', () => {
  assert.deepEqual([0, 59_999, 60_000, 605_000, -65_000].map(formatClock), ['0:00', '0:59', '1:00', '10:05', '-1:05']);
});

/** The outline as `id[cells]` with `!` for missing, children in parentheses. */
const outlineOf = (es: OutlineEntry[]): string[] =>
  es.map((e) => `${e.id}[${e.cells.join(',')}]${e.missing ? '!' : ''}${e.children.length ? `(${outlineOf(e.children).join(' ')})` : ''}`);
const phasesOf = (template: string) => parseNotebook(template).cells.map((c) => c.metadata);

const outlines: [string, (Record<string, unknown> | undefined)[], Record<string, unknown>, string[]][] = [
  [
    'the untimed Blank template: no Introduction or Q&A, nothing missing',
    phasesOf(BLANK_NOTEBOOK),
    {},
    ['scope[1](estimates[2])', 'high-level[](api[3] diagram[4,5] data-model[6])', 'deep-dive[7]', 'wrap-up[8]'],
  ],
  [
    'the timed interview template lists every phase',
    phasesOf(INTERVIEW_NOTEBOOK),
    { budgets: { scope: 5 } },
    ['intro[1]', 'scope[2](estimates[3])', 'high-level[4](api[5] diagram[6,7] data-model[8])', 'deep-dive[9]', 'wrap-up[10]', 'qa[11]'],
  ],
  [
    'a notebook without phases: what a design shows is missing',
    [undefined, undefined],
    {},
    ['scope[]!(estimates[]!)', 'high-level[]!(api[]! diagram[]! data-model[]!)', 'deep-dive[]!', 'wrap-up[]!'],
  ],
  [
    'high-level design is not missing when one of its parts has cells',
    [{ phase: 'api' }, undefined],
    {},
    ['scope[]!(estimates[]!)', 'high-level[](api[0,1] diagram[]! data-model[]!)', 'deep-dive[]!', 'wrap-up[]!'],
  ],
  [
    'Q&A shows in an untimed notebook that has a Q&A cell',
    [{ phase: 'qa' }],
    {},
    ['scope[]!(estimates[]!)', 'high-level[]!(api[]! diagram[]! data-model[]!)', 'deep-dive[]!', 'wrap-up[]!', 'qa[0]'],
  ],
];
for (const [name, meta, frontMatter, expected] of outlines) {
  test(`phase outline: ${name}`, () => assert.deepEqual(outlineOf(phaseOutline(meta, frontMatter)), expected));
}

test('every phase has a short name for the status bar', () => {
  assert.deepEqual(
    PHASES.map((p) => p.short),
    ['Introduction', 'Scope', 'Estimates', 'High-level design', 'API', 'Diagram', 'Data model', 'Deep dive', 'Wrap up', 'Q&A'],
  );
});
