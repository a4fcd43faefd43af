import type { Phases } from '@vigil/core';

export const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** Phases with every part absent, for a run that failed before any measurement. */
export function emptyPhases(totalMs: number): Phases {
  return {
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    ttfbMs: null,
    transferMs: null,
    totalMs: round(totalMs),
  };
}

/** Adds `ms` to a phase that may not have happened yet (redirect hops add up, like blackbox_exporter). */
export function addPhase(prev: number | null, ms: number | null): number | null {
  if (ms === null) return prev;
  return round((prev ?? 0) + ms);
}
