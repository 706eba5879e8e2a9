import { buildSync } from 'esbuild';
const out = buildSync({ entryPoints: ['src/kernels/estimate/index.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false });
const m = { exports: {} as any };
new Function('module', 'exports', 'require', out.outputFiles[0].text)(m, m.exports, require);
const K = m.exports;
const EMPTY = { get: () => undefined, names: () => [] };
const lines: string[] = ['unit widget', 'dau = 100M users', 'v0 = dau * 20 req/user/day -> req/s'];
for (let i = 1; lines.length < 1000; i++) {
  switch (i % 5) {
    case 0: lines.push(`v${i} = v${i - 1} * 1.001 + 3 req/s   # growth`); break;
    case 1: lines.push(`v${i} = v${i - 1} * 2 KB/req -> MB/s`); break;
    case 2: lines.push(`v${i} = v${i - 1} * 1 year + 20% -> PB`); break;
    case 3: lines.push(`v${i} = ceil(v${i - 1} / 1 TB) * 1 TB / 1 year / 2 KB * 1 req`); break;
    case 4: lines.push(`v${i} = max(v${i - 1}, 5 req/s, 1M req/day)`); break;
  }
}
const src = lines.join('\n');
const ctx: any = { cellIndex: 0, scope: EMPTY };
for (let i = 0; i < 300; i++) { const p = K.estimateKernel.parse(src, ctx); K.estimateKernel.execute(p.parsed, ctx); }
const t = (name: string, fn: () => unknown) => { const c0 = process.cpuUsage(); const N = 100; for (let i = 0; i < N; i++) fn(); const c = process.cpuUsage(c0); console.log(name, ((c.user + c.system) / N / 1000).toFixed(2), 'ms CPU'); };
t('scan only', () => { for (const l of lines) K.__scan?.(l); });
t('analyze', () => K.analyze(src, EMPTY));
const p = K.analyze(src, EMPTY);
t('evaluate', () => K.evaluate(p, 0));
t('parse+execute', () => { const q = K.estimateKernel.parse(src, ctx); K.estimateKernel.execute(q.parsed, ctx); });
