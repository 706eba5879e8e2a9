// Where a mermaid parse error is, in cell coordinates. Mermaid reports positions in the text its
// parser saw (front matter, `%%{init}%%` directives and comment lines stripped): Jison parsers put a
// one-based line and zero-based column in `hash.loc`; Langium parsers put one-based line and column
// in `result.parserErrors[].token` (-1 at end of input); unknown diagram types carry no position.
// Pure: tested in node.
import { stripForParser } from '../../src/kernels/mermaid';

/** What mermaid's parsers throw, as far as positions go (Jison's `hash`, Langium's `result`). */
interface ParseFailure {
  name?: string;
  message?: string;
  hash?: { loc?: { first_line?: number; first_column?: number } };
  result?: { lexerErrors?: TokenPosition[]; parserErrors?: { token?: TokenPosition }[] };
}

interface TokenPosition {
  startLine?: number;
  line?: number;
  startColumn?: number;
  column?: number;
}

export interface DiagramError {
  /** Zero-based line and column in the cell. */
  line: number;
  column: number;
  message: string;
}

interface RawPosition {
  line1: number;
  column0: number;
}

function rawPosition(err: ParseFailure | undefined, strippedText: string): RawPosition | undefined {
  const loc = err?.hash?.loc;
  if (loc && typeof loc.first_line === 'number') return { line1: loc.first_line, column0: loc.first_column ?? 0 };
  const result = err?.result;
  if (result && (result.parserErrors?.length || result.lexerErrors?.length)) {
    const found: RawPosition[] = [];
    let atEnd = false;
    for (const e of [...(result.lexerErrors ?? []), ...(result.parserErrors ?? []).map((p) => p.token ?? {})]) {
      const line = e.startLine ?? e.line;
      const col = e.startColumn ?? e.column;
      if (typeof line === 'number' && Number.isFinite(line) && line > 0) found.push({ line1: line, column0: Math.max((col ?? 1) - 1, 0) });
      else atEnd = true;
    }
    // The earliest problem is the cause; later ones are usually its consequences.
    found.sort((a, b) => a.line1 - b.line1 || a.column0 - b.column0);
    if (found.length) return found[0];
    if (atEnd) {
      // End of input: point at the end of the last line.
      const lines = strippedText.replace(/\n+$/, '').split('\n');
      return { line1: lines.length, column0: lines[lines.length - 1].length };
    }
  }
  const m = /\bline (\d+)/i.exec(String(err?.message ?? ''));
  if (m) return { line1: Number(m[1]), column0: 0 };
  return undefined;
}

export function diagramErrorFrom(err: unknown, source: string): DiagramError {
  const stripped = stripForParser(source);
  const e = err as ParseFailure | undefined;
  let message = String(e?.message ?? e ?? 'Unknown error').trim();
  if (e?.name === 'UnknownDiagramError' || /No diagram type detected/.test(message)) {
    const p = stripped.toCell(1, 0);
    return { ...p, message: 'No diagram type detected: start with a diagram type such as `flowchart TD`.' };
  }
  const raw = rawPosition(e, stripped.text);
  if (!raw) return { line: stripped.toCell(1, 0).line, column: 0, message };
  const p = stripped.toCell(raw.line1, raw.column0);
  // Jison's message repeats its own line number; say the cell's instead.
  message = message.replace(/(\bon line )\d+/i, `$1${p.line + 1}`);
  return { ...p, message };
}

/** `line:col` one-based, as people count. */
export function formatPosition(p: { line: number; column: number }): string {
  return `${p.line + 1}:${p.column + 1}`;
}
