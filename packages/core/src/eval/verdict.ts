import type { EpochMs, ErrorClass, Outcome, Phases } from '../types.js';

/** The verdict of one slot of one probe across its regions. `degraded` is up, but slower than the threshold. */
export type Verdict = 'up' | 'degraded' | 'down' | 'no_data' | 'excluded' | 'rate_limited';

export const VERDICTS = ['up', 'degraded', 'down', 'no_data', 'excluded', 'rate_limited'] as const;

/** What one region reported for a slot. */
export interface RegionOutcome {
  region: string;
  outcome: Outcome;
  /** total latency of the run; null when the run never completed */
  latencyMs: number | null;
  errorClass?: ErrorClass | null;
  phases?: Pick<Phases, 'dnsMs' | 'connectMs' | 'tlsMs' | 'ttfbMs'> | null;
}

/** One evaluated slot: the unit every availability, rollup and incident computation consumes. */
export interface SlotVerdict {
  at: EpochMs;
  durationMs: number;
  verdict: Verdict;
  /** median latency of the regions that were up; null when none was */
  latencyMs?: number | null;
  /** the most frequent error class among the failing regions */
  errorClass?: ErrorClass | null;
  phases?: Pick<Phases, 'dnsMs' | 'connectMs' | 'tlsMs' | 'ttfbMs'> | null;
}

export interface SlotVerdictInput {
  results: readonly RegionOutcome[];
  /** the regions the probe runs in */
  regionsExpected: readonly string[];
  /** failing regions needed for `down`; default `defaultQuorum(reporting, expected)` */
  quorum?: number;
  latencyThresholdMs: number;
  /** inside a maintenance window (or the whole monitor is unhealthy) */
  excluded: boolean;
  /** regions the self-check marked unhealthy for this slot: their results are ignored */
  unhealthyRegions?: readonly string[];
  /** how a 429 counts; default: on its own */
  rateLimitedAs?: 'rate_limited' | 'down';
}

/** Default latency threshold: 500 ms for critical probes (payments, auth), 300 ms otherwise. */
export function defaultLatencyThresholdMs(critical: boolean): number {
  return critical ? 500 : 300;
}

/** A majority of the reporting regions, and at least 2 when the probe runs in 2+ regions. */
export function defaultQuorum(reporting: number, expected: number): number {
  return Math.max(Math.floor(reporting / 2) + 1, expected >= 2 ? 2 : 1);
}

/** Median of the up regions' latencies (the lower middle for an even count); null when none. */
export function slotLatencyMs(results: readonly RegionOutcome[]): number | null {
  const rep = representative(results);
  return rep?.latencyMs ?? null;
}

/**
 * A run that could not start as configured where it ran (errorClass `config`, an unset `${env:…}`): it
 * says nothing about the target, so its region is set aside for the slot like an unhealthy one.
 */
export function isConfigProblem(r: { errorClass?: ErrorClass | null }): boolean {
  return r.errorClass === 'config';
}

/** The regions whose results a slot ignores: unhealthy ones and those that could not run the probe. */
function setAsideRegions(input: SlotVerdictInput): Set<string> {
  const out = new Set(input.unhealthyRegions ?? []);
  for (const r of input.results) if (isConfigProblem(r)) out.add(r.region);
  return out;
}

/**
 * The verdict of one slot; call it once every region reported or the slot's end plus grace has passed.
 * Excluded inside maintenance, and when no expected region is left to judge by (all unhealthy, or all
 * reporting a configuration problem).
 */
export function slotVerdict(input: SlotVerdictInput): Verdict {
  if (input.excluded) return 'excluded';
  const aside = setAsideRegions(input);
  const expected = input.regionsExpected.filter((r) => !aside.has(r));
  if (expected.length === 0 && input.regionsExpected.length > 0) return 'excluded';
  const results = input.results.filter((r) => !aside.has(r.region));
  const rateLimitedAs = input.rateLimitedAs ?? 'rate_limited';
  const outcomes = results.map((r) =>
    r.outcome === 'rate_limited' && rateLimitedAs === 'down' ? 'down' : r.outcome,
  );
  const failed = outcomes.filter((o) => o === 'down').length;
  const reporting = failed + outcomes.filter((o) => o === 'up').length;
  if (reporting === 0) return outcomes.length > 0 ? 'rate_limited' : 'no_data';
  const quorum = input.quorum ?? defaultQuorum(reporting, expected.length);
  if (failed >= quorum) return 'down';
  const latency = slotLatencyMs(results);
  return latency !== null && latency > input.latencyThresholdMs ? 'degraded' : 'up';
}

/** True when a slot can be judged: every expected region reported, or its end plus `graceMs` has passed. */
export function slotIsDue(
  slot: { at: EpochMs; durationMs: number },
  reported: number,
  expected: number,
  graceMs: number,
  now: EpochMs,
): boolean {
  return reported >= expected || now >= slot.at + slot.durationMs + graceMs;
}

/**
 * `slotVerdict` plus the slot's latency, dominant error class and phases: a ready `SlotVerdict`. A slot
 * excluded because no region could run the probe as configured carries errorClass `config`.
 */
export function evaluateSlot(input: SlotVerdictInput & { at: EpochMs; durationMs: number }): SlotVerdict {
  const verdict = slotVerdict(input);
  const aside = setAsideRegions(input);
  const results = input.results.filter((r) => !aside.has(r.region));
  const rep = verdict === 'excluded' ? undefined : representative(results);
  return {
    at: input.at,
    durationMs: input.durationMs,
    verdict,
    latencyMs: rep?.latencyMs ?? null,
    errorClass: verdict === 'excluded' ? configExclusion(input) : dominantErrorClass(results),
    phases: rep?.phases ?? null,
  };
}

/** `config` when a slot outside maintenance is excluded because a healthy region could not run the probe. */
function configExclusion(input: SlotVerdictInput): ErrorClass | null {
  if (input.excluded) return null;
  const unhealthy = new Set(input.unhealthyRegions ?? []);
  return input.results.some((r) => isConfigProblem(r) && !unhealthy.has(r.region)) ? 'config' : null;
}

function representative(results: readonly RegionOutcome[]): RegionOutcome | undefined {
  const up = results
    .filter((r) => r.outcome === 'up' && r.latencyMs !== null)
    .sort((a, b) => a.latencyMs! - b.latencyMs! || a.region.localeCompare(b.region));
  return up[Math.floor((up.length - 1) / 2)];
}

function dominantErrorClass(results: readonly RegionOutcome[]): ErrorClass | null {
  const counts = new Map<ErrorClass, number>();
  for (const r of results)
    if (r.outcome !== 'up' && r.errorClass) counts.set(r.errorClass, (counts.get(r.errorClass) ?? 0) + 1);
  let best: ErrorClass | null = null;
  for (const [cls, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0])))
    if (best === null || n > counts.get(best)!) best = cls;
  return best;
}
