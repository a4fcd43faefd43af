import { describe, expect, it } from 'vitest';
import { minCronGapMs } from './cron-gap.js';

const S = 1_000;
const H = 3_600 * S;

describe('minCronGapMs', () => {
  it.each([
    ['* * * * * *', 1 * S],
    ['*/10 * * * * *', 10 * S],
    // 0, 7, …, 56, then 0 of the next minute: 4 s
    ['*/7 * * * * *', 4 * S],
    ['50,55 * * * * *', 5 * S],
    ['*/5 * * * *', 300 * S],
    ['0 * * * *', H],
    ['0 0 * * *', 24 * H],
    // 23:59:00 and 23:59:59 every day
    ['0,59 59 23 * * *', 59 * S],
    // Monday 00:00 and 23:00, Tuesday 00:00 and 23:00: one hour from Monday 23:00 to Tuesday 00:00
    ['0 0 0,23 * * 1,2', H],
    ['0 0 9-17 * * 1-5', H],
  ])('%s runs %i ms apart at the shortest', (pattern, ms) => {
    expect(minCronGapMs(pattern)).toBe(ms);
  });

  it('counts a day-to-day gap only when two days in a row can both match', () => {
    // Mondays only: 00:00 and 23:00, then a week until the next
    expect(minCronGapMs('0 0 0,23 * * 1')).toBe(23 * H);
    expect(minCronGapMs('0 0 L * *')!).toBeGreaterThan(24 * H);
  });

  it('is null for a pattern that does not parse', () => {
    expect(minCronGapMs('61 * * * *')).toBeNull();
  });
});
