// Cell languages: the VS Code language id and the fence info string that stands for it in a file.
export const CELL_LANGUAGES = [
  { id: 'sdnb-estimate', fence: 'estimate', name: 'Estimate' },
  { id: 'mermaid', fence: 'mermaid', name: 'Mermaid diagram' },
  { id: 'sdnb-gateway', fence: 'gateway', name: 'API gateway model' },
  { id: 'sdnb-kafka', fence: 'kafka', name: 'Kafka model' },
] as const;

export type CellLanguageId = (typeof CELL_LANGUAGES)[number]['id'];

const byFence = new Map<string, string>(CELL_LANGUAGES.map((l) => [l.fence, l.id]));
const byId = new Map<string, string>(CELL_LANGUAGES.map((l) => [l.id, l.fence]));

/** The language id a fence info word opens as a cell, or undefined when the fence stays markdown. */
export function languageForFence(info: string): string | undefined {
  return byFence.get(info);
}

export function fenceForLanguage(language: string): string | undefined {
  return byId.get(language);
}

export const CODE_LANGUAGE_IDS: string[] = CELL_LANGUAGES.map((l) => l.id);
