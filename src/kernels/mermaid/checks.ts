// Cheap structural checks on a mermaid cell, with exact positions, that need no mermaid:
// they run as you type in the extension host. Mermaid's real parser runs in the webview.
import type { Diagnostic, Position, Range } from '../types';
import { closestKeyword, isFlowchart, isKnownDiagramStart } from './diagramTypes';
import { findFrontMatter, normalizeNewlines } from './source';

/** Mermaid refuses (replaces with an error image) sources longer than this. */
export const MAX_TEXT_SIZE = 50_000;
const DIRECTIVE = /%{2}{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!}%{2}).|\r?\n)*))?\s*(?:}%{2})?/gi;
const DIRECTIONS = ['TB', 'TD', 'BT', 'RL', 'LR'];

export interface Header {
  /** Zero-based line of the diagram type keyword, or -1 when the diagram is empty. */
  line: number;
  column: number;
  keyword: string;
}

function range(line: number, column: number, length: number): Range {
  return { start: { line, column }, end: { line, column: column + length } };
}

function error(line: number, column: number, length: number, code: string, message: string): Diagnostic {
  return { range: range(line, column, length), severity: 'error', code, message };
}

/** The text with front matter, directives and comment lines blanked out (same length and lines). */
function blankNonDiagram(text: string, frontMatterLength: number): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  let out = blank(text.slice(0, frontMatterLength)) + text.slice(frontMatterLength);
  out = out.replace(DIRECTIVE, blank);
  return out.replace(/^([ \t]*)%%(?!{).*$/gm, blank);
}

export function checkMermaid(source: string): { diagnostics: Diagnostic[]; header?: Header } {
  const text = normalizeNewlines(source);
  const diagnostics: Diagnostic[] = [];
  const lines = text.split('\n');

  if (text.length > MAX_TEXT_SIZE) {
    diagnostics.push({
      range: range(0, 0, lines[0].length),
      severity: 'warning',
      code: 'too-large',
      message: `This diagram has ${text.length.toLocaleString('en-US')} characters; mermaid draws at most ${MAX_TEXT_SIZE.toLocaleString('en-US')}. Split it into smaller diagrams.`,
    });
  }

  const fm = findFrontMatter(text);
  if (fm?.kind === 'unterminated') {
    diagnostics.push(
      error(
        fm.line,
        fm.column,
        3,
        'unterminated-front-matter',
        'Front matter opened here is never closed: add a line with `---` after it.',
      ),
    );
    return { diagnostics };
  }

  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m; m = DIRECTIVE.exec(text)) {
    if (!m[0].endsWith('}%%')) {
      const p = positionAt(text, m.index);
      diagnostics.push(error(p.line, p.column, 3, 'unterminated-directive', 'This `%%{` directive is never closed: end it with `}%%`.'));
      return { diagnostics };
    }
  }

  const significant = blankNonDiagram(text, fm?.kind === 'closed' ? fm.length : 0).split('\n');
  const headerLine = significant.findIndex((l) => l.trim() !== '');
  if (headerLine < 0) {
    const at = fm?.kind === 'closed' ? Math.min(fm.endLine + 1, lines.length - 1) : 0;
    diagnostics.push(
      error(at, 0, lines[at].length, 'empty-diagram', 'The diagram is empty: start it with a diagram type, e.g. `flowchart TD`.'),
    );
    return { diagnostics };
  }

  const lineText = significant[headerLine];
  const column = lineText.length - lineText.trimStart().length;
  const keyword = /^[^\s:;{]+/.exec(lineText.slice(column))?.[0] ?? '';
  if (!isKnownDiagramStart(lineText.slice(column))) {
    const guess = closestKeyword(keyword);
    const hint = guess
      ? `Did you mean \`${guess}\`?`
      : 'Start with a diagram type such as `flowchart TD`, `sequenceDiagram` or `architecture-beta`.';
    diagnostics.push(error(headerLine, column, keyword.length, 'unknown-diagram-type', `Unknown diagram type \`${keyword}\`. ${hint}`));
    return { diagnostics };
  }
  const header: Header = { line: headerLine, column, keyword };

  if (isFlowchart(keyword)) {
    const rest = lineText.slice(column + keyword.length);
    const dir = /^([ \t]+)([A-Za-z]+)\b/.exec(rest);
    if (dir && !DIRECTIONS.includes(dir[2])) {
      const guess = DIRECTIONS.find((d) => d === dir[2].toUpperCase());
      diagnostics.push(
        error(
          headerLine,
          column + keyword.length + dir[1].length,
          dir[2].length,
          'unknown-direction',
          guess
            ? `Direction \`${dir[2]}\` must be upper case: \`${guess}\`.`
            : `Unknown direction \`${dir[2]}\`: use TB, TD, BT, RL or LR.`,
        ),
      );
    }
    diagnostics.push(...checkFlowchartBrackets(significant, headerLine + 1));
  }
  return { diagnostics, header };
}

const OPEN: Record<string, string> = { '[': ']', '(': ')', '{': '}' };
const CLOSE: Record<string, string> = { ']': '[', ')': '(', '}': '{' };

/**
 * Bracket and quote balance per line of a flowchart. Quoted text and `|edge labels|` are opaque;
 * a quoted string may continue onto the next line. `A>text]` (the asymmetric shape) is allowed.
 */
export function checkFlowchartBrackets(lines: string[], from: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  let quote: Position | undefined;
  let stack: { ch: string; line: number; column: number }[] = [];
  let asym = 0;
  let pipe = false;
  for (let li = from; li < lines.length; li++) {
    const line = lines[li];
    // A line that ends inside a quoted string continues on the next one.
    if (!quote) {
      stack = [];
      asym = 0;
      pipe = false;
    }
    let problem: Diagnostic | undefined;
    for (let c = 0; c < line.length && !problem; c++) {
      const ch = line[c];
      if (quote) {
        if (ch === '"') quote = undefined;
        continue;
      }
      if (ch === '"') {
        quote = { line: li, column: c };
        continue;
      }
      if (stack.length === 0 && ch === '|') {
        pipe = !pipe;
        continue;
      }
      if (pipe) continue;
      if (stack.length === 0 && ch === '%' && line[c + 1] === '%') break;
      if (stack.length === 0 && ch === '>' && c > 0 && /\w/.test(line[c - 1])) asym++;
      else if (OPEN[ch]) stack.push({ ch, line: li, column: c });
      else if (CLOSE[ch]) {
        const top = stack.pop();
        if (!top) {
          if (ch === ']' && asym > 0) asym--;
          else problem = error(li, c, 1, 'unbalanced-bracket', `\`${ch}\` has no matching \`${CLOSE[ch]}\` on this line.`);
        } else if (OPEN[top.ch] !== ch) {
          problem = error(
            li,
            c,
            1,
            'unbalanced-bracket',
            `\`${ch}\` closes \`${top.ch}\` opened at column ${top.column + 1}; expected \`${OPEN[top.ch]}\`.`,
          );
        }
      }
    }
    if (!problem && !quote && stack.length > 0) {
      const top = stack[stack.length - 1];
      problem = error(top.line, top.column, 1, 'unbalanced-bracket', `\`${top.ch}\` is not closed on this line: add \`${OPEN[top.ch]}\`.`);
    }
    if (!problem && !quote && pipe) {
      const c = line.lastIndexOf('|');
      problem = error(li, c, 1, 'unbalanced-pipe', 'This edge label `|…` is not closed: add `|`.');
    }
    if (problem) {
      out.push(problem);
      quote = undefined;
    }
  }
  if (quote) out.push(error(quote.line, quote.column, 1, 'unterminated-string', 'This `"` string is never closed: add `"`.'));
  return out;
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) };
}
