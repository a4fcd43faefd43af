import { describe, expect, it } from 'vitest';
import type { ReportsConfig } from '@vigil/config';
import { parsePeriodKey } from '@vigil/core';
import { cronOf, dueReports, runKey, scheduledReports, sendTimeOf } from './due.js';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const weekly = (over: Partial<NonNullable<ReportsConfig['weekly']>> = {}): ReportsConfig => ({
  weekly: { recipients: ['m@example.com'], ...over },
});
const due = (reports: ReportsConfig, now: string, sent: string[] = [], since: number | null = null) =>
  dueReports({ reports, timezone: 'Europe/Berlin' }, new Set(sent), t(now), since).map(
    (d) => `${d.name} ${d.period.key} ${iso(d.sendAt)}`,
  );

describe('dueReports', () => {
  it.each([
    ['just before Monday 08:00 Berlin: the week before last', '2026-11-23T06:59:59Z', 'weekly 2026-W46'],
    ['at Monday 08:00 Berlin: the week that just ended', '2026-11-23T07:00:00Z', 'weekly 2026-W47'],
    ['a cron fire three days late: still that week', '2026-11-26T12:00:00Z', 'weekly 2026-W47'],
    ['Sunday night: still the week that ended a week ago', '2026-11-29T22:00:00Z', 'weekly 2026-W47'],
  ])('%s', (_name, now, expected) => {
    expect(due(weekly(), now)[0]).toMatch(new RegExp(`^${expected} `));
  });

  it('sends the week ending at the autumn DST change on Monday 08:00 CET (07:00 UTC)', () => {
    // W44 of 2026 ends Monday 2 Nov; the clocks went back on Sunday 25 Oct (a 169-hour W43)
    expect(due(weekly(), '2026-10-26T07:00:00Z')).toEqual(['weekly 2026-W43 2026-10-26T07:00:00.000Z']);
    expect(parsePeriodKey('2026-W43', 'Europe/Berlin')).toMatchObject({
      to: t('2026-10-25T23:00:00Z'),
    });
  });

  it('is not due again once the period is sent, and the next one waits for its own send time', () => {
    expect(due(weekly(), '2026-11-23T07:00:00Z', [runKey('weekly', '2026-W47')])).toEqual([]);
    expect(due(weekly(), '2026-11-30T06:59:00Z', [runKey('weekly', '2026-W47')])).toEqual([]);
  });

  it('sends a report missed while down on the next start, and only the latest one', () => {
    expect(due(weekly(), '2026-12-02T10:00:00Z', [runKey('weekly', '2026-W46')])).toEqual([
      'weekly 2026-W48 2026-11-30T07:00:00.000Z',
    ]);
  });

  it('owes nothing for a period that ended before anything was monitored', () => {
    expect(due(weekly(), '2026-11-25T10:00:00Z', [], t('2026-11-24T00:00:00Z'))).toEqual([]);
    expect(due(weekly(), '2026-11-25T10:00:00Z', [], t('2026-11-22T00:00:00Z'))).toHaveLength(1);
  });

  it.each([
    ['monthly', '2026-12-01T06:59:00Z', 'monthly 2026-10 2026-11-01T07:00:00.000Z'],
    ['monthly', '2026-12-01T07:00:00Z', 'monthly 2026-11 2026-12-01T07:00:00.000Z'],
    ['quarterly', '2026-10-01T05:59:00Z', 'quarterly 2026-Q2 2026-07-01T06:00:00.000Z'],
    ['quarterly', '2026-10-01T06:00:00Z', 'quarterly 2026-Q3 2026-10-01T06:00:00.000Z'],
    ['quarterly', '2027-01-01T07:00:00Z', 'quarterly 2026-Q4 2027-01-01T07:00:00.000Z'],
  ] as const)('%s at %s → %s', (kind, now, expected) => {
    expect(due({ [kind]: { recipients: ['m@example.com'] } }, now)).toEqual([expected]);
  });

  it('uses the report’s own zone and time when given', () => {
    const reports = weekly({ tz: 'America/New_York', at: { weekday: 'tue', hour: 9, minute: 30 } });
    expect(due(reports, '2026-11-24T14:30:00Z')).toEqual(['weekly 2026-W47 2026-11-24T14:30:00.000Z']);
    expect(due(reports, '2026-11-24T14:29:00Z')[0]).toMatch(/^weekly 2026-W46 /);
  });
});

describe('sendTimeOf', () => {
  it('moves a send time skipped by the spring DST change forward', () => {
    const week = parsePeriodKey('2027-W11', 'Europe/Berlin');
    // Sunday 28 March 2027, 02:30 does not exist in Berlin
    expect(iso(sendTimeOf(week, { weekday: 'sun', hour: 2, minute: 30 }))).toBe('2027-03-28T01:30:00.000Z');
  });
});

describe('cronOf and scheduledReports', () => {
  it.each([
    ['weekly', { weekday: 'mon', hour: 8, minute: 0 }, '0 8 * * 1'],
    ['weekly', { weekday: 'sun', hour: 18, minute: 45 }, '45 18 * * 0'],
    ['monthly', { weekday: null, hour: 7, minute: 5 }, '5 7 1 * *'],
    ['quarterly', { weekday: null, hour: 8, minute: 0 }, '0 8 1 1,4,7,10 *'],
  ] as const)('%s %j fires as %s', (kind, at, cron) => {
    expect(cronOf({ kind, at })).toBe(cron);
  });

  it('applies the defaults: vigil.yaml timezone, Monday 08:00, the 1st at 08:00', () => {
    const list = scheduledReports({
      timezone: 'Europe/Berlin',
      reports: { weekly: { recipients: ['a@x.io'] }, quarterly: { recipients: ['b@x.io'], tz: 'UTC' } },
    });
    expect(list.map((r) => [r.name, r.tz, cronOf(r)])).toEqual([
      ['weekly', 'Europe/Berlin', '0 8 * * 1'],
      ['quarterly', 'UTC', '0 8 1 1,4,7,10 *'],
    ]);
  });
});
