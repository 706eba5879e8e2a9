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

export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** A GitHub-flavoured markdown table; cells are escaped. */
export function markdownTable(header: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string {
  const esc = (c: string | number) => escapeMarkdown(String(c)).replace(/\n/g, ' ');
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r, i) => `| ${r.map((c) => (i === 1 ? String(c) : esc(c))).join(' | ')} |`).join('\n');
}
