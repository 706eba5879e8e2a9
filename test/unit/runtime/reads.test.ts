import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../../src/kernels/all';
import { runCells } from '../../../src/runtime/session';
import { DEFAULT_BUDGET } from '../../../src/kernels/types';

const opts = { seed: 1, notebook: {}, budget: DEFAULT_BUDGET, isCancelled: () => false };
const cells = (...specs: [string, string][]) =>
  specs.map(([language, source]) => ({ kind: language === 'markdown' ? ('markdown' as const) : ('code' as const), language, source }));

test('a cell with errors still reports the names it reads, so it turns stale when they change', async () => {
  const runs = await runCells(
    cells(
      ['sdnb-estimate', 'a = 1 s\nrate = 10 req/s'],
      ['sdnb-estimate', 'b = a + 1 GB'],
      [
        'sdnb-gateway',
        'services:\n  api: { instances: 1 }\nroutes:\n  - path: /x\n    service: api\n    bogus: 1\ntraffic:\n  rate: rate\n  requests:\n    - path: /x\n',
      ],
    ),
    [1, 2],
    opts,
  );
  assert.deepEqual(
    runs.map((r) => [r.index, r.ok, r.reads]),
    [
      [1, false, ['a']],
      [2, false, ['rate']],
    ],
  );
});
