import type { SlotVerdict } from './verdict.js';
import { overlapMs, windowMs, type TimeWindow } from './window.js';

/** Default SLO target: 98% (the business KPI: uptime ≥ 98% per quarter). */
export const DEFAULT_SLO_TARGET = 0.98;
/** Below this coverage a period reads "insufficient data", neither met nor missed. */
export const DEFAULT_MIN_COVERAGE = 0.9;

export type AvailabilityStatus = 'met' | 'missed' | 'insufficient_data';

/** Time spent in each verdict inside one window. `upMs` includes `degradedMs`. */
export interface VerdictTimes {
  upMs: number;
  degradedMs: number;
  downMs: number;
  noDataMs: number;
  excludedMs: number;
  rateLimitedMs: number;
}

/** The keys of VerdictTimes, for sums over them. */
export const VERDICT_TIME_KEYS = [
  'upMs',
  'degradedMs',
  'downMs',
  'noDataMs',
  'excludedMs',
  'rateLimitedMs',
] as const;

/** No time in any verdict: the base of a sum. */
export function emptyVerdictTimes(): VerdictTimes {
  return { upMs: 0, degradedMs: 0, downMs: 0, noDataMs: 0, excludedMs: 0, rateLimitedMs: 0 };
}

/** Adds `t` to `into` itself, key by key. */
export function addVerdictTimes(into: VerdictTimes, t: VerdictTimes): void {
  for (const k of VERDICT_TIME_KEYS) into[k] += t[k];
}

export interface Availability extends VerdictTimes {
  windowMs: number;
  /** up / (up + down); null when nothing was measured */
  availability: number | null;
  /** time with data / time not excluded; 0 for an empty window */
  coverage: number;
  target: number;
  status: AvailabilityStatus;
}

export interface AvailabilityInput {
  slots: readonly SlotVerdict[];
  window: TimeWindow;
  /** default 0.98 */
  target?: number;
  /** default 0.9 */
  minCoverage?: number;
}

/**
 * Time-weighted availability of a probe (or provider, service) over a window; slots crossing an edge
 * count only their part inside. Window time no slot covers counts as no data.
 */
export function computeAvailability(input: AvailabilityInput): Availability {
  const t = emptyVerdictTimes();
  for (const s of input.slots) {
    const ms = overlapMs(s.at, s.durationMs, input.window);
    if (ms > 0) addVerdictTime(t, s.verdict, ms);
  }
  return summarizeTimes(t, windowMs(input.window), input.target, input.minCoverage);
}

/** Adds `ms` of `verdict` to the totals (degraded counts as up and as degraded). */
export function addVerdictTime(t: VerdictTimes, verdict: SlotVerdict['verdict'], ms: number): void {
  if (verdict === 'up') t.upMs += ms;
  else if (verdict === 'degraded') {
    t.upMs += ms;
    t.degradedMs += ms;
  } else if (verdict === 'down') t.downMs += ms;
  else if (verdict === 'no_data') t.noDataMs += ms;
  else if (verdict === 'excluded') t.excludedMs += ms;
  else t.rateLimitedMs += ms;
}

/**
 * Availability, coverage and status from verdict times; uncovered window time becomes no data. The
 * result is built field by field, never as `{ ...times, noDataMs, … }`: V8 takes a slow path for a
 * spread whose key is written again (~10 µs a call against ~40 ns), and a quarterly report judges some
 * 120,000 days and windows. Only the VerdictTimes keys of `times` are copied.
 */
export function summarizeTimes(
  times: VerdictTimes,
  totalMs: number,
  target = DEFAULT_SLO_TARGET,
  minCoverage = DEFAULT_MIN_COVERAGE,
): Availability {
  const withData = times.upMs + times.downMs + times.rateLimitedMs;
  const noDataMs = Math.max(0, totalMs - withData - times.excludedMs);
  const measured = times.upMs + times.downMs;
  const availability = measured > 0 ? times.upMs / measured : null;
  const notExcluded = withData + noDataMs;
  const coverage = notExcluded > 0 ? withData / notExcluded : 0;
  const status: AvailabilityStatus =
    availability === null || coverage < minCoverage
      ? 'insufficient_data'
      : availability >= target
        ? 'met'
        : 'missed';
  return {
    upMs: times.upMs,
    degradedMs: times.degradedMs,
    downMs: times.downMs,
    noDataMs,
    excludedMs: times.excludedMs,
    rateLimitedMs: times.rateLimitedMs,
    windowMs: totalMs,
    availability,
    coverage,
    target,
    status,
  };
}
