import { describe, expect, it } from 'vitest';
import { daysToCover, isExpired, partitionDay, partitionName, utcDay } from './partition-days.js';

const d = (iso: string) => new Date(iso);

describe('daily partitions', () => {
  it.each([
    ['2025-03-01T00:00:00.000Z', 'probe_results_20250301'],
    ['2025-03-01T23:59:59.999Z', 'probe_results_20250301'],
    ['2024-02-29T12:00:00.000Z', 'probe_results_20240229'],
    ['2025-12-31T23:59:59.999Z', 'probe_results_20251231'],
  ])('names the UTC day of %s %s', (at, name) => {
    expect(partitionName(utcDay(d(at)))).toBe(name);
  });

  it.each([
    ['probe_results_20250301', '2025-03-01T00:00:00.000Z'],
    ['probe_results_20240229', '2024-02-29T00:00:00.000Z'],
    ['probe_results_20250229', null],
    ['probe_results_default', null],
    ['probe_results_2025030', null],
    ['other_20250301', null],
  ])('reads the day of %s as %s', (name, iso) => {
    expect(partitionDay(name)?.toISOString() ?? null).toBe(iso);
  });

  it('covers today and the days ahead, across a month end', () => {
    expect(daysToCover(d('2025-01-30T22:00:00Z'), 3).map(partitionName)).toEqual([
      'probe_results_20250130',
      'probe_results_20250131',
      'probe_results_20250201',
      'probe_results_20250202',
    ]);
  });

  it.each([
    // day, now, retention, expired
    ['2025-01-01', '2025-02-06T00:00:00Z', 35, true],
    ['2025-01-01', '2025-02-05T23:59:59.999Z', 35, false],
    ['2025-01-02', '2025-02-06T12:00:00Z', 35, false],
    ['2025-03-01', '2025-03-03T00:00:00Z', 1, true],
    ['2025-03-01', '2025-03-02T23:59:59.999Z', 1, false],
    ['2025-03-01', '2025-03-01T23:00:00Z', 0, false],
  ])('day %s at %s with %i days of retention: expired %s', (day, now, days, expired) => {
    expect(isExpired(d(`${day}T00:00:00Z`), d(now), days)).toBe(expired);
  });
});
