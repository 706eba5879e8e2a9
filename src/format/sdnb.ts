// The .sdnb file format: a Markdown document whose cell fences (```estimate, ```mermaid, ```gateway,
// ```kafka) are code cells and whose prose is markdown cells. See docs/format.md.
//
// Reading records the layout a file was written with (blank lines, fence lengths, marker spelling)
// in each cell's `sdnb.layout` metadata entry, so that saving a file nobody edited writes the same
// bytes. That entry is the format's, never the user's: a marker cannot set it, and the writer checks
// every part of it before use, so a layout edited into nonsense only costs the file its old layout.
import { closesFence, codeFence, Fence, infoWord, openingFence } from '../kernels/fence';
import { NotebookReadError, NotebookWriteError } from './errors';
import { parseFrontMatter } from './frontMatter';
import { fenceWordFor, Flavour, isGithubForm, languageForFence } from './languages';

export { NotebookReadError, NotebookWriteError } from './errors';
export type { Flavour } from './languages';

export interface CellData {
  kind: 'markdown' | 'code';
  /** `markdown` for markdown cells; a VS Code language id for code cells. */
  language: string;
  source: string;
  /** User metadata (e.g. `{ phase: "scope" }`) plus the format's `sdnb.layout` entry. */
  metadata?: Record<string, unknown>;
}

export interface NotebookData {
  cells: CellData[];
  metadata?: NotebookMetadata;
}

export interface NotebookMetadata {
  /** Front matter YAML exactly as written between the `---` lines, each line ending in "\n". */
  frontMatter?: string;
  /** `github`: model cells are written as ```yaml blocks (a .sdnb.md design doc). Absent: `sdnb`. */
  flavour?: Flavour;
  layout?: NotebookLayout;
  [key: string]: unknown;
}

interface NotebookLayout {
  bom?: boolean;
  eol?: '\r\n';
  /** Closing line of the front matter when it is not `---`. */
  frontMatterClose?: string;
  /** Blank lines after the last cell. */
  trailing?: string[];
  /** The file does not end with a line break. */
  noFinalEol?: boolean;
}

/** Layout of one cell in its file, present only where it differs from the canonical form. */
export interface CellLayout {
  /** Blank lines between the previous block and this cell (or its marker). */
  before?: string[];
  /** The marker line as written, when it differs from the one that would be written now. */
  marker?: string;
  /** A code cell written with one empty line between its fences (its source is empty either way). */
  emptyLine?: boolean;
  /** Blank lines between the marker and the cell. */
  afterMarker?: string[];
  /** Opening and closing fence lines of a code cell, as written. */
  open?: string;
  close?: string;
  /** The language `open` was written for, when its info string is not one of the language's own. */
  openLanguage?: string;
}

export interface ReadOptions {
  /** The flavour to write when the file's cells do not show one (`github` for a file named *.sdnb.md). */
  flavour?: Flavour;
}

/** The cell metadata entry holding the cell's layout. */
export const LAYOUT_KEY = 'sdnb.layout';
/** Marker keys that are the format's, not the user's. */
const MARKER_KEYS = ['language', 'lines'];
/** `<!-- cell -->` or `<!-- cell {…} -->`; any other comment is markdown. */
const MARKER_RE = /^<!--\s*cell\s*(\{.*\})?\s*-->\s*$/;

/** The flavour a file name asks for: `github` for *.sdnb.md. */
export function flavourForFileName(name: string): Flavour {
  return /\.sdnb\.md$/i.test(name) ? 'github' : 'sdnb';
}

// ---------------------------------------------------------------------------------------------
// Reserved keys
//
// A user key equal to a reserved name, or to a reserved name followed by `$`s, is stored with one more
// `$`, so every key a user writes has a place: in a marker, the user's own `lines` is `"lines$"`;
// in memory, a marker's `"sdnb.layout"` is `sdnb.layout$`.

function isReservedForm(key: string, reserved: readonly string[]): boolean {
  return reserved.some((r) => key.startsWith(r) && /^\$*$/.test(key.slice(r.length)));
}
const escapeKey = (key: string, reserved: readonly string[]) => (isReservedForm(key, reserved) ? key + '$' : key);
/** The user key an escaped key stands for. */
const unescapeKey = (key: string, reserved: readonly string[]) =>
  key.endsWith('$') && isReservedForm(key, reserved) ? key.slice(0, -1) : key;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The cell's metadata as the user sees it: without the layout entry, escaped keys restored. */
export function userMetadata(cell: CellData): Record<string, unknown> {
  if (!isObject(cell.metadata)) return {};
  return Object.fromEntries(
    Object.entries(cell.metadata)
      .filter(([k, v]) => k !== LAYOUT_KEY && v !== undefined)
      .map(([k, v]) => [unescapeKey(k, [LAYOUT_KEY]), v]),
  );
}

/** The user's keys as a marker writes them. */
function markerMetadata(cell: CellData): Record<string, unknown> {
  if (!isObject(cell.metadata)) return {};
  return Object.fromEntries(
    Object.entries(cell.metadata)
      .filter(([k, v]) => k !== LAYOUT_KEY && v !== undefined)
      .map(([k, v]) => [escapeKey(unescapeKey(k, [LAYOUT_KEY]), MARKER_KEYS), v]),
  );
}

/** In-memory metadata from a marker's user keys. */
function memoryMetadata(markerUser: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(markerUser).map(([k, v]) => [escapeKey(unescapeKey(k, MARKER_KEYS), [LAYOUT_KEY]), v]));
}

/** A marker's keys without the reserved ones (still escaped as in the file). */
function markerUserKeys(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([k]) => !MARKER_KEYS.includes(k)));
}

// ---------------------------------------------------------------------------------------------
// Bytes <-> text

/** Decodes UTF-8 strictly; a bad byte is an error that names its offset. */
export function decodeUtf8(bytes: Uint8Array): { text: string; bom: boolean } {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const before = new TextDecoder().decode(bytes.subarray(0, bad));
    const line = before.split('\n').length - 1;
    const column = before.length - before.lastIndexOf('\n') - 1;
    throw new NotebookReadError(
      line,
      column,
      `the file is not valid UTF-8 (byte offset ${bad}, value 0x${bytes[bad].toString(16).padStart(2, '0')}). ` +
        'Re-save it as UTF-8 in a text editor; it was not opened, so nothing was changed.',
    );
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes), bom };
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= n) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

export function encodeUtf8(text: string, bom = false): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!bom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

export function readNotebook(bytes: Uint8Array, options: ReadOptions = {}): NotebookData {
  const { text, bom } = decodeUtf8(bytes);
  const nb = parseNotebook(text, options);
  if (bom) nb.metadata = { ...nb.metadata, layout: { ...nb.metadata?.layout, bom: true } };
  return nb;
}

export function writeNotebook(nb: NotebookData): Uint8Array {
  return encodeUtf8(serializeNotebook(nb), nb.metadata?.layout?.bom === true);
}

// ---------------------------------------------------------------------------------------------
// Text -> notebook

const isBlank = (line: string) => line.trim() === '';
const lineCount = (source: string) => source.split('\n').length;

/** The language a top-level fence opens as a cell, or undefined when it stays inside markdown. */
function cellFenceLanguage(f: Fence): string | undefined {
  if (f.indent !== '') return undefined;
  return languageForFence(infoWord(f));
}

/** The info word a cell is written with when its file has no fence of its own for it. */
function defaultInfo(language: string, flavour: Flavour): string {
  return fenceWordFor(language, flavour) ?? (/^[^\s`]+$/.test(language) ? language : '');
}

/** Whether `word` is an info word the writer itself uses for `language` (in either flavour). */
const ownWord = (language: string, word: string) => word === defaultInfo(language, 'sdnb') || word === defaultInfo(language, 'github');

export function parseNotebook(input: string, options: ReadOptions = {}): NotebookData {
  return parseNotebookWithLines(input, options).notebook;
}

interface ReadCell {
  cell: CellData;
  layout: CellLayout;
  meta: Record<string, unknown>;
  /** For a code cell: its opening fence line and that fence's info word. */
  open?: string;
  word?: string;
}

/** Parses, and also gives the zero-based line of the file where each cell's text starts. */
export function parseNotebookWithLines(input: string, options: ReadOptions = {}): { notebook: NotebookData; cellLines: number[] } {
  const layout: NotebookLayout = {};
  let text = input;
  if (text.includes('\r\n') && !/\r(?!\n)|(?<!\r)\n/.test(text)) {
    layout.eol = '\r\n';
    text = text.replace(/\r\n/g, '\n');
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else if (text !== '') layout.noFinalEol = true;

  const metadata: NotebookMetadata = {};
  let i = 0;
  if (lines[0] === '---') {
    let j = 1;
    while (j < lines.length && lines[j] !== '---' && lines[j] !== '...') j++;
    if (j >= lines.length) {
      throw new NotebookReadError(0, 0, 'the front matter opened here is never closed. Add a line `---` after the metadata.');
    }
    const fm = lines
      .slice(1, j)
      .map((l) => l + '\n')
      .join('');
    parseFrontMatter(fm, 1);
    metadata.frontMatter = fm;
    if (lines[j] !== '---') layout.frontMatterClose = lines[j];
    i = j + 1;
  }
  const hasFrontMatter = metadata.frontMatter !== undefined;

  const read: ReadCell[] = [];
  let pending: string[] = []; // blank lines and markdown lines since the last block
  let marker: { raw: string; args: Record<string, unknown>; line: number; gap: number } | undefined;
  // A markdown cell after a markdown cell needs a marker, unless the first was delimited by a line count.
  let lastCounted = false;
  const followsMarkdown = () => read.length > 0 && read[read.length - 1].cell.kind === 'markdown' && !lastCounted;

  const cellLines: number[] = [];
  const pushCell = (cell: CellData, gap: string[], line: number, code?: { open: string; word: string; layout: CellLayout }) => {
    cellLines.push(line);
    const cellLayout: CellLayout = code?.layout ?? {};
    const before = marker ? gap.slice(0, marker.gap) : gap;
    if (marker && gap.length > marker.gap) cellLayout.afterMarker = gap.slice(marker.gap);
    if (!sameLines(before, canonicalGap(read.length, hasFrontMatter))) cellLayout.before = before;
    const user = marker ? markerUserKeys(marker.args) : {};
    if (marker) {
      const plain = cell.kind !== 'markdown' || markdownReadsBack(cell.source, false, hasFrontMatter);
      // A line count is always recorded: whether it is needed can depend on the cells after this one.
      const canonical = markerLine(markerArgs(cell, followsMarkdown(), user, plain, code?.word ?? ''));
      if (Object.hasOwn(marker.args, 'lines') || canonical !== marker.raw) cellLayout.marker = marker.raw;
    }
    read.push({ cell, layout: cellLayout, meta: memoryMetadata(user), open: code?.open, word: code?.word });
    lastCounted = marker !== undefined && Object.hasOwn(marker.args, 'lines');
    marker = undefined;
  };

  // Flushes pending lines as blank gap + markdown cell (+ trailing blanks carried forward).
  const flushMarkdown = (): string[] => {
    let a = 0;
    while (a < pending.length && isBlank(pending[a])) a++;
    if (a === pending.length) {
      const gap = pending;
      pending = [];
      return gap;
    }
    let b = pending.length;
    while (b > a && isBlank(pending[b - 1])) b--;
    pushCell(
      { kind: 'markdown', language: 'markdown', source: pending.slice(a, b).join('\n') },
      pending.slice(0, a),
      i - pending.length + a,
    );
    const rest = pending.slice(b);
    pending = [];
    return rest;
  };

  const readCodeCell = (start: number, f: Fence, language: string, before: string[]): number => {
    let j = start + 1;
    while (j < lines.length && !closesFence(lines[j], f)) j++;
    if (j >= lines.length) {
      throw new NotebookReadError(
        start,
        0,
        `this \`${infoWord(f)}\` cell is never closed. Add a closing line ${f.char.repeat(f.length)} where the cell ends.`,
      );
    }
    const code: CellLayout = {};
    if (j === start + 2 && lines[start + 1] === '') code.emptyLine = true;
    if (lines[j] !== f.char.repeat(f.length)) code.close = lines[j];
    pushCell({ kind: 'code', language, source: lines.slice(start + 1, j).join('\n') }, before, start + 1, {
      open: lines[start],
      word: infoWord(f),
      layout: code,
    });
    return j + 1;
  };

  while (i < lines.length) {
    const line = lines[i];
    const m = MARKER_RE.exec(line);
    if (m) {
      const gap = flushMarkdown();
      if (marker) {
        throw new NotebookReadError(marker.line, 0, 'this cell marker is followed by another marker, not by a cell. Remove one of them.');
      }
      const args = markerJson(m[1] ?? '', line, i);
      if (i + 1 >= lines.length)
        throw new NotebookReadError(i, 0, 'this cell marker is not followed by a cell. Remove it or add the cell below it.');
      marker = { raw: line, args, line: i, gap: gap.length };
      pending = gap;
      i++;
      if (Object.hasOwn(args, 'lines')) {
        const n = args.lines;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || i + n > lines.length) {
          throw new NotebookReadError(
            i - 1,
            keyColumn(line, 'lines'),
            `"lines" must be a whole number of lines that follow the marker (1 to ${lines.length - i}).`,
          );
        }
        const before = pending;
        pending = [];
        pushCell({ kind: 'markdown', language: 'markdown', source: lines.slice(i, i + n).join('\n') }, before, i);
        i += n;
        continue;
      }
      if (Object.hasOwn(args, 'language')) {
        const f = openingFence(lines[i]);
        if (!f || f.indent !== '')
          throw new NotebookReadError(i, 0, `the marker above names language "${args.language}", so a fenced code block must start here.`);
        i = readCodeCell(i, f, args.language as string, pending);
        pending = [];
        continue;
      }
      continue;
    }
    const f = openingFence(line);
    if (f) {
      const language = cellFenceLanguage(f);
      if (language) {
        const gap = flushMarkdown();
        i = readCodeCell(i, f, language, gap);
        continue;
      }
      // A fence inside markdown: everything up to its closing fence is markdown, cell fences included.
      pending.push(line);
      i++;
      while (i < lines.length) {
        pending.push(lines[i]);
        if (closesFence(lines[i++], f)) break;
      }
      continue;
    }
    pending.push(line);
    i++;
  }
  const trailing = flushMarkdown();
  if (marker)
    throw new NotebookReadError(marker.line, 0, 'this cell marker is not followed by a cell. Remove it or add the cell below it.');
  if (trailing.length) layout.trailing = trailing;

  // The flavour decides which opening fences are canonical, so fences are recorded once it is known.
  const flavour: Flavour = read.some((r) => r.word !== undefined && isGithubForm(r.cell.language, r.word))
    ? 'github'
    : (options.flavour ?? 'sdnb');
  const cells = read.map(({ cell, layout: l, meta, open, word }) => {
    if (open !== undefined && (open !== codeFence(cell.source) + defaultInfo(cell.language, flavour) || l.close !== undefined)) {
      l.open = open;
      if (!ownWord(cell.language, word!)) l.openLanguage = cell.language;
    }
    if (Object.keys(l).length) meta[LAYOUT_KEY] = l;
    if (Object.keys(meta).length) cell.metadata = meta;
    return cell;
  });
  if (flavour === 'github') metadata.flavour = 'github';
  if (Object.keys(layout).length) metadata.layout = layout;
  return { notebook: Object.keys(metadata).length ? { cells, metadata } : { cells }, cellLines };
}

/** Column of `"key"` in a marker line, for errors about that key. */
function keyColumn(line: string, key: string): number {
  return Math.max(0, line.indexOf(`"${key}"`));
}

/** A marker's metadata: a JSON object whose reserved keys have the right types. */
function markerJson(argsText: string, line: string, lineIndex: number): Record<string, unknown> {
  if (argsText === '') return {};
  const column = line.indexOf(argsText);
  let args: unknown;
  try {
    args = JSON.parse(argsText);
  } catch (e) {
    throw new NotebookReadError(
      lineIndex,
      column,
      `the cell marker's metadata is not valid JSON (${(e as Error).message}). Write it as <!-- cell {"phase": "scope"} -->.`,
    );
  }
  if (!isObject(args)) {
    throw new NotebookReadError(
      lineIndex,
      column,
      'the cell marker\'s metadata must be a JSON object, e.g. <!-- cell {"phase": "scope"} -->.',
    );
  }
  if (Object.hasOwn(args, 'language') && typeof args.language !== 'string') {
    throw new NotebookReadError(
      lineIndex,
      keyColumn(line, 'language'),
      '"language" must be a string naming the cell\'s language, e.g. <!-- cell {"language":"python"} -->. (A key of your own named language is written "language$".)',
    );
  }
  if (Object.hasOwn(args, 'language') && Object.hasOwn(args, 'lines')) {
    throw new NotebookReadError(
      lineIndex,
      keyColumn(line, 'lines'),
      'a marker cannot have both "language" (a code cell follows) and "lines" (markdown lines follow).',
    );
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Notebook -> text

/** Blank lines written before cell `index` when the file has no layout of its own. */
function canonicalGap(index: number, hasFrontMatter: boolean): string[] {
  return index === 0 && !hasFrontMatter ? [] : [''];
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

/**
 * Whether a markdown cell's text reads back as exactly this one markdown cell: no cell fence or
 * marker at top level, no fence left open before another cell, no blank first or last line.
 */
function markdownReadsBack(source: string, first: boolean, hasFrontMatter: boolean, last = false): boolean {
  const lines = source.split('\n');
  if (isBlank(lines[0]) || isBlank(lines[lines.length - 1])) return false;
  // (A CR at the end of a line is dropped where every line of the file ends in CR LF.)
  if (first && !hasFrontMatter && /^---\r?$/.test(lines[0])) return false;
  let open: Fence | undefined;
  for (const line of lines) {
    if (open) {
      if (closesFence(line, open)) open = undefined;
      continue;
    }
    if (MARKER_RE.test(line)) return false;
    const f = openingFence(line);
    if (f) {
      if (cellFenceLanguage(f)) return false;
      open = f;
    }
  }
  // A fence left open swallows what follows, which is harmless only after the last cell.
  return open === undefined || last;
}

/**
 * The metadata a cell's marker carries, or undefined when the cell needs no marker. `word` is the
 * info word of a code cell's opening fence: when it does not open the cell's language, the marker names it.
 */
function markerArgs(
  cell: CellData,
  followsMarkdown: boolean,
  user: Record<string, unknown>,
  plain: boolean,
  word: string,
): Record<string, unknown> | undefined {
  const args: Record<string, unknown> = { ...user };
  if (cell.kind === 'code' && languageForFence(word) !== cell.language) args.language = cell.language;
  if (cell.kind === 'markdown' && !plain) args.lines = lineCount(cell.source);
  const needed = Object.keys(args).length > 0 || (cell.kind === 'markdown' && followsMarkdown);
  return needed ? args : undefined;
}

function markerLine(args: Record<string, unknown> | undefined): string | undefined {
  if (!args) return undefined;
  // `-->` (or `--!>`) inside a JSON string would end the HTML comment early where the file is rendered.
  return Object.keys(args).length ? `<!-- cell ${JSON.stringify(args).replace(/--(!?)>/g, '--$1\\u003e')} -->` : '<!-- cell -->';
}

/** JSON with sorted keys, to compare a marker as written with the one that would be written. */
function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

function markerArgsOf(raw: string): Record<string, unknown> | undefined {
  const m = raw.includes('\n') ? null : MARKER_RE.exec(raw);
  if (!m) return undefined;
  try {
    const v = m[1] === undefined ? {} : JSON.parse(m[1]);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a marker as written still reads back as this cell with this metadata. */
function markerSaysSame(
  args: Record<string, unknown>,
  cell: CellData,
  user: Record<string, unknown>,
  plain: boolean,
  word: string,
): boolean {
  if (stableJson(markerUserKeys(args)) !== stableJson(user)) return false;
  const hasLines = Object.hasOwn(args, 'lines');
  const hasLanguage = Object.hasOwn(args, 'language');
  if (cell.kind === 'markdown') return !hasLanguage && (hasLines ? args.lines === lineCount(cell.source) : plain);
  if (hasLines) return false;
  return hasLanguage ? args.language === cell.language : languageForFence(word) === cell.language;
}

/** Blank lines from a recorded layout, or undefined when they are anything else. */
function blankLines(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string' && !x.includes('\n') && isBlank(x)) ? (v as string[]) : undefined;
}

const oneLine = (v: unknown): string | undefined => (typeof v === 'string' && !v.includes('\n') ? v : undefined);

/** The parts of a cell's recorded layout that have the right shape. */
function cellLayoutOf(cell: CellData): CellLayout {
  const raw = isObject(cell.metadata) ? cell.metadata[LAYOUT_KEY] : undefined;
  if (!isObject(raw)) return {};
  return {
    before: blankLines(raw.before),
    afterMarker: blankLines(raw.afterMarker),
    marker: oneLine(raw.marker),
    emptyLine: raw.emptyLine === true,
    open: oneLine(raw.open),
    close: oneLine(raw.close),
    openLanguage: typeof raw.openLanguage === 'string' ? raw.openLanguage : undefined,
  };
}

function notebookLayoutOf(meta: NotebookMetadata): NotebookLayout {
  const raw = isObject(meta.layout) ? meta.layout : {};
  return {
    eol: raw.eol === '\r\n' ? '\r\n' : undefined,
    frontMatterClose: raw.frontMatterClose === '...' ? '...' : undefined,
    trailing: blankLines(raw.trailing),
    noFinalEol: raw.noFinalEol === true,
  };
}

/** The front matter's lines as written, after checking that the file will open with them. */
function frontMatterLines(fm: unknown): string[] | undefined {
  if (fm === undefined) return undefined;
  if (typeof fm !== 'string') throw new NotebookWriteError('the notebook cannot be saved: its front matter is not text.');
  const lines = fm === '' ? [] : fm.replace(/\n$/, '').split('\n');
  const end = lines.findIndex((l) => /^(---|\.\.\.)\r?$/.test(l));
  if (end >= 0)
    throw new NotebookWriteError(
      `the notebook cannot be saved: line ${end + 1} of its front matter is \`${lines[end]}\`, which would end the front matter there.`,
    );
  try {
    parseFrontMatter(fm);
  } catch (e) {
    if (e instanceof NotebookReadError)
      throw new NotebookWriteError(`the notebook cannot be saved: line ${e.line} of its front matter: ${e.detail}`);
    throw e;
  }
  return lines;
}

/** The marker metadata of cell `index`, checked to be writable as JSON. */
function writableMetadata(cell: CellData, index: number): Record<string, unknown> {
  const user = markerMetadata(cell);
  if (Object.keys(user).length === 0) return user;
  try {
    JSON.stringify(user);
  } catch (e) {
    throw new NotebookWriteError(`the notebook cannot be saved: the metadata of cell ${index + 1} is not JSON (${(e as Error).message}).`);
  }
  return user;
}

/**
 * A recorded opening fence is reused only if it is a top-level fence that no line of the source
 * closes, written for this language (a cell whose language was changed gets a fence of its new one).
 */
function fenceStillHolds(l: CellLayout, cell: CellData): l is CellLayout & { open: string } {
  const f = l.open === undefined ? undefined : openingFence(l.open);
  if (!f || f.indent !== '' || cell.source.split('\n').some((line) => closesFence(line, f))) return false;
  return ownWord(cell.language, infoWord(f)) || l.openLanguage === cell.language;
}

export function serializeNotebook(nb: NotebookData): string {
  const meta: NotebookMetadata = isObject(nb.metadata) ? nb.metadata : {};
  const layout = notebookLayoutOf(meta);
  const fm = frontMatterLines(meta.frontMatter);
  const hasFrontMatter = fm !== undefined;
  const flavour: Flavour = meta.flavour === 'github' ? 'github' : 'sdnb';
  const out: string[] = [];
  if (fm) out.push('---', ...fm, layout.frontMatterClose ?? '---');
  let prevCounted = false;
  nb.cells.forEach((cell, index) => {
    const l = cellLayoutOf(cell);
    const user = writableMetadata(cell, index);
    const markdown = cell.kind === 'markdown';
    let open = '';
    if (!markdown) open = fenceStillHolds(l, cell) ? l.open : codeFence(cell.source) + defaultInfo(cell.language, flavour);
    const opened = markdown ? undefined : openingFence(open)!;
    const word = opened ? infoWord(opened) : '';

    const before = l.before ?? canonicalGap(index, hasFrontMatter);
    out.push(...before);
    const follows = index > 0 && nb.cells[index - 1].kind === 'markdown' && !prevCounted;
    const last = index === nb.cells.length - 1;
    const plain = !markdown || markdownReadsBack(cell.source, false, hasFrontMatter, last);
    // A marker as written is kept while it still says the same (a line count it gave is still right).
    const recorded = l.marker !== undefined ? markerArgsOf(l.marker) : undefined;
    let args = recorded && markerSaysSame(recorded, cell, user, plain, word) ? recorded : markerArgs(cell, follows, user, plain, word);
    // Without a marker, a first line `---` at the top of the file would read as front matter.
    if (!args && markdown && index === 0 && !hasFrontMatter && before.length === 0 && !markdownReadsBack(cell.source, true, false, last))
      args = markerArgs(cell, follows, user, false, word);
    if (args) {
      out.push(args === recorded ? l.marker! : markerLine(args)!);
      if (!Object.hasOwn(args, 'lines') && !Object.hasOwn(args, 'language')) out.push(...(l.afterMarker ?? []));
    }
    prevCounted = args !== undefined && Object.hasOwn(args, 'lines');
    if (markdown) {
      out.push(cell.source);
      return;
    }
    out.push(open);
    if (cell.source !== '' || l.emptyLine) out.push(cell.source);
    const keepClose = open === l.open && l.close !== undefined && closesFence(l.close, opened!);
    out.push(keepClose ? l.close! : opened!.char.repeat(opened!.length));
  });
  out.push(...(layout.trailing ?? []));
  if (out.length === 0) return '';
  // A file without a final line break ends in a line that is not empty.
  const joined = out.join('\n');
  const text = joined + (layout.noFinalEol && !joined.endsWith('\n') ? '' : '\n');
  // Text holding CR characters keeps them only in a file that mixes line endings: written with LF.
  return layout.eol && !text.includes('\r') ? text.replace(/\n/g, '\r\n') : text;
}

/** Front matter as an object (empty when absent or unreadable). */
export function frontMatterOf(nb: NotebookData): Record<string, unknown> {
  const fm = nb.metadata?.frontMatter;
  if (typeof fm !== 'string' || fm === '') return {};
  try {
    return parseFrontMatter(fm);
  } catch {
    return {};
  }
}
