import { describe, expect, it } from 'vitest';
import { CronError, cronDayMatches, parseCron } from './cron.js';

describe('parseCron', () => {
  it('reads lists, ranges, steps and names', () => {
    const p = parseCron('0,30 */6 1-7 jan-mar/2 MON-fri');
    expect([...p.minutes]).toEqual([0, 30]);
    expect([...p.hours]).toEqual([0, 6, 12, 18]);
    expect([...p.daysOfMonth]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect([...p.months]).toEqual([1, 3]);
    expect([...p.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(p.dayOr).toBe(true);
  });

  it('reads 7 as Sunday and `5/15` as from 5 every 15', () => {
    expect([...parseCron('5/15 0 * * 7').minutes]).toEqual([5, 20, 35, 50]);
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]);
  });

  it.each([
    '* * * *',
    '60 * * * *',
    '* 24 * * *',
    '* * 0 * *',
    '* * * 13 *',
    '* * * * 8',
    '5-1 * * * *',
    '*/0 * * * *',
    'x * * * *',
  ])('rejects %s', (expr) => {
    expect(() => parseCron(expr)).toThrow(CronError);
  });
});

describe('cronDayMatches', () => {
  it.each([
    ['0 2 * * 0', 3, 29, 0, true],
    ['0 2 * * 0', 3, 28, 6, false],
    ['0 2 1 * *', 3, 1, 0, true],
    ['0 2 1 * 1', 3, 2, 1, true],
    ['0 2 1 * 1', 3, 3, 2, false],
    ['0 2 * 4 *', 3, 1, 0, false],
  ])('%s on month %i day %i weekday %i: %s', (expr, month, day, weekday, match) => {
    expect(cronDayMatches(parseCron(expr), month, day, weekday)).toBe(match);
  });
});
