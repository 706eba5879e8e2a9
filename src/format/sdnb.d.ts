export interface CellData {
    kind: 'markdown' | 'code';
    /** `markdown` for markdown cells; a VS Code language id for code cells. */
    language: string;
    source: string;
    /** User metadata (e.g. `{ phase: "scope" }`) plus the reserved `layout` entry. */
    metadata?: Record<string, unknown>;
}
export interface NotebookData {
    cells: CellData[];
    metadata?: NotebookMetadata;
}
export interface NotebookMetadata {
    /** Front matter YAML exactly as written between the `---` lines, each line ending in "\n". */
    frontMatter?: string;
    layout?: NotebookLayout;
    [key: string]: unknown;
}
interface NotebookLayout {
    bom?: boolean;
    eol?: '\r\n';
    /** Closing line of the front matter when it is not `---`. */
    frontMatterClose?: string;
    /** Blank lines after the last cell. */
    trailing?: string[];
    /** The file does not end with a line break. */
    noFinalEol?: boolean;
}
/** Layout of one cell in its file, present only where it differs from the canonical form. */
export interface CellLayout {
    /** Blank lines between the previous block and this cell (or its marker). */
    before?: string[];
    /** The marker line as written, when it differs from the one that would be written now. */
    marker?: string;
    /** A code cell written with one empty line between its fences (its source is empty either way). */
    emptyLine?: boolean;
    /** Blank lines between the marker and the cell. */
    afterMarker?: string[];
    /** Opening and closing fence lines of a code cell, as written. */
    open?: string;
    close?: string;
}
export declare const LAYOUT_KEY = "layout";
export declare class NotebookReadError extends Error {
    readonly line: number;
    readonly column: number;
    readonly detail: string;
    constructor(line: number, column: number, detail: string);
}
/** Decodes UTF-8 strictly; a bad byte is an error that names its offset. */
export declare function decodeUtf8(bytes: Uint8Array): {
    text: string;
    bom: boolean;
};
export declare function encodeUtf8(text: string, bom?: boolean): Uint8Array;
export declare function readNotebook(bytes: Uint8Array): NotebookData;
export declare function writeNotebook(nb: NotebookData): Uint8Array;
export declare function parseNotebook(input: string): NotebookData;
/** Parses, and also gives the zero-based line of the file where each cell's text starts. */
export declare function parseNotebookWithLines(input: string): {
    notebook: NotebookData;
    cellLines: number[];
};
export declare function userMetadata(cell: CellData): Record<string, unknown>;
export declare function serializeNotebook(nb: NotebookData): string;
/** Front matter as an object (empty when absent or not a mapping). */
export declare function frontMatterOf(nb: NotebookData): Record<string, unknown>;
export {};
