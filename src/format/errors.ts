// Errors of the .sdnb format. Lines and columns are zero-based; the message shows them one-based.

/** A file that cannot be opened as a notebook, with the position of the first problem. */
export class NotebookReadError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`line ${line + 1}, column ${column + 1}: ${detail}`);
    this.name = 'NotebookReadError';
  }
}

/** A notebook whose own content (not its recorded layout) cannot be written as a file that opens again. */
export class NotebookWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookWriteError';
  }
}
