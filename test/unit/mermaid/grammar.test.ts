// The mermaid TextMate grammar: generated from mermaid's own keyword lists and in step with the
// installed mermaid, and scoping lines of each kind of diagram as intended. Tokenized with the engine
// VS Code uses: vscode-textmate over Oniguruma, line by line with the rule stack carried across lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tm from 'vscode-textmate';
import * as onig from 'vscode-oniguruma';
import { mermaidGrammar } from '../../../syntaxes/mermaid.generate';

const PATH = 'syntaxes/mermaid.tmLanguage.json';
const wasm = readFileSync('node_modules/vscode-oniguruma/release/onig.wasm');
const onigReady = onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
const registry = new tm.Registry({
  onigLib: onigReady.then(() => ({
    createOnigScanner: (p: string[]) => onig.createOnigScanner(p),
    createOnigString: (s: string) => onig.createOnigString(s),
  })),
  // VS Code's YAML grammar highlights the front matter; a stand-in that scopes nothing will do here.
  loadGrammar: async (scope) =>
    scope === 'source.mermaid'
      ? tm.parseRawGrammar(readFileSync(PATH, 'utf8'), PATH)
      : scope === 'source.yaml'
        ? tm.parseRawGrammar('{"scopeName":"source.yaml","patterns":[]}', 'yaml.json')
        : null,
});
const grammar = registry.loadGrammar('source.mermaid');

/** Each line as `text:scope` tokens (innermost scope, `.mermaid` dropped), spaces and unscoped text left out. */
async function tokens(text: string): Promise<string[][]> {
  const g = (await grammar)!;
  let stack = tm.INITIAL;
  return text.split('\n').map((line) => {
    const r = g.tokenizeLine(line, stack);
    stack = r.ruleStack;
    // Adjacent tokens with the same scopes are one (a string's quotes and its text).
    const merged: { text: string; scopes: string }[] = [];
    for (const t of r.tokens) {
      const text = line.slice(t.startIndex, t.endIndex);
      const last = merged.at(-1);
      if (last && last.scopes === t.scopes.join(' ')) last.text += text;
      else merged.push({ text, scopes: t.scopes.join(' ') });
    }
    return merged
      .filter((t) => t.scopes.includes(' ') && t.text.trim() !== '')
      .map(
        (t) =>
          `${t.text.trim()}:${t.scopes
            .split(' ')
            .at(-1)!
            .replace(/\.mermaid$/, '')}`,
      );
  });
}

test('the committed grammar is the one mermaid’s installed keyword lists give (npx tsx syntaxes/mermaid.generate.ts)', () => {
  const { grammar: fresh, injection } = mermaidGrammar();
  assert.deepEqual(JSON.parse(readFileSync(PATH, 'utf8')), fresh);
  assert.deepEqual(JSON.parse(readFileSync('syntaxes/mermaid.injection.tmLanguage.json', 'utf8')), injection);
});

const cases: [string, string, string[][]][] = [
  [
    'a flowchart: header, direction, labels, links, comments',
    'flowchart LR\n  client[Client] --> lb[Load balancer]\n  lb -->|/api| api(API) -.-> db[(Orders DB)]\n  %% storage last\n  subgraph backend\n  end',
    [
      ['flowchart:keyword.control.diagram', 'LR:constant.language.direction'],
      [
        '[:punctuation.definition.label',
        'Client:string.unquoted.label',
        ']:punctuation.definition.label',
        '-->:keyword.operator.arrow',
        '[:punctuation.definition.label',
        'Load balancer:string.unquoted.label',
        ']:punctuation.definition.label',
      ],
      [
        '-->:keyword.operator.arrow',
        '|:punctuation.separator',
        '/api:string.unquoted.label',
        '|:punctuation.separator',
        '(:punctuation.definition.label',
        'API:string.unquoted.label',
        '):punctuation.definition.label',
        '-.->:keyword.operator.arrow',
        '[(:punctuation.definition.label',
        'Orders DB:string.unquoted.label',
        ')]:punctuation.definition.label',
      ],
      ['%% storage last:comment.line.percentage'],
      ['subgraph:keyword.other'],
      ['end:keyword.other'],
    ],
  ],
  [
    'a sequence diagram: its own keywords and arrows, messages as text',
    'sequenceDiagram\n  participant C as Client\n  C->>+API: POST /v1/photos\n  alt too many\n  API-->>C: 429\n  end',
    [
      ['sequenceDiagram:keyword.control.diagram'],
      ['participant:keyword.other', 'as:keyword.other'],
      ['->>:keyword.operator.arrow', '::punctuation.separator', 'POST /v1/photos:string.unquoted.message'],
      ['alt:keyword.other'],
      ['-->>:keyword.operator.arrow', '::punctuation.separator', '429:string.unquoted.message'],
      ['end:keyword.other'],
    ],
  ],
  [
    'an architecture diagram (a Langium grammar): keywords are case-sensitive',
    'architecture-beta\n  service db(database)[Photos] in backend\n  Service x',
    [['architecture-beta:keyword.control.diagram'], ['service:keyword.other', 'in:keyword.other'], []],
  ],
  [
    'a git graph',
    'gitGraph\n  commit id: "a"\n  branch feature\n  checkout feature',
    [
      ['gitGraph:keyword.control.diagram'],
      ['commit:keyword.other', 'id:keyword.other', '"a":string.quoted.double'],
      ['branch:keyword.other'],
      ['checkout:keyword.other'],
    ],
  ],
  [
    'front matter and a directive before the header',
    '---\ntitle: Upload\n---\n%%{init: {"theme": "dark"}}%%\nerDiagram\n  USER ||--o{ PHOTO : uploads',
    [
      ['---:punctuation.definition.front-matter'],
      ['title: Upload:meta.embedded.block.yaml'],
      ['---:punctuation.definition.front-matter'],
      [
        '%%{:punctuation.definition.directive',
        'init:entity.name.tag',
        ': {:meta.directive',
        '"theme":string.quoted.double',
        '::meta.directive',
        '"dark":string.quoted.double',
        '}:meta.directive',
        '}%%:punctuation.definition.directive',
      ],
      ['erDiagram:keyword.control.diagram'],
      ['||--o{:keyword.operator.arrow'],
    ],
  ],
];
for (const [name, text, expected] of cases) {
  test(`mermaid grammar: ${name}`, async () => assert.deepEqual(await tokens(text), expected));
}

test('every diagram type mermaid detects that has a keyword list gets its own block', () => {
  const g = JSON.parse(readFileSync(PATH, 'utf8')) as { repository: Record<string, { begin?: string }> };
  const begins = Object.values(g.repository)
    .map((r) => r.begin ?? '')
    .join('\n');
  for (const header of [
    'flowchart',
    'graph',
    'sequenceDiagram',
    'classDiagram',
    'stateDiagram-v2',
    'erDiagram',
    'gantt',
    'pie',
    'gitGraph',
    'mindmap',
    'timeline',
    'architecture-beta',
    'packet-beta',
    'radar-beta',
    'treemap-beta',
    'xychart-beta',
    'block-beta',
    'kanban',
    'C4Context',
    'requirementDiagram',
    'journey',
    'sankey-beta',
  ]) {
    assert.ok(begins.includes(header.replace(/-/g, '\\-').replace(/\\-/g, '-')) || begins.includes(header), header);
  }
});
