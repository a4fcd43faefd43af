import {
  burnAlerts,
  BURN_WINDOW_MS,
  VERDICTS,
  type BurnAlert,
  type BurnWindow,
  type EpochMs,
  type UpDown,
} from '@vigil/core';
import type { PackedSlot } from './state.js';

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
  recent: readonly PackedSlot[];
  at: EpochMs;
  target: number;
  long: LongWindows | undefined;
}): BurnAlert[] {
  const windows: Partial<Record<BurnWindow, UpDown>> = {};
  for (const w of SHORT_WINDOWS) windows[w] = upDown(input.recent, input.at - BURN_WINDOW_MS[w], input.at);
  Object.assign(windows, input.long ?? {});
  for (const [w, v] of Object.entries(windows) as [BurnWindow, UpDown][])
    if (v.upMs + v.downMs < BURN_WINDOW_MS[w] * MIN_WINDOW_COVERAGE) delete windows[w];
  return burnAlerts({ target: input.target, windows });
}

/** Up (degraded included) and down time of packed slots inside [from, to), without unpacking them. */
export function upDown(recent: readonly PackedSlot[], from: EpochMs, to: EpochMs): UpDown {
  let upMs = 0;
  let downMs = 0;
  for (let i = recent.length - 1; i >= 0; i--) {
    const [at, dur, v] = recent[i]!;
    if (at + dur <= from) break;
    const ms = Math.max(0, Math.min(at + dur, to) - Math.max(at, from));
    if (v === UP || v === DEGRADED) upMs += ms;
    else if (v === DOWN) downMs += ms;
  }
  return { upMs, downMs };
}

const UP = VERDICTS.indexOf('up');
const DEGRADED = VERDICTS.indexOf('degraded');
const DOWN = VERDICTS.indexOf('down');
