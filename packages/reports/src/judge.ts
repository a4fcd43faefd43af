import { DEFAULT_MIN_COVERAGE, type AvailabilityStatus, type VerdictTimes } from '@vigil/core';

export interface Judged {
  availability: number | null;
  coverage: number;
  status: AvailabilityStatus;
  noDataMs: number;
}

/**
 * core's `summarizeTimes` (the same arithmetic, checked against it in judge.test.ts) without building
 * its result by spreading `times`: V8 takes a slow path for `{ ...times, noDataMs, … }` when a spread
 * key is written again (~10 µs a call where this is ~50 ns), and a quarterly report judges some 120,000
 * days and windows.
 */
export function judgeTimes(t: VerdictTimes, totalMs: number, target: number): Judged {
  const withData = t.upMs + t.downMs + t.rateLimitedMs;
  const noDataMs = Math.max(0, totalMs - withData - t.excludedMs);
  const measured = t.upMs + t.downMs;
  const availability = measured > 0 ? t.upMs / measured : null;
  const notExcluded = withData + noDataMs;
  const coverage = notExcluded > 0 ? withData / notExcluded : 0;
  const status: AvailabilityStatus =
    availability === null || coverage < DEFAULT_MIN_COVERAGE
      ? 'insufficient_data'
      : availability >= target
        ? 'met'
        : 'missed';
  return { availability, coverage, status, noDataMs };
}
