import { slotOffsetMs, stableHash32 } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { bullRepeatFor, scheduleFromBull } from './bull-schedule.js';

/** A probe id whose offset within `everyMs` is 0, the case BullMQ reads as "no offset". */
function idWithZeroOffset(everyMs: number): string {
  for (let i = 0; ; i++) if (stableHash32(`p${i}`) % everyMs === 0) return `p${i}`;
}

describe('bullRepeatFor', () => {
  it('schedules an interval at the probe offset', () => {
    expect(bullRepeatFor('stripe', { type: 'interval', everyMs: 60_000 })).toEqual({
      every: 60_000,
      offset: slotOffsetMs('stripe', 60_000),
    });
  });

  it('writes a zero offset as a whole interval, which BullMQ aligns to the same slots', () => {
    const id = idWithZeroOffset(1000);
    expect(bullRepeatFor(id, { type: 'interval', everyMs: 1000 })).toEqual({ every: 1000, offset: 1000 });
  });

  it('schedules a cron as pattern and time zone', () => {
    expect(bullRepeatFor('p', { type: 'cron', cron: '0 9 * * 1', tz: 'Europe/Berlin' })).toEqual({
      pattern: '0 9 * * 1',
      tz: 'Europe/Berlin',
    });
  });
});

describe('scheduleFromBull', () => {
  it.each([
    { type: 'interval' as const, everyMs: 60_000 },
    { type: 'interval' as const, everyMs: 1000 },
    { type: 'cron' as const, cron: '*/5 * * * *', tz: 'UTC' },
  ])('reads back what bullRepeatFor wrote: %o', (schedule) => {
    expect(scheduleFromBull('stripe', bullRepeatFor('stripe', schedule))).toEqual(schedule);
  });

  it.each([
    ['an interval at another offset', { every: 60_000, offset: slotOffsetMs('stripe', 60_000) + 1 }],
    ['an interval without offset', { every: 60_000 }],
    ['a cron without zone', { pattern: '* * * * *' }],
    ['nothing', {}],
  ])('does not recognise %s', (_n, stored) => {
    expect(scheduleFromBull('stripe', stored)).toBeNull();
  });
});
