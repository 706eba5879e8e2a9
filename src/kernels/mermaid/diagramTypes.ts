// The diagram type keywords mermaid 12.3 detects (its detectors are prefix tests on the first
// significant text), and a closest-match suggestion for a misspelt one.
import { closest } from '../suggest';

/** Keywords as users write them; the first of each group is the one we suggest. */
export const DIAGRAM_KEYWORDS: readonly string[] = [
  'flowchart',
  'graph',
  'flowchart-elk',
  'sequenceDiagram',
  'classDiagram',
  'classDiagram-v2',
  'stateDiagram-v2',
  'stateDiagram',
  'erDiagram',
  'journey',
  'gantt',
  'pie',
  'quadrantChart',
  'requirementDiagram',
  'gitGraph',
  'C4Context',
  'C4Container',
  'C4Component',
  'C4Dynamic',
  'C4Deployment',
  'mindmap',
  'timeline',
  'sankey-beta',
  'xychart-beta',
  'block-beta',
  'packet-beta',
  'architecture-beta',
  'kanban',
  'radar-beta',
  'treemap-beta',
  'treeView-beta',
  'eventmodeling',
  'ishikawa-beta',
  'venn-beta',
  'usecase-beta',
  'wardley-beta',
  'cynefin-beta',
  'railroad-beta',
  'railroad-ebnf-beta',
  'railroad-abnf-beta',
  'railroad-peg-beta',
  'agentflow-beta',
  'swimlane-beta',
  'info',
];

/** Mirrors mermaid's detectors: each is a test on the text starting at the first significant line. */
const DETECTORS: readonly RegExp[] = [
  /^C4(Context|Container|Component|Dynamic|Deployment)/,
  /^(graph|flowchart)/,
  /^agentflow-beta\b/,
  /^swimlane-beta\b/,
  /^erDiagram/,
  /^gitGraph/,
  /^gantt/,
  /^info/,
  /^pie/,
  /^quadrantChart/,
  /^xychart(-beta)?/,
  /^requirement(Diagram)?/,
  /^sequenceDiagram/,
  /^classDiagram/,
  /^stateDiagram/,
  /^journey/,
  /^timeline/,
  /^mindmap/,
  /^kanban/,
  /^sankey(-beta)?/,
  /^packet(-beta)?/,
  /^radar-beta/,
  /^block(-beta)?/,
  /^treeView-beta/,
  /^architecture/,
  /^eventmodeling/,
  /^ishikawa(-beta)?\b/i,
  /^venn-beta/,
  /^treemap/,
  /^usecase-beta(?:\s|$)/,
  /^wardley-beta/i,
  /^cynefin-beta(?:[\s:]|$)/,
  /^railroad-beta/i,
  /^railroad-ebnf-beta/i,
  /^railroad-abnf-beta/i,
  /^railroad-peg-beta/i,
];

export function isKnownDiagramStart(text: string): boolean {
  return DETECTORS.some((re) => re.test(text));
}

export function isFlowchart(keyword: string): boolean {
  return /^(graph|flowchart(-elk)?)$/.test(keyword);
}

/** The keyword closest to `word`, if it is plausibly a typo of it (the rule every kernel's "did you mean" uses). */
export function closestKeyword(word: string): string | undefined {
  return closest(word, [DIAGRAM_KEYWORDS]);
}
