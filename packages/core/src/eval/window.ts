import type { EpochMs } from '../types.js';

/** A half-open time range [from, to). */
export interface TimeWindow {
  from: EpochMs;
  to: EpochMs;
}

/** Milliseconds of [at, at + durationMs) that fall inside `window`. */
export function overlapMs(at: EpochMs, durationMs: number, window: TimeWindow): number {
  return Math.max(0, Math.min(at + durationMs, window.to) - Math.max(at, window.from));
}

/** Length of a window in milliseconds (0 when inverted). */
export function windowMs(window: TimeWindow): number {
  return Math.max(0, window.to - window.from);
}
