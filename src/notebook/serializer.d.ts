import * as vscode from 'vscode';
import { NotebookData } from '../format/sdnb';
export declare const NOTEBOOK_TYPE = "system-design-notebook";
export declare class SdnbSerializer implements vscode.NotebookSerializer {
    deserializeNotebook(content: Uint8Array): vscode.NotebookData;
    serializeNotebook(data: vscode.NotebookData): Uint8Array;
}
export declare function toVsNotebook(nb: NotebookData): vscode.NotebookData;
