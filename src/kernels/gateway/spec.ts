import type { KernelSpec } from '../types';

export const gatewaySpec: KernelSpec = {
  id: 'sdnb-gateway',
  fence: 'gateway',
  label: 'API gateway model',
  aliases: ['Gateway model', 'gateway'],
  outputKind: 'gateway',
  definesNames: false,
  highlight: 'yaml',
  files: {
    configuration: './language-configuration/gateway.json',
    grammar: { scopeName: 'source.sdnb-gateway', path: './syntaxes/gateway.tmLanguage.json' },
    snippets: './snippets/gateway.json',
  },
};
