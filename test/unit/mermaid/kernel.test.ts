// The mermaid kernel's structural checks: each case gives the source and the exact diagnostics
// (zero-based line, column, length, code) it must produce.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MERMAID_MIME, mermaidFence, mermaidKernel } from '../../../src/kernels/mermaid';
import { closestKeyword } from '../../../src/kernels/mermaid/diagramTypes';
import { DEFAULT_BUDGET, ExecContext, MARKDOWN_MIME, ParseContext } from '../../../src/kernels/types';

const ctx: ParseContext = { cellIndex: 0, scope: { get: () => undefined, names: () => [] } };

type Expected = [line: number, column: number, length: number, code: string];
const at = (source: string): Expected[] =>
  mermaidKernel
    .parse(source, ctx)
    .diagnostics.map((d) => [d.range.start.line, d.range.start.column, d.range.end.column - d.range.start.column, d.code ?? '']);

const cases: [name: string, source: string, expected: Expected[]][] = [
  ['valid flowchart', 'flowchart TD\n  A[Start] --> B{Ok?}\n  B -->|yes| C((Done))', []],
  ['valid sequence', 'sequenceDiagram\n  A->>B: hi (there', []],
  ['empty', '', [[0, 0, 0, 'empty-diagram']]],
  ['only comments', '%% nothing\n\n', [[0, 0, 10, 'empty-diagram']]],
  ['empty after front matter', '---\ntitle: T\n---\n', [[3, 0, 0, 'empty-diagram']]],
  ['unterminated front matter', '---\ntitle: T\nflowchart TD', [[0, 0, 3, 'unterminated-front-matter']]],
  ['unterminated directive', '%%{init: {"theme": "dark"}\nflowchart TD', [[0, 0, 3, 'unterminated-directive']]],
  ['typo keyword', 'flowchar TD\n  A --> B', [[0, 0, 8, 'unknown-diagram-type']]],
  [
    'typo after front matter, init and comment',
    '---\ntitle: x\n---\n%%{init: {}}%%\n%% note\n  sequenceDiagrm\n',
    [[5, 2, 14, 'unknown-diagram-type']],
  ],
  ['lowercase direction', 'graph td\n A-->B', [[0, 6, 2, 'unknown-direction']]],
  ['unknown direction', 'flowchart XY\n A-->B', [[0, 10, 2, 'unknown-direction']]],
  ['unclosed square', 'flowchart LR\n  A[Start --> B', [[1, 3, 1, 'unbalanced-bracket']]],
  ['stray close', 'flowchart LR\n  A --> B)', [[1, 9, 1, 'unbalanced-bracket']]],
  ['mismatched', 'flowchart LR\n  A(Start] --> B', [[1, 9, 1, 'unbalanced-bracket']]],
  ['asymmetric shape is fine', 'flowchart LR\n  A>Flag] --> B', []],
  ['brackets in quotes are fine', 'flowchart LR\n  A["a ) ] }"] --> B', []],
  ['brackets in edge labels are fine', 'flowchart LR\n  A -->|x (y| B', []],
  ['unclosed edge label', 'flowchart LR\n  A -->|x B', [[1, 7, 1, 'unbalanced-pipe']]],
  ['multi-line string', 'flowchart LR\n  A["one\n  two"] --> B', []],
  ['unterminated string', 'flowchart LR\n  A["one] --> B', [[1, 4, 1, 'unterminated-string']]],
  ['comments are skipped', 'flowchart LR\n  %% A[ not code\n  A --> B %% trailing (', []],
  [
    'one problem per line',
    'flowchart LR\n  A[ --> B[\n  C) --> D',
    [
      [1, 10, 1, 'unbalanced-bracket'],
      [2, 3, 1, 'unbalanced-bracket'],
    ],
  ],
];

describe('mermaid kernel parse', () => {
  for (const [name, source, expected] of cases) {
    it(name, () => assert.deepEqual(at(source), expected));
  }

  it('suggests the closest diagram type', () => {
    const [d] = mermaidKernel.parse('sequenceDiagrm', ctx).diagnostics;
    assert.match(d.message, /Did you mean `sequenceDiagram`\?/);
    // The rule every kernel's "did you mean" follows (src/kernels/suggest.ts): case-only misses first, transpositions one step.
    const table: [string, string | undefined][] = [
      ['architecure-beta', 'architecture-beta'],
      ['classdiagram', 'classDiagram'],
      ['seqeunceDiagram', 'sequenceDiagram'],
      ['flowchrt', 'flowchart'],
      ['zzzzzzzz', undefined],
      ['pi', 'pie'],
    ];
    for (const [typo, keyword] of table) assert.equal(closestKeyword(typo), keyword, typo);
  });

  it('accepts every diagram type keyword mermaid 12.3 detects', () => {
    for (const k of [
      'C4Context',
      'gitGraph TB:',
      'pie title X',
      'xychart-beta',
      'architecture-beta',
      'treemap-beta',
      'usecase-beta',
      'railroad-peg-beta',
      'ishikawa-beta',
      'eventmodeling',
    ]) {
      assert.deepEqual(at(k), [], k);
    }
  });

  it('warns when the source is longer than mermaid draws', () => {
    const d = mermaidKernel.parse('sequenceDiagram\n' + '%% x\n'.repeat(10_001), ctx).diagnostics;
    assert.deepEqual(
      d.map((x) => [x.severity, x.code]),
      [['warning', 'too-large']],
    );
    assert.ok(mermaidKernel.parse('sequenceDiagram\n' + '%% x\n'.repeat(10_001), ctx).parsed, 'a warning does not stop execution');
  });

  it('returns no parse result when there is an error', () => {
    assert.equal(mermaidKernel.parse('nope', ctx).parsed, undefined);
  });

  it('completes diagram types on the first line only', () => {
    assert.ok(mermaidKernel.complete!('', { line: 0, column: 0 }, ctx).some((c) => c.label === 'architecture-beta'));
    assert.deepEqual(mermaidKernel.complete!('flowchart TD\n  A', { line: 1, column: 3 }, ctx), []);
  });
});

describe('mermaid kernel execute', () => {
  const exec: ExecContext = { ...ctx, seed: 1, budget: DEFAULT_BUDGET, isCancelled: () => false, notebook: {} };

  it('emits the rich mermaid item and a mermaid fence fallback', async () => {
    const source = 'flowchart TD\n  A --> B';
    const parsed = mermaidKernel.parse(source, ctx).parsed!;
    const r = await mermaidKernel.execute(parsed, exec);
    assert.equal(r.ok, true);
    assert.deepEqual(r.outputs, [{ items: { [MERMAID_MIME]: { source }, [MARKDOWN_MIME]: '```mermaid\nflowchart TD\n  A --> B\n```' } }]);
    assert.equal(MERMAID_MIME, 'application/vnd.sdnb.mermaid+json');
  });

  it('lengthens the fence only when a line of the source could close it (CommonMark)', () => {
    assert.equal(mermaidFence('flowchart TD\n  A["```"]'), '```mermaid\nflowchart TD\n  A["```"]\n```');
    assert.equal(mermaidFence('flowchart TD\n   ````\n  A'), '`````mermaid\nflowchart TD\n   ````\n  A\n`````');
  });
});
