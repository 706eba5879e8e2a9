// How mermaid sees a cell's text, without loading mermaid: where front matter, `%%{init}%%`
// directives and comments are, and how a position in the text mermaid parses (front matter,
// directives and comment lines stripped) maps back to the cell. Shared by the kernel and the webviews.
import type { Position } from '../types';

/** Mermaid's own directive pattern (`%%{init: …}%%`, possibly over several lines). */
const DIRECTIVE = /%{2}{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!}%{2}).|\r?\n)*))?\s*(?:}%{2})?/gi;
/** Mermaid's comment-line pattern (`%%` not followed by `{`). */
const COMMENT_LINE = /^\s*%%(?!{)[^\n]+\n?/gm;

export function normalizeNewlines(source: string): string {
  return source.replace(/\r\n?/g, '\n');
}

export type FrontMatter =
  | { kind: 'closed'; /** characters up to and including the line break after the closing `---` */ length: number; endLine: number }
  | { kind: 'unterminated'; line: number; column: number };

/** Front matter the way mermaid finds it: `---` on the first line, closed by the same indent + `---`. */
export function findFrontMatter(text: string): FrontMatter | undefined {
  const lines = normalizeNewlines(text).split('\n');
  const m = /^([ \t]*)---[ \t]*$/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const indent = m[1];
  let offset = lines[0].length + 1;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].startsWith(indent + '---') && lines[i].slice(indent.length + 3).trim() === '') {
      let length = offset + lines[i].length + 1;
      let endLine = i;
      // Mermaid also swallows following blank lines (the whitespace run up to its last line break).
      while (endLine + 1 < lines.length - 1 && lines[endLine + 1].trim() === '') {
        length += lines[endLine + 1].length + 1;
        endLine++;
      }
      return { kind: 'closed', length: Math.min(length, text.length), endLine };
    }
    offset += lines[i].length + 1;
  }
  return { kind: 'unterminated', line: 0, column: indent.length };
}

/** Text plus, for each character, its offset in the original (newline-normalised) text. */
interface Tracked {
  text: string;
  origin: number[];
}

function removeMatches(t: Tracked, re: RegExp): Tracked {
  re.lastIndex = 0;
  let text = '';
  const origin: number[] = [];
  let last = 0;
  for (let m = re.exec(t.text); m; m = re.exec(t.text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    text += t.text.slice(last, m.index);
    origin.push(...t.origin.slice(last, m.index));
    last = m.index + m[0].length;
  }
  text += t.text.slice(last);
  origin.push(...t.origin.slice(last));
  return { text, origin };
}

/** Diagram types whose parser sees comment lines (mermaid's `preserveCommentsWhenParsing`). */
const KEEPS_COMMENTS = /^\s*(eventmodeling|agentflow-beta)\b/;

export interface Stripped {
  /** The text mermaid's diagram parser receives. */
  text: string;
  /** Maps a position in `text` (line one-based, column zero-based, as mermaid reports) to the cell (zero-based). */
  toCell(line1: number, column0?: number): Position;
}

/** Reproduces mermaid's preprocessing (front matter, directives, comments, leading whitespace) with a position map. */
export function stripForParser(source: string): Stripped {
  const normalized = normalizeNewlines(source);
  let t: Tracked = { text: normalized, origin: Array.from({ length: normalized.length }, (_, i) => i) };
  const fm = findFrontMatter(normalized);
  if (fm?.kind === 'closed') t = { text: t.text.slice(fm.length), origin: t.origin.slice(fm.length) };
  t = removeMatches(t, DIRECTIVE);
  if (!KEEPS_COMMENTS.test(removeMatches(t, COMMENT_LINE).text)) {
    t = removeMatches(t, COMMENT_LINE);
    const lead = t.text.length - t.text.trimStart().length;
    t = { text: t.text.slice(lead), origin: t.origin.slice(lead) };
  }
  const lineStarts = lineStartOffsets(normalized);
  const strippedStarts = lineStartOffsets(t.text);
  const final = t;
  return {
    text: final.text,
    toCell(line1, column0 = 0) {
      if (final.origin.length === 0) return { line: 0, column: 0 };
      const li = Math.min(Math.max(line1, 1), strippedStarts.length) - 1;
      const lineEnd = li + 1 < strippedStarts.length ? strippedStarts[li + 1] - 1 : final.text.length;
      const at = Math.min(strippedStarts[li] + Math.max(column0, 0), lineEnd);
      const orig = at < final.origin.length ? final.origin[at] : final.origin[final.origin.length - 1] + 1;
      return offsetToPosition(lineStarts, orig);
    },
  };
}

export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function offsetToPosition(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - starts[lo] };
}
