export type PhaseId = 'intro' | 'scope' | 'estimates' | 'high-level' | 'api' | 'diagram' | 'data-model' | 'deep-dive' | 'wrap-up' | 'qa';
export interface Phase {
    id: PhaseId;
    title: string;
    /** Time budget in minutes (a sub-phase's budget is part of its parent's). */
    minutes: number;
    /** The phase this one is part of (`estimates` is part of `scope`; `api`, `diagram` and `data-model` are parts of `high-level`). */
    parent?: PhaseId;
    /** What to do in this phase, in the framework's words (paraphrased). */
    prompts: string[];
}
export declare const PHASES: readonly Phase[];
export declare const PHASE_IDS: readonly PhaseId[];
export declare function phaseById(id: string): Phase | undefined;
export declare function isPhaseId(id: unknown): id is PhaseId;
/** The top-level phases (no parent), in interview order: 5 + 5 + 20 + 15 + 5 + 5 = 55 minutes. */
export declare const TOP_LEVEL_PHASES: readonly Phase[];
/**
 * Phase budgets in minutes with the front matter's overrides (`budgets: { scope: 10 }`) applied.
 * Unknown ids and values that are not positive numbers are ignored.
 */
export declare function phaseBudgets(frontMatter?: Record<string, unknown>): Record<PhaseId, number>;
/** The phase of a cell from its metadata, or undefined. */
export declare function phaseOfMetadata(metadata: Record<string, unknown> | undefined): PhaseId | undefined;
