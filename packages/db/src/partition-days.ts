import { DAY_MS } from '@vigil/core';

const NAME = /^probe_results_(\d{4})(\d{2})(\d{2})$/;

/** Start of the UTC day containing `at`. */
export function utcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function addDays(day: Date, n: number): Date {
  return new Date(day.getTime() + n * DAY_MS);
}

/** `probe_results_YYYYMMDD` for the UTC day starting at `day`. */
export function partitionName(day: Date): string {
  return `probe_results_${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The UTC day a daily partition covers, or null for any other table (the default partition). */
export function partitionDay(name: string): Date | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const day = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00.000Z`);
  return Number.isNaN(day.getTime()) || partitionName(day) !== name ? null : day;
}

/** The days from today through `daysAhead` days later: the partitions that should exist at `now`. */
export function daysToCover(now: Date, daysAhead: number): Date[] {
  const today = utcDay(now);
  return Array.from({ length: daysAhead + 1 }, (_, i) => addDays(today, i));
}

/** Whole days whose every slot is older than `retentionDays` before `now`. */
export function isExpired(day: Date, now: Date, retentionDays: number): boolean {
  return addDays(day, 1).getTime() <= now.getTime() - retentionDays * DAY_MS;
}

export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}
