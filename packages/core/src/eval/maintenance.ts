import { DateTime } from 'luxon';
import type { EpochMs } from '../types.js';
import { CronError, cronDayMatches, parseCron, type CronPattern } from '../cron.js';
import { PeriodError } from './periods.js';
import type { TimeWindow } from './window.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A maintenance window: slots inside it are excluded and nothing is notified. */
export type MaintenanceWindow =
  | { type: 'once'; from: EpochMs; to: EpochMs }
  /** `start` is local `HH:mm` in `tz` */
  | { type: 'weekly'; weekdays: readonly Weekday[]; start: string; durationMs: number; tz: string }
  | { type: 'cron'; cron: string; durationMs: number; tz: string };

const WEEKDAY_NUM: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** Whether `instant` falls inside the window ([start, start + duration) of any occurrence). */
export function isInMaintenance(window: MaintenanceWindow, instant: EpochMs): boolean {
  return maintenanceIntervals(window, { from: instant, to: instant + 1 }).length > 0;
}

/** Whether `instant` falls inside any of the windows. */
export function isInAnyMaintenance(windows: readonly MaintenanceWindow[], instant: EpochMs): boolean {
  return windows.some((w) => isInMaintenance(w, instant));
}

/** Every occurrence of the window overlapping `range`, in order. Throws CronError or PeriodError. */
export function maintenanceIntervals(window: MaintenanceWindow, range: TimeWindow): TimeWindow[] {
  if (window.type === 'once')
    return window.from < range.to && window.to > range.from ? [{ from: window.from, to: window.to }] : [];
  const pattern = parseCron(toCron(window));
  if (pattern.dateRules)
    throw new CronError(`cron "${toCron(window)}": L and # are not supported in maintenance windows`);
  const out: TimeWindow[] = [];
  let day = DateTime.fromMillis(range.from - window.durationMs, { zone: window.tz }).startOf('day');
  const lastDay = DateTime.fromMillis(range.to, { zone: window.tz }).startOf('day');
  if (!day.isValid) throw new PeriodError('INVALID_TIME_ZONE', `invalid time zone "${window.tz}"`);
  while (day <= lastDay) {
    for (const start of startsOn(pattern, day)) {
      const occ = { from: start, to: start + window.durationMs };
      if (occ.from < range.to && occ.to > range.from) out.push(occ);
    }
    day = day.plus({ days: 1 });
  }
  return out;
}

function toCron(w: Extract<MaintenanceWindow, { type: 'weekly' | 'cron' }>): string {
  if (w.type === 'cron') return w.cron;
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(w.start);
  const days = w.weekdays.map((d) => WEEKDAY_NUM[d]).join(',');
  // an unparsable start or no weekday becomes a cron the parser rejects with a CronError
  return m ? `${Number(m[2])} ${Number(m[1])} * * ${days || 'none'}` : `${w.start} invalid`;
}

function startsOn(p: CronPattern, day: DateTime): EpochMs[] {
  if (!cronDayMatches(p, day.month, day.day, day.weekday % 7)) return [];
  const out: EpochMs[] = [];
  for (const hour of p.hours)
    for (const minute of p.minutes)
      for (const second of p.seconds) {
        const t = day.set({ hour, minute, second });
        // a local time skipped by a DST jump does not exist; luxon would move it an hour on
        if (t.hour === hour && t.minute === minute) out.push(t.toMillis());
      }
  return out;
}
