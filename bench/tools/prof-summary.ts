// Summarises V8 .cpuprofile files (BENCH_CPU_PROF=1): self time by package and by function.
// Usage: node --import tsx bench/tools/prof-summary.ts <file.cpuprofile>…
import { readFile } from 'node:fs/promises';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** Pure: which package a script URL belongs to (`bullmq`, `packages/probes`, `node:internal`, …). */
export function packageOf(url: string): string {
  if (url === '') return '(native/idle)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const ws = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (ws) return `${ws[1]}/${ws[2]}`;
  return url;
}

const bySelf = new Map<string, number>();
const inclusive = new Map<string, number>();
const byPkg = new Map<string, number>();
let total = 0;
for (const file of process.argv.slice(2)) {
  const p = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  p.samples.forEach((id, i) => {
    const n = nodes.get(id);
    const dt = p.timeDeltas[i] ?? 0;
    if (!n) return;
    const { functionName, url } = n.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      bySelf.set(functionName, (bySelf.get(functionName) ?? 0) + dt);
      return;
    }
    total += dt;
    const fn = frameName(n);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at);
      if (!frame) break;
      const key = frameName(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
    bySelf.set(fn, (bySelf.get(fn) ?? 0) + dt);
    const pkg = functionName === '(garbage collector)' ? '(gc)' : packageOf(url);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + dt);
  });
}
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, v]) =>
        `${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1e6).toFixed(2).padStart(7)} s  ${k}`,
    )
    .join('\n');
function frameName(n: Node): string {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(packages|apps)\//, '$1/');
  return `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
}

const filter = process.env.PROF_MATCH
  ? new RegExp(process.env.PROF_MATCH)
  : /packages\/|apps\/|bullmq|ioredis|pg\/|drizzle|zod|undici/;
const incl = new Map([...inclusive].filter(([k]) => filter.test(k)));
process.stdout.write(
  `busy ${(total / 1e6).toFixed(2)} s (idle/program excluded)\n\nby package\n${top(byPkg, 25)}\n\nby function (self)\n${top(bySelf, 40)}\n\nby function (inclusive, PROF_MATCH)\n${top(incl, 40)}\n`,
);
