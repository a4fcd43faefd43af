import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** CPU seconds (user + system, all threads) by pid. */
export type CpuSnapshot = Map<number, number>;

/** Pure: utime + stime (in clock ticks) and the parent pid from the text of /proc/<pid>/stat. */
export function parseProcStat(text: string): { ticks: number; ppid: number } | null {
  // the command name (field 2) may hold spaces and parentheses: fields restart after the last ')'
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (![ppid, utime, stime].every(Number.isFinite)) return null;
  return { ticks: utime + stime, ppid };
}

/** Pure: resident set size in MiB from the text of /proc/<pid>/status. */
export function parseRssMb(text: string): number | null {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return m ? Number(m[1]) / 1024 : null;
}

/**
 * Pure: CPU seconds spent between two snapshots by the pids in `after`; a pid absent from `before`
 * started in between and counts whole. CPU of a pid that exited in between is lost (undercounts).
 */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): number {
  let total = 0;
  for (const [pid, s] of after) total += Math.max(0, s - (before.get(pid) ?? 0));
  return total;
}

let tickHz: number | null = null;
function clockTicks(): number {
  tickHz ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return tickHz;
}

/** CPU seconds of each live pid; pids that have exited are left out. */
export async function cpuSnapshot(pids: readonly number[]): Promise<CpuSnapshot> {
  const out: CpuSnapshot = new Map();
  const hz = clockTicks();
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readProc(pid, 'stat');
      const parsed = stat === null ? null : parseProcStat(stat);
      if (parsed) out.set(pid, parsed.ticks / hz);
    }),
  );
  return out;
}

export async function parentPid(pid: number): Promise<number | null> {
  const stat = await readProc(pid, 'stat');
  return stat === null ? null : (parseProcStat(stat)?.ppid ?? null);
}

export async function rssMb(pid: number): Promise<number | null> {
  const status = await readProc(pid, 'status');
  return status === null ? null : parseRssMb(status);
}

async function readProc(pid: number, file: string): Promise<string | null> {
  try {
    return await readFile(`/proc/${pid}/${file}`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH')
      return null;
    throw err;
  }
}
