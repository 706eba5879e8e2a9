// Helpers every kernel uses to build outputs: a rich JSON item plus a markdown fallback.
import { CellOutput, Diagnostic, ERROR_MIME, MARKDOWN_MIME, richMime } from './types';

export function output(kind: string, data: unknown, markdown: string): CellOutput {
  return { items: { [richMime(kind)]: data, [MARKDOWN_MIME]: markdown } };
}

export interface ErrorData {
  title: string;
  message: string;
  diagnostics?: Diagnostic[];
}

/** An error output: says where (line:column, one-based for people) and what to do. */
export function errorOutput(title: string, message: string, diagnostics: Diagnostic[] = []): CellOutput {
  const lines = diagnostics.map(
    (d) => `- **${d.range.start.line + 1}:${d.range.start.column + 1}** ${d.severity}: ${escapeMarkdown(d.message)}`,
  );
  const md = [`**${escapeMarkdown(title)}**`, '', escapeMarkdown(message), ...(lines.length ? ['', ...lines] : [])].join('\n');
  const data: ErrorData = { title, message, diagnostics };
  return { items: { [ERROR_MIME]: data, [MARKDOWN_MIME]: md } };
}

const MARKDOWN_SPECIAL = /[\\`*_[\]<>|]/;
const escapeAll = (text: string) => text.replace(/([\\`*_[\]<>|])/g, '\\$1');

/**
 * Text from a kernel or a cell as Markdown that shows it as written: every character Markdown would
 * read is escaped, except that a `code` span stays code (kernels name keys and values that way).
 * In a table cell a `|` is escaped inside a span too, or it would split the cell.
 */
export function escapeMarkdown(text: string, inTable = false): string {
  // Most text has nothing to escape: test before building a new string.
  if (!MARKDOWN_SPECIAL.test(text)) return text;
  if (!text.includes('`')) return escapeAll(text);
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 0 ? escapeAll(part) : inTable ? part.replace(/\|/g, '\\|') : part))
    .join('');
}

/** One table cell: escaped, on one line. */
function tableCell(c: string | number): string {
  const text = escapeMarkdown(String(c), true);
  return text.includes('\n') ? text.replace(/\n/g, ' ') : text;
}

/** A GitHub-flavoured markdown table; cells are escaped. */
export function markdownTable(header: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string {
  const row = (r: (string | number)[]) => `| ${r.map(tableCell).join(' | ')} |`;
  const out = [row(header), `| ${header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---')).join(' | ')} |`];
  for (const r of rows) out.push(row(r));
  return out.join('\n');
}
