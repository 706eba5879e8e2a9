import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNotebook } from '../../../src/format/sdnb';
import { diagramParts, endpoints, isQpsLike, isStorageLike, reviewNotebook, ReviewFinding } from '../../../src/review';
import { PHASES, phaseBudgets, TOP_LEVEL_PHASES } from '../../../src/templates/phases';
import { main } from '../../../src/cli/main';

const SCOPE = `<!-- cell {"phase":"scope"} -->
## Scope

- FR1: users post a message.
- FR2: users read their timeline.
- NFR1: scale — 10M daily users.
- NFR2: performance — p99 latency 200 ms.
- NFR3: security — every call is authenticated.
- NFR4: consistency — users read their own writes.
- NFR5: freshness — posts are visible within 5 s.
- NFR6: accuracy — no post is lost.`;
const ESTIMATES =
  '<!-- cell {"phase":"estimates"} -->\n```estimate\nqps = 10M users * 10 req/user/day -> req/s\nstorage = qps * 1 KB/req * 1 year -> TB\nread_path = 3 * 20 ms\nrequire NFR1: qps <= 2000 req/s\nrequire NFR2: read_path <= 200 ms\n```';
const API =
  '<!-- cell {"phase":"api"} -->\n## API\n\n| Method | Path | Serves |\n| --- | --- | --- |\n| POST | /v1/posts | FR1 |\n| GET | /v1/timeline | FR2 |';
const DIAGRAM =
  '<!-- cell {"phase":"diagram"} -->\n```mermaid\nflowchart LR\n  c[Client] --> lb[Load balancer]\n  lb --> svc[Post service]\n  svc --> db[(Posts)]\n```';
const DATA = '<!-- cell {"phase":"data-model"} -->\n## Data\n\nAccess patterns: by user. Read/write ratio 10:1. QPS: `qps`.';
const DEEP = '<!-- cell {"phase":"deep-dive"} -->\n## Deep dive\n\nFan-out on write; the trade-off is write amplification.';
const WRAP =
  '<!-- cell {"phase":"wrap-up"} -->\n## Wrap up\n\nPosts are written once and fanned out to cached timelines, which keeps reads to one lookup.';
const PARTS = { SCOPE, ESTIMATES, API, DIAGRAM, DATA, DEEP, WRAP };
type Part = keyof typeof PARTS;

function nb(over: Partial<Record<Part, string | null>> = {}) {
  const parts = (Object.keys(PARTS) as Part[]).map((k) => (k in over ? over[k] : PARTS[k])).filter((s): s is string => s != null);
  return parseNotebook('# Design\n\n' + parts.join('\n\n') + '\n');
}

const brief = (fs: ReviewFinding[]) => fs.map((f) => `${f.cellIndex ?? '-'}:${f.line}:${f.column} ${f.code}`);

test('a complete design has no findings', () => {
  assert.deepEqual(reviewNotebook(nb()), []);
});

// Cells of nb(): 0 title, 1 scope, 2 estimates, 3 api, 4 diagram, 5 data model, 6 deep dive, 7 wrap-up.
const cases: [string, Partial<Record<Part, string | null>>, string[]][] = [
  [
    'no functional requirements',
    { SCOPE: SCOPE.replace(/- FR\d: .*\n/g, '') },
    ['1:0:0 no-functional-requirements', '3:4:2 endpoint-outside-requirements', '3:5:2 endpoint-outside-requirements'],
  ],
  [
    'no non-functional requirements',
    { SCOPE: SCOPE.replace(/\n- NFR.*/g, '') },
    ['1:0:0 no-non-functional-requirements', '2:3:8 requirement-not-stated', '2:4:8 requirement-not-stated'],
  ],
  [
    'NFRs missing security and freshness',
    { SCOPE: SCOPE.replace(/- NFR3.*\n/, '').replace(/- NFR5.*\n/, '') },
    ['1:4:0 nfr-missing-categories'],
  ],
  ['no storage estimate', { ESTIMATES: ESTIMATES.replace(/\nstorage.*/, '') }, ['2:0:0 no-storage-estimate']],
  [
    'no rate estimate',
    { ESTIMATES: '<!-- cell {"phase":"estimates"} -->\n```estimate\nstorage = 10M users * 1 KB/user -> GB\n```' },
    ['1:4:0 requirement-unchecked', '1:5:0 requirement-unchecked', '2:0:0 no-qps-estimate'],
  ],
  [
    // Its broken lines may hold the rate and the size: their errors are the findings until they are fixed.
    // NFR1's check reads the broken `qps`: it is a check with an error, not a missing one.
    'an estimate cell with errors: no "no rate", "no size" or "no check" finding on top of them',
    { ESTIMATES: ESTIMATES.replace('10M users', '10M usres') },
    [],
  ],
  ['an endpoint that cites nothing', { API: API + '\n| DELETE | /v1/posts/{id} | |' }, ['3:6:2 endpoint-untraced']],
  ['an endpoint outside the requirements', { API: API + '\n- `PUT /v1/likes/{id}` (FR7)' }, ['3:6:3 endpoint-outside-requirements']],
  ['an API phase without endpoints', { API: '<!-- cell {"phase":"api"} -->\n## API\n\nTo do.' }, ['3:0:0 no-endpoints']],
  [
    'a diagram with no entry point',
    { DIAGRAM: DIAGRAM.replace('lb[Load balancer]', 'svc').replace('  lb --> svc[Post service]\n', '') },
    ['4:0:0 diagram-no-entry'],
  ],
  ['a diagram with no storage', { DIAGRAM: DIAGRAM.replace('db[(Posts)]', 'q[Queue]') }, ['4:0:0 diagram-no-storage']],
  ['a diagram phase with prose only', { DIAGRAM: '<!-- cell {"phase":"diagram"} -->\nLB, then services.' }, ['4:0:0 no-diagram']],
  [
    'a data model without read/write ratio and QPS',
    { DATA: '<!-- cell {"phase":"data-model"} -->\nAccess patterns: by user.' },
    ['5:0:0 data-model-incomplete'],
  ],
  ['a deep dive without trade-offs', { DEEP: '<!-- cell {"phase":"deep-dive"} -->\nWe shard by user.' }, ['6:0:0 deep-dive-no-tradeoffs']],
  ['a one-line wrap-up', { WRAP: '<!-- cell {"phase":"wrap-up"} -->\n## Wrap up\n\nDone.' }, ['7:0:0 wrap-up-no-summary']],
  ['missing phases', { DATA: null, WRAP: null }, ['-:0:0 missing-phase', '-:0:0 missing-phase']],
  [
    'estimates without an estimates phase are found anywhere',
    { ESTIMATES: ESTIMATES.replace('<!-- cell {"phase":"estimates"} -->\n', '') },
    [],
  ],
  ['a diagram drawn in the high-level phase counts', { DIAGRAM: DIAGRAM.replace('"diagram"', '"high-level"') }, []],
];
for (const [name, over, expected] of cases) {
  test(`review: ${name}`, () => {
    assert.deepEqual(brief(reviewNotebook(nb(over))), expected);
  });
}

test('messages say what is missing and where; quick fixes insert the section', () => {
  const nfr = reviewNotebook(nb({ SCOPE: SCOPE.replace(/- NFR3.*\n/, '').replace(/- NFR5.*\n/, '') }))[0];
  assert.equal(
    nfr.message,
    'Scope: the non-functional requirements say nothing about security and freshness. Add a requirement for each (or state that it does not matter and why).',
  );
  assert.deepEqual(nfr.fix, {
    insertAfterCell: 1,
    phase: 'scope',
    text: '### More non-functional requirements\n\n- NFR7: security — …\n- NFR8: freshness — …',
  });

  const outside = reviewNotebook(nb({ API: API + '\n- `PUT /v1/likes/{id}` (FR7)' }))[0];
  assert.equal(
    outside.message,
    'API design: `PUT /v1/likes/{id}` cites FR7, which is not in the requirements list. Add the requirement to the scope or drop the endpoint.',
  );

  const missing = reviewNotebook(nb({ DATA: null, WRAP: null }));
  assert.deepEqual(
    missing.map((f) => [f.fix?.phase, f.fix?.insertAfterCell]),
    [
      ['data-model', 4],
      ['wrap-up', 5],
    ],
  );
  assert.match(missing[0].message, /no “Data model and schema” phase/);
  assert.match(missing[0].fix!.text, /^## Data model and schema\n\n> - Discuss the access patterns/);
  assert.match(missing[0].fix!.text, /- Read\/write ratio: …/);

  const storage = reviewNotebook(nb({ ESTIMATES: ESTIMATES.replace(/\nstorage.*/, '') }))[0];
  assert.equal(storage.fix?.language, 'sdnb-estimate');
  assert.equal(storage.fix?.insertAfterCell, 2);

  const empty = reviewNotebook(parseNotebook('# Nothing yet\n'));
  assert.deepEqual(
    empty.map((f) => f.fix?.phase),
    ['scope', 'estimates', 'api', 'diagram', 'data-model', 'deep-dive', 'wrap-up'],
  );
  assert.ok(empty.every((f) => f.fix?.insertAfterCell === 'end' && f.cellIndex === undefined));
});

test('a cell without a phase belongs to the phase above it', () => {
  const text =
    '# D\n\n' +
    [
      SCOPE,
      ESTIMATES,
      API,
      DIAGRAM,
      DATA,
      DEEP.replace('; the trade-off is write amplification', ''),
      '<!-- cell -->\nThe trade-off: write amplification.',
      WRAP,
    ].join('\n\n') +
    '\n';
  assert.deepEqual(reviewNotebook(parseNotebook(text)), []);
});

test('helpers: units, endpoints and diagram parts', () => {
  assert.ok(isQpsLike({ req: 1, time: -1 }));
  assert.ok(isQpsLike({ tweet: 1, time: -1 }));
  assert.ok(!isQpsLike({ information: 1, time: -1 }));
  assert.ok(!isQpsLike({ req: 1, user: -1, time: -1 }));
  assert.ok(isStorageLike({ information: 1 }));
  assert.ok(!isStorageLike({ information: 1, time: -1 }));
  const eps = endpoints(
    parseNotebook('| POST | /v1/a | FR1, FR2 |\n\n```http\nGET /not-an-endpoint FR1\n```\n\n- `GET /v1/b` — FR3\n- WS /v1/live (FR1)\n'),
    [0],
  );
  assert.deepEqual(
    eps.map((e) => [e.method, e.path, e.cites.join('+'), e.line]),
    [
      ['POST', '/v1/a', 'FR1+FR2', 0],
      ['GET', '/v1/b', 'FR3', 6],
      ['WS', '/v1/live', 'FR1', 7],
    ],
  );
  assert.deepEqual(diagramParts('flowchart LR\n  a[Client] --> g[API gateway] --> s[Orders] --> d[(Orders DB)]'), {
    entry: true,
    services: true,
    storage: true,
  });
  assert.deepEqual(diagramParts('graph TD\n  a[Client] --> s[Orders]'), { entry: false, services: true, storage: false });
  assert.deepEqual(diagramParts('graph TD\n  client --> lb\n  lb -->|/orders| orders\n  orders -.-> db;'), {
    entry: true,
    services: true,
    storage: true,
  });
  assert.deepEqual(diagramParts('flowchart LR\n  lb --> svc'), { entry: true, services: true, storage: false });
  assert.deepEqual(
    diagramParts('architecture-beta\n  service lb(internet)[Load balancer]\n  service api(server)[API]\n  service db(database)[Orders]'),
    { entry: true, services: true, storage: true },
  );
  assert.deepEqual(diagramParts('sequenceDiagram\n  A->>B: hi'), { entry: false, services: false, storage: false });
});

test('phase table: budgets add up to the framework, front matter overrides them', () => {
  assert.deepEqual(
    TOP_LEVEL_PHASES.map((p) => [p.id, p.minutes]),
    [
      ['intro', 5],
      ['scope', 5],
      ['high-level', 20],
      ['deep-dive', 15],
      ['wrap-up', 5],
      ['qa', 5],
    ],
  );
  const high = PHASES.filter((p) => p.parent === 'high-level').reduce((s, p) => s + p.minutes, 0);
  assert.equal(high, 20);
  const b = phaseBudgets({ budgets: { scope: 10, api: 0, nope: 3, qa: 'x' } });
  assert.equal(b.scope, 10);
  assert.equal(b.api, 7);
  assert.equal(b.qa, 5);
  assert.ok(!('nope' in b));
});

test('sdnb check prints review findings as warnings after the diagnostics; the exit status ignores them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sdnb-review-'));
  const file = join(dir, 'd.sdnb');
  writeFileSync(file, '# D\n\n<!-- cell {"phase":"deep-dive"} -->\nWe shard by user.\n\n```estimate\nx = 1 +\n```\n');
  const out: string[] = [];
  const code = await main(['check', file], { out: (s) => out.push(s), err: (s) => out.push(s) });
  assert.equal(code, 1);
  assert.match(out[0], new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:\\d+: error: `));
  const warnings = out.slice(1);
  assert.ok(
    warnings.every((l) => l.includes(': warning: ')),
    out.join('\n'),
  );
  assert.ok(
    warnings.includes(
      `${file}:1:1: warning: The design has no “Understand the problem and establish design scope” phase (no cell with phase \`scope\`). The question is open-ended and vague on purpose: ask as many questions as you need. Jumping straight to a solution is a red flag.`,
    ),
    warnings.join('\n'),
  );
  assert.ok(
    warnings.some((l) => l.startsWith(`${file}:4:1: warning: Deep dive: no trade-offs`)),
    warnings.join('\n'),
  );

  writeFileSync(file, '# D\n\n<!-- cell {"phase":"deep-dive"} -->\nWe shard by user.\n');
  out.length = 0;
  assert.equal(await main(['check', file], { out: (s) => out.push(s), err: (s) => out.push(s) }), 0);
  assert.ok(out.length > 0);
});

test('review: a performance or scale requirement with no check, and a check of a requirement nobody stated', () => {
  const unchecked = reviewNotebook(nb({ ESTIMATES: ESTIMATES.replace('\nrequire NFR2: read_path <= 200 ms', '') }));
  assert.deepEqual(brief(unchecked), ['1:5:0 requirement-unchecked']);
  assert.match(unchecked[0].message, /^NFR2 is a performance requirement with no check: .*`require NFR2: api\.p99 <= 50 ms`/);
  const stranger = reviewNotebook(nb({ ESTIMATES: ESTIMATES.replace('require NFR2:', 'require NFR9:') }));
  assert.deepEqual(brief(stranger), ['1:5:0 requirement-unchecked', '2:4:8 requirement-not-stated']);
  // A check whose own line has an error (it does not parse, or reads a broken line) is still a check:
  // its error is the finding, not "no check".
  for (const broken of ['require NFR2: read_path <= 200', 'require NFR2: read_path <=', 'require NFR2: read_pth <= 200 ms'])
    assert.deepEqual(brief(reviewNotebook(nb({ ESTIMATES: ESTIMATES.replace('require NFR2: read_path <= 200 ms', broken) }))), [], broken);
  // Security and the other categories are not measured by a model: prose is enough for them.
  assert.ok(!reviewNotebook(nb()).some((f) => f.code === 'requirement-unchecked'));
});
