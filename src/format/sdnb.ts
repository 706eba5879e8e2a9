// The .sdnb file format: a Markdown document whose cell fences (```estimate, ```mermaid, ```gateway,
// ```kafka) are code cells and whose prose is markdown cells. See docs/format.md.
//
// Reading records the layout a file was written with (blank lines, fence lengths, marker spelling)
// in each cell's `layout` metadata, so that saving a file nobody edited writes the same bytes.
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { fenceForLanguage, languageForFence } from './languages';

export interface CellData {
  kind: 'markdown' | 'code';
  /** `markdown` for markdown cells; a VS Code language id for code cells. */
  language: string;
  source: string;
  /** User metadata (e.g. `{ phase: "scope" }`) plus the reserved `layout` entry. */
  metadata?: Record<string, unknown>;
}

export interface NotebookData {
  cells: CellData[];
  metadata?: NotebookMetadata;
}

export interface NotebookMetadata {
  /** Front matter YAML exactly as written between the `---` lines, each line ending in "\n". */
  frontMatter?: string;
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
}

export const LAYOUT_KEY = 'layout';
const MARKER_RE = /^<!--\s*cell\b(.*?)\s*-->\s*$/;
const FENCE_RE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

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

export function readNotebook(bytes: Uint8Array): NotebookData {
  const { text, bom } = decodeUtf8(bytes);
  const nb = parseNotebook(text);
  if (bom) nb.metadata = { ...nb.metadata, layout: { ...nb.metadata?.layout, bom: true } };
  return nb;
}

export function writeNotebook(nb: NotebookData): Uint8Array {
  return encodeUtf8(serializeNotebook(nb), nb.metadata?.layout?.bom === true);
}

// ---------------------------------------------------------------------------------------------
// Text -> notebook

const isBlank = (line: string) => line.trim() === '';

interface Fence {
  indent: string;
  char: string;
  length: number;
  info: string;
}

function openingFence(line: string): Fence | undefined {
  const m = FENCE_RE.exec(line);
  if (!m) return undefined;
  const info = m[3].trim();
  if (m[2][0] === '`' && m[3].includes('`')) return undefined;
  return { indent: m[1], char: m[2][0], length: m[2].length, info };
}

function closesFence(line: string, f: Fence): boolean {
  const m = /^( {0,3})(`{3,}|~{3,})\s*$/.exec(line);
  return !!m && m[2][0] === f.char && m[2].length >= f.length;
}

/** The language a top-level fence opens as a cell, or undefined when it stays inside markdown. */
function cellFenceLanguage(f: Fence): string | undefined {
  if (f.indent !== '') return undefined;
  return languageForFence(f.info.split(/\s+/)[0]);
}

export function parseNotebook(input: string): NotebookData {
  return parseNotebookWithLines(input).notebook;
}

/** Parses, and also gives the zero-based line of the file where each cell's text starts. */
export function parseNotebookWithLines(input: string): { notebook: NotebookData; cellLines: number[] } {
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
    const fm = lines.slice(1, j).map((l) => l + '\n').join('');
    checkFrontMatter(fm);
    metadata.frontMatter = fm;
    if (lines[j] !== '---') layout.frontMatterClose = lines[j];
    i = j + 1;
  }

  const cells: CellData[] = [];
  let pending: string[] = []; // blank lines and markdown lines since the last block
  let marker: { raw: string; args: Record<string, unknown>; line: number; gap: number } | undefined;
  // A markdown cell after a markdown cell needs a marker, unless the first was delimited by a line count.
  let lastCounted = false;
  const followsMarkdown = () => cells.length > 0 && cells[cells.length - 1].kind === 'markdown' && !lastCounted;

  const cellLines: number[] = [];
  const pushCell = (cell: CellData, gap: string[], cellLayout: CellLayout, line: number) => {
    cellLines.push(line);
    const before = marker ? gap.slice(0, marker.gap) : gap;
    if (marker && gap.length > marker.gap) cellLayout.afterMarker = gap.slice(marker.gap);
    const canonicalBefore = canonicalGap(cells.length, metadata.frontMatter !== undefined);
    if (!sameLines(before, canonicalBefore)) cellLayout.before = before;
    const meta: Record<string, unknown> = { ...(marker?.args ?? {}) };
    delete meta.lines;
    delete meta.language;
    if (marker) {
      const plain = cell.kind !== 'markdown' || markdownReadsBack(cell.source, false, metadata.frontMatter !== undefined);
      // A line count is always recorded: whether it is needed can depend on the cells after this one.
      if (marker.args.lines !== undefined || markerLine(markerArgs(cell, followsMarkdown(), meta, plain)) !== marker.raw) cellLayout.marker = marker.raw;
    }
    if (Object.keys(cellLayout).length) meta[LAYOUT_KEY] = cellLayout;
    if (Object.keys(meta).length) cell.metadata = meta;
    cells.push(cell);
    lastCounted = marker?.args.lines !== undefined;
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
    pushCell({ kind: 'markdown', language: 'markdown', source: pending.slice(a, b).join('\n') }, pending.slice(0, a), {}, i - pending.length + a);
    const rest = pending.slice(b);
    pending = [];
    return rest;
  };

  while (i < lines.length) {
    const line = lines[i];
    const m = MARKER_RE.exec(line);
    if (m) {
      const gap = flushMarkdown();
      if (marker) {
        throw new NotebookReadError(marker.line, 0, 'this cell marker is followed by another marker, not by a cell. Remove one of them.');
      }
      const argsText = m[1].trim();
      let args: Record<string, unknown> = {};
      if (argsText !== '') {
        try {
          args = JSON.parse(argsText);
        } catch (e) {
          throw new NotebookReadError(i, line.indexOf(argsText), `the cell marker's metadata is not valid JSON (${(e as Error).message}). Write it as <!-- cell {"phase": "scope"} -->.`);
        }
        if (args === null || typeof args !== 'object' || Array.isArray(args)) {
          throw new NotebookReadError(i, line.indexOf(argsText), 'the cell marker\'s metadata must be a JSON object, e.g. <!-- cell {"phase": "scope"} -->.');
        }
      }
      if (i + 1 >= lines.length) throw new NotebookReadError(i, 0, 'this cell marker is not followed by a cell. Remove it or add the cell below it.');
      marker = { raw: line, args, line: i, gap: gap.length };
      pending = gap;
      i++;
      if (args.lines !== undefined) {
        const n = args.lines;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || i + n > lines.length) {
          throw new NotebookReadError(i - 1, 0, `"lines" must be a whole number of lines that follow the marker (1 to ${lines.length - i}).`);
        }
        const before = pending;
        pending = [];
        pushCell({ kind: 'markdown', language: 'markdown', source: lines.slice(i, i + n).join('\n') }, before, {}, i);
        i += n;
        continue;
      }
      if (typeof args.language === 'string') {
        const f = openingFence(lines[i]);
        if (!f || f.indent !== '') throw new NotebookReadError(i, 0, `the marker above names language "${args.language}", so a fenced code block must start here.`);
        i = readCodeCell(lines, i, f, args.language, pushCell, pending);
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
        i = readCodeCell(lines, i, f, language, pushCell, gap);
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
  if (marker) throw new NotebookReadError(marker.line, 0, 'this cell marker is not followed by a cell. Remove it or add the cell below it.');
  if (trailing.length) layout.trailing = trailing;
  if (Object.keys(layout).length) metadata.layout = layout;
  return { notebook: Object.keys(metadata).length ? { cells, metadata } : { cells }, cellLines };
}

function readCodeCell(
  lines: string[],
  start: number,
  f: Fence,
  language: string,
  pushCell: (cell: CellData, before: string[], layout: CellLayout, line: number) => void,
  before: string[],
): number {
  let j = start + 1;
  while (j < lines.length && !closesFence(lines[j], f)) j++;
  if (j >= lines.length) {
    throw new NotebookReadError(
      start,
      0,
      `this \`${f.info.split(/\s+/)[0]}\` cell is never closed. Add a closing line ${f.char.repeat(f.length)} where the cell ends.`,
    );
  }
  const source = lines.slice(start + 1, j).join('\n');
  const fenceInfo = f.info.split(/\s+/)[0];
  const canonicalOpen = codeFence(source) + fenceInfo;
  const layout: CellLayout = {};
  if (j === start + 2 && lines[start + 1] === '') layout.emptyLine = true;
  if (lines[j] !== f.char.repeat(f.length)) layout.close = lines[j];
  if (lines[start] !== canonicalOpen || layout.close !== undefined) layout.open = lines[start];
  pushCell({ kind: 'code', language, source }, before, layout, start + 1);
  return j + 1;
}

function checkFrontMatter(fm: string): void {
  try {
    const value = parseYaml(fm, { prettyErrors: true });
    if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
      throw new NotebookReadError(1, 0, 'the front matter must be a YAML mapping such as `title: URL shortener`.');
    }
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      throw new NotebookReadError((pos?.line ?? 1) , (pos?.col ?? 1) - 1, `the front matter is not valid YAML: ${e.message.split('\n')[0]}`);
    }
    throw e;
  }
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

/** The shortest backtick fence that no line of `source` can close. */
function codeFence(source: string): string {
  let n = 3;
  for (const m of source.matchAll(/^ {0,3}(`{3,})\s*$/gm)) n = Math.max(n, m[1].length + 1);
  return '`'.repeat(n);
}

export function userMetadata(cell: CellData): Record<string, unknown> {
  const { [LAYOUT_KEY]: _layout, ...rest } = cell.metadata ?? {};
  return rest;
}

function cellLayout(cell: CellData): CellLayout {
  const l = cell.metadata?.[LAYOUT_KEY];
  return l && typeof l === 'object' ? (l as CellLayout) : {};
}

/**
 * Whether a markdown cell's text reads back as exactly this one markdown cell: no cell fence or
 * marker at top level, no fence left open before another cell, no blank first or last line.
 */
function markdownReadsBack(source: string, first: boolean, hasFrontMatter: boolean, last = false): boolean {
  const lines = source.split('\n');
  if (isBlank(lines[0]) || isBlank(lines[lines.length - 1])) return false;
  if (first && !hasFrontMatter && lines[0] === '---') return false;
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

/** The metadata a cell's marker carries, or undefined when the cell needs no marker. */
function markerArgs(cell: CellData, followsMarkdown: boolean, meta: Record<string, unknown>, plain: boolean): Record<string, unknown> | undefined {
  const args: Record<string, unknown> = { ...meta };
  if (cell.kind === 'code' && !fenceForLanguage(cell.language)) args.language = cell.language;
  if (cell.kind === 'markdown' && !plain) args.lines = cell.source.split('\n').length;
  const needed = Object.keys(args).length > 0 || (cell.kind === 'markdown' && followsMarkdown);
  return needed ? args : undefined;
}

function markerLine(args: Record<string, unknown> | undefined): string | undefined {
  if (!args) return undefined;
  return Object.keys(args).length ? `<!-- cell ${JSON.stringify(args)} -->` : '<!-- cell -->';
}

/** JSON with sorted keys, to compare a marker as written with the one that would be written. */
function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
}

function markerArgsOf(raw: string): unknown {
  const text = MARKER_RE.exec(raw)?.[1].trim();
  if (text === undefined) return undefined;
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function serializeNotebook(nb: NotebookData): string {
  const layout = nb.metadata?.layout ?? {};
  const fm = nb.metadata?.frontMatter;
  const out: string[] = [];
  if (fm !== undefined) {
    out.push('---');
    if (fm !== '') out.push(...fm.replace(/\n$/, '').split('\n'));
    out.push(layout.frontMatterClose ?? '---');
  }
  let prevCounted = false;
  nb.cells.forEach((cell, index) => {
    const l = cellLayout(cell);
    const meta = userMetadata(cell);
    const before = l.before ?? canonicalGap(index, fm !== undefined);
    out.push(...before);
    const follows = index > 0 && nb.cells[index - 1].kind === 'markdown' && !prevCounted;
    const atTop = index === 0 && before.length === 0 && l.marker === undefined && markerArgs(cell, follows, meta, true) === undefined;
    const plain = cell.kind !== 'markdown' || markdownReadsBack(cell.source, atTop, fm !== undefined, index === nb.cells.length - 1);
    const args = markerArgs(cell, follows, meta, plain);
    const written = l.marker !== undefined ? stableJson(markerArgsOf(l.marker)) : undefined;
    // A marker as written is kept while it still says the same (a line count it gave is still right).
    if (written !== undefined && (written === stableJson(args ?? {}) || written === stableJson(markerArgs(cell, follows, meta, false)))) {
      out.push(l.marker!);
      prevCounted = (markerArgsOf(l.marker!) as Record<string, unknown>).lines !== undefined;
    } else {
      if (args) out.push(markerLine(args)!);
      prevCounted = args?.lines !== undefined;
    }
    out.push(...(l.afterMarker ?? []));
    if (cell.kind === 'markdown') {
      out.push(cell.source);
      return;
    }
    const fence = codeFence(cell.source);
    const info = fenceForLanguage(cell.language) ?? cell.language;
    const open = l.open && fenceStillHolds(l.open, cell.source, info) ? l.open : fence + info;
    out.push(open);
    if (cell.source !== '' || l.emptyLine) out.push(cell.source);
    const opened = openingFence(open)!;
    out.push(open === l.open && l.close !== undefined ? l.close : opened.char.repeat(opened.length));
  });
  out.push(...(layout.trailing ?? []));
  if (out.length === 0) return '';
  const text = out.join('\n') + (layout.noFinalEol ? '' : '\n');
  return layout.eol ? text.replace(/\n/g, '\r\n') : text;
}

/** A fence line recorded from the file is reused only if it still opens this language and no line closes it early. */
function fenceStillHolds(open: string, source: string, info: string): boolean {
  const f = openingFence(open);
  if (!f || f.indent !== '' || f.info.split(/\s+/)[0] !== info) return false;
  return !source.split('\n').some((line) => closesFence(line, f));
}

/** Front matter as an object (empty when absent or not a mapping). */
export function frontMatterOf(nb: NotebookData): Record<string, unknown> {
  const fm = nb.metadata?.frontMatter;
  if (!fm) return {};
  try {
    const v = parseYaml(fm);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
