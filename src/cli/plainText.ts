// The kernels' Markdown outputs as plain text for a terminal (`sdnb run`'s text format): backslash
// escapes undone (`peak\_qps` is `peak_qps`), bold markers and heading and quote marks dropped, tables
// in aligned columns. Code spans and fenced blocks (diagrams) are kept as written.

const FENCE = /^(`{3,}|~{3,})/;
/** A table's delimiter row: `| --- | ---: |`. */
const DELIMITER = /^\|(\s*:?-+:?\s*\|)+\s*$/;

/** One line of Markdown text: escapes undone, `**` dropped, code spans kept with their backticks. */
export function plainInline(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && /[!-/:-@[-`{-~]/.test(text[i + 1])) {
      out += text[i + 1];
      i += 2;
    } else if (c === '`') {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = text.indexOf(run, i + run.length);
      // A code span is literal to its closing run of as many backticks; a lone run is text.
      const end = close < 0 ? i + run.length : close + run.length;
      out += text.slice(i, end);
      i = end;
    } else if (text.startsWith('**', i)) i += 2;
    else {
      out += c;
      i++;
    }
  }
  return out;
}

/** A table row's cells: split at pipes that are not escaped, the outer ones dropped. */
function cells(row: string): string[] {
  const parts: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\' && i + 1 < row.length) {
      cell += row[i] + row[i + 1];
      i++;
    } else if (row[i] === '|') {
      parts.push(cell);
      cell = '';
    } else cell += row[i];
  }
  parts.push(cell);
  const trimmed = row.trim();
  if (trimmed.startsWith('|')) parts.shift();
  if (trimmed.endsWith('|') && !trimmed.endsWith('\\|')) parts.pop();
  return parts.map((p) => p.trim());
}

/** Width in the terminal, counting code points (the tables hold no wide characters). */
const width = (s: string) => [...s].length;

function table(rows: string[]): string[] {
  const right = cells(rows[1]).map((d) => /^-+:$/.test(d));
  const body = [rows[0], ...rows.slice(2)].map((r) => cells(r).map(plainInline));
  const n = Math.max(...body.map((r) => r.length));
  const widths = Array.from({ length: n }, (_, k) => Math.max(...body.map((r) => width(r[k] ?? ''))));
  const line = (r: string[]) =>
    widths
      .map((w, k) => {
        const c = r[k] ?? '';
        const pad = ' '.repeat(w - width(c));
        return right[k] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(body[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...body.slice(1).map(line)];
}

/** Markdown as a terminal shows it best: plain text, tables aligned. */
export function plainText(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      // As written, to the closing fence (of the same character, at least as long).
      out.push(line);
      const closing = new RegExp(`^${fence[1][0] === '`' ? '`' : '~'}{${fence[1].length},}\\s*$`);
      while (++i < lines.length) {
        out.push(lines[i]);
        if (closing.test(lines[i])) break;
      }
      continue;
    }
    if (line.startsWith('|') && i + 1 < lines.length && DELIMITER.test(lines[i + 1])) {
      let end = i + 2;
      while (end < lines.length && lines[end].startsWith('|')) end++;
      out.push(...table(lines.slice(i, end)));
      i = end - 1;
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    out.push(plainInline(heading ? heading[1] : quote ? quote[1] : line));
  }
  return out.join('\n');
}
