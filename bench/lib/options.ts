import { BenchError } from './errors.js';

export interface BenchOptions {
  /** measurement window of each phase, in seconds (BENCH_SECONDS) */
  seconds: number;
  /** warm-up before each window (BENCH_WARMUP_SECONDS) */
  warmupSeconds: number;
  /** sections to run (BENCH_ONLY, comma-separated); null = all */
  only: string[] | null;
  /** worker processes (BENCH_WORKERS) */
  workers: number;
  /** concurrency of each worker (BENCH_CONCURRENCY); blackbox_exporter is driven at workers × this */
  concurrency: number;
  /** probes on Job Schedulers in the fidelity section (BENCH_PROBES) */
  probes: number;
  /** their interval (BENCH_INTERVAL_MS) */
  intervalMs: number;
  /** per-probe timeout for Vigil and blackbox_exporter (BENCH_TIMEOUT_MS) */
  timeoutMs: number;
  /** how worker processes run: `bundle` (plain JS, as the Dockerfile deploys them) or `tsx` (BENCH_WORKER_RUNTIME) */
  workerRuntime: 'tsx' | 'bundle';
  /** write a V8 CPU profile of every worker into the run's folder (BENCH_CPU_PROF=1) */
  cpuProf: boolean;
  redisUrl: string;
  databaseUrl: string;
}

export const DEFAULTS = {
  seconds: 60,
  warmupSeconds: 5,
  workers: 2,
  concurrency: 100,
  probes: 10_000,
  intervalMs: 10_000,
  timeoutMs: 5_000,
};

/** Pure: options from the environment; throws a BenchError naming every bad variable. */
export function readOptions(env: Readonly<Record<string, string | undefined>>): BenchOptions {
  const bad: string[] = [];
  const num = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      bad.push(`${name} must be an integer ≥ ${min}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const only = env.BENCH_ONLY?.trim()
    ? env.BENCH_ONLY.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  const o: BenchOptions = {
    seconds: num('BENCH_SECONDS', DEFAULTS.seconds, 1),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', DEFAULTS.warmupSeconds, 0),
    only,
    workers: num('BENCH_WORKERS', DEFAULTS.workers, 1),
    concurrency: num('BENCH_CONCURRENCY', DEFAULTS.concurrency, 1),
    probes: num('BENCH_PROBES', DEFAULTS.probes, 1),
    intervalMs: num('BENCH_INTERVAL_MS', DEFAULTS.intervalMs, 1_000),
    timeoutMs: num('BENCH_TIMEOUT_MS', DEFAULTS.timeoutMs, 100),
    workerRuntime: env.BENCH_WORKER_RUNTIME === 'tsx' ? 'tsx' : 'bundle',
    cpuProf: env.BENCH_CPU_PROF === '1',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  };
  const runtime = env.BENCH_WORKER_RUNTIME;
  if (runtime !== undefined && runtime !== '' && runtime !== 'tsx' && runtime !== 'bundle')
    bad.push(`BENCH_WORKER_RUNTIME must be tsx or bundle, got "${runtime}"`);
  if (o.timeoutMs >= o.intervalMs) bad.push('BENCH_TIMEOUT_MS must be shorter than BENCH_INTERVAL_MS');
  if (bad.length > 0) throw new BenchError('OPTIONS', bad.join('; '));
  return o;
}

/** Pure: the sections to run, in registry order; throws on an unknown name. */
export function selectSections<T extends { name: string }>(all: readonly T[], only: string[] | null): T[] {
  if (only === null) return [...all];
  const known = new Set(all.map((s) => s.name));
  const unknown = only.filter((n) => !known.has(n));
  if (unknown.length > 0)
    throw new BenchError(
      'OPTIONS',
      `BENCH_ONLY: unknown section${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${[...known].join(', ')})`,
    );
  return all.filter((s) => only.includes(s.name));
}
