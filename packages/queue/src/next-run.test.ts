import { slotOffsetMs } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { nextRunAfter } from './next-run.js';

describe('nextRunAfter', () => {
  const everyMs = 60_000;
  const offset = slotOffsetMs('stripe', everyMs);
  const base = 1_700_000_040_000 - (1_700_000_040_000 % everyMs);

  it.each([
    ['just before the slot', base + offset - 1, base + offset],
    ['exactly on the slot', base + offset, base + offset + everyMs],
    ['just after the slot', base + offset + 1, base + offset + everyMs],
  ])('an interval run %s goes to the next aligned slot', (_n, at, expected) => {
    expect(nextRunAfter('stripe', { type: 'interval', everyMs }, at)).toBe(expected);
  });

  it('a cron runs at the pattern instant in its time zone', () => {
    const at = Date.UTC(2025, 0, 6, 0, 0); // Monday, 01:00 in Berlin
    expect(nextRunAfter('p', { type: 'cron', cron: '0 9 * * 1', tz: 'Europe/Berlin' }, at)).toBe(
      Date.UTC(2025, 0, 6, 8, 0),
    );
  });

  it('a cron follows daylight saving time', () => {
    const at = Date.UTC(2025, 5, 2, 0, 0); // Monday in summer: Berlin is UTC+2
    expect(nextRunAfter('p', { type: 'cron', cron: '0 9 * * 1', tz: 'Europe/Berlin' }, at)).toBe(
      Date.UTC(2025, 5, 2, 7, 0),
    );
  });
});
