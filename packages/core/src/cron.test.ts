import { describe, expect, it } from 'vitest';
import { CronError, cronDayMatches, cronProblem, cronTimes, parseCron } from './cron.js';

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

  it('reads a sixth field as seconds, first; five fields run at second 0', () => {
    expect([...parseCron('*/20 0 * * * *').seconds]).toEqual([0, 20, 40]);
    expect([...parseCron('*/20 0 * * * *').minutes]).toEqual([0]);
    expect([...parseCron('0 * * * *').seconds]).toEqual([0]);
  });

  it('marks day fields that need the whole date (L, #)', () => {
    expect(parseCron('0 0 L * *').dateRules).toBe(true);
    expect(parseCron('0 0 * * 5#3').dateRules).toBe(true);
    expect(parseCron('0 0 1 * 5').dateRules).toBe(false);
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

describe('cronProblem', () => {
  it('is null for a pattern that parses', () => {
    expect(cronProblem('*/5 * * * *')).toBeNull();
    expect(cronProblem('*/10 * * * * *')).toBeNull();
  });

  it("names the field count, or the parser's reason", () => {
    expect(cronProblem('* * * *')).toBe(
      'expected a cron pattern with 5 or 6 fields like "*/5 * * * *", got "* * * *" (4 fields)',
    );
    expect(cronProblem('61 * * * *')).toBe(
      'invalid cron pattern "61 * * * *": Constraint error, got value 61 expected range 0-59',
    );
  });
});

describe('cronTimes', () => {
  const at = (iso: string) => Date.parse(iso);

  it('gives the fire times strictly after and before an instant', () => {
    const t = cronTimes('*/5 * * * *', 'UTC');
    expect(t.next(at('2025-03-01T10:05:00Z'))).toBe(at('2025-03-01T10:10:00Z'));
    expect(t.next(at('2025-03-01T10:04:59.999Z'))).toBe(at('2025-03-01T10:05:00Z'));
    expect(t.prev(at('2025-03-01T10:05:00Z'))).toBe(at('2025-03-01T10:00:00Z'));
    expect(t.prev(at('2025-03-01T10:05:00.001Z'))).toBe(at('2025-03-01T10:05:00Z'));
  });

  it('reads the pattern in its time zone, across daylight saving time', () => {
    const t = cronTimes('0 9 * * 1', 'Europe/Berlin');
    expect(t.next(at('2025-01-06T00:00:00Z'))).toBe(at('2025-01-06T08:00:00Z'));
    expect(t.next(at('2025-06-02T00:00:00Z'))).toBe(at('2025-06-02T07:00:00Z'));
    expect(t.prev(at('2025-06-02T00:00:00Z'))).toBe(at('2025-05-26T07:00:00Z'));
  });

  it('keeps no position between calls', () => {
    const t = cronTimes('0 * * * *', 'UTC');
    expect(t.next(at('2025-03-01T10:30:00Z'))).toBe(at('2025-03-01T11:00:00Z'));
    expect(t.next(at('2025-03-01T08:30:00Z'))).toBe(at('2025-03-01T09:00:00Z'));
  });

  it.each([
    ['not a cron', 'UTC'],
    ['* * * * *', 'Mars/Olympus'],
  ])('rejects %s in %s', (pattern, tz) => {
    expect(() => cronTimes(pattern, tz)).toThrow(CronError);
  });
});
