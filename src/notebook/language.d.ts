import * as vscode from 'vscode';
import { Diagnostic, Range } from '../kernels/types';
import { NotebookAnalyses } from './analyses';
export declare const toVsRange: (r: Range) => vscode.Range;
export declare function toVsDiagnostic(d: Diagnostic): vscode.Diagnostic;
/** Publishes each cell's diagnostics from the analysis, only for cells whose analysis changed. */
export declare class NotebookDiagnostics implements vscode.Disposable {
    private readonly analyses;
    private readonly collection;
    private readonly published;
    private readonly subscriptions;
    constructor(analyses: NotebookAnalyses);
    update(nb: vscode.NotebookDocument): void;
    dispose(): void;
}
export declare function registerLanguageFeatures(analyses: NotebookAnalyses): vscode.Disposable[];
