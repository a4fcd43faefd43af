import type { EpochMs } from '../types.js';
import type { TimeWindow } from './window.js';

/** Time up and down over some window: what budget and burn-rate math needs (an `Availability` fits). */
export interface UpDown {
  upMs: number;
  downMs: number;
}

export interface ErrorBudget {
  allowedMs: number;
  usedMs: number;
  /** negative once overspent */
  leftMs: number;
  /** leftMs / allowedMs; null when no budget is allowed (target 100% or nothing measured) */
  leftFraction: number | null;
  exhausted: boolean;
}

/**
 * Error budget: `(1 - target) × periodMs` of downtime allowed. `periodMs` defaults to the measured time
 * (up + down), so "budget left ≥ 0" and "target met" agree; pass the whole non-excluded period to see
 * what is left of a calendar quarter still in progress.
 */
export function errorBudget(input: UpDown & { target: number; periodMs?: number }): ErrorBudget {
  const allowedMs = (1 - input.target) * (input.periodMs ?? input.upMs + input.downMs);
  const usedMs = input.downMs;
  const leftMs = allowedMs - usedMs;
  return {
    allowedMs,
    usedMs,
    leftMs,
    leftFraction: allowedMs > 0 ? leftMs / allowedMs : null,
    exhausted: usedMs > allowedMs,
  };
}

/** How fast the budget burns: error rate / (1 - target); 1 spends exactly the budget. Null without data. */
export function burnRate(input: UpDown & { target: number }): number | null {
  const measured = input.upMs + input.downMs;
  if (measured <= 0 || input.target >= 1) return null;
  // rounded so a rate sitting exactly on a threshold is not tipped over by float error
  return Math.round((input.downMs / measured / (1 - input.target)) * 1e9) / 1e9;
}

export type BurnWindow = '5m' | '30m' | '1h' | '6h' | '3d';
export type BurnKind = 'fast' | 'slow' | 'ticket';

export interface BurnRule {
  kind: BurnKind;
  severity: 'page' | 'ticket';
  factor: number;
  long: BurnWindow;
  short: BurnWindow;
}

/** The SRE workbook's multiwindow, multi-burn-rate rules: both windows must burn faster than the factor. */
export const BURN_RULES: readonly BurnRule[] = [
  { kind: 'fast', severity: 'page', factor: 14.4, long: '1h', short: '5m' },
  { kind: 'slow', severity: 'page', factor: 6, long: '6h', short: '30m' },
  { kind: 'ticket', severity: 'ticket', factor: 1, long: '3d', short: '6h' },
];

export const BURN_WINDOW_MS: Record<BurnWindow, number> = {
  '5m': 300_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '6h': 21_600_000,
  '3d': 259_200_000,
};

/** The trailing windows ending at `now` that `burnAlerts` needs measured. */
export function burnWindows(now: EpochMs): Record<BurnWindow, TimeWindow> {
  const out = {} as Record<BurnWindow, TimeWindow>;
  for (const [w, ms] of Object.entries(BURN_WINDOW_MS) as [BurnWindow, number][])
    out[w] = { from: now - ms, to: now };
  return out;
}

export interface BurnAlert extends BurnRule {
  longRate: number;
  shortRate: number;
}

/** The rules firing now: both the long and the short window burn strictly faster than the factor. */
export function burnAlerts(input: {
  target: number;
  windows: Partial<Record<BurnWindow, UpDown>>;
  rules?: readonly BurnRule[];
}): BurnAlert[] {
  const out: BurnAlert[] = [];
  for (const rule of input.rules ?? BURN_RULES) {
    const long = input.windows[rule.long];
    const short = input.windows[rule.short];
    const longRate = long ? burnRate({ ...long, target: input.target }) : null;
    const shortRate = short ? burnRate({ ...short, target: input.target }) : null;
    if (longRate !== null && shortRate !== null && longRate > rule.factor && shortRate > rule.factor)
      out.push({ ...rule, longRate, shortRate });
  }
  return out;
}
