// The notebook "System Design: New Notebook" opens: a blank design in the .sdnb format, one section
// per framework phase that a written design shows (no timings; see interview.ts for the timed one).
import { phaseCell, phaseCode } from './section';

const cells = [
  `---
title: Untitled design
seed: 1
---`,
  `# Untitled design

What are we building, for whom, and why? Fill in each section; \`sdnb check\` (and the review in the
editor) lists what the framework still expects.`,
  phaseCell('scope', {
    timed: false,
    body: `### Functional requirements

- FR1: …
- FR2: …

### Non-functional requirements

- NFR1: scale — …
- NFR2: performance — …
- NFR3: security — …
- NFR4: consistency — …
- NFR5: freshness — …
- NFR6: accuracy — …`,
  }),
  phaseCode(
    'estimates',
    'estimate',
    `# Back-of-the-envelope: names defined here are visible in the cells below.
dau = 10M users
qps = dau * 10 req/user/day -> req/s
peak_qps = 3 * qps
storage = dau * 1 KB/user/day * 5 years -> TB`,
  ),
  phaseCell('api', {
    timed: false,
    body: `| Method | Path | Serves | Notes |
| --- | --- | --- | --- |
| GET | /v1/… | FR1 | … |`,
  }),
  phaseCell('diagram', { timed: false }),
  phaseCode(
    'diagram',
    'mermaid',
    `flowchart LR
  client[Client] --> lb[Load balancer]
  lb --> api[API service]
  api --> db[(Database)]`,
  ),
  phaseCell('data-model', {
    timed: false,
    body: `| Entity | Fields | Key / index |
| --- | --- | --- |
| … | … | … |

- Access patterns: …
- Read/write ratio: …
- QPS: …`,
  }),
  phaseCell('deep-dive', { timed: false, body: '- Problem: …\n- Options and trade-offs: …\n- Choice: …' }),
  phaseCell('wrap-up', { timed: false, body: 'Summary: …' }),
];

export const BLANK_NOTEBOOK = cells.join('\n\n') + '\n';
