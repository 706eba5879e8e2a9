// The notebook "System Design: New Notebook" opens: a blank design in the .sdnb format.
export const BLANK_NOTEBOOK = `---
title: Untitled design
seed: 1
---

# Untitled design

What are we building, for whom, and why? List the features and the non-functional requirements
(scale, performance, security, consistency, freshness, accuracy), then estimate the scale.

\`\`\`estimate
# Back-of-the-envelope: names defined here are visible in the cells below.
dau = 10M users
qps = dau * 10 req/user/day -> req/s
peak_qps = 3 * qps
\`\`\`

\`\`\`mermaid
flowchart LR
  client[Client] --> lb[Load balancer]
  lb --> api[API service]
  api --> db[(Database)]
\`\`\`
`;
