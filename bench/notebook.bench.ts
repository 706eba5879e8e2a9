// Time to open (read) and save (write) a 2,000-cell notebook in the .sdnb format.
import { readNotebook, writeNotebook, serializeNotebook, CellData } from '../src/format/sdnb';

function bigNotebook(cells: number): string {
  const out: CellData[] = [];
  const kinds = ['markdown', 'sdnb-estimate', 'mermaid', 'sdnb-gateway', 'sdnb-kafka'];
  for (let i = 0; i < cells; i++) {
    const k = kinds[i % kinds.length];
    if (k === 'markdown')
      out.push({
        kind: 'markdown',
        language: 'markdown',
        source: `## Section ${i}\n\nSome prose about part ${i}, with a list:\n\n- one\n- two`,
        metadata: { phase: 'deep-dive' },
      });
    else if (k === 'sdnb-estimate')
      out.push({ kind: 'code', language: k, source: `x${i} = ${i + 1}M users\nq${i} = x${i} * 10 req/user/day -> req/s` });
    else if (k === 'mermaid') out.push({ kind: 'code', language: k, source: `flowchart LR\n  a${i} --> b${i}\n  b${i} --> c${i}` });
    else out.push({ kind: 'code', language: k, source: `traffic:\n  rate: ${i}\n  duration: 10 s` });
  }
  return serializeNotebook({ cells: out, metadata: { frontMatter: 'title: Big\nseed: 1\n' } });
}

function time(label: string, runs: number, fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  const ms = (performance.now() - t0) / runs;
  console.log(`${label.padEnd(40)} ${ms.toFixed(2)} ms`);
  return ms;
}

const text = bigNotebook(2000);
const bytes = new TextEncoder().encode(text);
console.log(`2,000-cell notebook: ${(bytes.length / 1024).toFixed(0)} KiB`);
const nb = readNotebook(bytes);
time('open (bytes -> notebook data)', 50, () => readNotebook(bytes));
time('save (notebook data -> bytes)', 50, () => writeNotebook(nb));
const same = Buffer.compare(Buffer.from(writeNotebook(nb)), Buffer.from(bytes)) === 0;
console.log(`round trip identical: ${same}`);
if (!same) process.exit(1);
