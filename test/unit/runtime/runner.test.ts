// ThreadRunner with scripted threads in this process: what the web's runner relies on (a thread
// that cannot be told to stop, a script that fails to load) and what every runner needs (late
// messages from an ended thread, queued runs stopped before they start). worker.test.ts runs the
// same class over a real Node worker thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './fixtures/testKernels';
import { RunRequest, WorkerMessage } from '../../../src/runtime/protocol';
import { KernelThread, STOP_GRACE_MS, ThreadEvents, ThreadRunner, reportingFailures } from '../../../src/runtime/runner';
import { serveRun } from '../../../src/runtime/serve';
import { CellRun } from '../../../src/runtime/session';
import { DEFAULT_BUDGET } from '../../../src/kernels/types';

interface Fake extends KernelThread {
  events: ThreadEvents;
  posted: RunRequest[];
  cancelled: boolean[];
  terminated: number;
}

/** A runner whose n-th thread answers requests with `scripts[n]` (the last one for later threads). */
function scripted(...scripts: ((req: RunRequest, t: Fake) => void)[]) {
  const threads: Fake[] = [];
  const runner = new ThreadRunner((events) => {
    const script = scripts[Math.min(threads.length, scripts.length - 1)];
    const t: Fake = {
      events,
      posted: [],
      cancelled: [],
      terminated: 0,
      post: (req) => {
        t.posted.push(req);
        script(req, t);
      },
      setCancelled: (c) => t.cancelled.push(c),
      terminate: () => t.terminated++,
    };
    threads.push(t);
    return t;
  });
  return { runner, threads };
}

const cellRun = (index: number): CellRun => ({ index, ok: true, outputs: [], durationMs: 0, reads: [], inputs: {}, definitions: [] });
/** Answers at once: each cell starts and ends, then the run is done. */
const answers = (req: RunRequest, t: Fake) => {
  for (const i of req.run) {
    t.events.message({ type: 'start', id: req.id, index: i });
    t.events.message({ type: 'end', id: req.id, run: cellRun(i) });
  }
  t.events.message({ type: 'done', id: req.id });
};
/** Starts the first cell and never finishes: a runaway kernel. */
const hangs = (req: RunRequest, t: Fake) => t.events.message({ type: 'start', id: req.id, index: req.run[0] });
const input = {
  cells: [{ kind: 'code' as const, language: 'test-echo', source: '' }],
  run: [0],
  seed: 1,
  notebook: {},
  budget: DEFAULT_BUDGET,
  stopOnFirstFailure: false,
};

function record() {
  const seen: string[] = [];
  return { seen, handlers: { onStart: (i: number) => seen.push(`start ${i}`), onEnd: (r: CellRun) => seen.push(`end ${r.index}`) } };
}

test('a thread that cannot be told to stop (no shared memory) is ended after the grace period, and the next run starts a new one', async () => {
  const { runner, threads } = scripted(hangs, answers);
  const first = record();
  const a = runner.run(input, first.handlers);
  await new Promise((r) => setTimeout(r, 10));
  const t0 = performance.now();
  a.stop();
  assert.deepEqual(await a.done, { outcome: 'stopped', message: undefined });
  const waited = performance.now() - t0;
  assert.ok(waited >= STOP_GRACE_MS - 5 && waited < STOP_GRACE_MS + 150, `${waited.toFixed(0)} ms`);
  assert.deepEqual(first.seen, ['start 0']);
  assert.deepEqual(threads[0].cancelled, [false, true]);
  assert.equal(threads[0].terminated, 1);
  const second = record();
  assert.equal((await runner.run(input, second.handlers).done).outcome, 'done');
  assert.deepEqual(second.seen, ['start 0', 'end 0']);
  assert.equal(threads.length, 2);
  runner.dispose();
  assert.equal(threads[1].terminated, 1);
});

test('a thread that fails to start fails the run with the reason, and the next run tries again', async () => {
  let attempts = 0;
  const runner = new ThreadRunner((events) => {
    if (attempts++ === 0) throw new Error('dist/web/worker.js is missing from the extension');
    return { post: (req) => answers(req, { events } as Fake), setCancelled() {}, terminate() {} };
  });
  assert.deepEqual(await runner.run(input, record().handlers).done, {
    outcome: 'crashed',
    message: 'the kernel worker could not start: dist/web/worker.js is missing from the extension',
  });
  assert.equal((await runner.run(input, record().handlers).done).outcome, 'done');
  assert.equal(attempts, 2);
});

test('a thread that crashes fails the run it was running; its later messages reach no one', async () => {
  const { runner, threads } = scripted(hangs, answers);
  const first = record();
  const a = runner.run(input, first.handlers);
  await new Promise((r) => setTimeout(r, 10));
  threads[0].events.crashed('the kernel worker crashed: out of memory');
  assert.deepEqual(await a.done, { outcome: 'crashed', message: 'the kernel worker crashed: out of memory' });
  const second = record();
  const b = runner.run(input, second.handlers);
  assert.equal((await b.done).outcome, 'done');
  // The dead thread speaks again, with the second run's id: nobody listens to it any more.
  threads[0].events.message({ type: 'end', id: threads[1].posted[0].id, run: cellRun(7) });
  threads[0].events.crashed('late');
  assert.deepEqual(first.seen, ['start 0']);
  assert.deepEqual(second.seen, ['start 0', 'end 0']);
});

test('a queued run stopped before its turn never reaches the thread', async () => {
  let release!: () => void;
  const { runner, threads } = scripted((req, t) => {
    t.events.message({ type: 'start', id: req.id, index: 0 });
    new Promise<void>((r) => (release = r)).then(() => answers(req, t));
  }, answers);
  const a = runner.run(input, record().handlers);
  const b = runner.run(input, record().handlers);
  b.stop();
  await new Promise((r) => setTimeout(r, 10));
  release();
  assert.equal((await a.done).outcome, 'done');
  assert.deepEqual(await b.done, { outcome: 'stopped' });
  assert.equal(threads.length, 1);
  assert.equal(threads[0].posted.length, 1);
});

test('serveRun (the worker side) reports each cell, then done; a raised flag stops before the next cell', async () => {
  const cells = ['test-echo', 'test-echo'].map((language) => ({ kind: 'code' as const, language, source: '' }));
  const req: RunRequest = { ...input, cells, run: [0, 1], type: 'run', id: 9 };
  const sent: WorkerMessage[] = [];
  await serveRun(req, new Int32Array(1), (m) => sent.push(m));
  assert.deepEqual(
    sent.map((m) => `${m.type}${'index' in m ? ` ${m.index}` : 'run' in m ? ` ${m.run.index}` : ''}`),
    ['start 0', 'end 0', 'start 1', 'end 1', 'done'],
  );
  assert.ok(sent.every((m) => 'id' in m && m.id === 9));
  const raised = new Int32Array([1]);
  const stopped: WorkerMessage[] = [];
  await serveRun(req, raised, (m) => stopped.push(m));
  assert.deepEqual(stopped, [{ type: 'done', id: 9 }]);
});

test('reportingFailures reports a run of several cells once, with every failed cell; one cell, a clean run or a stopped run report nothing', async () => {
  const outcome = (ok: boolean[]) => (req: RunRequest, t: Fake) => {
    for (const i of req.run) t.events.message({ type: 'end', id: req.id, run: { ...cellRun(i), ok: ok[i] } });
    t.events.message({ type: 'done', id: req.id });
  };
  const reports: [number[], number][] = [];
  const report = (failed: CellRun[], ran: number) => reports.push([failed.map((r) => r.index), ran]);
  const three = { ...input, cells: [0, 1, 2].map(() => input.cells[0]), run: [0, 1, 2] };

  const ended: number[] = [];
  const failing = reportingFailures(scripted(outcome([false, true, false])).runner, report);
  assert.equal((await failing.run(three, { onStart() {}, onEnd: (r) => ended.push(r.index) }).done).outcome, 'done');
  assert.deepEqual(ended, [0, 1, 2], 'the cells still reach the handlers');
  assert.deepEqual(reports, [[[0, 2], 3]]);

  await reportingFailures(scripted(outcome([true, true, true])).runner, report).run(three, record().handlers).done;
  await reportingFailures(scripted(outcome([false])).runner, report).run(input, record().handlers).done;
  const stopped = reportingFailures(scripted(outcome([false, false, false])).runner, report).run(three, record().handlers);
  stopped.stop();
  assert.equal((await stopped.done).outcome, 'stopped');
  assert.deepEqual(reports, [[[0, 2], 3]]);
});
