// Pure helpers the webviews use: mapping mermaid's error positions back to the cell (front matter,
// %%{init}%% and comment offsets), theme choice from body classes, and zoom math.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stripForParser } from '../../../src/kernels/mermaid/source';
import { diagramErrorFrom, formatPosition } from '../../../webview/shared/errorPosition';
import { mermaidThemeFor, themeKindFromClasses } from '../../../webview/shared/theme';
import { PAN_STEP, PAN_STEP_LARGE, keyPan, panBy, zoomAt } from '../../../webview/shared/zoom';
import { diagramKindName, suggestedName } from '../../../webview/shared/exportDiagram';

const jison = (line1: number, col0: number, message = `Parse error on line ${line1}:\n...`) =>
  Object.assign(new Error(message), { hash: { loc: { first_line: line1, first_column: col0 } } });
const langium = (line1: number, col1: number) =>
  Object.assign(new Error('Parsing failed'), {
    result: { parserErrors: [{ token: { startLine: line1, startColumn: col1 } }], lexerErrors: [] },
  });

describe('stripForParser', () => {
  it('strips what mermaid strips', () => {
    const s = stripForParser('---\ntitle: T\n---\n%%{init: {"theme":"dark"}}%%\n%% c\nflowchart TD\n  A --> B');
    assert.equal(s.text, 'flowchart TD\n  A --> B');
  });
  it('keeps comment lines for diagrams that parse them', () => {
    assert.equal(stripForParser('eventmodeling\n%% c\ntf 01 evt X').text, 'eventmodeling\n%% c\ntf 01 evt X');
  });
  it('maps line and column back through CRLF and interior comments', () => {
    const s = stripForParser('flowchart TD\r\n%% c\r\n  A --> B\r\n  B --> C');
    assert.deepEqual(s.toCell(2, 2), { line: 2, column: 2 });
    assert.deepEqual(s.toCell(3, 8), { line: 3, column: 8 });
  });
});

describe('diagramErrorFrom', () => {
  const cases: [name: string, source: string, err: unknown, line: number, column: number][] = [
    ['jison, no prelude', 'flowchart TD\n  A[x --> B', jison(2, 4), 1, 4],
    ['jison after front matter', '---\ntitle: T\n---\nflowchart TD\n  A[x --> B', jison(2, 4), 4, 4],
    ['jison after front matter and init', '---\ntitle: T\n---\n%%{init: {"theme":"forest"}}%%\nflowchart TD\n  A[x', jison(2, 4), 5, 4],
    ['multi-line init and blank lines', '%%{init: {\n  "theme": "dark"\n}}%%\n\nsequenceDiagram\n  A->>', jison(2, 5), 5, 5],
    ['langium, one-based column', 'pie\n  "a" : x', langium(2, 9), 1, 8],
    ['langium at end of input', '---\nt: 1\n---\npacket\n  0-1: "a"\n', langium(-1, -1), 4, 10],
    [
      'langium: the earliest of lexer and parser errors',
      '---\nt: 1\n---\narchitecture-beta\n  service db(database)[DB',
      Object.assign(new Error('x'), {
        result: { lexerErrors: [{ line: 2, column: 23 }], parserErrors: [{ token: { startLine: 2, startColumn: 24 } }] },
      }),
      4,
      22,
    ],
    ['message only', '---\nt: 1\n---\ngantt\n  x', new Error('Parse error on line 2: bad'), 4, 0],
    ['no position', '%% c\nflowchart TD', new Error('boom'), 1, 0],
  ];
  for (const [name, source, err, line, column] of cases) {
    it(name, () => {
      const e = diagramErrorFrom(err, source);
      assert.deepEqual([e.line, e.column], [line, column]);
    });
  }
  it("rewrites jison's line number to the cell's", () => {
    const e = diagramErrorFrom(jison(2, 4), '---\ntitle: T\n---\nflowchart TD\n  A[x --> B');
    assert.match(e.message, /^Parse error on line 5:/);
    assert.equal(formatPosition(e), '5:5');
  });
  it('shortens UnknownDiagramError and points at the first diagram line', () => {
    const err = Object.assign(new Error('No diagram type detected matching given configuration for text: ...'), {
      name: 'UnknownDiagramError',
    });
    const e = diagramErrorFrom(err, '---\nt: 1\n---\n\nflowchar TD');
    assert.deepEqual([e.line, e.column], [4, 0]);
    assert.match(e.message, /^No diagram type detected/);
  });
});

describe('theme', () => {
  const cases: [string[], string, string][] = [
    [['vscode-light'], 'light', 'default'],
    [['vscode-dark'], 'dark', 'dark'],
    [['vscode-high-contrast'], 'hc-dark', 'base'],
    [['vscode-high-contrast', 'vscode-high-contrast-light'], 'hc-light', 'base'],
    [[], 'light', 'default'],
  ];
  for (const [classes, kind, theme] of cases) {
    it(`${classes.join(' ') || '(none)'} -> ${kind}`, () => {
      assert.equal(themeKindFromClasses(classes), kind);
      assert.equal(mermaidThemeFor(themeKindFromClasses(classes)).theme, theme);
    });
  }
  it('high contrast light is light, high contrast is dark', () => {
    assert.equal(mermaidThemeFor('hc-light').themeVariables!.darkMode, false);
    assert.equal(mermaidThemeFor('hc-dark').themeVariables!.darkMode, true);
  });
});

describe('zoom', () => {
  it('keeps the point under the cursor fixed', () => {
    const s = zoomAt({ scale: 1, x: 0, y: 0 }, 2, 100, 50);
    assert.deepEqual(s, { scale: 2, x: -100, y: -50 });
    // The content point under (100, 50) is still (100, 50).
    assert.equal((100 - s.x) / s.scale, 100);
  });
  it('clamps the scale', () => {
    assert.equal(zoomAt({ scale: 8, x: 0, y: 0 }, 4, 0, 0).scale, 10);
    assert.equal(zoomAt({ scale: 0.2, x: 0, y: 0 }, 0.1, 0, 0).scale, 0.1);
  });
  it('pans without changing the scale', () => {
    assert.deepEqual(panBy({ scale: 2, x: 5, y: 5 }, -10, 20), { scale: 2, x: -5, y: 25 });
  });
  it('arrow keys pan the view that way (the drawing moves the other way); Shift takes a larger step; other keys do not pan', () => {
    const cases: [string, boolean, { dx: number; dy: number } | undefined][] = [
      ['ArrowRight', false, { dx: -PAN_STEP, dy: 0 }],
      ['ArrowLeft', false, { dx: PAN_STEP, dy: 0 }],
      ['ArrowDown', false, { dx: 0, dy: -PAN_STEP }],
      ['ArrowUp', true, { dx: 0, dy: PAN_STEP_LARGE }],
      ['+', false, undefined],
      ['Enter', false, undefined],
    ];
    for (const [key, shift, want] of cases) assert.deepEqual(keyPan(key, shift), want, key);
    assert.deepEqual([PAN_STEP, PAN_STEP_LARGE], [40, 200]);
  });
});

describe('export file names', () => {
  it('uses the title, else the diagram type', () => {
    assert.equal(suggestedName('---\ntitle: Order flow / v2\n---\nflowchart TD'), 'Order-flow-v2');
    assert.equal(suggestedName('flowchart TD\n A-->B', 'flowchart-v2'), 'flowchart');
    assert.deepEqual(
      ['flowchart-v2', 'sequence', 'classDiagram', 'stateDiagram', 'er', 'architecture', 'mindmap', 'xychart'].map(diagramKindName),
      ['flowchart', 'sequence-diagram', 'class-diagram', 'state-diagram', 'er-diagram', 'architecture-diagram', 'mindmap', 'xychart'],
    );
    assert.equal(suggestedName('pie title "Pets"'), 'Pets');
  });
});
