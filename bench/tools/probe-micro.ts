// Probe cost alone: `runProbe` on the bench route, N runs at a fixed concurrency, CPU-s per 1,000 of this
// process (the simulator is a child of its own). `node --import tsx bench/tools/probe-micro.ts [n] [conc]`
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ProbeSpec } from '@vigil/core';
import { runProbe } from '@vigil/probes';
import { isType, startChild } from '../lib/children.js';

const n = Number(process.argv[2] ?? 20_000);
const concurrency = Number(process.argv[3] ?? 100);
const sim = startChild({
  name: 'simulator',
  entry: 'bench/children/simulator.ts',
  env: {},
  logFile: join(tmpdir(), 'probe-micro-sim.log'),
});
const { url } = (await sim.waitFor((m) => isType(m, 'ready'), 60_000)) as { url: string };
const spec: ProbeSpec = {
  id: 'micro',
  name: 'micro',
  provider: 'p',
  service: 's',
  critical: false,
  schedule: { type: 'interval', everyMs: 10_000 },
  timeoutMs: 5_000,
  regions: ['bench'],
  sloTarget: 0.98,
  labels: {},
  runbook: null,
  kind: 'http',
  spec: { url },
  expect: { status: 200 },
  source: { file: 'x', line: 1, col: 1 },
};
const clock = { now: () => Date.now() };
const outcomes = new Map<string, number>();
async function lane(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const r = await runProbe(spec, { env: {}, clock, region: 'bench', slotAt: 0, workerId: 'w' });
    const k = `${r.outcome}:${r.errorClass ?? ''}`;
    outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  }
}
await Promise.all(Array.from({ length: concurrency }, () => lane(Math.ceil(1_000 / concurrency))));
outcomes.clear();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => lane(Math.ceil(n / concurrency))));
const secs = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const total = Math.ceil(n / concurrency) * concurrency;
const cpuS = (cpu.user + cpu.system) / 1e6;
process.stdout.write(
  `${JSON.stringify({
    probes_per_s: Math.round(total / secs),
    cpu_s_per_1k: Math.round((cpuS / total) * 1e6) / 1e3,
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    outcomes: Object.fromEntries(outcomes),
  })}\n`,
);
await sim.stop();
process.exit(0);
