// An error's `line:column` in an output or the preview is a link: this puts the cursor there.
import * as vscode from 'vscode';
import type { RevealMessage } from '../../webview/shared/messages';

import { ERROR_MIME } from '../kernels/types';

export function isRevealMessage(m: unknown): m is RevealMessage {
  const x = m as RevealMessage;
  return !!x && x.type === 'reveal' && Number.isInteger(x.line) && Number.isInteger(x.column) && x.line >= 0 && x.column >= 0;
}

/** The cell whose error output has this title, message and diagnostic at `line:column` (the renderer cannot name cells). */
export function cellWithError(
  notebook: vscode.NotebookDocument,
  error: { title: string; message: string; diagnostic: string },
  line: number,
  column: number,
): vscode.NotebookCell | undefined {
  return notebook.getCells().find((c) =>
    c.outputs.some((o) =>
      o.items.some((i) => {
        if (i.mime !== ERROR_MIME) return false;
        try {
          const data = JSON.parse(new TextDecoder().decode(i.data)) as {
            title?: unknown;
            message?: unknown;
            diagnostics?: { message: string; range: { start: { line: number; column: number } } }[];
          };
          return (
            data.title === error.title &&
            data.message === error.message &&
            !!data.diagnostics?.some(
              (d) => d.message === error.diagnostic && d.range.start.line === line && d.range.start.column === column,
            )
          );
        } catch {
          return false;
        }
      }),
    ),
  );
}

/** Opens `document` (a notebook cell's or a file's) with the cursor at the zero-based line and column. */
export async function revealPosition(document: vscode.TextDocument, line: number, column: number): Promise<void> {
  const at = document.validatePosition(new vscode.Position(line, column));
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(at, at), preview: false });
}
