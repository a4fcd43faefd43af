import type { EpochMs, ErrorClass } from '../types.js';
import { addVerdictTime, summarizeTimes, type Availability, type VerdictTimes } from './availability.js';
import { histAddInPlace, histMerge, type LatencyHistogram } from './histogram.js';
import { VERDICTS, type SlotVerdict, type Verdict } from './verdict.js';
import { overlapMs, windowMs, type TimeWindow } from './window.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Sums of the phases of the up slots, to show the DNS / connect / TLS / TTFB breakdown as means. */
export interface PhaseSums {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  ttfbMs: number;
  n: number;
}

/**
 * One probe's hour: times are split by time (a slot crossing the hour counts its part here); counts,
 * error classes, latency and phases belong to the hour the slot starts in, so merging never double counts.
 */
export interface HourlyRollup extends VerdictTimes {
  probeId: string;
  hourStart: EpochMs;
  counts: Record<Verdict, number>;
  errorClasses: Partial<Record<ErrorClass, number>>;
  latency: LatencyHistogram;
  phaseSums: PhaseSums;
}

/** Start of the UTC hour containing `at` (every IANA zone in use is a whole-hour offset except a few). */
export function hourStartOf(at: EpochMs): EpochMs {
  return Math.floor(at / HOUR_MS) * HOUR_MS;
}

/** The rollup of one hour from the slots touching it; a pure function, so recomputing yields the same row. */
export function rollupHour(probeId: string, hourStart: EpochMs, slots: readonly SlotVerdict[]): HourlyRollup {
  const hour = { from: hourStart, to: hourStart + HOUR_MS };
  const r = emptyRollup(probeId, hourStart);
  for (const s of slots) {
    const ms = overlapMs(s.at, s.durationMs, hour);
    if (ms > 0) addVerdictTime(r, s.verdict, ms);
    if (s.at < hour.from || s.at >= hour.to) continue;
    r.counts[s.verdict]++;
    if (s.errorClass && (s.verdict === 'down' || s.verdict === 'rate_limited'))
      r.errorClasses[s.errorClass] = (r.errorClasses[s.errorClass] ?? 0) + 1;
    if ((s.verdict === 'up' || s.verdict === 'degraded') && s.latencyMs != null) {
      histAddInPlace(r.latency, s.latencyMs);
      if (s.phases) {
        r.phaseSums.dnsMs += s.phases.dnsMs ?? 0;
        r.phaseSums.connectMs += s.phases.connectMs ?? 0;
        r.phaseSums.tlsMs += s.phases.tlsMs ?? 0;
        r.phaseSums.ttfbMs += s.phases.ttfbMs ?? 0;
        r.phaseSums.n++;
      }
    }
  }
  return r;
}

/** Rolls every hour the slots touch; returns rollups ordered by hour. */
export function rollupHours(probeId: string, slots: readonly SlotVerdict[]): HourlyRollup[] {
  const hours = new Set<number>();
  for (const s of slots)
    for (let h = hourStartOf(s.at); h < s.at + Math.max(s.durationMs, 1); h += HOUR_MS) hours.add(h);
  return [...hours].sort((a, b) => a - b).map((h) => rollupHour(probeId, h, slots));
}

/** The sum of rollups (e.g. a day or a quarter); keeps the first rollup's probe and hour. */
export function mergeRollups(rollups: readonly HourlyRollup[]): HourlyRollup | null {
  const first = rollups[0];
  if (!first) return null;
  const out = emptyRollup(first.probeId, first.hourStart);
  for (const r of rollups) {
    for (const k of TIME_KEYS) out[k] += r[k];
    for (const v of VERDICTS) out.counts[v] += r.counts[v];
    for (const [cls, n] of Object.entries(r.errorClasses) as [ErrorClass, number][])
      out.errorClasses[cls] = (out.errorClasses[cls] ?? 0) + n;
    for (const k of PHASE_KEYS) out.phaseSums[k] += r.phaseSums[k];
  }
  out.latency = histMerge(...rollups.map((r) => r.latency));
  return out;
}

/**
 * Availability over a window from hourly rollups, without raw results. An hour only partly inside the
 * window (a zone with a half-hour offset) counts pro rata.
 */
export function availabilityFromRollups(
  rollups: readonly HourlyRollup[],
  window: TimeWindow,
  target?: number,
  minCoverage?: number,
): Availability {
  const t: VerdictTimes = { upMs: 0, degradedMs: 0, downMs: 0, noDataMs: 0, excludedMs: 0, rateLimitedMs: 0 };
  for (const r of rollups) {
    const share = overlapMs(r.hourStart, HOUR_MS, window) / HOUR_MS;
    if (share > 0) for (const k of TIME_KEYS) t[k] += share === 1 ? r[k] : r[k] * share;
  }
  return summarizeTimes(t, windowMs(window), target, minCoverage);
}

const TIME_KEYS = ['upMs', 'degradedMs', 'downMs', 'noDataMs', 'excludedMs', 'rateLimitedMs'] as const;
const PHASE_KEYS = ['dnsMs', 'connectMs', 'tlsMs', 'ttfbMs', 'n'] as const;

function emptyRollup(probeId: string, hourStart: EpochMs): HourlyRollup {
  return {
    probeId,
    hourStart,
    upMs: 0,
    degradedMs: 0,
    downMs: 0,
    noDataMs: 0,
    excludedMs: 0,
    rateLimitedMs: 0,
    counts: { up: 0, degraded: 0, down: 0, no_data: 0, excluded: 0, rate_limited: 0 },
    errorClasses: {},
    latency: {},
    phaseSums: { dnsMs: 0, connectMs: 0, tlsMs: 0, ttfbMs: 0, n: 0 },
  };
}
