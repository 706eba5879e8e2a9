// File arguments: plain paths, or glob patterns (`docs/**/*.sdnb*`) for shells that pass them quoted.
// `*` and `?` match within one path segment, `**` any number of segments, `{a,b}` either word.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAGIC = /[*?{[]/;

/** A segment pattern as a regular expression. */
function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = seg.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${seg
          .slice(i + 1, end)
          .split(',')
          .map((w) => w.replace(/[.+^${}()|[\]\\*?]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The files a pattern names, sorted; a pattern without wildcards is returned as it is. */
export function expandGlob(pattern: string): string[] {
  if (!MAGIC.test(pattern)) return [pattern];
  const parts = pattern.split('/');
  const fixed: string[] = [];
  while (parts.length && !MAGIC.test(parts[0])) fixed.push(parts.shift()!);
  const base = fixed.join('/') || (pattern.startsWith('/') ? '/' : '.');
  const out = new Set<string>();
  const walk = (dir: string, rest: string[]): void => {
    if (rest.length === 0) return;
    const [seg, ...more] = rest;
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    if (seg === '**') {
      walk(dir, more);
      for (const e of entries) if (!e.startsWith('.') && e !== 'node_modules' && isDir(join(dir, e))) walk(join(dir, e), rest);
      return;
    }
    const re = segmentRegex(seg);
    for (const e of entries) {
      if (!re.test(e) || (e.startsWith('.') && !seg.startsWith('.'))) continue;
      const p = join(dir, e);
      if (more.length === 0) {
        if (!isDir(p)) out.add(p);
      } else if (isDir(p)) walk(p, more);
    }
  };
  walk(base, parts);
  return [...out].sort();
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
