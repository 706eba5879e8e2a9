// The interview framework's phases (seed document §2.1) and their time budgets, in one table.
// Cells carry their phase in metadata (`<!-- cell {"phase":"scope"} -->`); the status bar, the
// timer, the outline, the templates and the design review all read this table.

export type PhaseId = 'intro' | 'scope' | 'estimates' | 'high-level' | 'api' | 'diagram' | 'data-model' | 'deep-dive' | 'wrap-up' | 'qa';

export interface Phase {
  id: PhaseId;
  title: string;
  /** A name short enough for the status bar and the tree ("Scope", "Deep dive"). */
  short: string;
  /** Time budget in minutes (a sub-phase's budget is part of its parent's). */
  minutes: number;
  /** The phase this one is part of (`estimates` is part of `scope`; `api`, `diagram` and `data-model` are parts of `high-level`). */
  parent?: PhaseId;
  /** What to do in this phase, in the framework's words (paraphrased). */
  prompts: string[];
}

export const PHASES: readonly Phase[] = [
  {
    id: 'intro',
    title: 'Introduction',
    short: 'Introduction',
    minutes: 5,
    prompts: [
      'Introduce yourself and listen to the problem statement.',
      'Restate the problem in one sentence to check you heard it right.',
    ],
  },
  {
    id: 'scope',
    title: 'Understand the problem and establish design scope',
    short: 'Scope',
    minutes: 5,
    prompts: [
      'The question is open-ended and vague on purpose: ask as many questions as you need. Jumping straight to a solution is a red flag.',
      'Clarify why the system is being built, who the users are and which features matter.',
      'Agree on the top few features with the interviewer: that is the functional requirements list.',
      'Ask about the non-functional requirements: scale and performance first, then security, consistency, freshness and accuracy.',
      'Estimate the scale with back-of-the-envelope maths (QPS, storage).',
      'Leave with a feature list and a few non-functional requirements to satisfy.',
    ],
  },
  {
    id: 'estimates',
    title: 'Back-of-the-envelope estimates',
    short: 'Estimates',
    minutes: 2,
    parent: 'scope',
    prompts: [
      'Estimate the peak QPS (a rate in req/s) and the storage (a size in bytes) the design must carry.',
      'Add bandwidth, cache size (80/20 rule) and server count when they shape the design.',
    ],
  },
  {
    id: 'high-level',
    title: 'Propose a high-level design and validate it against the requirements',
    short: 'High-level design',
    minutes: 20,
    prompts: [
      'Work top down: APIs first, then the diagram, then the data model.',
      'Keep a list of discussion points for later; resist diving deep before the whole picture is drawn.',
      'Review the design: everything on the requirements list must be present.',
    ],
  },
  {
    id: 'api',
    title: 'API design',
    short: 'API',
    minutes: 7,
    parent: 'high-level',
    prompts: [
      'The APIs are the contract between the clients and the backend: derive them from the requirements list.',
      'Use industry conventions (REST, GraphQL, WebSockets, …) and say which one and why.',
      'Do not introduce APIs that are not in the requirements list.',
    ],
  },
  {
    id: 'diagram',
    title: 'High-level diagram',
    short: 'Diagram',
    minutes: 7,
    parent: 'high-level',
    prompts: [
      'Start with the entry point: a load balancer or an API gateway.',
      'Behind it, the services from the feature list.',
      'Behind them, the data storage layer; the choice of database waits for the deep dive.',
    ],
  },
  {
    id: 'data-model',
    title: 'Data model and schema',
    short: 'Data model',
    minutes: 6,
    parent: 'high-level',
    prompts: [
      'Discuss the access patterns, the read/write ratio and the QPS.',
      'Choose the database and the indexes from those figures.',
      'If the data model (sharding, …) is key to a non-functional requirement, keep it for the deep dive.',
    ],
  },
  {
    id: 'deep-dive',
    title: 'Design deep dive',
    short: 'Deep dive',
    minutes: 15,
    prompts: [
      'Agree with the interviewer on what to dive into: this is where the non-functional requirements are met.',
      'Find the parts that could become problems and discuss solutions and their trade-offs.',
      'The more senior the role, the more this section matters.',
    ],
  },
  {
    id: 'wrap-up',
    title: 'Wrap up',
    short: 'Wrap up',
    minutes: 5,
    prompts: ['Summarise the solution: what it does, how it meets the requirements, what you would do next.'],
  },
  {
    id: 'qa',
    title: 'Q&A',
    short: 'Q&A',
    minutes: 5,
    prompts: ['Answer the interviewer’s questions and ask yours.'],
  },
];

export const PHASE_IDS: readonly PhaseId[] = PHASES.map((p) => p.id);

export function phaseById(id: string): Phase | undefined {
  return PHASES.find((p) => p.id === id);
}

export function isPhaseId(id: unknown): id is PhaseId {
  return typeof id === 'string' && PHASE_IDS.includes(id as PhaseId);
}

/**
 * Phases a written design shows; Introduction and Q&A are conversation and leave no cells. The
 * review reports those missing, and the Design Phases view marks them.
 */
export const REQUIRED_PHASES: readonly PhaseId[] = ['scope', 'estimates', 'api', 'diagram', 'data-model', 'deep-dive', 'wrap-up'];

/** A phase and the phases that are part of it (high-level design: API, diagram, data model). */
export function phaseFamily(id: PhaseId): PhaseId[] {
  return [id, ...PHASES.filter((p) => p.parent === id).map((p) => p.id)];
}

/** Whether the notebook is timed: its front matter sets phase budgets (the interview template does). */
export function isTimed(frontMatter: Record<string, unknown> = {}): boolean {
  const b = frontMatter.budgets;
  return !!b && typeof b === 'object' && !Array.isArray(b);
}

/** The top-level phases (no parent), in interview order: 5 + 5 + 20 + 15 + 5 + 5 = 55 minutes. */
export const TOP_LEVEL_PHASES: readonly Phase[] = PHASES.filter((p) => !p.parent);

/**
 * Phase budgets in minutes with the front matter's overrides (`budgets: { scope: 10 }`) applied.
 * Unknown ids and values that are not positive numbers are ignored.
 */
export function phaseBudgets(frontMatter: Record<string, unknown> = {}): Record<PhaseId, number> {
  const out = Object.fromEntries(PHASES.map((p) => [p.id, p.minutes])) as Record<PhaseId, number>;
  const b = frontMatter.budgets;
  if (b && typeof b === 'object' && !Array.isArray(b)) {
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
      if (isPhaseId(k) && typeof v === 'number' && Number.isFinite(v) && v > 0) out[k] = v;
    }
  }
  return out;
}

/** The phase of a cell from its metadata, or undefined. */
export function phaseOfMetadata(metadata: Record<string, unknown> | undefined): PhaseId | undefined {
  const p = metadata?.phase;
  return isPhaseId(p) ? p : undefined;
}

/** The phase of every cell: its own `phase` metadata, else that of the nearest cell above with one. */
export function inheritedPhases(metadata: readonly (Record<string, unknown> | undefined)[]): (PhaseId | undefined)[] {
  let current: PhaseId | undefined;
  return metadata.map((m) => (current = phaseOfMetadata(m) ?? current));
}
