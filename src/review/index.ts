// Design review: reads a notebook the way an interviewer reads a whiteboard and lists what the
// framework (seed §2.1) expects but the design does not show yet. Pure: no `vscode`, no I/O; estimate
// cells are evaluated with the estimate kernel (which only computes) to read their units.
//
// Conventions (docs/framework.md):
// - A cell's phase is its `phase` metadata; a cell without one belongs to the phase above it.
// - Functional requirements are list items whose text starts with an id `FR1`, `FR2`, …;
//   non-functional ones start with `NFR1`, … (bold or code spans around the id are fine).
// - An endpoint is a line in an `api` cell with an HTTP method (or WS) followed by a path; it must
//   cite the ids of the functional requirements it serves on the same line (table row or list item).
import { NotebookAnalysis } from '../analysis/analysis';
import { NotebookData } from '../format/sdnb';
import { statedRequirements } from './requirements';
import { addTemplateText, lineKind, placeholderIn } from './placeholders';
import { PHASES, PhaseId, REQUIRED_PHASES, inheritedPhases, phaseById } from '../templates/phases';

export type ReviewSeverity = 'warning' | 'info';

export interface ReviewFix {
  /** Insert the new cell after this cell index; -1 inserts before the first cell, 'end' after the last. */
  insertAfterCell: number | 'end';
  /** Source of the cell to insert. */
  text: string;
  /** Phase metadata for the new cell. */
  phase: PhaseId;
  /** Language of the new cell: `markdown` (the default when absent) or a code cell language. */
  language?: 'markdown' | 'sdnb-estimate' | 'mermaid';
}

export interface ReviewFinding {
  /** The cell the finding points at; undefined for a notebook-wide finding. */
  cellIndex: number | undefined;
  /** Zero-based line and column inside the cell's source (0, 0 for notebook-wide findings). */
  line: number;
  column: number;
  severity: ReviewSeverity;
  code: string;
  message: string;
  /** How many characters the finding underlines (1 when absent). */
  length?: number;
  fix?: ReviewFix;
}

export { REQUIRED_PHASES };

/** The seed's non-functional requirement categories and the words that count as covering each. */
export const NFR_CATEGORIES: readonly { id: string; pattern: RegExp }[] = [
  { id: 'scale', pattern: /\bscal(e|es|ing|able|ability)\b|\bDAU\b|\bMAU\b|\bthroughput\b|\bQPS\b|\bconcurrent\b/i },
  { id: 'performance', pattern: /\bperformance\b|\blatency\b|\bp9\d(\.\d+)?\b|\bp50\b|\bresponse time\b/i },
  {
    id: 'security',
    pattern: /\bsecur(e|ity)\b|\bauth(entication|orization|orisation|enticated)?\b|\bencrypt(ed|ion)?\b|\bprivacy\b|\babuse\b/i,
  },
  { id: 'consistency', pattern: /\bconsisten(t|cy)\b|\blineariz|\bserializ|\bordering\b|\bin order\b|\bexactly[- ]once\b|\bidempoten/i },
  { id: 'freshness', pattern: /\bfresh(ness)?\b|\bstale(ness)?\b|\breal[- ]time\b|\bpropagat|\bvisible within\b/i },
  { id: 'accuracy', pattern: /\baccura(te|cy)\b|\bprecis(e|ion)\b|\bno (data )?loss\b|\bnever los|\bduplicat|\bcorrect(ness)?\b/i },
];

const HTTP_METHOD = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|WS|WSS)`?\s*(?:\|\s*)?`?(\/[^\s`|]*)/;
const FR_REF = /\bFR\d+\b/g;

interface Ctx {
  nb: NotebookData;
  analysis: NotebookAnalysis;
  phases: (PhaseId | undefined)[];
}

/** The phase of every cell (the rule is `inheritedPhases`, shared with the interview timer). */
export function cellPhases(nb: NotebookData): (PhaseId | undefined)[] {
  return inheritedPhases(nb.cells.map((c) => c.metadata));
}

function cellsOf(ctx: Ctx, phase: PhaseId): number[] {
  const out: number[] = [];
  ctx.phases.forEach((p, i) => {
    if (p === phase) out.push(i);
  });
  return out;
}

/** Where a new cell of `phase` goes: after the last cell of that phase, else of the nearest phase before it. */
function insertionPoint(ctx: Ctx, phase: PhaseId): number | 'end' {
  const order = PHASES.map((p) => p.id);
  for (let k = order.indexOf(phase); k >= 0; k--) {
    const cells = cellsOf(ctx, order[k]);
    if (cells.length) return cells[cells.length - 1];
  }
  for (let k = order.indexOf(phase) + 1; k < order.length; k++) {
    const cells = cellsOf(ctx, order[k]);
    if (cells.length) return cells[0] - 1;
  }
  return 'end';
}

interface SectionLine {
  cell: number;
  line: number;
  text: string;
  kind: ReturnType<typeof lineKind>;
}

/** The markdown lines of `cells`, each with how it reads (written, placeholder, template, prompt). */
function sectionLines(ctx: Ctx, cells: number[]): SectionLine[] {
  return cells
    .filter((i) => ctx.nb.cells[i].kind === 'markdown')
    .flatMap((cell) => ctx.nb.cells[cell].source.split('\n').map((text, line) => ({ cell, line, text, kind: lineKind(text) })));
}

/** The text the author wrote in `cells`: placeholders, template lines and quoted prompts left out. */
const markdownText = (ctx: Ctx, cells: number[]): string =>
  sectionLines(ctx, cells)
    .filter((l) => l.kind === 'written')
    .map((l) => l.text)
    .join('\n');

/** The placeholder lines of `cells` that stand where text matching `pattern` would go. */
const placeholdersFor = (ctx: Ctx, cells: number[], pattern: RegExp): SectionLine[] =>
  sectionLines(ctx, cells).filter((l) => l.kind === 'placeholder' && pattern.test(l.text));

/**
 * A finding on text still to write: no quick fix (inserting another skeleton would not fill it),
 * underlining the placeholder so the Problems panel leads to it.
 */
function placeholderFinding(at: { cell: number; line: number; text: string }, message: string): ReviewFinding {
  const p = placeholderIn(at.text);
  const column = p?.column ?? at.text.length - at.text.trimStart().length;
  const f = finding(at.cell, 'placeholder', message, undefined, at.line, column);
  f.length = p?.length ?? Math.max(1, at.text.trim().length);
  return f;
}

/** The markdown section a quick fix inserts for a missing phase: its heading and what to write. */
export function phaseSkeleton(phase: PhaseId): string {
  const p = phaseById(phase)!;
  const body: Record<PhaseId, string> = {
    intro: '',
    scope: [
      '### Functional requirements',
      '',
      '- FR1: …',
      '- FR2: …',
      '',
      '### Non-functional requirements',
      '',
      ...NFR_CATEGORIES.map((c, i) => `- NFR${i + 1}: ${c.id} — …`),
    ].join('\n'),
    estimates: '',
    'high-level': '',
    api: ['| Method | Path | Serves | Notes |', '| --- | --- | --- | --- |', '| GET | /v1/… | FR1 | … |'].join('\n'),
    diagram: '',
    'data-model': [
      '| Entity | Fields | Key / index |',
      '| --- | --- | --- |',
      '| … | … | … |',
      '',
      '- Access patterns: …',
      '- Read/write ratio: …',
      '- QPS: … (from the estimates)',
    ].join('\n'),
    'deep-dive': '- Problem: …\n- Options and trade-offs: …\n- Choice: …',
    'wrap-up': 'Summary: …',
    qa: '',
  };
  const prompts = p.prompts.map((s) => `> - ${s}`).join('\n');
  return [`## ${p.title}`, prompts, body[phase]].filter((s) => s !== '').join('\n\n');
}

const ESTIMATE_SKELETON = [
  'dau = 10M users',
  'peak_qps = 3 * dau * 10 req/user/day -> req/s',
  'storage = dau * 1 KB/user/day * 5 years -> TB',
].join('\n');

const DIAGRAM_SKELETON = [
  'flowchart LR',
  '  client[Client] --> lb[Load balancer]',
  '  lb --> svc[Service]',
  '  svc --> db[(Database)]',
].join('\n');

function fixFor(ctx: Ctx, phase: PhaseId, text: string, language?: ReviewFix['language']): ReviewFix {
  const fix: ReviewFix = { insertAfterCell: insertionPoint(ctx, phase), text, phase };
  if (language && language !== 'markdown') fix.language = language;
  return fix;
}

function finding(cellIndex: number | undefined, code: string, message: string, fix?: ReviewFix, line = 0, column = 0): ReviewFinding {
  const f: ReviewFinding = { cellIndex, line, column, severity: 'warning', code, message };
  if (fix) f.fix = fix;
  return f;
}

// ------------------------------------------------------------------------------------ requirements

interface Requirement {
  id: string;
  text: string;
  cell: number;
  line: number;
}

interface Requirements {
  /** Every functional requirement id, written or not (endpoints may cite any of them). */
  frIds: Set<string>;
  fr: Requirement[];
  nfr: Requirement[];
  /** Requirement items whose text is still a placeholder (`- FR1: …`, `- NFR2: performance — p99 under … ms`). */
  unwritten: Requirement[];
}

function requirements(ctx: Ctx): Requirements {
  const all = statedRequirements(ctx.nb).map((r) => ({ id: r.id, text: r.line, cell: r.cellIndex, line: r.lineIndex, value: r.text }));
  const written = all.filter((r) => lineKind(r.text) === 'written' && /\w/.test(r.value));
  return {
    frIds: new Set(all.filter((r) => !r.id.startsWith('N')).map((r) => r.id)),
    fr: written.filter((r) => !r.id.startsWith('N')),
    nfr: written.filter((r) => r.id.startsWith('N')),
    unwritten: all.filter((r) => !written.includes(r)),
  };
}

/** `FR1 and FR2`, `NFR1 to NFR6`: ids, consecutive runs of three or more collapsed. */
function ids(rs: Requirement[]): string {
  const parts: string[] = [];
  for (let i = 0; i < rs.length;) {
    let j = i;
    const num = (k: number) => Number(rs[k].id.replace(/\D+/, ''));
    while (j + 1 < rs.length && rs[j + 1].id.replace(/\d+/, '') === rs[i].id.replace(/\d+/, '') && num(j + 1) === num(j) + 1) j++;
    parts.push(...(j - i >= 2 ? [`${rs[i].id} to ${rs[j].id}`] : rs.slice(i, j + 1).map((r) => r.id)));
    i = j + 1;
  }
  return joinAnd(parts);
}

/** `is still a placeholder` / `are still placeholders`. */
const stillPlaceholder = (n: number) => (n === 1 ? 'is still a placeholder' : 'are still placeholders');

/** Performance and scale requirements are the ones a model can measure: each should have a check. */
const MEASURABLE = NFR_CATEGORIES.filter((c) => c.id === 'performance' || c.id === 'scale');

function reviewChecks(ctx: Ctx, reqs: Requirements, out: ReviewFinding[]): void {
  const verdicts = ctx.analysis.verdicts();
  // A check with an error is a check: its error is in the Problems panel already.
  const broken = new Set(ctx.analysis.brokenChecks().map((b) => b.id));
  for (const r of reqs.nfr) {
    const kind = MEASURABLE.find((c) => c.pattern.test(r.text));
    if (!kind || verdicts.some((v) => v.id === r.id) || broken.has(r.id)) continue;
    out.push(
      finding(
        r.cell,
        'requirement-unchecked',
        `${r.id} is a ${kind.id} requirement with no check: name the model that serves it and state the check in an estimate cell below it, e.g. \`require ${r.id}: ${kind.id === 'scale' ? 'api.error_rate <= 0.1%' : 'api.p99 <= 50 ms'}\` with the model at the estimated peak, so the notebook verifies it.`,
        undefined,
        r.line,
      ),
    );
  }
  const stated = new Set([...reqs.fr, ...reqs.nfr, ...reqs.unwritten].map((r) => r.id));
  for (const v of verdicts) {
    if (stated.has(v.id)) continue;
    out.push(
      finding(
        v.cellIndex,
        'requirement-not-stated',
        `\`require ${v.id}\` checks a requirement the scope section does not list. Add \`- ${v.id}: …\` to the requirements, or use the id it has there.`,
        undefined,
        v.range.start.line,
        v.range.start.column,
      ),
    );
  }
}

function reviewScope(ctx: Ctx, cells: number[], reqs: Requirements, out: ReviewFinding[]): void {
  const at = cells[0];
  const unwrittenFr = reqs.unwritten.filter((r) => !r.id.startsWith('N'));
  const unwrittenNfr = reqs.unwritten.filter((r) => r.id.startsWith('N'));
  // A requirement left as a placeholder is unfinished whether or not others are written.
  if (unwrittenFr.length) {
    out.push(
      placeholderFinding(
        unwrittenFr[0],
        `Scope: ${ids(unwrittenFr)} ${stillPlaceholder(unwrittenFr.length)}. Write the features you agreed on (“users can …”), or delete the items you do not need: the API cites these ids.`,
      ),
    );
  } else if (reqs.fr.length === 0) {
    out.push(
      finding(
        at,
        'no-functional-requirements',
        'Scope: no functional requirements are listed. List the top features you agreed on as list items `- FR1: users can …` (the API cites these ids).',
        fixFor(ctx, 'scope', '### Functional requirements\n\n- FR1: …\n- FR2: …'),
      ),
    );
  }
  if (unwrittenNfr.length) {
    out.push(
      placeholderFinding(
        unwrittenNfr[0],
        `Scope: ${ids(unwrittenNfr)} ${stillPlaceholder(unwrittenNfr.length)}. Say what the system must achieve for each, with a number where there is one (e.g. “p99 latency under 200 ms”), or drop the item and say why it does not matter.`,
      ),
    );
  }
  if (reqs.nfr.length === 0) {
    if (unwrittenNfr.length) return;
    out.push(
      finding(
        at,
        'no-non-functional-requirements',
        `Scope: no non-functional requirements are listed. Add list items \`- NFR1: …\` covering ${NFR_CATEGORIES.map((c) => c.id).join(', ')}.`,
        fixFor(ctx, 'scope', '### Non-functional requirements\n\n' + NFR_CATEGORIES.map((c, i) => `- NFR${i + 1}: ${c.id} — …`).join('\n')),
      ),
    );
    return;
  }
  const text = reqs.nfr.map((r) => r.text).join('\n');
  // A category an unwritten item names is reported with the placeholders above, not again here.
  const missing = NFR_CATEGORIES.filter((c) => !c.pattern.test(text) && !unwrittenNfr.some((r) => c.pattern.test(r.text)));
  if (missing.length) {
    const names = missing.map((c) => c.id);
    const first = reqs.nfr[0];
    const n = Math.max(...reqs.nfr.map((r) => Number(r.id.slice(3))));
    out.push(
      finding(
        first.cell,
        'nfr-missing-categories',
        `Scope: the non-functional requirements say nothing about ${joinAnd(names)}. Add a requirement for each (or state that it does not matter and why).`,
        fixFor(
          ctx,
          'scope',
          '### More non-functional requirements\n\n' + missing.map((c, i) => `- NFR${n + i + 1}: ${c.id} — …`).join('\n'),
        ),
        first.line,
      ),
    );
  }
}

function joinAnd(xs: string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

// ------------------------------------------------------------------------------------ estimates

/** A rate of things: per second, of one countable unit (req/s, msg/s, tweets/s). */
export function isQpsLike(dims: Record<string, number>): boolean {
  const keys = Object.keys(dims).filter((k) => dims[k] !== 0);
  if (dims.time !== -1) return false;
  const others = keys.filter((k) => k !== 'time');
  return others.length === 1 && others[0] !== 'information' && dims[others[0]] === 1;
}

/** A size: bytes and nothing else. */
export function isStorageLike(dims: Record<string, number>): boolean {
  const keys = Object.keys(dims).filter((k) => dims[k] !== 0);
  return keys.length === 1 && keys[0] === 'information' && dims.information === 1;
}

function reviewEstimates(ctx: Ctx, out: ReviewFinding[]): void {
  const defs = ctx.analysis.cells.flatMap((c) => c.defines);
  const estimateCells = ctx.nb.cells.map((c, i) => (c.kind === 'code' && c.language === 'sdnb-estimate' ? i : -1)).filter((i) => i >= 0);
  if (estimateCells.length === 0) {
    out.push(
      finding(
        undefined,
        'no-estimates',
        'Estimates: no estimate cell. Estimate the peak QPS (req/s) and the storage (bytes) to size the design.',
        fixFor(ctx, 'estimates', ESTIMATE_SKELETON, 'sdnb-estimate'),
      ),
    );
    return;
  }
  const at = estimateCells[0];
  // A name whose line has an error may be the rate or the size: its error is the finding until it is fixed.
  if (ctx.analysis.cells.some((c) => c.unavailable.length > 0)) return;
  if (!defs.some((d) => isQpsLike(d.quantity.dims)))
    out.push(
      finding(
        at,
        'no-qps-estimate',
        'Estimates: no name holds a request rate. Define the QPS as a rate per second, e.g. `peak_qps = 3 * dau * 10 req/user/day -> req/s`.',
        fixFor(ctx, 'estimates', 'peak_qps = 3 * 10M users * 10 req/user/day -> req/s', 'sdnb-estimate'),
      ),
    );
  if (!defs.some((d) => isStorageLike(d.quantity.dims)))
    out.push(
      finding(
        at,
        'no-storage-estimate',
        'Estimates: no name holds a size in bytes. Estimate the storage, e.g. `storage = writes * 1 KB/req * 5 years -> TB`.',
        fixFor(ctx, 'estimates', 'storage = 10M users * 1 KB/user/day * 5 years -> TB', 'sdnb-estimate'),
      ),
    );
}

// ------------------------------------------------------------------------------------ API

export interface Endpoint {
  method: string;
  path: string;
  cites: string[];
  cell: number;
  line: number;
  column: number;
}

export function endpoints(nb: NotebookData, cells: number[]): Endpoint[] {
  const out: Endpoint[] = [];
  for (const cell of cells) {
    const c = nb.cells[cell];
    if (c.kind !== 'markdown') continue;
    let fence: string | undefined;
    c.source.split('\n').forEach((text, line) => {
      const f = /^\s*(`{3,}|~{3,})/.exec(text);
      if (f) {
        if (fence === undefined) fence = f[1][0];
        else if (f[1][0] === fence) fence = undefined;
        return;
      }
      if (fence !== undefined) return;
      const m = HTTP_METHOD.exec(text);
      if (!m) return;
      out.push({ method: m[1], path: m[2], cites: [...new Set(text.match(FR_REF) ?? [])], cell, line, column: m.index });
    });
  }
  return out;
}

function reviewApi(ctx: Ctx, cells: number[], frIds: Set<string>, out: ReviewFinding[]): void {
  const all = endpoints(ctx.nb, cells);
  const lineOf = (e: Endpoint) => ctx.nb.cells[e.cell].source.split('\n')[e.line];
  const eps = all.filter((e) => lineKind(lineOf(e)) === 'written');
  const unwritten = all.filter((e) => !eps.includes(e));
  if (unwritten.length) {
    const e = unwritten[0];
    out.push(
      placeholderFinding(
        { cell: e.cell, line: e.line, text: lineOf(e) },
        `API design: \`${e.method} ${e.path}\` is still a placeholder. Write each endpoint the requirements need, with its path and the FR it serves, or delete the row.`,
      ),
    );
  }
  if (eps.length === 0 && unwritten.length) return;
  if (eps.length === 0) {
    out.push(
      finding(
        cells[0],
        'no-endpoints',
        'API design: no endpoint found. Write each as `METHOD /path` in a table row or list item citing the requirement it serves (e.g. `| POST | /v1/urls | FR1 |`).',
        fixFor(ctx, 'api', phaseSkeleton('api').split('\n\n').pop()!),
      ),
    );
    return;
  }
  for (const e of eps) {
    const name = `\`${e.method} ${e.path}\``;
    if (e.cites.length === 0) {
      out.push(
        finding(
          e.cell,
          'endpoint-untraced',
          `API design: ${name} does not cite a functional requirement. Name the FR it serves on the same line, or drop it: the API should only serve the requirements list.`,
          undefined,
          e.line,
          e.column,
        ),
      );
      continue;
    }
    const unknown = e.cites.filter((id) => !frIds.has(id));
    if (unknown.length)
      out.push(
        finding(
          e.cell,
          'endpoint-outside-requirements',
          `API design: ${name} cites ${joinAnd(unknown)}, which ${unknown.length === 1 ? 'is' : 'are'} not in the requirements list. Add the requirement to the scope or drop the endpoint.`,
          undefined,
          e.line,
          e.column,
        ),
      );
  }
}

// ------------------------------------------------------------------------------------ diagram

export interface DiagramParts {
  entry: boolean;
  services: boolean;
  storage: boolean;
}

const ENTRY = /load[- ]?balancer|\bLB\b|\bALB\b|\bELB\b|gateway|ingress|reverse proxy|\bnginx\b|\benvoy\b/i;
const STORAGE =
  /data ?base|\bDB\b|\bstore\b|storage|\bS3\b|bucket|blob|\bSQL\b|postgres|mysql|cassandra|dynamo|mongo|redis|\bcache\b|\bledger\b|\btable\b/i;
const NODE = /(?:^|[\s;&>-])([A-Za-z_][\w-]*)\s*(\[\(|\(\[|\[\[|\(\(\(|\(\(|\{\{|\[\/|\[\\|\[|\(|\{|>)\s*"?([^"\]\)\}]*)/g;
const ARCH_NODE = /^\s*(service|database|junction)\s+([\w-]+)(?:\(([\w:-]+)\))?(?:\[([^\]]*)\])?/;

/** Entry point, services and storage of a flowchart (or architecture-beta) diagram, by node shapes and labels. */
export function diagramParts(source: string): DiagramParts {
  const parts: DiagramParts = { entry: false, services: false, storage: false };
  const lines = source.split('\n');
  const header = lines.find((l) => l.trim() !== '' && !l.trim().startsWith('%%'))?.trim() ?? '';
  if (/^architecture/.test(header)) {
    for (const l of lines) {
      const m = ARCH_NODE.exec(l);
      if (!m || m[1] !== 'service') continue;
      const label = `${m[2]} ${m[4] ?? ''}`;
      if (m[3] === 'database' || m[3] === 'disk' || STORAGE.test(label)) parts.storage = true;
      else if (ENTRY.test(label)) parts.entry = true;
      else if (m[3] !== 'internet') parts.services = true;
    }
    return parts;
  }
  if (!/^(flowchart|graph)\b/.test(header)) return parts;
  for (const l of lines.slice(1)) {
    if (/^\s*(%%|classDef|class |style |linkStyle|click )/.test(l)) continue;
    // Bare ids between arrows (`a --> b`) are nodes too, labelled by their id.
    const bare = l
      .split(/(?:<?[-=.]{2,}[->ox]?|--\s[^-]*-->)(?:\|[^|]*\|)?/)
      .map((t) => t.trim().replace(/;$/, ''))
      .filter((t) => /^[A-Za-z_][\w-]*$/.test(t) && !/^(subgraph|end|direction)$/.test(t))
      .map((id) => ['', id, '', ''] as const);
    for (const m of [...l.matchAll(NODE), ...bare]) {
      const [, id, shape, label] = m;
      if (id === 'subgraph' || id === 'end') continue;
      const text = `${id} ${label}`;
      if (shape === '[(' || STORAGE.test(label || id)) parts.storage = true;
      else if (ENTRY.test(text) || /^(lb|gw|gateway)$/i.test(id)) parts.entry = true;
      else if (!/^(client|clients|user|users|browser|mobile|app|web)$/i.test(id) && !/\b(client|user|browser)s?\b/i.test(label))
        parts.services = true;
    }
  }
  return parts;
}

/** Cells of the diagram phase, plus mermaid cells that sit directly in the high-level phase. */
function diagramCells(ctx: Ctx): number[] {
  return ctx.nb.cells
    .map((_, i) => i)
    .filter(
      (i) =>
        ctx.phases[i] === 'diagram' ||
        (ctx.phases[i] === 'high-level' && ctx.nb.cells[i].kind === 'code' && ctx.nb.cells[i].language === 'mermaid'),
    );
}

function reviewDiagram(ctx: Ctx, cells: number[], out: ReviewFinding[]): void {
  const diagrams = cells.filter((i) => ctx.nb.cells[i].kind === 'code' && ctx.nb.cells[i].language === 'mermaid');
  if (diagrams.length === 0) {
    out.push(
      finding(
        cells[0],
        'no-diagram',
        'High-level diagram: the diagram phase has no mermaid cell. Draw the entry point, the services and the data stores.',
        fixFor(ctx, 'diagram', DIAGRAM_SKELETON, 'mermaid'),
      ),
    );
    return;
  }
  const parts: DiagramParts = { entry: false, services: false, storage: false };
  for (const i of diagrams) {
    const p = diagramParts(ctx.nb.cells[i].source);
    parts.entry ||= p.entry;
    parts.services ||= p.services;
    parts.storage ||= p.storage;
  }
  const at = diagrams[0];
  if (!parts.entry)
    out.push(
      finding(
        at,
        'diagram-no-entry',
        'High-level diagram: no entry point. Put a load balancer or an API gateway in front of the services (a node labelled e.g. `lb[Load balancer]` or `gw[API gateway]`).',
      ),
    );
  if (!parts.services)
    out.push(
      finding(
        at,
        'diagram-no-services',
        'High-level diagram: no services behind the entry point. Draw the services from the feature list.',
      ),
    );
  if (!parts.storage)
    out.push(
      finding(
        at,
        'diagram-no-storage',
        'High-level diagram: no data storage. Draw where the data is persisted, e.g. a database as `db[(Database)]`.',
      ),
    );
}

// ------------------------------------------------------------------------------------ data model, deep dive, wrap-up

const DATA_MODEL_ITEMS: readonly { id: string; pattern: RegExp; line: string }[] = [
  { id: 'access patterns', pattern: /access patterns?/i, line: '- Access patterns: …' },
  {
    id: 'read/write ratio',
    pattern: /read\s*\/\s*write|reads?[- ]to[- ]writes?|read[- ]heavy|write[- ]heavy|reads?\s*:\s*writes?/i,
    line: '- Read/write ratio: …',
  },
  { id: 'QPS', pattern: /\bQPS\b|req\/s|queries per second|requests per second|writes\/s|reads\/s|msg\/s/i, line: '- QPS: …' },
];

function reviewDataModel(ctx: Ctx, cells: number[], out: ReviewFinding[]): void {
  const text = markdownText(ctx, cells);
  const absent = DATA_MODEL_ITEMS.filter((x) => !x.pattern.test(text));
  const pending = absent.map((x) => ({ x, at: placeholdersFor(ctx, cells, x.pattern)[0] })).filter((p) => p.at);
  if (pending.length)
    out.push(
      placeholderFinding(
        pending[0].at,
        `Data model: the ${joinAnd(pending.map((p) => p.x.id))} ${stillPlaceholder(pending.length)}. Write them down: they decide the database and its indexes.`,
      ),
    );
  const missing = absent.filter((x) => !pending.some((p) => p.x === x));
  if (missing.length)
    out.push(
      finding(
        cells[0],
        'data-model-incomplete',
        `Data model: the ${joinAnd(missing.map((x) => x.id))} ${missing.length === 1 ? 'is' : 'are'} not discussed. They decide the database and its indexes.`,
        fixFor(ctx, 'data-model', missing.map((x) => x.line).join('\n')),
      ),
    );
}

const TRADE_OFF = /trade[- ]?offs?/i;

function reviewDeepDive(ctx: Ctx, cells: number[], out: ReviewFinding[]): void {
  if (TRADE_OFF.test(markdownText(ctx, cells))) return;
  const pending = placeholdersFor(ctx, cells, TRADE_OFF);
  if (pending.length)
    out.push(
      placeholderFinding(
        pending[0],
        'Deep dive: the trade-offs are still placeholders. For each problem area, say which options you weighed and what the choice costs.',
      ),
    );
  else
    out.push(
      finding(
        cells[0],
        'deep-dive-no-tradeoffs',
        'Deep dive: no trade-offs are named. For each problem area, say which options you weighed and what the choice costs (write “trade-off”).',
        fixFor(ctx, 'deep-dive', TRADE_OFF_SKELETON),
      ),
    );
}

function reviewWrapUp(ctx: Ctx, cells: number[], out: ReviewFinding[]): void {
  const prose = markdownText(ctx, cells)
    .split('\n')
    .filter((l) => !/^\s*(#|>|<!--)/.test(l))
    .join(' ');
  const words = prose.split(/\s+/).filter((w) => /\w/.test(w) && w !== '…');
  if (words.length >= 12) return;
  const pending = placeholdersFor(ctx, cells, /\S/);
  if (pending.length)
    out.push(
      placeholderFinding(
        pending[0],
        'Wrap up: the summary is still a placeholder. Summarise the solution in a few sentences: what it does, how it meets the requirements, what comes next.',
      ),
    );
  else
    out.push(
      finding(
        cells[0],
        'wrap-up-no-summary',
        'Wrap up: no summary. Summarise the solution in a few sentences: what it does, how it meets the requirements, what comes next.',
        fixFor(ctx, 'wrap-up', 'Summary: …'),
      ),
    );
}

const TRADE_OFF_SKELETON = '### Trade-offs\n\n- Trade-off: option A against option B, …';

// The quick fixes' skeletons are template text too: their headings are not the author's words.
for (const p of PHASES) addTemplateText(phaseSkeleton(p.id));
addTemplateText(TRADE_OFF_SKELETON);
addTemplateText('### Functional requirements\n### Non-functional requirements\n### More non-functional requirements');

// ------------------------------------------------------------------------------------ entry point

/**
 * Reviews a design against the framework. Findings come in notebook order (notebook-wide ones first).
 * `analysis` is the notebook's analysis when the caller keeps one; otherwise the review makes its own.
 */
export function reviewNotebook(nb: NotebookData, analysis = new NotebookAnalysis().update(nb.cells)): ReviewFinding[] {
  const ctx: Ctx = { nb, analysis, phases: cellPhases(nb) };
  const out: ReviewFinding[] = [];
  const present = (id: PhaseId) => cellsOf(ctx, id).length > 0;
  const reqs = requirements(ctx);
  for (const id of REQUIRED_PHASES) {
    if (present(id)) continue;
    // A diagram drawn in the high-level phase itself counts as the diagram.
    if (id === 'diagram' && diagramCells(ctx).length) continue;
    // Estimates are judged by their cells, wherever they are.
    if (id === 'estimates' && nb.cells.some((c) => c.kind === 'code' && c.language === 'sdnb-estimate')) continue;
    const p = phaseById(id)!;
    out.push(
      finding(
        undefined,
        'missing-phase',
        `The design has no “${p.title}” phase (no cell with phase \`${id}\`). ${p.prompts[0]}`,
        id === 'estimates'
          ? fixFor(ctx, id, ESTIMATE_SKELETON, 'sdnb-estimate')
          : id === 'diagram'
            ? fixFor(ctx, id, DIAGRAM_SKELETON, 'mermaid')
            : fixFor(ctx, id, phaseSkeleton(id)),
      ),
    );
  }
  if (present('scope')) reviewScope(ctx, cellsOf(ctx, 'scope'), reqs, out);
  reviewChecks(ctx, reqs, out);
  if (present('estimates') || nb.cells.some((c) => c.kind === 'code' && c.language === 'sdnb-estimate')) reviewEstimates(ctx, out);
  if (present('api')) reviewApi(ctx, cellsOf(ctx, 'api'), reqs.frIds, out);
  if (diagramCells(ctx).length) reviewDiagram(ctx, diagramCells(ctx), out);
  if (present('data-model')) reviewDataModel(ctx, cellsOf(ctx, 'data-model'), out);
  if (present('deep-dive')) reviewDeepDive(ctx, cellsOf(ctx, 'deep-dive'), out);
  if (present('wrap-up')) reviewWrapUp(ctx, cellsOf(ctx, 'wrap-up'), out);
  return out.sort((a, b) => (a.cellIndex ?? -1) - (b.cellIndex ?? -1) || a.line - b.line || a.column - b.column);
}
