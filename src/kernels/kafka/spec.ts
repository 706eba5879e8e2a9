import type { KernelSpec } from '../types';

export const kafkaSpec: KernelSpec = {
  id: 'sdnb-kafka',
  fence: 'kafka',
  label: 'Kafka model',
  aliases: ['Kafka model', 'kafka'],
  outputKind: 'kafka',
  definesNames: false,
  highlight: 'yaml',
  files: {
    configuration: './language-configuration/kafka.json',
    grammar: { scopeName: 'source.sdnb-kafka', path: './syntaxes/kafka.tmLanguage.json' },
    snippets: './snippets/kafka.json',
  },
};
