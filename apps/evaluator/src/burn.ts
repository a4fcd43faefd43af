import {
  burnAlerts,
  BURN_WINDOW_MS,
  computeAvailability,
  type BurnAlert,
  type BurnWindow,
  type EpochMs,
  type SlotVerdict,
  type UpDown,
} from '@vigil/core';

/** The windows computed from recent slots; the longer ones come from hourly rollups. */
export const SHORT_WINDOWS = ['5m', '30m', '1h'] as const;
export type LongWindows = Partial<Record<'6h' | '3d', UpDown>>;

/**
 * A window counts only when at least half of it was measured, so a probe seconds old, or one
 * minute bad out of two, cannot page: burn rates speak for sustained trouble.
 */
export const MIN_WINDOW_COVERAGE = 0.5;

/** The burn-rate rules firing for a subject whose verdicts are known up to `at`. Pure. */
export function firingBurnRules(input: {
  recent: readonly SlotVerdict[];
  at: EpochMs;
  target: number;
  long: LongWindows | undefined;
}): BurnAlert[] {
  const windows: Partial<Record<BurnWindow, UpDown>> = {};
  for (const w of SHORT_WINDOWS) {
    const a = computeAvailability({
      slots: input.recent,
      window: { from: input.at - BURN_WINDOW_MS[w], to: input.at },
    });
    windows[w] = { upMs: a.upMs, downMs: a.downMs };
  }
  Object.assign(windows, input.long ?? {});
  for (const [w, v] of Object.entries(windows) as [BurnWindow, UpDown][])
    if (v.upMs + v.downMs < BURN_WINDOW_MS[w] * MIN_WINDOW_COVERAGE) delete windows[w];
  return burnAlerts({ target: input.target, windows });
}
