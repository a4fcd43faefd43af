import { describe, expect, it } from 'vitest';
import { computeAvailability } from './availability.js';
import {
  nextPeriod,
  parsePeriodKey,
  periodOf,
  PeriodError,
  previousPeriod,
  rollingWindow,
  type PeriodKind,
} from './periods.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('periodOf', () => {
  it.each<[PeriodKind, string, string, string, string, string]>([
    [
      'week',
      '2026-03-25T12:00:00Z',
      'Europe/Berlin',
      '2026-W13',
      '2026-03-22T23:00:00Z',
      '2026-03-29T22:00:00Z',
    ],
    [
      'week',
      '2026-10-28T12:00:00Z',
      'Europe/Berlin',
      '2026-W44',
      '2026-10-25T23:00:00Z',
      '2026-11-01T23:00:00Z',
    ],
    ['week', '2027-01-01T12:00:00Z', 'UTC', '2026-W53', '2026-12-28T00:00:00Z', '2027-01-04T00:00:00Z'],
    ['week', '2026-11-18T12:00:00Z', 'UTC', '2026-W47', '2026-11-16T00:00:00Z', '2026-11-23T00:00:00Z'],
    ['month', '2028-02-29T23:30:00Z', 'UTC', '2028-02', '2028-02-01T00:00:00Z', '2028-03-01T00:00:00Z'],
    [
      'month',
      '2026-03-31T22:30:00Z',
      'Europe/Berlin',
      '2026-04',
      '2026-03-31T22:00:00Z',
      '2026-04-30T22:00:00Z',
    ],
    [
      'quarter',
      '2026-03-31T22:30:00Z',
      'Europe/Berlin',
      '2026-Q2',
      '2026-03-31T22:00:00Z',
      '2026-06-30T22:00:00Z',
    ],
    [
      'quarter',
      '2026-03-31T21:30:00Z',
      'Europe/Berlin',
      '2026-Q1',
      '2025-12-31T23:00:00Z',
      '2026-03-31T22:00:00Z',
    ],
    [
      'quarter',
      '2026-11-21T10:00:00Z',
      'America/New_York',
      '2026-Q4',
      '2026-10-01T04:00:00Z',
      '2027-01-01T05:00:00Z',
    ],
    ['day', '2028-02-29T12:00:00Z', 'UTC', '2028-02-29', '2028-02-29T00:00:00Z', '2028-03-01T00:00:00Z'],
    [
      'day',
      '2026-03-29T12:00:00Z',
      'Europe/Berlin',
      '2026-03-29',
      '2026-03-28T23:00:00Z',
      '2026-03-29T22:00:00Z',
    ],
  ])('%s of %s in %s is %s [%s, %s)', (kind, instant, tz, key, from, to) => {
    expect(periodOf(kind, at(instant), tz)).toEqual({ kind, key, tz, from: at(from), to: at(to) });
  });

  it.each([
    ['2026-03-25T12:00:00Z', 167],
    ['2026-10-22T12:00:00Z', 169],
    ['2026-06-10T12:00:00Z', 168],
  ])('gives the Europe/Berlin week of %s %i hours', (instant, hours) => {
    const p = periodOf('week', at(instant), 'Europe/Berlin');
    expect((p.to - p.from) / H).toBe(hours);
  });

  it('counts 29 days in February of a leap year and 28 otherwise', () => {
    expect(
      (periodOf('month', at('2028-02-10T00:00:00Z'), 'UTC').to - at('2028-02-01T00:00:00Z')) / (24 * H),
    ).toBe(29);
    expect(
      (periodOf('month', at('2027-02-10T00:00:00Z'), 'UTC').to - at('2027-02-01T00:00:00Z')) / (24 * H),
    ).toBe(28);
  });

  it('measures a DST week by its 167 real hours, with hourly slots', () => {
    const week = periodOf('week', at('2026-03-25T12:00:00Z'), 'Europe/Berlin');
    const slots = Array.from({ length: 167 }, (_, i) => ({
      at: week.from + i * H,
      durationMs: H,
      verdict: i < 3 ? ('down' as const) : ('up' as const),
    }));
    const a = computeAvailability({ slots, window: week });
    expect(a.coverage).toBe(1);
    expect(a.availability).toBeCloseTo(164 / 167, 12);
  });

  it('splits a slot crossing a quarter boundary by time', () => {
    const q1 = parsePeriodKey('2026-Q1', 'Europe/Berlin');
    const q2 = nextPeriod(q1);
    const slot = { at: q1.to - 20 * 60_000, durationMs: H, verdict: 'down' as const };
    expect(computeAvailability({ slots: [slot], window: q1 }).downMs).toBe(20 * 60_000);
    expect(computeAvailability({ slots: [slot], window: q2 }).downMs).toBe(40 * 60_000);
  });
});

describe('period keys', () => {
  it.each(['2026-W01', '2026-W53', '2026-11', '2026-Q4', '2028-02-29', '2026-03-29'])(
    'round-trips %s',
    (key) => {
      const p = parsePeriodKey(key, 'Europe/Berlin');
      expect(p.key).toBe(key);
      expect(periodOf(p.kind, p.from, 'Europe/Berlin')).toEqual(p);
      expect(periodOf(p.kind, p.to - 1, 'Europe/Berlin')).toEqual(p);
    },
  );

  it.each(['2026-W54', '2025-W53', '2027-02-29', '2026-13', '2026-Q5', '26-Q1', 'last week'])(
    'rejects %s',
    (key) => {
      expect(() => parsePeriodKey(key, 'UTC')).toThrow(PeriodError);
    },
  );

  it('rejects an unknown time zone', () => {
    expect(() => periodOf('day', 0, 'Mars/Olympus')).toThrow(PeriodError);
  });

  it.each([
    ['2026-Q1', '2025-Q4'],
    ['2026-W01', '2025-W52'],
    ['2026-01', '2025-12'],
    ['2028-03-01', '2028-02-29'],
  ])('the period before %s is %s', (key, prev) => {
    const p = parsePeriodKey(key, 'Europe/Berlin');
    expect(previousPeriod(p).key).toBe(prev);
    expect(previousPeriod(p).to).toBe(p.from);
  });
});

describe('rollingWindow', () => {
  it.each([
    ['24h', 24],
    ['7d', 168],
    ['30d', 720],
    ['90d', 2160],
  ] as const)('%s ends now and spans %i hours', (kind, hours) => {
    expect(rollingWindow(kind, 10_000 * H)).toEqual({ from: 10_000 * H - hours * H, to: 10_000 * H });
  });
});
