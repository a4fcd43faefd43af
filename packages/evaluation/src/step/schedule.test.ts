import { describe, expect, it } from 'vitest';
import { slotOffsetMs } from '@vigil/core';
import { slotGrid } from './schedule.js';

const T = Date.parse('2025-03-01T10:00:00Z');

describe('slot grid', () => {
  it('puts interval slots on the queue’s grid: k × every + the probe’s offset', () => {
    const g = slotGrid({ id: 'stripe-balance', schedule: { type: 'interval', everyMs: 30_000 } });
    const off = slotOffsetMs('stripe-balance', 30_000);
    const s = T + off;
    expect(g.floor(s)).toBe(s);
    expect(g.floor(s + 29_999)).toBe(s);
    expect(g.ceil(s + 1)).toBe(s + 30_000);
    expect(g.ceil(s)).toBe(s);
    expect(g.next(s)).toBe(s + 30_000);
    expect(g).toMatchObject({ everyMs: 30_000, offsetMs: off });
  });

  it.each([
    [
      'every 5 minutes',
      '*/5 * * * *',
      'UTC',
      '2025-03-01T10:07:00Z',
      '2025-03-01T10:05:00Z',
      '2025-03-01T10:10:00Z',
    ],
    [
      'on a seconds field',
      '*/10 * * * * *',
      'UTC',
      '2025-03-01T10:00:05Z',
      '2025-03-01T10:00:00Z',
      '2025-03-01T10:00:10Z',
    ],
    [
      'daily in Berlin',
      '0 9 * * *',
      'Europe/Berlin',
      '2025-03-01T09:00:00Z',
      '2025-03-01T08:00:00Z',
      '2025-03-02T08:00:00Z',
    ],
  ])('finds the cron slots around an instant: %s', (_n, cron, tz, at, floor, next) => {
    const g = slotGrid({ id: 'x', schedule: { type: 'cron', cron, tz } });
    expect(new Date(g.floor(Date.parse(at))).toISOString()).toBe(new Date(floor).toISOString());
    expect(new Date(g.next(Date.parse(floor))).toISOString()).toBe(new Date(next).toISOString());
    expect(g.ceil(Date.parse(floor))).toBe(Date.parse(floor));
  });
});
