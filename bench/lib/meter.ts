import { cpuDelta, cpuSnapshot, rssMb, type CpuSnapshot } from './proc.js';

/** A named set of processes whose CPU is summed, e.g. `worker` (every worker process) or `postgres`. */
export interface ProcessGroup {
  name: string;
  pids(): Promise<number[]>;
}

export interface Window {
  ms: number;
  /** CPU seconds by group name */
  cpu: Record<string, number>;
  /** highest RSS (MiB) seen of any single process of each group in `rssOf` */
  maxRssMb: Record<string, number>;
}

const RSS_EVERY_MS = 500;

/** Measures CPU of every group and RSS of the `rssOf` groups between start() and stop(). */
export async function startWindow(
  groups: ProcessGroup[],
  rssOf: string[] = [],
): Promise<{ stop(): Promise<Window> }> {
  const before = await snapshots(groups);
  const t0 = performance.now();
  const maxRss: Record<string, number> = {};
  const sampleRss = async () => {
    for (const g of groups.filter((x) => rssOf.includes(x.name)))
      for (const pid of await g.pids()) {
        const mb = await rssMb(pid);
        if (mb !== null) maxRss[g.name] = Math.max(maxRss[g.name] ?? 0, mb);
      }
  };
  let sampling = sampleRss();
  const timer = setInterval(() => {
    sampling = sampling.then(sampleRss);
  }, RSS_EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      const after = await snapshots(groups);
      const ms = performance.now() - t0;
      const cpu: Record<string, number> = {};
      for (const g of groups) cpu[g.name] = cpuDelta(before.get(g.name)!, after.get(g.name)!);
      return { ms, cpu, maxRssMb: maxRss };
    },
  };
}

async function snapshots(groups: ProcessGroup[]): Promise<Map<string, CpuSnapshot>> {
  const out = new Map<string, CpuSnapshot>();
  for (const g of groups) out.set(g.name, await cpuSnapshot(await g.pids()));
  return out;
}

export const fixedGroup = (name: string, pids: number[]): ProcessGroup => ({ name, pids: async () => pids });
