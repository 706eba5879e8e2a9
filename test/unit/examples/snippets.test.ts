// Every snippet, expanded with its placeholders' defaults, is valid for its kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { estimateKernel } from '../../../src/kernels/estimate';
import { gatewayKernel } from '../../../src/kernels/gateway';
import { kafkaKernel } from '../../../src/kernels/kafka';
import { mermaidKernel } from '../../../src/kernels/mermaid';
import { Definition, Kernel, ParseContext, Scope } from '../../../src/kernels/types';
import { parseNotebook } from '../../../src/format/sdnb';
import { endpoints } from '../../../src/review';
import './helpers';

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

/** Expands a VS Code snippet body with every placeholder at its default (a choice at its first option). */
function expand(body: string): string {
  const defaults = new Map<string, string>();
  let out = '';
  let i = 0;
  const parse = (stopAtBrace: boolean): string => {
    let s = '';
    while (i < body.length) {
      const c = body[i];
      if (c === '\\' && i + 1 < body.length && '$}\\,|'.includes(body[i + 1])) {
        s += body[i + 1];
        i += 2;
      } else if (stopAtBrace && c === '}') {
        return s;
      } else if (c === '$') {
        let m: RegExpExecArray | null;
        const rest = body.slice(i);
        if ((m = /^\$(\d+)/.exec(rest)) || (m = /^\$\{(\d+)\}/.exec(rest))) {
          i += m[0].length;
          s += `\u0000${m[1]}\u0000`;
        } else if ((m = /^\$\{(\d+):/.exec(rest))) {
          i += m[0].length;
          const v = parse(true);
          i++; // }
          defaults.set(m[1], v);
          s += v;
        } else if ((m = /^\$\{(\d+)\|((?:[^|\\]|\\.)*)\|\}/.exec(rest))) {
          i += m[0].length;
          const first = m[2].split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1');
          defaults.set(m[1], first);
          s += first;
        } else {
          throw new Error(`unsupported snippet syntax at ${rest.slice(0, 20)}`);
        }
      } else {
        s += c;
        i++;
      }
    }
    return s;
  };
  out = parse(false);
  return out.replace(/\u0000(\d+)\u0000/g, (_, n) => defaults.get(n) ?? '');
}

function load(language: string): [string, string][] {
  const json = JSON.parse(readFileSync(join('snippets', `${language}.json`), 'utf8')) as Record<string, Snippet>;
  return Object.entries(json).map(([name, s]) => {
    assert.ok(s.prefix && s.description, `${name} has a prefix and a description`);
    return [name, expand(Array.isArray(s.body) ? s.body.join('\n') : s.body).replace(/\n+$/, '')];
  });
}

const indent = (text: string, n: number) => text.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');

class ListScope implements Scope {
  defs = new Map<string, Definition>();
  get(n: string) {
    return this.defs.get(n);
  }
  names() {
    return [...this.defs.keys()];
  }
}

function errorsOf(kernel: Kernel, source: string, scope: Scope = new ListScope()): string[] {
  const ctx: ParseContext = { cellIndex: 1, scope };
  const p = kernel.parse(source, ctx);
  const errs = p.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${d.range.start.line + 1}: ${d.message}`);
  if (!p.parsed && errs.length === 0) errs.push('did not parse');
  return errs;
}

test('snippet files: one per language, each snippet with a prefix, a description and a body', () => {
  assert.deepEqual(readdirSync('snippets').sort(), ['estimate.json', 'gateway.json', 'kafka.json', 'markdown.json', 'mermaid.json']);
  assert.equal(expand('a ${1:x ${2:y\\}} $2 ${3|p,q|} \\$ $0'), 'a x y} y} p $ ');
});

test('estimate snippets evaluate (after the QPS snippet, whose names the others read) without errors or warnings', () => {
  const snippets = load('estimate');
  const [qpsName, qps] = snippets[0];
  assert.equal(qpsName, 'Estimate: QPS');
  const scope = new ListScope();
  assert.deepEqual(errorsOf(estimateKernel, qps), []);
  const run = estimateKernel.execute(estimateKernel.parse(qps, { cellIndex: 0, scope }).parsed!, { cellIndex: 0, scope, seed: 1, budget: { maxEvents: 1, maxWallMs: 1000 }, isCancelled: () => false, notebook: {} });
  for (const d of (run as { definitions: Definition[] }).definitions) scope.defs.set(d.name, d);
  for (const [name, body] of snippets) assert.deepEqual(errorsOf(estimateKernel, body, scope), [], name);
  assert.ok(snippets.map(([n]) => n).join(' ').match(/storage.*bandwidth.*cache.*server/i));
});

test('mermaid snippets pass the diagram checks', () => {
  for (const [name, body] of load('mermaid')) assert.deepEqual(errorsOf(mermaidKernel, body), [], name);
});

// Fragments are wrapped where they belong in a minimal valid cell.
const GATEWAY_BASE = 'services:\n  users:\n    instances: 1\n  profile:\n    instances: 1\n  recs:\n    instances: 1\n';
const GATEWAY_TRAFFIC = 'traffic:\n  rate: 10\n  requests:\n    - path: /v1/users/1\n';
const USERS_ROUTE = '  - path: /v1/users/{id}\n    service: users\n';
const gatewayCell = (name: string, body: string): string => {
  if (name === 'Gateway: model') return body;
  if (name === 'Gateway: service') return `services:\n${indent(body, 2)}\nroutes:\n${USERS_ROUTE}${GATEWAY_TRAFFIC}`;
  if (name === 'Gateway: route') return `${GATEWAY_BASE}routes:\n${indent(body, 2)}\n${GATEWAY_TRAFFIC}`;
  if (name === 'Gateway: fan-out') return `${GATEWAY_BASE}routes:\n${indent(body, 2)}\n${GATEWAY_TRAFFIC.replace('/v1/users/1', '/v1/home')}`;
  return `${GATEWAY_BASE}routes:\n${USERS_ROUTE}${indent(body, 4)}\n${GATEWAY_TRAFFIC}`;
};

test('gateway snippets are valid in a gateway cell', () => {
  const names = load('gateway').map(([n]) => n);
  for (const want of ['route', 'service', 'rate limit', 'cache', 'auth', 'versioning', 'fan-out']) assert.ok(names.includes(`Gateway: ${want}`), want);
  for (const [name, body] of load('gateway')) {
    const cell = gatewayCell(name, body);
    assert.deepEqual(errorsOf(gatewayKernel, cell), [], `${name}\n${cell}`);
  }
});

const kafkaCell = (name: string, body: string): string => {
  const topic = 'topics:\n  - name: orders\n';
  const group = 'consumer_groups:\n  - name: billing\n    topics: [orders]\n';
  switch (name) {
    case 'Kafka: model':
      return body;
    case 'Kafka: topic':
      return `topics:\n${indent(body, 2)}\n`;
    case 'Kafka: producer':
      return `${topic}producers:\n${indent(body, 2)}\n`;
    case 'Kafka: consumer group':
      return `${topic}consumer_groups:\n${indent(body, 2)}\n`;
    default:
      return `${topic}${group}timeline:\n${indent(body, 2)}\n`;
  }
};

test('kafka snippets are valid in a kafka cell', () => {
  const names = load('kafka').map(([n]) => n);
  for (const want of ['topic', 'producer', 'consumer group', 'failure drill']) assert.ok(names.includes(`Kafka: ${want}`), want);
  for (const [name, body] of load('kafka')) {
    const cell = kafkaCell(name, body);
    assert.deepEqual(errorsOf(kafkaKernel, cell), [], `${name}\n${cell}`);
  }
});

test('markdown snippets follow the review conventions: requirement ids, endpoints citing them', () => {
  const md = Object.fromEntries(load('markdown'));
  const reqs = md['Design: requirements'].split('\n').filter((l) => /^- N?FR\d+:/.test(l));
  assert.equal(reqs.length, 8);
  const eps = endpoints(parseNotebook(md['Design: API endpoint table'] + '\n'), [0]);
  assert.deepEqual(eps.map((e) => `${e.method} ${e.path} ${e.cites.join(',')}`), ['POST /v1/items FR1', 'GET /v1/items/{id} FR2']);
  assert.match(md['Design: data model table'], /Access patterns[\s\S]*Read\/write ratio[\s\S]*QPS/);
});
