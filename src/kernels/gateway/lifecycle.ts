// API versioning and retirement headers: RFC 9745 `Deprecation: @<unix-seconds>` (a Structured Field
// Date) and RFC 8594 `Sunset: <HTTP-date>`. A call at or after the sunset is answered 410 Gone (a model choice).

/** Unix seconds from `2026-06-30`, `2026-06-30T12:00:00Z` or a string of digits (unix seconds); NaN if unreadable. */
export function parseDate(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(iso.replace(' ', 'T'));
  return Number.isNaN(ms) ? NaN : Math.floor(ms / 1000);
}

/** IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sat, 31 Dec 2018 23:59:59 GMT`. */
export function httpDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toUTCString();
}

export function deprecationHeader(unixSeconds: number): string {
  return `@${Math.floor(unixSeconds)}`;
}

export interface LifecycleHeaders {
  Deprecation?: string;
  Sunset?: string;
  Link?: string;
}

export function lifecycleHeaders(deprecated: number | undefined, sunset: number | undefined, link?: string): LifecycleHeaders {
  const h: LifecycleHeaders = {};
  if (deprecated !== undefined) h.Deprecation = deprecationHeader(deprecated);
  if (sunset !== undefined) h.Sunset = httpDate(sunset);
  if (link && deprecated !== undefined) h.Link = `<${link}>; rel="deprecation"`;
  return h;
}

/** 410 at or after the sunset; otherwise 0 (go on). */
export function lifecycleStatus(nowUnix: number, sunset: number | undefined): 0 | 410 {
  return sunset !== undefined && nowUnix >= sunset ? 410 : 0;
}
