import type { CellData } from '../format/sdnb';
import type { Definition, Diagnostic, Kernel, NameUse, ParseResult, Scope } from '../kernels/types';
/** A cell as the analysis reads it; `key` and `version` let the caller's cells be recognised across updates. */
export interface AnalysisCell extends CellData {
    /** Identity of the cell across edits (the host's cell document); the index when absent. */
    key?: unknown;
    /** Changes whenever the source changes (the host's document version); compared with the source when absent. */
    version?: number;
}
export interface CellAnalysis {
    readonly index: number;
    readonly key: unknown;
    readonly version: number | undefined;
    readonly kind: CellData['kind'];
    readonly language: string;
    readonly source: string;
    /** The kernel of a code cell; undefined for markdown and for languages no kernel runs. */
    readonly kernel: Kernel | undefined;
    /** The kernel's parse; undefined for markdown, unknown languages and a parser that threw. */
    readonly parse: ParseResult<unknown> | undefined;
    readonly diagnostics: readonly Diagnostic[];
    /** Names this cell defines for the cells below, in order. */
    readonly defines: readonly Definition[];
    /** Names from cells above that the source reads. */
    readonly reads: readonly string[];
    /** Occurrences of names in the source (definitions and reads). */
    readonly uses: readonly NameUse[];
    /** The names visible to this cell (everything defined above it). */
    readonly scope: Scope;
    /** Every name looked up while analysing, and the definition it resolved to. */
    readonly inputs: ReadonlyMap<string, Definition | undefined>;
}
/** How much work the last update did. */
export interface UpdateStats {
    analysed: number;
    reused: number;
}
export declare class NotebookAnalysis {
    private cellsNow;
    private readonly byKey;
    /** Every definition by name, in cell order (rebuilt by each update; cheap next to any parse). */
    private defs;
    private dependentsOf;
    private precedentsOf;
    lastUpdate: UpdateStats;
    /** Brings the analysis up to date with `cells` and returns it. */
    update(cells: readonly AnalysisCell[]): this;
    private stillValid;
    private analyse;
    get cells(): readonly CellAnalysis[];
    cell(index: number): CellAnalysis | undefined;
    /** The definition of `name` visible to the cell at `index`: the last one above it. */
    lookup(name: string, index: number): Definition | undefined;
    namesBefore(index: number): string[];
    /** The names visible to the cell at `index` (after the last cell: every name). */
    scopeAt(index: number): Scope;
    /** Every definition that is visible at the end of the notebook, in notebook order. */
    definitions(): Definition[];
    /** Every definition of `name` in notebook order, with its cell. */
    definitionsOf(name: string): {
        cell: number;
        def: Definition;
    }[];
    /** Cells whose analysis read a name defined by cell `index`, and so on down (not the cell itself). */
    dependents(index: number): number[];
    /** Cells that define a name cell `index` read, and so on up (not the cell itself). */
    precedents(index: number): number[];
    private edges;
    /** Every occurrence of `name` in the notebook, by cell. */
    usesOf(name: string): {
        cell: number;
        use: NameUse;
    }[];
}
/** What a cell saw of a name when it ran: its value and dimension, or `-` when it was undefined. */
export declare function fingerprint(def: Definition | undefined): string;
/** The values a cell reads, as it sees them now (compare with a run's to know whether it is stale). */
export declare function inputsOf(cell: CellAnalysis, reads?: readonly string[]): Record<string, string>;
