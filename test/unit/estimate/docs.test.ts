// docs/estimate.md stays true: in every estimate example, a line whose comment starts with a digit
// shows exactly that value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCell, tableRows } from './helpers';

const doc = readFileSync('docs/estimate.md', 'utf8');
const blocks = [...doc.matchAll(/^```estimate\n([\s\S]*?)^```/gm)].map((m) => m[1]);

test('docs/estimate.md: the values in example comments are the values shown', () => {
  let checked = 0;
  for (const source of blocks) {
    const r = runCell(source);
    const rows = r.outputs.flatMap((o, i) =>
      o.items['application/vnd.sdnb.estimate+json'] ? tableRows({ ...r, outputs: r.outputs.slice(i) }) : [],
    );
    for (const line of source.split('\n')) {
      const m = /^(\w+)\s*=.*#\s*(\d.*?)\s*$/.exec(line);
      if (!m) continue;
      const row = rows.find((x) => x[0] === m[1]);
      assert.equal(row?.[1], m[2], line);
      checked++;
    }
  }
  assert.ok(checked >= 8, `only ${checked} commented values`);
});
