// Reads and writes .sdnb (and .sdnb.md) files for VS Code's notebook editor. All format logic lives in src/format.
import * as vscode from 'vscode';
import { CellData, flavourForFileName, NotebookData, NotebookReadError, readNotebook, writeNotebook } from '../format/sdnb';

export const NOTEBOOK_TYPE = 'system-design-notebook';

export class SdnbSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    let nb;
    try {
      nb = readNotebook(content);
    } catch (e) {
      if (e instanceof NotebookReadError) {
        // Throwing keeps VS Code from opening (and later saving) a notebook that holds less than the file.
        throw new Error(
          vscode.l10n.t(
            'This file cannot be opened as a System Design notebook: {0} Open it with the text editor ("Reopen Editor With…") to fix it.',
            e.message,
          ),
        );
      }
      throw e;
    }
    return toVsNotebook(nb);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    return writeNotebook({ cells: data.cells.map(fromVsCell), metadata: data.metadata });
  }
}

export function toVsNotebook(nb: NotebookData): vscode.NotebookData {
  const data = new vscode.NotebookData(nb.cells.map(toVsCell));
  data.metadata = nb.metadata ?? {};
  return data;
}

function toVsCell(c: CellData): vscode.NotebookCellData {
  const kind = c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
  const cell = new vscode.NotebookCellData(kind, c.source, c.language);
  if (c.metadata) cell.metadata = c.metadata;
  return cell;
}

function fromVsCell(c: vscode.NotebookCellData): CellData {
  const markdown = c.kind === vscode.NotebookCellKind.Markup;
  return {
    kind: markdown ? 'markdown' : 'code',
    language: markdown ? 'markdown' : c.languageId,
    source: c.value,
    ...(c.metadata && Object.keys(c.metadata).length ? { metadata: c.metadata } : {}),
  };
}

/**
 * Marks a *.sdnb.md notebook as the GitHub flavour just before it is saved, so a model cell added to
 * a design doc that had none is written as a ```yaml block: VS Code does not tell the serializer the
 * file's name, and a design doc without model cells reads the same in both flavours.
 */
export function flavourFromFileName(): vscode.Disposable {
  return vscode.workspace.onWillSaveNotebookDocument((e) => {
    const nb = e.notebook;
    if (nb.notebookType !== NOTEBOOK_TYPE || nb.metadata.flavour === 'github' || flavourForFileName(nb.uri.path) !== 'github') return;
    const edit = new vscode.WorkspaceEdit();
    edit.set(nb.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...nb.metadata, flavour: 'github' })]);
    e.waitUntil(Promise.resolve(edit));
  });
}
