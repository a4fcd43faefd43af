import { BenchError } from './errors.js';

export interface WholeOptions {
  /** probes on Job Schedulers (BENCH_WHOLE_PROBES); at BENCH_INTERVAL_MS 10 000, 10,000 is 1,000/s */
  probes: number;
  /** status page requests per second to `/` while the window runs (BENCH_WHOLE_API_RPS) */
  apiPerSecond: number;
}

export const WHOLE_DEFAULTS: WholeOptions = { probes: 10_000, apiPerSecond: 10 };

/** Pure: the whole section's options from the environment; throws a BenchError naming every bad one. */
export function readWholeOptions(env: Readonly<Record<string, string | undefined>>): WholeOptions {
  const bad: string[] = [];
  const num = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      bad.push(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const o = {
    probes: num('BENCH_WHOLE_PROBES', WHOLE_DEFAULTS.probes, 1, 100_000),
    apiPerSecond: num('BENCH_WHOLE_API_RPS', WHOLE_DEFAULTS.apiPerSecond, 0, 200),
  };
  if (bad.length > 0) throw new BenchError('OPTIONS', bad.join('; '));
  return o;
}
