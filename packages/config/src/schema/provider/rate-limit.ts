import { cronTimes, type ProbeSpec } from '@vigil/core';
import { z } from 'zod';
import { durationSchema } from '../../duration.js';

/** The most requests a budget may allow per window: the distributed budget keeps one entry per request in flight. */
export const MAX_BUDGET_REQUESTS = 1_000_000;

/**
 * `providers.<name>.rateLimit: { requests: 1000, per: 1h }`: the request budget the provider's probes share
 * across all regions and workers. No window of length `per` (on the slots' scheduled times) holds more than
 * `requests` sent requests; a slot that finds the budget spent is recorded `rate_limited` without a request.
 * `per` is milliseconds once parsed.
 */
export const providerRateLimitSchema = () =>
  z.strictObject({
    requests: z.int().min(1).max(MAX_BUDGET_REQUESTS),
    per: durationSchema({ minMs: 1000, maxMs: 31 * 86_400_000 }),
  });
export type ProviderRateLimitConfig = z.output<ReturnType<typeof providerRateLimitSchema>>;

/** Cron runs looked at when counting a cron probe's worst window (bounds the work for `* * * * * *`-like patterns). */
const MAX_CRON_RUNS = 20_000;
const CRON_HORIZON_MS = 8 * 86_400_000;

/**
 * The most runs one probe schedules in any window of `perMs` (half-open, on scheduled times): for an interval,
 * ceil(per / every); for cron, the busiest window among the runs of the next eight days from `from`.
 * Push probes (`kind: heartbeat`) send no request and count 0.
 */
export function runsPerWindow(p: ProbeSpec, perMs: number, from = 0): number {
  if (p.kind === 'heartbeat') return 0;
  const s = p.schedule;
  // an interval's offset shifts every slot alike: the count only depends on the period
  if (s.type === 'interval') return Math.ceil(perMs / s.everyMs);
  let times: { next(at: number): number };
  try {
    times = cronTimes(s.cron, s.tz);
  } catch {
    return 0;
  }
  const runs: number[] = [];
  for (
    let t = times.next(from - 1);
    runs.length < MAX_CRON_RUNS && t < from + CRON_HORIZON_MS;
    t = times.next(t)
  )
    runs.push(t);
  let best = 0;
  for (let i = 0, j = 0; i < runs.length; i++) {
    while (j < runs.length && runs[j]! < runs[i]! + perMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/**
 * Requests one run of a probe sends in one region: each of an http probe's `steps`, else one; a push
 * probe (`kind: heartbeat`) none. An OAuth2 token fetch is not counted (cached until shortly before expiry).
 */
export function requestsPerRun(p: Pick<ProbeSpec, 'kind' | 'spec'>): number {
  if (p.kind === 'heartbeat') return 0;
  const steps = (p.spec as { steps?: unknown } | null)?.steps;
  return Array.isArray(steps) && steps.length > 0 ? steps.length : 1;
}

/**
 * Requests the probes of `provider` schedule in their busiest window of `perMs`: runs per window ×
 * regions × requests per run.
 */
export function plannedRequests(probes: readonly ProbeSpec[], provider: string, perMs: number): number {
  return probes
    .filter((p) => p.provider === provider)
    .reduce((n, p) => n + runsPerWindow(p, perMs) * p.regions.length * requestsPerRun(p), 0);
}

/** Every provider's budget in force, as the gate takes them (`per` in ms): for the scheduler to publish. */
export function providerBudgets(config: {
  providers?: Record<string, { rateLimit?: ProviderRateLimitConfig }>;
}): Record<string, { requests: number; perMs: number }> {
  const out: Record<string, { requests: number; perMs: number }> = {};
  for (const [name, p] of Object.entries(config.providers ?? {}))
    if (p.rateLimit) out[name] = { requests: p.rateLimit.requests, perMs: p.rateLimit.per };
  return out;
}
