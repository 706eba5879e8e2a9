// Context keys that let menus find mermaid cells. VS Code has no context key for a cell's language
// (the cell toolbar sees `notebookCellType` and `notebookCellResource`, not the language) and the
// Command Palette does not see the cell editor's `editorLangId`, so the extension publishes:
// - `sdnb.mermaidCells`: the URIs of every mermaid cell of the open notebooks, for
//   `notebookCellResource in sdnb.mermaidCells` in the cell toolbar;
// - `sdnb.mermaidCellSelected`: the active notebook's selected cell is a mermaid cell, for the palette.
import * as vscode from 'vscode';
import { isSdnb } from './analyses';

const isMermaidCell = (c: vscode.NotebookCell) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'mermaid';

export function trackMermaidCells(): vscode.Disposable {
  let cells = '';
  let selected: boolean | undefined;

  const publishCells = () => {
    const uris = vscode.workspace.notebookDocuments.filter(isSdnb).flatMap((nb) =>
      nb
        .getCells()
        .filter(isMermaidCell)
        .map((c) => c.document.uri.toString()),
    );
    const key = uris.join('\n');
    if (key === cells) return;
    cells = key;
    void vscode.commands.executeCommand('setContext', 'sdnb.mermaidCells', uris);
  };

  const publishSelection = () => {
    const editor = vscode.window.activeNotebookEditor;
    const index = editor?.selections[0]?.start;
    const now =
      !!editor &&
      isSdnb(editor.notebook) &&
      index !== undefined &&
      index < editor.notebook.cellCount &&
      isMermaidCell(editor.notebook.cellAt(index));
    if (now === selected) return;
    selected = now;
    void vscode.commands.executeCommand('setContext', 'sdnb.mermaidCellSelected', now);
  };

  const both = () => {
    publishCells();
    publishSelection();
  };
  both();
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenNotebookDocument(both),
    vscode.workspace.onDidCloseNotebookDocument(both),
    // A cell's language changes by closing its document and opening another with the new language.
    vscode.workspace.onDidOpenTextDocument((d) => d.uri.scheme === 'vscode-notebook-cell' && both()),
    vscode.workspace.onDidChangeNotebookDocument((e) => (e.contentChanges.length || e.cellChanges.length) && both()),
    vscode.window.onDidChangeActiveNotebookEditor(publishSelection),
    vscode.window.onDidChangeNotebookEditorSelection(publishSelection),
  );
}
