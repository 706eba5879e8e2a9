// What counts as not written yet: placeholder words ("…", "TBD", "TODO"), the templates' own lines
// ("- FR1: …", "| GET | /v1/… | FR1 | … |", "- QPS: peak_qps and write_qps from the estimates") and
// the framework's prompts quoted in each section. The review treats such text as missing, so a design
// left as the Blank template has it is not a complete design. Pure.
import { BLANK_NOTEBOOK, INTERVIEW_NOTEBOOK } from '../templates';
import { PHASES } from '../templates/phases';

/** A word that stands for text still to write, with what may surround it. */
const PLACEHOLDER = /(?<=^|[\s(|:/—–-])(…|\.{3}|TBD|TBC|TODO|FIXME|XXX+|\?{2,})(?=$|[\s)|.,;:/])/i;

const normalize = (line: string) => line.trim().replace(/\s+/g, ' ');

/** Where the first placeholder word of a line is, if it has one. */
export function placeholderIn(line: string): { column: number; length: number } | undefined {
  const m = PLACEHOLDER.exec(line);
  return m ? { column: m.index, length: m[0].length } : undefined;
}

let templates: Set<string> | undefined;
let prompts: Set<string> | undefined;

/** Extra template text (the review's quick-fix skeletons), registered by the review. */
const extra: string[] = [];
export function addTemplateText(text: string): void {
  extra.push(text);
  templates = undefined;
}

function templateLines(): Set<string> {
  templates ??= new Set(
    [BLANK_NOTEBOOK, INTERVIEW_NOTEBOOK, ...extra]
      .flatMap((t) => t.split('\n'))
      .map(normalize)
      .filter((l) => /\w/.test(l) && !l.startsWith('<!--') && !l.startsWith('```')),
  );
  return templates;
}

function promptLines(): Set<string> {
  prompts ??= new Set(PHASES.flatMap((p) => p.prompts.map((s) => normalize(`> - ${s}`))));
  return prompts;
}

export type LineKind = 'written' | 'placeholder' | 'template' | 'prompt';

/**
 * How a markdown line reads to the review: `prompt` (a framework prompt the template quotes),
 * `placeholder` (holds a placeholder word, or is a template line that asks for text), `template` (a
 * template line that asks for nothing: a heading, a table header) or `written`.
 */
export function lineKind(line: string): LineKind {
  const n = normalize(line);
  if (promptLines().has(n)) return 'prompt';
  if (placeholderIn(line)) return 'placeholder';
  if (!/[\p{L}\p{N}]/u.test(n)) return 'template';
  if (templateLines().has(n)) return /^(#|\|[\s|:-]*$)/.test(n) || isTableHeader(n) ? 'template' : 'placeholder';
  return 'written';
}

/** `| Method | Path | Serves | Notes |`: a template's table header, told apart by the separator row below it in the template. */
function isTableHeader(n: string): boolean {
  return /^\|.*\|$/.test(n) && /^(\| *[A-Z][\w /]* *)+\|$/.test(n) && !/\d/.test(n);
}
