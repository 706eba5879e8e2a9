// The one fence helper: fenced code blocks as CommonMark reads them, for the .sdnb reader and writer and
// every other place that writes Markdown (exports, kernels' markdown outputs). It sits with the kernels, the lowest layer that needs it.
//
// CommonMark: a fence opens with 3+ backticks or tildes (backtick fences take no backtick in their
// info string) indented at most 3 spaces; it closes at a line of the same character, at least as
// long, indented at most 3 spaces and followed only by whitespace.

export interface Fence {
  indent: string;
  char: '`' | '~';
  length: number;
  /** The info string, trimmed. */
  info: string;
}

// `[^\n]` rather than `.`: a line of a file that mixes line endings may end in CR.
const OPEN_RE = /^( {0,3})(`{3,}|~{3,})([^\n]*)$/;
const CLOSE_RE = /^ {0,3}(`{3,}|~{3,})\s*$/;

export function openingFence(line: string): Fence | undefined {
  const m = OPEN_RE.exec(line);
  if (!m) return undefined;
  if (m[2][0] === '`' && m[3].includes('`')) return undefined;
  return { indent: m[1], char: m[2][0] as Fence['char'], length: m[2].length, info: m[3].trim() };
}

export function closesFence(line: string, f: Pick<Fence, 'char' | 'length'>): boolean {
  const m = CLOSE_RE.exec(line);
  return !!m && m[1][0] === f.char && m[1].length >= f.length;
}

/** The first word of a fence's info string (`estimate` in ```` ```estimate title ````). */
export const infoWord = (f: Fence): string => f.info.split(/\s+/)[0];

/**
 * The shortest backtick fence (at least 3) that no line of `source` closes. Lines are split at CR
 * too, as Markdown renderers do, so the fence also holds where the text is rendered.
 */
export function codeFence(source: string): string {
  let n = 3;
  // Multiline ^ and $ match at CR as well as LF.
  for (const m of source.matchAll(/^ {0,3}(`{3,})[^\S\r\n]*$/gm)) n = Math.max(n, m[1].length + 1);
  return '`'.repeat(n);
}

/** `source` as a fenced block with info string `info`, fenced by `codeFence(source)`. */
export function fencedBlock(info: string, source: string): string {
  const fence = codeFence(source);
  return `${fence}${info}\n${source}\n${fence}`;
}
