// Route matching: method and path, first match wins; `{param}` matches one segment, a trailing `/*`
// matches the rest. No match is 404.

export interface RoutePattern {
  method: string;
  segments: string[];
  /** Pattern ends with `/*`. */
  rest: boolean;
}

export function compilePattern(method: string, path: string): RoutePattern {
  let segs = splitPath(path);
  let rest = false;
  if (segs[segs.length - 1] === '*') {
    rest = true;
    segs = segs.slice(0, -1);
  }
  return { method: method.toUpperCase(), segments: segs, rest };
}

function splitPath(path: string): string[] {
  const q = path.indexOf('?');
  return (q >= 0 ? path.slice(0, q) : path).split('/').filter((s) => s !== '');
}

const isParam = (s: string) => s.length > 2 && s[0] === '{' && s[s.length - 1] === '}';

/** Path parameters if `pattern` matches, else undefined. */
export function matchPattern(p: RoutePattern, method: string, path: string): Record<string, string> | undefined {
  if (p.method !== '*' && p.method !== method.toUpperCase()) return undefined;
  const segs = splitPath(path);
  if (p.rest ? segs.length < p.segments.length : segs.length !== p.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.segments.length; i++) {
    const s = p.segments[i];
    if (isParam(s)) params[s.slice(1, -1)] = decodeURIComponent(segs[i]);
    else if (s !== segs[i]) return undefined;
  }
  if (p.rest) params['*'] = segs.slice(p.segments.length).join('/');
  return params;
}

/** Index of the first matching route and its parameters, or index -1 (404). */
export function matchRoute(
  patterns: readonly RoutePattern[],
  method: string,
  path: string,
): { index: number; params: Record<string, string> } {
  for (let i = 0; i < patterns.length; i++) {
    const params = matchPattern(patterns[i], method, path);
    if (params) return { index: i, params };
  }
  return { index: -1, params: {} };
}

/** Substitutes `{name}` in a template (path rewrite). Unknown names stay as written. */
export function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (m, name: string) => (name in params ? params[name] : m));
}
