// Builds a phase's markdown cell for the templates from the phase table, so the prompts live in one place.
import { PhaseId, phaseById } from './phases';

const marker = (phase: PhaseId) => `<!-- cell {"phase":"${phase}"} -->`;

/** `<!-- cell {"phase":…} -->`, a heading (with the budget when timed), the prompts as a quote, then `body`. */
export function phaseCell(phase: PhaseId, opts: { timed: boolean; level?: number; body?: string }): string {
  const p = phaseById(phase)!;
  const heading = `${'#'.repeat(opts.level ?? (p.parent ? 3 : 2))} ${p.title}${opts.timed ? ` (${p.minutes} min)` : ''}`;
  const prompts = p.prompts.map((s) => `> - ${s}`).join('\n');
  return [marker(phase), [heading, '', prompts, ...(opts.body ? ['', opts.body] : [])].join('\n')].join('\n');
}

/** A code cell with a phase marker. */
export function phaseCode(phase: PhaseId, fence: string, source: string): string {
  return `${marker(phase)}\n\`\`\`${fence}\n${source}\n\`\`\``;
}
