// The requirements a design states in its scope section (`- FR1: …`, `- NFR2: …`) and how each is
// checked: by the notebook's `require` checks (met, not met, marginal, pending: not run yet, or a
// check whose line has an error) or in prose only.
// Pure: read by the review, the Requirements view and `sdnb run` / `sdnb check`.
import type { NotebookAnalysis } from '../analysis/analysis';
import type { NotebookData } from '../format/sdnb';
import type { BrokenCheck, Verdict, VerdictStatus } from '../kernels/types';

/** A requirement list item: `- FR1: users can …`, `- **NFR2**: …`, `1. NFR3 …`, `- [ ] FR4 …`. */
export const REQUIREMENT_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(?:\*\*|__|`)?(N?FR\d+)\b(?:\*\*|__|`)?\s*[:.—–-]?\s*(.*)$/;

export interface StatedRequirement {
  id: string;
  functional: boolean;
  /** The requirement's text after its id. */
  text: string;
  /** The list item as written. */
  line: string;
  cellIndex: number;
  lineIndex: number;
}

/** `broken`: a check of the requirement has an error, so it judges nothing. */
export type RequirementState = VerdictStatus | 'broken' | 'prose only';

export interface RequirementStatus {
  id: string;
  /** Undefined for a check whose id the scope section does not list. */
  stated: StatedRequirement | undefined;
  checks: Verdict[];
  /** Its checks that have an error. */
  broken: BrokenCheck[];
  state: RequirementState;
}

/** Every requirement list item of the notebook's markdown, in order. */
export function statedRequirements(nb: NotebookData): StatedRequirement[] {
  const out: StatedRequirement[] = [];
  nb.cells.forEach((c, cellIndex) => {
    if (c.kind !== 'markdown') return;
    c.source.split('\n').forEach((line, lineIndex) => {
      const m = REQUIREMENT_ITEM.exec(line);
      if (m) out.push({ id: m[1], functional: !m[1].startsWith('N'), text: m[2].trim(), line, cellIndex, lineIndex });
    });
  });
  return out;
}

const WORST: VerdictStatus[] = ['not met', 'marginal', 'pending', 'met'];

/** Each stated requirement with its checks and their combined state, then checks of ids nobody stated. */
export function requirementsSummary(nb: NotebookData, analysis: NotebookAnalysis): RequirementStatus[] {
  const verdicts = analysis.verdicts();
  const brokenChecks = analysis.brokenChecks();
  const stated = statedRequirements(nb);
  const out: RequirementStatus[] = stated.map((s) => ({ id: s.id, stated: s, checks: [], broken: [], state: 'prose only' }));
  const entry = (id: string) => {
    let r = out.find((x) => x.id === id);
    if (!r) out.push((r = { id, stated: undefined, checks: [], broken: [], state: 'prose only' }));
    return r;
  };
  for (const v of verdicts) entry(v.id).checks.push(v);
  for (const b of brokenChecks) entry(b.id).broken.push(b);
  for (const r of out) r.state = combined(r);
  return out;
}

/** The worst of a requirement's checks; a check with an error ranks just below one that is not met. */
function combined(r: RequirementStatus): RequirementState {
  if (r.checks.some((c) => c.status === 'not met')) return 'not met';
  if (r.broken.length) return 'broken';
  if (r.checks.length === 0) return 'prose only';
  return WORST.find((w) => r.checks.some((c) => c.status === w))!;
}

const MARK: Record<RequirementState, string> = { met: '✔', 'not met': '✘', marginal: '≈', pending: '…', broken: '!', 'prose only': '·' };

/**
 * A state or a check's status in words, as the Requirements view shows them (its `stateText`): a check
 * that reads what a model measures, before the model has run, is "not run yet". `sdnb` prints these.
 */
export const STATE_WORD: Record<RequirementState, string> = {
  met: 'met',
  'not met': 'not met',
  marginal: 'marginal',
  pending: 'not run yet',
  broken: 'check error',
  'prose only': 'prose only',
};

const WORD_WIDTH = Math.max(...Object.values(STATE_WORD).map((w) => w.length));

/** The summary as plain lines for a terminal (`sdnb run`, `sdnb check`). */
export function summaryLines(list: readonly RequirementStatus[]): string[] {
  if (list.length === 0) return [];
  const counts = (s: RequirementState) => list.filter((r) => r.state === s).length;
  const lines = [
    `Requirements: ${counts('met')} met, ${counts('not met')} not met, ${counts('marginal')} marginal, ${counts('pending')} not run yet${counts('broken') ? `, ${counts('broken')} with a check that has an error` : ''}, ${counts('prose only')} prose only`,
  ];
  for (const r of list) {
    const what = r.stated ? r.stated.text || r.stated.line.trim() : '(not in the scope section)';
    lines.push(`  ${MARK[r.state]} ${r.id.padEnd(5)} ${STATE_WORD[r.state].padEnd(WORD_WIDTH)} ${what}`);
    for (const c of r.checks) lines.push(`        ${c.check}: ${c.measured ? `${c.measured}, ${c.margin}` : c.message}`);
    for (const b of r.broken) lines.push(`        check not judged: ${b.reason}`);
  }
  return lines;
}
