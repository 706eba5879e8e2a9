// The TextMate grammars and language configurations: well-formed, in step with the estimate kernel,
// and scoping sample lines as intended (checked with a small match-rule tokenizer: earliest match
// wins, ties go to the first pattern, as in vscode-textmate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinUnitNames } from '../../../src/kernels/estimate/units';
import { CONSTANTS, FUNCTIONS } from '../../../src/kernels/estimate/builtins';

interface Rule {
  include?: string;
  match?: string;
  name?: string;
  captures?: Record<string, { name: string }>;
  begin?: string;
  end?: string;
  patterns?: Rule[];
}
interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const load = (f: string) => JSON.parse(readFileSync(`syntaxes/${f}.tmLanguage.json`, 'utf8')) as Grammar;
const grammars = new Map<string, Grammar>(['estimate', 'gateway', 'kafka'].map((f) => [load(f).scopeName, load(f)]));

function resolve(g: Grammar, rules: Rule[]): { rule: Rule; g: Grammar }[] {
  return rules.flatMap((r) => {
    if (!r.include) return [{ rule: r, g }];
    const [scope, name] = r.include.startsWith('#') ? [g.scopeName, r.include.slice(1)] : r.include.split('#');
    const target = grammars.get(scope);
    assert.ok(target, `unknown grammar ${scope}`);
    const rule = name ? target!.repository[name] : { patterns: target!.patterns };
    assert.ok(rule, `unknown rule ${r.include}`);
    return rule.patterns && !rule.match && !rule.begin ? resolve(target!, rule.patterns) : [{ rule, g: target! }];
  });
}

/** Tokens of one line as `text:scope` for every captured or named span (unscoped text is left out). */
function tokenize(scope: string, line: string): string[] {
  const g = grammars.get(scope)!;
  const rules = resolve(g, g.patterns);
  const out: string[] = [];
  let pos = 0;
  while (pos < line.length) {
    let best: { m: RegExpExecArray; rule: Rule } | undefined;
    for (const { rule } of rules) {
      const re = new RegExp(rule.match ?? rule.begin!, 'gdu');
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m && m[0].length > 0 && (!best || m.index < best.m.index)) best = { m, rule };
    }
    if (!best) break;
    const { m, rule } = best;
    let end = m.index + m[0].length;
    if (rule.begin) {
      const re = new RegExp(rule.end!, 'gu');
      re.lastIndex = end;
      const e = re.exec(line);
      end = e ? e.index + e[0].length : line.length;
      out.push(`${line.slice(m.index, end)}:${rule.name}`);
    } else if (rule.captures) {
      for (const [k, c] of Object.entries(rule.captures)) {
        const span = m.indices![Number(k)];
        if (span) out.push(`${line.slice(span[0], span[1])}:${c.name}`);
      }
      if (rule.name) out.push(`${m[0]}:${rule.name}`);
    } else out.push(`${m[0]}:${rule.name}`);
    pos = end;
  }
  return out.map((t) => t.replace(/\.(estimate|yaml)$/, ''));
}

test('grammars: every regex compiles; the estimate grammar knows every unit, built-in and function of the kernel', () => {
  for (const g of grammars.values()) {
    const walk = (r: Rule) => {
      for (const re of [r.match, r.begin, r.end]) if (re) assert.doesNotThrow(() => new RegExp(re, 'u'), re);
      for (const p of r.patterns ?? []) walk(p);
    };
    for (const r of [...g.patterns, ...Object.values(g.repository)]) walk(r);
  }
  const est = grammars.get('source.sdnb-estimate')!;
  const unitRe = new RegExp(est.repository.unit.match!, 'u');
  for (const u of builtinUnitNames()) assert.match(`-> ${u}`, unitRe, u);
  for (const c of CONSTANTS.keys()) assert.ok(est.repository.constant.match!.includes(c) || /^(thousand|million|billion|trillion)$/.test(c), c);
  for (const f of (FUNCTIONS as Map<string, unknown>).keys()) assert.ok(est.repository.function.match!.includes(f), f);
});

test('estimate grammar: names, quantities, units, conversions, built-ins and comments', () => {
  assert.deepEqual(tokenize('source.sdnb-estimate', 'qps = dau * 20 req/user/day -> req/s  # avg'), [
    'qps:variable.other.definition',
    '=:keyword.operator.assignment',
    'dau:variable.other',
    '*:keyword.operator.arithmetic',
    '20:constant.numeric',
    'req/user/day:keyword.other.unit',
    '->:keyword.operator.conversion',
    'req/s:keyword.other.unit',
    '#:punctuation.definition.comment',
    '# avg:comment.line.number-sign',
  ]);
  assert.deepEqual(tokenize('source.sdnb-estimate', 'n = ceil(peak / 5k req/s) + rtt_dc'), [
    'n:variable.other.definition',
    '=:keyword.operator.assignment',
    'ceil:support.function',
    'peak:variable.other',
    '/:keyword.operator.arithmetic',
    '5:constant.numeric',
    'k:constant.numeric.magnitude',
    'req/s:keyword.other.unit',
    '+:keyword.operator.arithmetic',
    'rtt_dc:support.constant',
  ]);
  assert.deepEqual(tokenize('source.sdnb-estimate', 'unit photo'), ['unit:keyword.other.unit-declaration', 'photo:entity.name.type.unit']);
  assert.deepEqual(tokenize('source.sdnb-estimate', 'x = 300M users * 50%'), [
    'x:variable.other.definition',
    '=:keyword.operator.assignment',
    '300:constant.numeric',
    'M:constant.numeric.magnitude',
    'users:keyword.other.unit',
    '*:keyword.operator.arithmetic',
    '50:constant.numeric',
    '%:keyword.operator.percent',
  ]);
});

for (const scope of ['source.sdnb-gateway', 'source.sdnb-kafka']) {
  test(`${scope}: YAML keys, lists, flow maps, strings, paths and estimate expressions in values`, () => {
    assert.deepEqual(tokenize(scope, '    latency: { dist: exponential, mean: 20 ms }  # p50'), [
      'latency:entity.name.tag',
      '::punctuation.separator.key-value.mapping',
      '{:punctuation.definition.flow',
      'dist:entity.name.tag',
      '::punctuation.separator.key-value.mapping',
      'exponential:string.unquoted.plain',
      ',:punctuation.definition.flow',
      'mean:entity.name.tag',
      '::punctuation.separator.key-value.mapping',
      '20:constant.numeric',
      'ms:keyword.other.unit',
      '}:punctuation.definition.flow',
      '#:punctuation.definition.comment',
      '# p50:comment.line.number-sign',
    ]);
    assert.deepEqual(tokenize(scope, '  - path: /v1/users/{id}'), ['-:punctuation.definition.block.sequence.item', 'path:entity.name.tag', '::punctuation.separator.key-value.mapping', '/v1/users/{id}:string.unquoted.path']);
    assert.deepEqual(tokenize(scope, '  rate: 2 * peak_qps'), ['rate:entity.name.tag', '::punctuation.separator.key-value.mapping', '2:constant.numeric', '*:keyword.operator.arithmetic', 'peak_qps:string.unquoted.plain']);
    assert.deepEqual(tokenize(scope, 'sunset: 2026-01-01T00:00:30Z'), ['sunset:entity.name.tag', '::punctuation.separator.key-value.mapping', '2026-01-01T00:00:30Z:constant.other.timestamp']);
    assert.deepEqual(tokenize(scope, '    value: "balance=100"'), ['value:entity.name.tag', '::punctuation.separator.key-value.mapping', '"balance=100":string.quoted.double']);
  });
}

test('language configurations: # comments, brackets and auto-closing pairs', () => {
  for (const id of ['estimate', 'gateway', 'kafka']) {
    const c = JSON.parse(readFileSync(`language-configuration/${id}.json`, 'utf8'));
    assert.equal(c.comments.lineComment, '#');
    assert.ok(c.brackets.some((b: string[]) => b[0] === '('));
    assert.ok(c.autoClosingPairs.some((p: { open: string }) => p.open === '('));
    new RegExp(c.wordPattern, 'u');
    if (id !== 'estimate') {
      assert.ok(c.brackets.some((b: string[]) => b[0] === '{') && c.brackets.some((b: string[]) => b[0] === '['));
      assert.match('  services:', new RegExp(c.indentationRules.increaseIndentPattern));
      assert.match('  - name: x', new RegExp(c.onEnterRules[1].beforeText));
    }
  }
});
