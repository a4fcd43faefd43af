import type { EpochMs, ErrorClass } from '../types.js';
import {
  addVerdictTime,
  addVerdictTimes,
  emptyVerdictTimes,
  summarizeTimes,
  VERDICT_TIME_KEYS,
  type Availability,
  type VerdictTimes,
} from './availability.js';
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
    addVerdictTimes(out, r);
    for (const v of VERDICTS) out.counts[v] += r.counts[v];
    for (const [cls, n] of Object.entries(r.errorClasses) as [ErrorClass, number][])
      out.errorClasses[cls] = (out.errorClasses[cls] ?? 0) + n;
    for (const k of PHASE_KEYS) out.phaseSums[k] += r.phaseSums[k];
  }
  out.latency = histMerge(...rollups.map((r) => r.latency));
  return out;
}

/**
 * `a` minus `b` (a running total at one day minus one at an earlier day: what happened in between);
 * keeps `a`'s probe and hour. Buckets and error classes that come to nothing or less are dropped.
 */
export function subtractRollups(a: HourlyRollup, b: HourlyRollup): HourlyRollup {
  const out = cleanRollup({
    ...a,
    counts: { ...a.counts },
    errorClasses: { ...a.errorClasses },
    latency: { ...a.latency },
    phaseSums: { ...a.phaseSums },
  });
  for (const k of VERDICT_TIME_KEYS) out[k] = a[k] - b[k];
  for (const v of VERDICTS) out.counts[v] = a.counts[v] - b.counts[v];
  for (const [c, n] of Object.entries(b.errorClasses) as [ErrorClass, number][])
    out.errorClasses[c] = (out.errorClasses[c] ?? 0) - n;
  for (const [k, n] of Object.entries(b.latency)) out.latency[Number(k)] = (out.latency[Number(k)] ?? 0) - n;
  for (const k of PHASE_KEYS) out.phaseSums[k] = a.phaseSums[k] - b.phaseSums[k];
  return cleanRollup(out);
}

/** A copy without the latency buckets and error classes that sum to nothing (or less). */
export function cleanRollup(r: HourlyRollup): HourlyRollup {
  const latency: LatencyHistogram = {};
  for (const [b, n] of Object.entries(r.latency)) if (n > 0) latency[Number(b)] = n;
  const errorClasses: HourlyRollup['errorClasses'] = {};
  for (const [c, n] of Object.entries(r.errorClasses) as [ErrorClass, number][])
    if (n > 0) errorClasses[c] = n;
  return { ...r, latency, errorClasses };
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
  const t = emptyVerdictTimes();
  for (const r of rollups) {
    const share = overlapMs(r.hourStart, HOUR_MS, window) / HOUR_MS;
    if (share > 0) for (const k of VERDICT_TIME_KEYS) t[k] += share === 1 ? r[k] : r[k] * share;
  }
  return summarizeTimes(t, windowMs(window), target, minCoverage);
}

const PHASE_KEYS = ['dnsMs', 'connectMs', 'tlsMs', 'ttfbMs', 'n'] as const;

/** A rollup of nothing: the base of a sum. */
export function emptyRollup(probeId: string, hourStart: EpochMs): HourlyRollup {
  return {
    probeId,
    hourStart,
    ...emptyVerdictTimes(),
    counts: { up: 0, degraded: 0, down: 0, no_data: 0, excluded: 0, rate_limited: 0 },
    errorClasses: {},
    latency: {},
    phaseSums: { dnsMs: 0, connectMs: 0, tlsMs: 0, ttfbMs: 0, n: 0 },
  };
}
