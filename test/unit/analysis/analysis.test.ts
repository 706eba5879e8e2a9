import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../../src/kernels/all';
import { AnalysisCell, NotebookAnalysis } from '../../../src/analysis/analysis';

const est = (source: string, key?: string, version = 1): AnalysisCell => ({
  kind: 'code',
  language: 'sdnb-estimate',
  source,
  key,
  version,
});
const md = (source: string, key?: string): AnalysisCell => ({ kind: 'markdown', language: 'markdown', source, key, version: 1 });
const gw = (source: string, key?: string): AnalysisCell => ({ kind: 'code', language: 'sdnb-gateway', source, key, version: 1 });

const GATEWAY =
  'services:\n  api: { instances: 2 }\nroutes:\n  - path: /x\n    service: api\ntraffic:\n  rate: peak\n  duration: 1 s\n  requests:\n    - path: /x\n';

test('names flow down: each cell sees the definitions above it, the latest first', () => {
  const a = new NotebookAnalysis().update([est('x = 1 s', 'a'), est('x = 2 s\ny = x * 2', 'b'), est('z = y + x', 'c')]);
  assert.equal(a.scopeAt(1).get('x')?.quantity.value, 1);
  assert.equal(a.scopeAt(2).get('x')?.quantity.value, 2);
  assert.equal(a.scopeAt(2).get('y')?.quantity.value, 4);
  assert.equal(a.cell(2)!.defines[0].quantity.value, 6);
  assert.deepEqual(a.scopeAt(0).names(), []);
  assert.deepEqual(a.scopeAt(3).names().sort(), ['x', 'y', 'z']);
  assert.deepEqual(
    a.definitions().map((d) => [d.name, d.cellIndex]),
    [
      ['x', 1],
      ['y', 1],
      ['z', 2],
    ],
  );
});

test('an edit re-analyses only the cell and the cells that read what changed', () => {
  const cells = [
    est('a = 1 req/s', 'k0'),
    md('prose', 'k1'),
    est('b = a * 2', 'k2'),
    est('c = 5 GB', 'k3'),
    gw(GATEWAY.replace('peak', 'b'), 'k4'),
    est('d = c * 2', 'k5'),
  ];
  const a = new NotebookAnalysis().update(cells);
  assert.deepEqual(a.lastUpdate, { analysed: 6, reused: 0 });
  a.update(cells);
  assert.deepEqual(a.lastUpdate, { analysed: 0, reused: 6 });
  // A new value of `a`: the cell, `b` and the gateway cell that reads `b` are analysed again.
  cells[0] = est('a = 3 req/s', 'k0', 2);
  a.update(cells);
  assert.deepEqual(a.lastUpdate, { analysed: 3, reused: 3 });
  assert.equal(a.cell(2)!.defines[0].quantity.value, 6);
  // An edit that leaves the definitions as they were stops there.
  cells[0] = est('a = 3 req/s  ', 'k0', 3);
  a.update(cells);
  assert.deepEqual(a.lastUpdate, { analysed: 1, reused: 5 });
});

test('a name defined later above a cell that could not find it re-analyses that cell', () => {
  const cells = [est('', 'k0'), est('y = missing * 2', 'k1')];
  const a = new NotebookAnalysis().update(cells);
  assert.match(a.cell(1)!.diagnostics[0].message, /missing/);
  cells[0] = est('missing = 21', 'k0', 2);
  a.update(cells);
  assert.deepEqual(a.cell(1)!.diagnostics, []);
  assert.equal(a.cell(1)!.defines[0].quantity.value, 42);
});

test('a name whose line has an error: the cells below are told where the error is, not that the name is unknown', () => {
  const cases: [string, string, string][] = [
    ['peak = 10 req/s * 3 fo', 'x = peak * 2', '`peak` has no value: line 1 of cell 1 has an error'],
    ['dau = 1M fo\npeak = dau / 1 day', 'x = peak * 2', '`peak` has no value: it reads `dau`, and line 1 of cell 1 has an error'],
    [
      'dau = 1M fo\nhourly = dau / 1 h\npeak = hourly * 2',
      'x = peak * 2',
      '`peak` has no value: it reads `hourly`, which depends on the error on line 1 of cell 1',
    ],
    // Assigned again with a value below the broken line: the name has that value.
    ['peak = 3 fo\npeak = 2 req/s', 'x = peak * 2', ''],
    // Never assigned: still unknown.
    ['peak = 3 req/s', 'x = peek * 2', 'unknown name `peek`; did you mean `peak`?'],
  ];
  for (const [above, below, message] of cases) {
    const a = new NotebookAnalysis().update([est(above), est(below)]);
    assert.deepEqual(
      a.cell(1)!.diagnostics.map((d) => d.message),
      message ? [message] : [],
      above,
    );
  }
});

test('fixing the broken line above re-analyses the cell that read its name; moving the error changes the message', () => {
  const cells = [est('dau = 1M fo\npeak = dau / 1 day', 'k0'), est('x = peak * 2', 'k1')];
  const a = new NotebookAnalysis().update(cells);
  cells[0] = est('\ndau = 1M fo\npeak = dau / 1 day', 'k0', 2);
  a.update(cells);
  assert.deepEqual(
    a.cell(1)!.diagnostics.map((d) => d.message),
    ['`peak` has no value: it reads `dau`, and line 2 of cell 1 has an error'],
  );
  cells[0] = est('dau = 1M users\npeak = dau / 1 day', 'k0', 3);
  a.update(cells);
  assert.deepEqual(a.cell(1)!.diagnostics, []);
  assert.equal(a.cell(1)!.defines[0].expression, 'peak * 2');
});

test('moving a cell re-analyses what its place changes', () => {
  const a = new NotebookAnalysis().update([est('x = 1', 'k0'), est('y = x + 1', 'k1')]);
  assert.equal(a.cell(1)!.defines[0].quantity.value, 2);
  a.update([est('y = x + 1', 'k1'), est('x = 1', 'k0')]);
  assert.equal(a.cell(0)!.defines.length, 0);
  assert.match(a.cell(0)!.diagnostics[0].message, /x/);
});

test('dependents and precedents follow the names cells read, transitively', () => {
  const a = new NotebookAnalysis().update([
    est('a = 1'),
    est('b = a + 1'),
    md('x'),
    est('c = b + 1'),
    est('d = 7'),
    gw(GATEWAY.replace('peak', 'c * 1 req/s')),
  ]);
  assert.deepEqual(a.dependents(0), [1, 3, 5]);
  assert.deepEqual(a.dependents(4), []);
  assert.deepEqual(a.precedents(5), [0, 1, 3]);
  assert.deepEqual(a.precedents(0), []);
});

test('uses: where names are defined and read, in estimate and model cells', () => {
  const a = new NotebookAnalysis().update([est('peak = 100 req/s\nhalf = peak / 2'), gw(GATEWAY.replace('peak', '"peak * 2"'))]);
  const uses = a.usesOf('peak').map((u) => [u.cell, u.use.role, u.use.range.start.line, u.use.range.start.column, u.use.range.end.column]);
  assert.deepEqual(uses, [
    [0, 'define', 0, 0, 4],
    [0, 'read', 1, 7, 11],
    [1, 'read', 6, 9, 13],
  ]);
});

test("uses: a name in a power before units and in a requirement's limit is a read (rename and references find it)", () => {
  const a = new NotebookAnalysis().update([
    est('depth = 33\nbudget = 40 ms'),
    est('mem = 2^depth B\nlat = 30 ms\nrequire NFR1: lat <= budget'),
  ]);
  const at = (name: string) => a.usesOf(name).map((u) => [u.cell, u.use.role, u.use.range.start.line, u.use.range.start.column]);
  assert.deepEqual(at('depth'), [
    [0, 'define', 0, 0],
    [1, 'read', 0, 8],
  ]);
  assert.deepEqual(at('budget'), [
    [0, 'define', 1, 0],
    [1, 'read', 2, 21],
  ]);
  // editing the limit's name re-runs the requirement's cell
  assert.deepEqual(a.dependents(0), [1]);
});

test('a declared unit is a name: its declaration and the quantities that use it', () => {
  const a = new NotebookAnalysis().update([est('unit gizmo'), est('n = 5 gizmo/s\nm = n -> gizmo/day')]);
  assert.deepEqual(
    a.usesOf('gizmo').map((u) => [u.cell, u.use.role, u.use.range.start.line, u.use.range.start.column]),
    [
      [0, 'define', 0, 5],
      [1, 'read', 0, 6],
      [1, 'read', 1, 9],
    ],
  );
});

test('a cell with no kernel is a warning, and markdown is not analysed', () => {
  const a = new NotebookAnalysis().update([md('# T'), { kind: 'code', language: 'python', source: 'print(1)' }]);
  assert.equal(a.cell(0)!.parse, undefined);
  assert.deepEqual(
    a.cell(1)!.diagnostics.map((d) => [d.severity, d.code]),
    [['warning', 'no-kernel']],
  );
});
