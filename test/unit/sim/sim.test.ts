import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Environment,
  EventQueue,
  LogHistogram,
  Rng,
  TimeSeries,
  Welford,
  WeightedChoice,
  Zipf,
  erlangC,
  md1,
  meanCI95,
  nearestRank,
  studentT975,
  ticks,
  TimeAverage,
  describeStop,
  fanOutSlowProbability,
  Budget,
} from '../../../src/kernels/sim';

test('same seed and label give the same stream; labels give different streams', () => {
  const a = new Rng(42, 'arrivals'),
    b = new Rng(42, 'arrivals'),
    c = new Rng(42, 'service');
  const xs = Array.from({ length: 5 }, () => a.nextU32());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b.nextU32()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 5 }, () => c.nextU32()),
  );
  assert.notEqual(new Rng(1).nextU32(), new Rng(2).nextU32());
  // fork does not advance the parent
  const p = new Rng(7),
    q = new Rng(7);
  p.fork('x');
  assert.equal(p.nextU32(), q.nextU32());
});

test('uniform, exponential and normal samples have the right moments', () => {
  const r = new Rng(1, 'moments');
  const u = new Welford(),
    e = new Welford(),
    n = new Welford();
  for (let i = 0; i < 200_000; i++) {
    const x = r.uniform();
    assert.ok(x >= 0 && x < 1);
    u.add(x);
    e.add(r.exponential(2));
    n.add(r.normal(10, 3));
  }
  assert.ok(Math.abs(u.mean - 0.5) < 0.005);
  assert.ok(Math.abs(u.variance - 1 / 12) < 0.002);
  assert.ok(Math.abs(e.mean - 2) < 0.02);
  assert.ok(Math.abs(e.sd - 2) < 0.03);
  assert.ok(Math.abs(n.mean - 10) < 0.03);
  assert.ok(Math.abs(n.sd - 3) < 0.03);
});

test('ziggurat exponential: tail probabilities and CDF match e^-x', () => {
  const r = new Rng(11, 'ziggurat');
  const N = 1_000_000;
  const cuts = [0.1, 0.5, 1, 2, 3, 5, 7.5, 8, 10];
  const above = cuts.map(() => 0);
  for (let i = 0; i < N; i++) {
    const x = r.standardExponential();
    for (let k = 0; k < cuts.length; k++) if (x > cuts[k]) above[k]++;
  }
  cuts.forEach((c, k) => {
    const p = Math.exp(-c),
      se = Math.sqrt((p * (1 - p)) / N);
    assert.ok(Math.abs(above[k] / N - p) < 5 * se + 1e-6, `P(X > ${c}) = ${above[k] / N}, want ${p}`);
  });
});

test('Zipf probabilities follow 1/k^s and samples match them', () => {
  const z = new Zipf(4, 1);
  const h = 1 + 1 / 2 + 1 / 3 + 1 / 4;
  [1, 1 / 2, 1 / 3, 1 / 4].forEach((w, k) => assert.ok(Math.abs(z.probability(k) - w / h) < 1e-12));
  const r = new Rng(3, 'zipf');
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 100_000; i++) counts[z.sample(r)]++;
  counts.forEach((c, k) => assert.ok(Math.abs(c / 100_000 - z.probability(k)) < 0.01, `rank ${k}`));
  const w = new WeightedChoice([0, 3, 1]);
  const wc = [0, 0, 0];
  for (let i = 0; i < 40_000; i++) wc[w.sample(r)]++;
  assert.equal(wc[0], 0);
  assert.ok(Math.abs(wc[1] / 40_000 - 0.75) < 0.01);
});

test('alias tables pick an item from two draws exactly as u < ⌈p·2^32⌉ decides, also where the packed high bits tie', () => {
  // A stand-in stream that returns the bucket draw, then the uniform compared with the bucket's threshold.
  const draws = (bucket: number, u: number) => {
    let k = 0;
    return { nextU32: () => (k++ === 0 ? bucket : u) } as unknown as Rng;
  };
  // Small tables worked by hand (Vose: scaled weights n·w/Σw; a bucket keeps its item below ⌈p·2^32⌉).
  // [1, 2]: bucket 0 keeps 0 with p = 2/3, threshold ⌈2^33 / 3⌉ = 2863311531 (odd: its last bit decides
  // a tie of the high 31 bits), else takes its alias 1; bucket 1 is item 1's own.
  // [1, 3]: threshold 2^31. [0, 1]: an item of weight 0 is never picked. [5]: one item.
  const cases: [number[], number, number, number][] = [
    [[1, 2], 0, 0, 0],
    [[1, 2], 0, 2863311530, 0],
    [[1, 2], 0, 2863311531, 1],
    [[1, 2], 0, 4294967295, 1],
    [[1, 2], 2 ** 31, 0, 1],
    [[1, 3], 0, 2147483647, 0],
    [[1, 3], 0, 2147483648, 1],
    [[0, 1], 0, 0, 1],
    [[5], 4294967295, 4294967295, 0],
  ];
  for (const [weights, bucket, u, item] of cases)
    assert.equal(new WeightedChoice(weights).sample(draws(bucket, u)), item, `${weights} ${bucket} ${u}`);
  // Zipf(100,000, 0.9): at four buckets, the draw one below the threshold keeps the bucket's key and the
  // threshold itself takes the alias; thresholds and aliases as the unpacked (threshold, alias) table
  // of commit fb5b58c drew them.
  const z = new Zipf(100_000, 0.9);
  const zipfCases: [number, number, number][] = [
    [340118461, 3837517219, 7919],
    [340118461, 3837517220, 7918],
    [680236921, 3213624714, 15838],
    [680236921, 3213624715, 0],
    [1020355381, 2231111380, 23757],
    [1020355381, 2231111381, 0],
    [1360473841, 1722187772, 31676],
    [1360473841, 1722187773, 2],
  ];
  for (const [bucket, u, key] of zipfCases) assert.equal(z.sample(draws(bucket, u)), key, `${bucket} ${u}`);
  // And a stream: the first keys the unpacked table drew for this seed.
  const r = new Rng(7, 'zipf-table');
  assert.deepEqual(
    Array.from({ length: 12 }, () => z.sample(r)),
    [60136, 66811, 6769, 85966, 71163, 72644, 87, 106, 10477, 14, 62942, 5901],
  );
});

test('event queue pops by time, then by insertion order for equal times', () => {
  const q = new EventQueue(2);
  const input: [number, number][] = [
    [5, 0],
    [1, 1],
    [5, 2],
    [3, 3],
    [1, 4],
    [5, 5],
    [0, 6],
  ];
  for (const [t, k] of input) q.push(t, k, k * 10);
  const out: [number, number, number][] = [];
  while (q.pop()) out.push([q.poppedTime, q.poppedKind, q.poppedArg]);
  assert.deepEqual(out, [
    [0, 6, 60],
    [1, 1, 10],
    [1, 4, 40],
    [3, 3, 30],
    [5, 0, 0],
    [5, 2, 20],
    [5, 5, 50],
  ]);
});

test('event queue order equals a stable sort by time (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
      const q = new EventQueue(16);
      times.forEach((t, i) => q.push(t, i, 0));
      const got: number[] = [];
      while (q.pop()) got.push(q.poppedKind);
      const want = times
        .map((t, i) => [t, i])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        .map((x) => x[1]);
      assert.deepEqual(got, want);
    }),
  );
});

test('event queue: interleaved pushes and pops, growing past the heap threshold and draining back, keep (time, insertion) order', () => {
  // Pushes are times 0..30 (many ties); a run of pushes grows the queue past 16 events (it becomes a
  // heap) and a run of pops drains it below 4 (an unordered array again), several times over.
  const op = fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(-1));
  fc.assert(
    fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 40 }), { maxLength: 12 }), (bursts) => {
      const q = new EventQueue(4);
      const ref: [number, number][] = [];
      let seq = 0,
        now = 0;
      for (const burst of bursts)
        for (const o of burst) {
          if (o >= 0) {
            q.push(now + o, seq, now + o);
            ref.push([now + o, seq++]);
            continue;
          }
          ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          assert.equal(q.peekTime(), ref.length ? ref[0][0] : Infinity);
          const want = ref.shift();
          assert.equal(q.pop(), want !== undefined);
          if (want) {
            assert.deepEqual([q.poppedTime, q.poppedKind], want);
            now = want[0];
          }
          assert.equal(q.size, ref.length);
        }
    }),
    { numRuns: 300 },
  );
});

test('environment runs handlers in time order on an integer clock', () => {
  const env = new Environment();
  const seen: string[] = [];
  const k = env.on((arg) => seen.push(`${env.now}:${arg}`));
  env.schedule(ticks(0.3), k, 3);
  env.schedule(ticks(0.1), k, 1);
  env.call(ticks(0.2), () => {
    seen.push(`${env.now}:c`);
    env.schedule(ticks(0.1), k, 4); // lands at 0.3 s, after the event scheduled earlier for 0.3 s
  });
  const o = env.run();
  assert.deepEqual(seen, ['100000:1', '200000:c', '300000:3', '300000:4']);
  assert.equal(o.reason, 'drained');
  assert.equal(o.stoppedEarly, false);
  assert.equal(o.events, 4);
});

test('0.1 s added ten times is exactly 1 s on the clock', () => {
  const env = new Environment();
  let n = 0;
  const k = env.on(() => {
    if (++n < 10) env.schedule(ticks(0.1), k);
  });
  env.schedule(ticks(0.1), k);
  env.run();
  assert.equal(env.now, 1_000_000);
});

test('run stops at until, at the event budget, on cancel, and says why', () => {
  const mk = () => {
    const env = new Environment();
    const k = env.on(() => env.schedule(10, k));
    env.schedule(0, k);
    return env;
  };
  const a = mk().run({ until: 1000 });
  assert.equal(a.reason, 'until');
  assert.equal(a.stoppedEarly, false);
  assert.equal(a.events, 101);
  const b = mk().run({ maxEvents: 500 });
  assert.equal(b.reason, 'max-events');
  assert.ok(b.stoppedEarly);
  assert.equal(b.events, 500);
  assert.match(describeStop(b), /event budget/);
  let polls = 0;
  const c = mk().run({ isCancelled: () => ++polls > 2, pollEvery: 100 });
  assert.equal(c.reason, 'cancelled');
  assert.equal(c.events, 300);
  const d = mk().run({ maxWallMs: 0, pollEvery: 10 });
  assert.equal(d.reason, 'wall-time');
});

test('one budget: setup steps and events count against the same limit, across runs', () => {
  const mk = () => {
    const env = new Environment();
    const k = env.on(() => env.schedule(10, k));
    env.schedule(0, k);
    return env;
  };
  const b = new Budget({ maxEvents: 1000 });
  assert.equal(b.spend(300), true); // setup work
  const first = mk().run({ budget: b });
  assert.deepEqual([first.reason, first.events, first.steps, first.maxSteps], ['max-events', 700, 1000, 1000]);
  // a second run (the next replication) on the spent budget stops before its first event
  const second = mk().run({ budget: b });
  assert.deepEqual([second.reason, second.events, second.stoppedEarly], ['max-events', 0, true]);
  assert.equal(b.spend(1), false);
  assert.match(describeStop(first), /event budget \(1,000 steps; setup and per-event work count/);
});

test('work a handler spends brings the next poll nearer: the budget holds between event-loop checks', () => {
  const env = new Environment();
  const b = new Budget({ maxEvents: 10_000, pollEvery: 4096 });
  // each event scans 1,000 items (a balancer over 1,000 instances)
  const k = env.on(() => {
    b.spend(1000);
    env.schedule(1, k);
  });
  env.schedule(0, k);
  const o = env.run({ budget: b });
  assert.equal(o.reason, 'max-events');
  assert.equal(o.events, 10); // 10 events × 1,001 steps reach 10,000; not 4,096 events before the first check
  let polls = 0;
  const c = new Budget({ isCancelled: () => ++polls >= 3, pollEvery: 100 });
  let spent = 0;
  while (c.spend(10)) spent += 10; // a setup loop polls cancellation through spend
  assert.deepEqual([c.reason, spent, polls], ['cancelled', 290, 3]);
});

test('a model stops its run for memory; the outcome says why and the first reason wins', () => {
  const env = new Environment();
  const b = new Budget({ maxEvents: 1e6 });
  let n = 0;
  const k = env.on(() => {
    if (++n === 50) b.stop('memory', 'more than 49 requests in flight');
    env.schedule(1, k);
  });
  env.schedule(0, k);
  const o = env.run({ budget: b });
  assert.deepEqual([o.reason, o.events, o.stoppedEarly], ['memory', 50, true]);
  assert.equal(describeStop(o), 'stopped early: reached the memory ceiling (more than 49 requests in flight)');
  b.stop('wall-time');
  assert.equal(b.reason, 'memory');
  assert.equal(b.remaining, 0);
});

test('a budget that runs out with nothing left to run reports drained or until, not the budget', () => {
  const env = new Environment();
  const k = env.on(() => {});
  for (let i = 0; i < 5; i++) env.schedule(i, k);
  assert.equal(env.run({ maxEvents: 5 }).reason, 'drained');
  const env2 = new Environment();
  const k2 = env2.on(() => {});
  for (let i = 0; i < 6; i++) env2.schedule(i * 100, k2);
  const o = env2.run({ maxEvents: 5, until: 450 });
  assert.deepEqual([o.reason, env2.now], ['until', 450]);
});

test('Welford matches the two-pass mean and variance and merges', () => {
  const xs = [2, 4, 4, 4, 5, 5, 7, 9];
  const w = new Welford();
  xs.forEach((x) => w.add(x));
  assert.equal(w.mean, 5);
  assert.ok(Math.abs(w.variance - 32 / 7) < 1e-12);
  const a = new Welford(),
    b = new Welford();
  xs.slice(0, 3).forEach((x) => a.add(x));
  xs.slice(3).forEach((x) => b.add(x));
  a.merge(b);
  assert.ok(Math.abs(a.mean - 5) < 1e-12 && Math.abs(a.variance - 32 / 7) < 1e-12);
  assert.equal(a.min, 2);
  assert.equal(a.max, 9);
});

test('time average integrates a piecewise-constant level', () => {
  const t = new TimeAverage(0);
  t.set(0, 2);
  t.set(10, 4);
  assert.equal(t.average(20), 3);
});

test('nearest-rank percentile table', () => {
  const xs = [15, 20, 35, 40, 50];
  const cases: [number, number][] = [
    [0, 15],
    [5, 15],
    [30, 20],
    [40, 20],
    [50, 35],
    [100, 50],
  ];
  for (const [p, want] of cases) assert.equal(nearestRank(xs, p), want, `p${p}`);
  assert.equal(nearestRank([3, 1, 2], 50), 2);
  const ten = Array.from({ length: 10 }, (_, i) => i + 1);
  assert.equal(nearestRank(ten, 90), 9); // 0.9*10 is 9.000000000000002 in floating point
  assert.ok(Number.isNaN(nearestRank([], 50)));
});

test('log histogram is exact below 2^p and within the stated error above', () => {
  const h = new LogHistogram(7);
  assert.equal(h.relativeError, 1 / 256);
  for (let v = 1; v <= 100; v++) h.record(v);
  assert.equal(h.percentile(50), 50);
  assert.equal(h.percentile(99), 99);
  assert.equal(h.percentile(100), 100);
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 300 }),
      fc.constantFrom(50, 90, 99, 99.9),
      (xs, p) => {
        const hh = new LogHistogram(7);
        xs.forEach((x) => hh.record(x));
        const exact = nearestRank(xs, p);
        assert.ok(Math.abs(hh.percentile(p) - exact) <= exact * hh.relativeError + 0.5, `p${p} exact ${exact} got ${hh.percentile(p)}`);
      },
    ),
  );
  const big = new LogHistogram(7);
  big.record(2 ** 50 + 12345);
  assert.ok(Math.abs(big.percentile(50) - (2 ** 50 + 12345)) / 2 ** 50 < 1 / 256);
});

test('time series keeps a fixed number of buckets by doubling their width', () => {
  const ts = new TimeSeries(2, 10, 4);
  ts.add(5, 0);
  ts.add(15, 0);
  ts.add(35, 1, 7);
  assert.deepEqual(
    ts.rows().map((r) => r.values),
    [
      [1, 0],
      [1, 0],
      [0, 0],
      [0, 7],
    ],
  );
  ts.add(45, 0); // past 4 buckets of 10: width doubles to 20
  assert.equal(ts.width, 20);
  assert.deepEqual(
    ts.rows().map((r) => [r.start, ...r.values]),
    [
      [0, 2, 0],
      [20, 0, 7],
      [40, 1, 0],
    ],
  );
});

test('Student t critical values and the 95% interval', () => {
  assert.equal(studentT975(1), 12.706);
  assert.equal(studentT975(19), 2.093);
  assert.ok(Math.abs(studentT975(60) - 2.0003) < 1e-3);
  assert.ok(Math.abs(studentT975(120) - 1.9799) < 1e-3);
  const ci = meanCI95([1, 2, 3, 4, 5]);
  assert.equal(ci.mean, 3);
  assert.ok(Math.abs(ci.halfWidth - (2.776 * Math.sqrt(2.5)) / Math.sqrt(5)) < 1e-12);
});

test('closed forms: Erlang C, M/D/1, fan-out', () => {
  const m1 = erlangC(0.9, 1, 1)!;
  assert.ok(Math.abs(m1.wq - 9) < 1e-12 && Math.abs(m1.w - 10) < 1e-12 && Math.abs(m1.pWait - 0.9) < 1e-12);
  const m2 = erlangC(1, 1, 2)!; // a = 1, c = 2: C = 1/3, Wq = 1/3
  assert.ok(Math.abs(m2.pWait - 1 / 3) < 1e-12 && Math.abs(m2.wq - 1 / 3) < 1e-12);
  assert.equal(erlangC(2, 1, 2), undefined);
  assert.ok(Math.abs(md1(0.5, 1)!.wq - 0.5) < 1e-12);
  assert.ok(Math.abs(fanOutSlowProbability(0.01, 100) - 0.634) < 1e-3);
});
