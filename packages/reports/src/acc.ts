import type { ErrorClass, HourlyRollup, VerdictTimes } from '@vigil/core';
import { RangeHist } from './range-hist.js';

/** What rollups add up to over a window, apart from time: calls, error classes, latency and phases. */
export interface CallAcc {
  up: number;
  degraded: number;
  down: number;
  rateLimited: number;
  errors: Partial<Record<ErrorClass, number>>;
  latency: RangeHist;
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  ttfbMs: number;
  phaseN: number;
}

export function emptyCalls(): CallAcc {
  return {
    up: 0,
    degraded: 0,
    down: 0,
    rateLimited: 0,
    errors: {},
    latency: new RangeHist(),
    dnsMs: 0,
    connectMs: 0,
    tlsMs: 0,
    ttfbMs: 0,
    phaseN: 0,
  };
}

export function emptyTimes(): VerdictTimes {
  return { upMs: 0, degradedMs: 0, downMs: 0, noDataMs: 0, excludedMs: 0, rateLimitedMs: 0 };
}

/** Adds the calls of one hourly rollup (they belong to the hour the slot started in). */
export function addRollupCalls(a: CallAcc, r: HourlyRollup): void {
  addRollupCounts(a, r);
  a.latency.addObject(r.latency);
}

/** Everything of addRollupCalls but the latency, which callers fan out from one enumeration. */
export function addRollupCounts(a: CallAcc, r: HourlyRollup): void {
  const c = r.counts;
  a.up += c.up;
  a.degraded += c.degraded;
  a.down += c.down;
  a.rateLimited += c.rate_limited;
  // error classes are only counted for down and rate-limited slots: skip the enumeration otherwise
  if (c.down > 0 || c.rate_limited > 0)
    for (const cls in r.errorClasses) {
      const k = cls as ErrorClass;
      a.errors[k] = (a.errors[k] ?? 0) + (r.errorClasses[k] ?? 0);
    }
  a.dnsMs += r.phaseSums.dnsMs;
  a.connectMs += r.phaseSums.connectMs;
  a.tlsMs += r.phaseSums.tlsMs;
  a.ttfbMs += r.phaseSums.ttfbMs;
  a.phaseN += r.phaseSums.n;
}

export function addCalls(a: CallAcc, b: CallAcc): void {
  a.up += b.up;
  a.degraded += b.degraded;
  a.down += b.down;
  a.rateLimited += b.rateLimited;
  for (const cls in b.errors) {
    const c = cls as ErrorClass;
    a.errors[c] = (a.errors[c] ?? 0) + (b.errors[c] ?? 0);
  }
  a.latency.addHist(b.latency);
  a.dnsMs += b.dnsMs;
  a.connectMs += b.connectMs;
  a.tlsMs += b.tlsMs;
  a.ttfbMs += b.ttfbMs;
  a.phaseN += b.phaseN;
}

/** Adds `share` (0..1] of an hour's times, as availabilityFromRollups does. */
export function addTimes(t: VerdictTimes, r: VerdictTimes, share: number): void {
  if (share === 1) {
    t.upMs += r.upMs;
    t.degradedMs += r.degradedMs;
    t.downMs += r.downMs;
    t.noDataMs += r.noDataMs;
    t.excludedMs += r.excludedMs;
    t.rateLimitedMs += r.rateLimitedMs;
  } else {
    t.upMs += r.upMs * share;
    t.degradedMs += r.degradedMs * share;
    t.downMs += r.downMs * share;
    t.noDataMs += r.noDataMs * share;
    t.excludedMs += r.excludedMs * share;
    t.rateLimitedMs += r.rateLimitedMs * share;
  }
}
