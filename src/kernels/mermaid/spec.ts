import type { KernelSpec } from '../types';

export const mermaidSpec: KernelSpec = {
  id: 'mermaid',
  fence: 'mermaid',
  label: 'Diagram',
  aliases: ['Mermaid', 'mermaid'],
  extensions: ['.mmd', '.mermaid'],
  outputKind: 'mermaid',
  definesNames: false,
  highlight: 'mermaid',
  files: {
    configuration: './language-configuration/mermaid.json',
    grammar: { scopeName: 'source.mermaid', path: './syntaxes/mermaid.tmLanguage.json' },
    snippets: './snippets/mermaid.json',
  },
};
