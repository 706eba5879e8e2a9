// Cell languages: the VS Code language id and the fence info word that stands for it in a file,
// derived from the kernels' specs (src/kernels/all.ts lists the kernels).
import { SPECS } from '../kernels/all';

const byFence = new Map<string, string>(SPECS.map((l) => [l.fence, l.id]));
const byId = new Map<string, string>(SPECS.map((l) => [l.id, l.fence]));

/** The language id a fence info word opens as a cell, or undefined when the fence stays markdown. */
export function languageForFence(info: string): string | undefined {
  return byFence.get(info);
}

export function fenceForLanguage(language: string): string | undefined {
  return byId.get(language);
}

export const CODE_LANGUAGE_IDS: string[] = SPECS.map((l) => l.id);
