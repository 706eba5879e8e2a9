// Placeholder text counts as missing, and every quick fix clears the finding it fixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CellData, NotebookData, parseNotebook } from '../../../src/format/sdnb';
import { cellPhases, reviewNotebook, ReviewFinding, ReviewFix } from '../../../src/review';
import { lineKind, placeholderIn } from '../../../src/review/placeholders';
import { BLANK_NOTEBOOK, INTERVIEW_NOTEBOOK } from '../../../src/templates';
import { main } from '../../../src/cli/main';

const lineKinds: [string, ReturnType<typeof lineKind>][] = [
  ['- FR1: …', 'placeholder'],
  ['- FR1: ...', 'placeholder'],
  ['- FR3: TBD', 'placeholder'],
  ['- NFR2: performance — TODO', 'placeholder'],
  ['- NFR1: scale — … daily users, … requests per second at peak', 'placeholder'],
  ['| GET | /v1/… | FR1 | … |', 'placeholder'],
  ['- QPS: peak_qps and write_qps from the estimates', 'placeholder'], // the interview template's line, as it comes
  ['Summary: ???', 'placeholder'],
  ['> - Discuss the access patterns, the read/write ratio and the QPS.', 'prompt'],
  ['### Functional requirements', 'template'],
  ['| Method | Path | Serves | Notes |', 'template'],
  ['| --- | --- | --- | --- |', 'template'],
  ['- FR1: users upload photos up to 20 MB.', 'written'],
  ['- QPS: 2k req/s at peak, from peak_qps', 'written'],
  ['The todo list service keeps TODO items', 'placeholder'],
  ['What is a todolist? Reads: writes 10:1', 'written'],
  ['Posts ... are fanned out', 'placeholder'],
  ['p99…p999 from the model', 'written'],
];
for (const [line, kind] of lineKinds) test(`line kind: ${JSON.stringify(line)} is ${kind}`, () => assert.equal(lineKind(line), kind));

test('placeholder positions: the word a squiggle underlines', () => {
  assert.deepEqual(placeholderIn('- FR1: …'), { column: 7, length: 1 });
  assert.deepEqual(placeholderIn('| GET | /v1/… | FR1 |'), { column: 12, length: 1 });
  assert.deepEqual(placeholderIn('- NFR2: latency TBD ms'), { column: 16, length: 3 });
  assert.equal(placeholderIn('- FR1: users post photos'), undefined);
});

const brief = (fs: ReviewFinding[]) => fs.map((f) => `${f.cellIndex ?? '-'}:${f.line}:${f.column} ${f.code}${f.fix ? ' +fix' : ''}`);

test('the Blank template as it comes: every section still to write is a finding at its placeholder, none with a quick fix', () => {
  const found = reviewNotebook(parseNotebook(BLANK_NOTEBOOK));
  assert.deepEqual(brief(found), [
    '1:11:7 placeholder',
    '1:16:16 placeholder',
    '3:8:12 placeholder',
    '6:10:19 placeholder',
    '7:7:26 placeholder',
    '8:4:9 placeholder',
  ]);
  assert.deepEqual(
    found.map((f) => f.message.split('.')[0]),
    [
      'Scope: FR1 and FR2 are still placeholders',
      'Scope: NFR1 to NFR6 are still placeholders',
      'API design: `GET /v1/…` is still a placeholder',
      'Data model: the access patterns, read/write ratio and QPS are still placeholders',
      'Deep dive: the trade-offs are still placeholders',
      'Wrap up: the summary is still a placeholder',
    ],
  );
});

test('the interview template as it comes has the same six findings', () => {
  assert.deepEqual(brief(reviewNotebook(parseNotebook(INTERVIEW_NOTEBOOK))), [
    '2:14:7 placeholder',
    '2:20:16 placeholder',
    '5:10:13 placeholder',
    '8:10:19 placeholder',
    '9:9:26 placeholder',
    '10:4:9 placeholder',
  ]);
});

/** The Blank template with every section written by a person designing a photo-sharing app. */
function filledBlank(): string {
  return (
    BLANK_NOTEBOOK.replace('- FR1: …', '- FR1: users upload photos.')
      .replace('- FR2: …', '- FR2: users see a feed of the people they follow.')
      .replace('- NFR1: scale — …', '- NFR1: scale — 10M daily users.')
      .replace('- NFR2: performance — …', '- NFR2: performance — the feed loads within 200 ms at p99.')
      .replace('- NFR3: security — …', '- NFR3: security — private photos are visible to followers only.')
      .replace('- NFR4: consistency — …', '- NFR4: consistency — a user sees their own upload at once.')
      .replace('- NFR5: freshness — …', '- NFR5: freshness — followers see a photo within a minute.')
      .replace('- NFR6: accuracy — …', '- NFR6: accuracy — no upload is lost.')
      // The performance and scale requirements are checked (here against estimates; a design would read a model's results).
      .replace(
        'storage = dau * 1 KB/user/day * 5 years -> TB',
        'storage = dau * 1 KB/user/day * 5 years -> TB\nfeed_path = 3 * 40 ms\nrequire NFR1: peak_qps <= 5000 req/s\nrequire NFR2: feed_path <= 200 ms',
      )
      .replace('| GET | /v1/… | FR1 | … |', '| POST | /v1/photos | FR1 | upload |\n| GET | /v1/feed | FR2 | newest first |')
      .replace('| … | … | … |', '| photo | id, owner, url | id; owner + time |')
      .replace('- Access patterns: …', '- Access patterns: feed by follower, newest first.')
      .replace('- Read/write ratio: …', '- Read/write ratio: 100 reads per write.')
      .replace('- QPS: …', '- QPS: peak_qps from the estimates.')
      .replace(
        '- Problem: …\n- Options and trade-offs: …\n- Choice: …',
        '- Feed fan-out on write; the trade-off is write amplification for popular users.',
      )
      .replace(
        'Summary: …',
        'Summary: photos go to object storage behind a CDN, feeds are precomputed on write and cached, which meets the latency target.',
      )
  );
}

test('the Blank template filled in has no findings; leaving one item as “…” brings back only that one', () => {
  assert.deepEqual(reviewNotebook(parseNotebook(filledBlank())), []);
  const oneLeft = filledBlank().replace('- NFR3: security — private photos are visible to followers only.', '- NFR3: security — …');
  assert.deepEqual(brief(reviewNotebook(parseNotebook(oneLeft))), ['1:18:19 placeholder']);
  assert.match(reviewNotebook(parseNotebook(oneLeft))[0].message, /^Scope: NFR3 is still a placeholder\./);
});

test('sdnb check reports the Blank template’s placeholders', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sdnb-blank-'));
  const file = join(dir, 'photos.sdnb');
  writeFileSync(file, BLANK_NOTEBOOK);
  const out: string[] = [];
  assert.equal(await main(['check', file], { out: (s) => out.push(s), err: (s) => out.push(s) }), 0);
  const lines = out
    .join('\n')
    .split('\n')
    .filter((l) => l.includes('still'));
  assert.equal(lines.length, 6, out.join('\n'));
  assert.ok(
    lines.some((l) => /photos\.sdnb:\d+:8: warning: Scope: FR1 and FR2 are still placeholders/.test(l)),
    lines.join('\n'),
  );
});

/** Applies a quick fix to notebook data the way the editor does: a new cell with the fix's phase. */
function applyFix(nb: NotebookData, fix: ReviewFix): NotebookData {
  const at = fix.insertAfterCell === 'end' ? nb.cells.length : fix.insertAfterCell + 1;
  const language = fix.language ?? 'markdown';
  const cell: CellData = {
    kind: language === 'markdown' ? 'markdown' : 'code',
    language,
    source: fix.text,
    metadata: { phase: fix.phase },
  };
  return { ...nb, cells: [...nb.cells.slice(0, at), cell, ...nb.cells.slice(at)] };
}

const SCOPE =
  '<!-- cell {"phase":"scope"} -->\n## Scope\n\n- FR1: users post a photo.\n- NFR1: scale — 10M daily users.\n- NFR2: performance — p99 200 ms.';
const notebooks: [string, string][] = [
  ['an empty design', '# Nothing yet\n'],
  ['the Blank template', BLANK_NOTEBOOK],
  ['the interview template', INTERVIEW_NOTEBOOK],
  ['a scope without requirements', '<!-- cell {"phase":"scope"} -->\n## Scope\n\nWe build a photo app.\n'],
  ['NFRs missing categories', SCOPE + '\n'],
  ['scope only, with an estimate lacking storage', SCOPE + '\n\n```estimate\nqps = 1k req/s\n```\n'],
  ['an estimate lacking a rate', SCOPE + '\n\n```estimate\nstorage = 1 TB\n```\n'],
  ['an API without endpoints', '<!-- cell {"phase":"api"} -->\nTo do later.\n'],
  ['a diagram phase in prose', '<!-- cell {"phase":"diagram"} -->\nA load balancer, then services.\n'],
  ['a thin data model', '<!-- cell {"phase":"data-model"} -->\nAccess patterns: by user.\n'],
  ['a deep dive without trade-offs', '<!-- cell {"phase":"deep-dive"} -->\nWe shard by user.\n'],
  ['a one-line wrap-up', '<!-- cell {"phase":"wrap-up"} -->\nDone.\n'],
];

for (const [name, text] of notebooks) {
  test(`quick fixes on ${name}: each one, applied, clears its finding and inserts a cell of its phase`, () => {
    const nb = parseNotebook(text);
    const before = reviewNotebook(nb);
    const fixable = before.filter((f) => f.fix);
    if (name !== 'the Blank template' && name !== 'the interview template')
      assert.ok(fixable.length > 0, `${name} has findings with quick fixes: ${brief(before).join(', ')}`);
    for (const f of fixable) {
      const fixed = applyFix(nb, f.fix!);
      const after = reviewNotebook(fixed);
      const same = after.filter((g) => g.code === f.code && g.message === f.message);
      assert.deepEqual(same, [], `${f.code} (${f.message}) is still there after its fix: ${brief(after).join(', ')}`);
      assert.ok(
        after.filter((g) => g.code === f.code).length < before.filter((g) => g.code === f.code).length,
        `${f.code}: fewer findings of this kind after the fix`,
      );
      const at = f.fix!.insertAfterCell === 'end' ? nb.cells.length : f.fix!.insertAfterCell + 1;
      assert.equal(cellPhases(fixed)[at], f.fix!.phase);
      // What a fix inserts never asks for the same fix again.
      assert.ok(
        !after.some((g) => g.fix && g.fix.text === f.fix!.text && g.fix.phase === f.fix!.phase),
        `${f.code}: the same fix is offered again`,
      );
    }
  });
}

test('a placeholder left beside written items is still reported: a requirement, an NFR whose category another covers, an endpoint row', () => {
  const text = filledBlank()
    .replace('- FR2: users see a feed of the people they follow.', '- FR2: users see a feed of the people they follow.\n- FR3: TBD')
    .replace('- NFR6: accuracy — no upload is lost.', '- NFR6: accuracy — no upload is lost.\n- NFR7: scale — …')
    .replace('| GET | /v1/feed | FR2 | newest first |', '| GET | /v1/feed | FR2 | newest first |\n| DELETE | /v1/… | FR1 | … |');
  const found = reviewNotebook(parseNotebook(text));
  assert.deepEqual(
    found.map((f) => f.message.split('.')[0]),
    ['Scope: FR3 is still a placeholder', 'Scope: NFR7 is still a placeholder', 'API design: `DELETE /v1/…` is still a placeholder'],
  );
  assert.deepEqual(brief(found), ['1:13:7 placeholder', '1:23:16 placeholder', '3:10:15 placeholder']);
});
