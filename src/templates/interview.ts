// A timed interview following the seed's framework (§2.1): one markdown cell per phase with its
// prompts and budget, and the estimate, API, diagram and data-model cells where the framework puts
// them. Budgets come from the phase table; the front matter lists them so they can be changed.
import { PHASES } from './phases';
import { phaseCell, phaseCode } from './section';

const budgets = PHASES.map((p) => `  ${p.id}: ${p.minutes}`).join('\n');

const cells = [
  `---
title: Interview — untitled problem
seed: 1
# Minutes per phase (the timer and the status bar read these; sub-phases are part of their parent).
budgets:
${budgets}
---`,
  `# Interview — untitled problem

Problem statement: …`,
  phaseCell('intro', { timed: true, body: 'Notes: …' }),
  phaseCell('scope', {
    timed: true,
    body: `Questions to ask: who are the users? What are the top features? How many users, how much data?
What matters most: latency, availability, consistency?

### Functional requirements

- FR1: …
- FR2: …
- FR3: …

### Non-functional requirements

- NFR1: scale — … daily users, … requests per second at peak
- NFR2: performance — p99 latency under … ms
- NFR3: security — …
- NFR4: consistency — …
- NFR5: freshness — …
- NFR6: accuracy — …`,
  }),
  phaseCode(
    'estimates',
    'estimate',
    `# Scale: names defined here are visible in every cell below.
dau = 10M users
qps = dau * 10 req/user/day -> req/s
peak_qps = 3 * qps
write_qps = qps / 10
storage = write_qps * 1 KB/req * 5 years -> TB
bandwidth = peak_qps * 10 KB/req -> MB/s
cache = 20% * qps * 10 KB/req * 1 day -> GB    # 80/20 rule: cache the hot 20% of a day's reads
server_count = ceil(peak_qps / 1k req/s)`,
  ),
  phaseCell('high-level', { timed: true, body: 'Discussion points for later: …' }),
  phaseCell('api', {
    timed: true,
    body: `Style: REST over HTTPS (or GraphQL, WebSockets: say which and why).

| Method | Path | Serves | Request → response |
| --- | --- | --- | --- |
| POST | /v1/… | FR1 | … |
| GET | /v1/…/{id} | FR2 | … |`,
  }),
  phaseCell('diagram', { timed: true }),
  phaseCode(
    'diagram',
    'mermaid',
    `flowchart LR
  client[Client] --> lb[Load balancer]
  lb --> gw[API gateway]
  gw --> svcA[Service A]
  gw --> svcB[Service B]
  svcA --> db[(Database)]
  svcB --> cache[(Cache)]
  svcB --> db`,
  ),
  phaseCell('data-model', {
    timed: true,
    body: `| Entity | Fields | Key / index |
| --- | --- | --- |
| … | … | … |

- Access patterns: …
- Read/write ratio: …
- QPS: peak_qps and write_qps from the estimates
- Database and indexes: …`,
  }),
  phaseCell('deep-dive', {
    timed: true,
    body: `Topics agreed with the interviewer: …

- Problem: …
- Options and trade-offs: …
- Choice: …`,
  }),
  phaseCell('wrap-up', { timed: true, body: 'Summary: …\n\nNext steps: …' }),
  phaseCell('qa', { timed: true, body: 'Questions for the interviewer: …' }),
];

export const INTERVIEW_NOTEBOOK = cells.join('\n\n') + '\n';
