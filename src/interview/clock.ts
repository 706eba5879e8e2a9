// The interview timer's bookkeeping, pure: time spent per phase, the time left in the current
// phase, overruns, and the summary written into the notebook when the interview ends.
import { markdownTable } from '../kernels/output';
import {
  Phase,
  PhaseId,
  PHASES,
  REQUIRED_PHASES,
  TOP_LEVEL_PHASES,
  inheritedPhases,
  isTimed,
  phaseById,
  phaseFamily,
} from '../templates/phases';

/** The phase a cell belongs to: its own, else that of the nearest cell above that has one. */
export function phaseAt(metadata: (Record<string, unknown> | undefined)[], index: number): PhaseId | undefined {
  return inheritedPhases(metadata.slice(0, Math.max(0, index + 1))).pop();
}

/** The phase whose budget a phase spends: sub-phases (api, diagram, …) count within their parent. */
export function budgetPhase(id: PhaseId): Phase {
  const p = phaseById(id)!;
  return p.parent ? phaseById(p.parent)! : p;
}

export interface ClockStatus {
  phase: Phase;
  /** Milliseconds spent in the phase (its sub-phases included). */
  spentMs: number;
  budgetMs: number;
  /** Negative once the phase overran. */
  leftMs: number;
  overrun: boolean;
  totalMs: number;
}

export class InterviewClock {
  private readonly spent = new Map<PhaseId, number>();
  private current: PhaseId | undefined;
  private since = 0;
  private startedAt = 0;
  private readonly warned = new Set<PhaseId>();

  constructor(private readonly budgets: Record<PhaseId, number>) {}

  start(now: number, phase: PhaseId | undefined): void {
    this.startedAt = now;
    this.since = now;
    this.current = phase && budgetPhase(phase).id;
  }

  /** Moves the clock to `now`; the time since the last call counts for the phase then current. */
  tick(now: number, phase: PhaseId | undefined): void {
    if (this.current) this.spent.set(this.current, (this.spent.get(this.current) ?? 0) + (now - this.since));
    this.since = now;
    if (phase) this.current = budgetPhase(phase).id;
  }

  status(now: number): ClockStatus | undefined {
    if (!this.current) return undefined;
    const phase = phaseById(this.current)!;
    const spentMs = (this.spent.get(this.current) ?? 0) + (now - this.since);
    const budgetMs = this.budgets[this.current] * 60_000;
    return { phase, spentMs, budgetMs, leftMs: budgetMs - spentMs, overrun: spentMs > budgetMs, totalMs: now - this.startedAt };
  }

  /** True once per phase, the first time it is seen overrunning. */
  shouldWarn(now: number): boolean {
    const s = this.status(now);
    if (!s?.overrun || this.warned.has(s.phase.id)) return false;
    this.warned.add(s.phase.id);
    return true;
  }

  spentMs(id: PhaseId): number {
    return this.spent.get(id) ?? 0;
  }

  /** A markdown table of budget against time spent for every top-level phase. */
  summary(): string {
    const rows = PHASES.filter((p) => !p.parent).map((p) => {
      const spent = this.spentMs(p.id);
      const over = spent - this.budgets[p.id] * 60_000;
      return [p.title, `${this.budgets[p.id]} min`, formatClock(spent), over > 0 ? `+${formatClock(over)}` : '—'];
    });
    const total = PHASES.filter((p) => !p.parent).reduce((s, p) => s + this.spentMs(p.id), 0);
    return `## Interview timing\n\n${markdownTable(['Phase', 'Budget', 'Spent', 'Over'], rows, ['l', 'r', 'r', 'r'])}\n\nTotal: ${formatClock(total)}.`;
  }
}

/** `m:ss` (or `-m:ss`). */
export function formatClock(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const s = Math.floor(Math.abs(ms) / 1000);
  return `${sign}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export interface OutlineEntry {
  id: PhaseId;
  /** Indexes of the cells that belong to this phase itself (not to its sub-phases). */
  cells: number[];
  /** A phase the design should show (itself or one of its sub-phases) that has no cell. */
  missing: boolean;
  /** Sub-phases, in framework order. */
  children: OutlineEntry[];
}

/**
 * The Design Phases view's tree: top-level phases with their cells and sub-phases. Introduction and
 * Q&A leave no cells in a written design, so an untimed notebook lists them only when it has cells in them.
 */
export function phaseOutline(metadata: (Record<string, unknown> | undefined)[], frontMatter: Record<string, unknown> = {}): OutlineEntry[] {
  const cells = new Map<PhaseId, number[]>();
  metadata.forEach((_, i) => {
    const id = phaseAt(metadata, i);
    if (id) cells.set(id, [...(cells.get(id) ?? []), i]);
  });
  const entry = (id: PhaseId): OutlineEntry => {
    const children = PHASES.filter((p) => p.parent === id).map((p) => entry(p.id));
    const own = cells.get(id) ?? [];
    const empty = own.length === 0 && !children.some(hasCells);
    return { id, cells: own, missing: empty && phaseFamily(id).some((p) => REQUIRED_PHASES.includes(p)), children };
  };
  const hasCells = (e: OutlineEntry): boolean => e.cells.length > 0 || e.children.some(hasCells);
  const timed = isTimed(frontMatter);
  return TOP_LEVEL_PHASES.map((p) => entry(p.id)).filter(
    (e) => timed || phaseFamily(e.id).some((p) => REQUIRED_PHASES.includes(p)) || hasCells(e),
  );
}
