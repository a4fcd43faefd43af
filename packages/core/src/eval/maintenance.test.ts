import { describe, expect, it } from 'vitest';
import { CronError } from '../cron.js';
import {
  isInAnyMaintenance,
  isInMaintenance,
  maintenanceIntervals,
  type MaintenanceWindow,
} from './maintenance.js';
import { PeriodError } from './periods.js';

const at = (iso: string) => Date.parse(iso);
const H = 3_600_000;

describe('isInMaintenance', () => {
  const once: MaintenanceWindow = {
    type: 'once',
    from: at('2026-05-01T10:00:00Z'),
    to: at('2026-05-01T12:00:00Z'),
  };
  const sundays: MaintenanceWindow = {
    type: 'weekly',
    weekdays: ['sun'],
    start: '02:00',
    durationMs: 2 * H,
    tz: 'Europe/Berlin',
  };
  const nightly: MaintenanceWindow = {
    type: 'cron',
    cron: '30 23 * * *',
    durationMs: H,
    tz: 'America/New_York',
  };

  it.each<[string, MaintenanceWindow, string, boolean]>([
    ['once: at the start', once, '2026-05-01T10:00:00Z', true],
    ['once: just before the end', once, '2026-05-01T11:59:59.999Z', true],
    ['once: at the end', once, '2026-05-01T12:00:00Z', false],
    ['weekly: Sunday 02:00 Berlin in summer', sundays, '2026-06-07T00:00:00Z', true],
    ['weekly: Sunday 03:59 Berlin in winter', sundays, '2026-01-11T02:59:00Z', true],
    ['weekly: Sunday 04:00 Berlin', sundays, '2026-01-11T03:00:00Z', false],
    ['weekly: Monday 02:00 Berlin', sundays, '2026-01-12T01:00:00Z', false],
    ['cron: 23:30 New York', nightly, '2026-07-15T03:30:00Z', true],
    ['cron: crossing midnight, 00:15 New York', nightly, '2026-07-15T04:15:00Z', true],
    ['cron: 00:30 New York', nightly, '2026-07-15T04:30:00Z', false],
    ['cron: crossing into a new year', nightly, '2027-01-01T05:10:00Z', true],
  ])('%s: %s', (_name, window, instant, inside) => {
    expect(isInMaintenance(window, at(instant))).toBe(inside);
  });

  it('skips a start time that does not exist on the spring-forward night', () => {
    const w: MaintenanceWindow = {
      type: 'cron',
      cron: '30 2 * * *',
      durationMs: 30 * 60_000,
      tz: 'Europe/Berlin',
    };
    expect(
      maintenanceIntervals(w, { from: at('2026-03-28T00:00:00Z'), to: at('2026-03-31T00:00:00Z') }),
    ).toEqual([
      { from: at('2026-03-28T01:30:00Z'), to: at('2026-03-28T02:00:00Z') },
      { from: at('2026-03-30T00:30:00Z'), to: at('2026-03-30T01:00:00Z') },
    ]);
  });

  it('lists occurrences overlapping a range, including one that started before it', () => {
    const got = maintenanceIntervals(sundays, {
      from: at('2026-06-07T01:00:00Z'),
      to: at('2026-06-21T00:30:00Z'),
    });
    expect(got).toEqual([
      { from: at('2026-06-07T00:00:00Z'), to: at('2026-06-07T02:00:00Z') },
      { from: at('2026-06-14T00:00:00Z'), to: at('2026-06-14T02:00:00Z') },
      { from: at('2026-06-21T00:00:00Z'), to: at('2026-06-21T02:00:00Z') },
    ]);
  });

  it('matches any of several windows', () => {
    expect(isInAnyMaintenance([once, sundays], at('2026-05-01T11:00:00Z'))).toBe(true);
    expect(isInAnyMaintenance([once, sundays], at('2026-05-01T13:00:00Z'))).toBe(false);
    expect(isInAnyMaintenance([], at('2026-05-01T11:00:00Z'))).toBe(false);
  });

  it.each<[MaintenanceWindow, typeof CronError | typeof PeriodError]>([
    [{ type: 'cron', cron: '61 * * * *', durationMs: H, tz: 'UTC' }, CronError],
    [{ type: 'weekly', weekdays: ['mon'], start: '25:00', durationMs: H, tz: 'UTC' }, CronError],
    [{ type: 'weekly', weekdays: [], start: '02:00', durationMs: H, tz: 'UTC' }, CronError],
    [{ type: 'cron', cron: '0 2 * * *', durationMs: H, tz: 'Mars/Olympus' }, PeriodError],
    [{ type: 'cron', cron: '0 2 L * *', durationMs: H, tz: 'UTC' }, CronError],
  ])('rejects an invalid window %j', (w, error) => {
    expect(() => isInMaintenance(w, 0)).toThrow(error);
  });
});
