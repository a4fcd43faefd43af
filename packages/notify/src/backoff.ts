export interface BackoffOptions {
  /** delay after the first failure, before jitter; default 5 000 */
  baseMs: number;
  /** the delay never grows past this; default 900 000 (15 min) */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 15 * 60_000 };

/**
 * Delay before the next try after `attempts` failures: exponential, capped, with "equal jitter"
 * (half fixed, half random) so retries never come back sooner than half the step, yet spread out.
 */
export function nextBackoff(attempts: number, opts: BackoffOptions, random: () => number): number {
  const step = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
