import type { KernelSpec } from '../types';

export const estimateSpec: KernelSpec = {
  id: 'sdnb-estimate',
  fence: 'estimate',
  label: 'Estimate',
  aliases: ['Estimate', 'estimate'],
  extensions: ['.estimate'],
  outputKind: 'estimate',
  definesNames: true,
  highlight: 'estimate',
  files: {
    configuration: './language-configuration/estimate.json',
    grammar: { scopeName: 'source.sdnb-estimate', path: './syntaxes/estimate.tmLanguage.json' },
    snippets: './snippets/estimate.json',
  },
};
