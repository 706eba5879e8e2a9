import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InterviewClock, formatClock, phaseAt } from '../../../src/interview/clock';
import { phaseBudgets } from '../../../src/templates/phases';

const MIN = 60_000;

test('a cell without a phase belongs to the phase above it', () => {
  const meta = [undefined, { phase: 'scope' }, undefined, { phase: 'api' }, undefined];
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => phaseAt(meta, i)), [undefined, 'scope', 'scope', 'api', 'api']);
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
