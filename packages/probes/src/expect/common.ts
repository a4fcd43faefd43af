import { DAY_MS, type AssertionResult } from '@vigil/core';
import { assertion } from './assertion.js';
import { compare, parseComparison, parseDurationComparison } from './compare.js';

/** `responseTime: "< 800ms"` against the run's total; no assertion when not asked for. */
export function matchResponseTime(want: string | undefined, totalMs: number): AssertionResult[] {
  const c = want === undefined ? null : parseDurationComparison(want);
  if (!c || want === undefined) return [];
  return [assertion('responseTime', compare(totalMs, c), want.trim(), `${Math.round(totalMs)}ms`)];
}

/** `tls: { daysLeft: ">= 14" }`; fails when no certificate was seen. */
export function matchDaysLeft(want: string | undefined, daysLeft: number | null): AssertionResult[] {
  const c = want === undefined ? null : parseComparison(want);
  if (!c || want === undefined) return [];
  const ok = daysLeft !== null && compare(daysLeft, c);
  return [assertion('tlsDaysLeft', ok, want.trim(), daysLeft === null ? 'no certificate' : String(daysLeft))];
}

/** Whole days from `now` until a certificate's expiry; negative once it has expired. */
export function daysLeft(validTo: number | null, now: number): number | null {
  return validTo === null ? null : Math.floor((validTo - now) / DAY_MS);
}
