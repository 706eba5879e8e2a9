// Big sweeps across machines with no engine of our own: `sdnb sweep FILE --shard I/N --json` runs
// one deterministic share of every sweep's points (point k goes to shard k mod N), and
// `sdnb merge SHARD.json…` runs the notebook again with the shards' points in place of its own, so
// its report is byte for byte the report of one unsharded run. A GitHub Actions matrix or a
// Kubernetes Indexed Job runs the shards.
import type { PointRun } from '../kernels/types';
import { servePoint, type RunOptions, type SweepJob } from '../runtime/session';

/** One point as a shard file holds it (a PointRun with its closed form's values as entries, for JSON). */
export interface ShardPoint {
  cell: number;
  k: number;
  value: number;
  run: Omit<PointRun, 'closedForm'> & { closedForm?: { name: string; values: [string, number][] } };
}

export interface ShardFile {
  sdnbShard: 1;
  file: string;
  seed: number;
  shard: { index: number; count: number };
  points: ShardPoint[];
}

/** `2/4` → shard 2 of 4 (1-based), or why not. */
export function parseShard(text: string): { index: number; count: number } | string {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return `--shard takes I/N, e.g. 2/4 (got '${text}')`;
  const index = Number(m[1]),
    count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return `--shard ${text}: I must be from 1 to N`;
  return { index, count };
}

const toJson = (cell: number, k: number, run: PointRun): ShardPoint => {
  const { closedForm, ...rest } = run;
  return {
    cell,
    k,
    value: run.value,
    run: closedForm ? { ...rest, closedForm: { name: closedForm.name, values: [...closedForm.values] } } : rest,
  };
};

const fromJson = (p: ShardPoint): PointRun => {
  const { closedForm, ...rest } = p.run;
  return closedForm ? { ...rest, closedForm: { name: closedForm.name, values: new Map(closedForm.values) } } : rest;
};

/** Runs this shard's points of each sweep and records them; the others are left for other shards. */
export function shardPoints(shard: { index: number; count: number }, record: ShardPoint[]): NonNullable<RunOptions['sweepPoints']> {
  return async (job: SweepJob, values: number[], isCancelled) =>
    values.map((value, k) => {
      if (k % shard.count !== shard.index - 1) return { value, results: [], verdicts: [], stopped: 'run by another shard' };
      const run = servePoint(job, value, isCancelled);
      record.push(toJson(job.index, k, run));
      return run;
    });
}

/** Sweep points from shard files; a point no shard ran is run here. */
export function mergedPoints(shards: readonly ShardFile[]): NonNullable<RunOptions['sweepPoints']> {
  const byKey = new Map<string, PointRun>();
  for (const s of shards) for (const p of s.points) byKey.set(`${p.cell}:${p.k}`, fromJson(p));
  return async (job: SweepJob, values: number[], isCancelled) =>
    values.map((value, k) => byKey.get(`${job.index}:${k}`) ?? servePoint(job, value, isCancelled));
}
