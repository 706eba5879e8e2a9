// The kernel for `mermaid` cells. It never loads mermaid (the extension host must stay light):
// parsing is a set of cheap structural checks; executing hands the source to the notebook renderer,
// which runs mermaid's real parser and reports its errors back as diagnostics.
import type { CellOutput, Completion, ExecResult, Kernel, ParseResult, Position } from '../types';
import { MARKDOWN_MIME, richMime } from '../types';
import { checkMermaid } from './checks';
import { DIAGRAM_KEYWORDS } from './diagramTypes';
import { mermaidSpec } from './spec';
import { fencedBlock } from '../fence';

export { stripForParser } from './source';
export { mermaidLabelText } from './label';
export { MAX_TEXT_SIZE } from './checks';

export const MERMAID_MIME = richMime('mermaid');

/** Data of an `application/vnd.sdnb.mermaid+json` output item. */
export interface MermaidData {
  source: string;
}

export interface ParsedMermaid {
  source: string;
}

/** A ```mermaid fence that no line of the source can close. */
export function mermaidFence(source: string): string {
  return fencedBlock('mermaid', source);
}

export function mermaidOutput(source: string): CellOutput {
  const data: MermaidData = { source };
  return { items: { [MERMAID_MIME]: data, [MARKDOWN_MIME]: mermaidFence(source) } };
}

export const mermaidKernel: Kernel<ParsedMermaid> = {
  spec: mermaidSpec,

  parse(source): ParseResult<ParsedMermaid> {
    const { diagnostics } = checkMermaid(source);
    const broken = diagnostics.some((d) => d.severity === 'error');
    return { parsed: broken ? undefined : { source }, diagnostics };
  },

  execute(parsed): ExecResult {
    return { ok: true, outputs: [mermaidOutput(parsed.source)] };
  },

  complete(source: string, position: Position): Completion[] {
    const { header } = checkMermaid(source);
    if (header && position.line !== header.line) return [];
    return DIAGRAM_KEYWORDS.map((k) => ({ label: k, kind: 'keyword', detail: 'mermaid diagram type' }));
  },
};
