import type { IncidentSignal, SlotVerdict, TimeWindow } from '@vigil/core';

/** Samples the p95 needs before it says anything (core's latencySignal default). */
export const DEGRADED_MIN_SAMPLES = 5;

/**
 * The `degraded` track's signal for one slot: bad when the p95 (nearest rank) of the latencies of the up
 * slots starting inside `window` is over `thresholdMs` **and** at least `minSlow` of those slots were over
 * it; skip with fewer than DEGRADED_MIN_SAMPLES of them. Pure, exact (counts, no histogram).
 *
 * Why `minSlow` (the track's M of `alerting.failures`): the window slides, so one slow slot stays in it
 * for every later slot of the window and would be "bad" N times in a row — M of N met by a single
 * response. With fewer than 20 samples (a probe's first minutes; every probe whose interval is 30 s or
 * more, whose 10-minute window never holds 20) the p95 is the maximum, so one slow run anywhere in the
 * window opened an incident. Requiring M slow slots gives the track the M distinct bad slots `down` needs.
 */
export function degradedSignal(
  slots: readonly SlotVerdict[],
  window: TimeWindow,
  thresholdMs: number,
  minSlow: number,
): IncidentSignal {
  let n = 0;
  let slow = 0;
  for (const s of slots) {
    if (s.at < window.from || s.at >= window.to || s.latencyMs == null) continue;
    if (s.verdict !== 'up' && s.verdict !== 'degraded') continue;
    n++;
    if (s.latencyMs > thresholdMs) slow++;
  }
  if (n < DEGRADED_MIN_SAMPLES) return 'skip';
  // the nearest-rank p95 is over the threshold exactly when more than n − rank samples are
  const p95Slow = slow > n - Math.ceil(0.95 * n);
  return p95Slow && slow >= Math.max(1, minSlow) ? 'bad' : 'good';
}
