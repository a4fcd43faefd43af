import type { ErrorClass, HourlyRollup, LatencyHistogram, VerdictTimes } from '@vigil/core';

/** What rollups add up to over a window, apart from time: calls, error classes, latency and phases. */
export interface CallAcc {
  up: number;
  degraded: number;
  down: number;
  rateLimited: number;
  errors: Partial<Record<ErrorClass, number>>;
  latency: LatencyHistogram;
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
    latency: {},
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

export function addHistInto(into: LatencyHistogram, h: LatencyHistogram): void {
  for (const b in h) {
    const k = Number(b);
    into[k] = (into[k] ?? 0) + h[k]!;
  }
}

/** Adds the calls of one hourly rollup (they belong to the hour the slot started in). */
export function addRollupCalls(a: CallAcc, r: HourlyRollup): void {
  a.up += r.counts.up;
  a.degraded += r.counts.degraded;
  a.down += r.counts.down;
  a.rateLimited += r.counts.rate_limited;
  for (const cls in r.errorClasses) {
    const c = cls as ErrorClass;
    a.errors[c] = (a.errors[c] ?? 0) + (r.errorClasses[c] ?? 0);
  }
  addHistInto(a.latency, r.latency);
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
  addHistInto(a.latency, b.latency);
  a.dnsMs += b.dnsMs;
  a.connectMs += b.connectMs;
  a.tlsMs += b.tlsMs;
  a.ttfbMs += b.ttfbMs;
  a.phaseN += b.phaseN;
}

const TIME_KEYS = ['upMs', 'degradedMs', 'downMs', 'noDataMs', 'excludedMs', 'rateLimitedMs'] as const;

/** Adds `share` (0..1] of an hour's times, as availabilityFromRollups does. */
export function addTimes(t: VerdictTimes, r: VerdictTimes, share: number): void {
  for (const k of TIME_KEYS) t[k] += share === 1 ? r[k] : r[k] * share;
}
