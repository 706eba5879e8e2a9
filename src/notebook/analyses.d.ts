import * as vscode from 'vscode';
import { AnalysisCell, CellAnalysis, NotebookAnalysis } from '../analysis/analysis';
import { NotebookData } from '../format/sdnb';
/** The notebook as the pure modules see it; each cell carries its document as key and its version. */
export declare function notebookData(nb: vscode.NotebookDocument): NotebookData & {
    cells: AnalysisCell[];
};
/** The notebook's front matter as an object. */
export declare function notebookMeta(notebook: vscode.NotebookDocument): Record<string, unknown>;
export declare const isSdnb: (nb: vscode.NotebookDocument) => boolean;
export declare class NotebookAnalyses implements vscode.Disposable {
    private readonly delayMs;
    private readonly analyses;
    private readonly timers;
    private readonly changed;
    /** Fires shortly after a notebook changed, with its analysis up to date. */
    readonly onDidChange: vscode.Event<vscode.NotebookDocument>;
    private readonly subscriptions;
    constructor(delayMs?: number);
    /** Announces a notebook's analysis again soon (after a run changed what its cells read, say). */
    schedule(nb: vscode.NotebookDocument, delay?: number): void;
    /** The notebook's analysis, up to date with its cells now. */
    get(nb: vscode.NotebookDocument): NotebookAnalysis;
    /** The notebook cell a text document belongs to, with its analysis. */
    cellOf(doc: vscode.TextDocument): {
        notebook: vscode.NotebookDocument;
        cell: vscode.NotebookCell;
        analysis: NotebookAnalysis;
        info: CellAnalysis;
    } | undefined;
    dispose(): void;
}
