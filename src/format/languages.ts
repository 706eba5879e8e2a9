// Cell languages: the VS Code language id and the fence info word that stands for it in a file,
// derived from the kernels' specs (src/kernels/all.ts lists the kernels). In a file written for
// GitHub (.sdnb.md) a cell is written with its spec's `highlight` word instead (model cells become
// YAML blocks under a marker naming their language; see docs/format.md).
import { SPECS } from '../kernels/all';

/** How a file writes its cells: `sdnb` with a fence of their own, `github` with model cells as ```yaml. */
export type Flavour = 'sdnb' | 'github';

const byFence = new Map<string, string>(SPECS.map((l) => [l.fence, l.id]));
const byId = new Map<string, { fence: string; github: string }>(SPECS.map((l) => [l.id, { fence: l.fence, github: l.highlight }]));

/** The language id a fence info word opens as a cell, or undefined when the fence stays markdown. */
export function languageForFence(info: string): string | undefined {
  return byFence.get(info);
}

export function fenceForLanguage(language: string): string | undefined {
  return byId.get(language)?.fence;
}

/** The info word a cell of `language` is written with in `flavour`, for the notebook's own languages. */
export function fenceWordFor(language: string, flavour: Flavour): string | undefined {
  const l = byId.get(language);
  return flavour === 'github' ? l?.github : l?.fence;
}

/** Whether a cell of `language` under info word `word` is in the GitHub form (not its own fence). */
export function isGithubForm(language: string, word: string): boolean {
  const l = byId.get(language);
  return l !== undefined && l.github !== l.fence && word === l.github;
}

export const CODE_LANGUAGE_IDS: string[] = SPECS.map((l) => l.id);
