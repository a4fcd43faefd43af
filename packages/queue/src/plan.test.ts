import { describe, expect, it } from 'vitest';
import type { ProbeSchedule } from '@vigil/core';
import type { QueueError } from './errors.js';
import {
  assertKnownRegions,
  diffSchedules,
  largeRemoval,
  largeRemovalWarning,
  validateDesired,
  type CurrentSchedule,
  type DesiredSchedule,
} from './plan.js';

const every = (everyMs: number): ProbeSchedule => ({ type: 'interval', everyMs });
const cron = (c: string, tz = 'UTC'): ProbeSchedule => ({ type: 'cron', cron: c, tz });
const want = (
  probeId: string,
  region = 'eu',
  schedule: ProbeSchedule = every(60_000),
  specHash = 'h1',
): DesiredSchedule => ({
  probeId,
  region,
  schedule,
  specHash,
});
const have = (d: DesiredSchedule): CurrentSchedule => ({ ...d });
const code = (c: string) => expect.objectContaining({ code: c }) as QueueError;

describe('diffSchedules', () => {
  it('adds what is missing, changes what differs, removes what is no longer desired', () => {
    const plan = diffSchedules(
      [want('b'), want('a'), want('c', 'eu', every(30_000)), want('d', 'eu', every(60_000), 'h2')],
      [have(want('a')), have(want('c')), have(want('d')), have(want('gone')), have(want('a', 'us'))],
    );
    expect(plan).toEqual({
      add: [want('b')],
      change: [want('c', 'eu', every(30_000)), want('d', 'eu', every(60_000), 'h2')],
      remove: [
        { probeId: 'gone', region: 'eu' },
        { probeId: 'a', region: 'us' },
      ],
      unchanged: 1,
    });
  });

  it.each([
    ['same interval', every(60_000), every(60_000), 0],
    ['another interval', every(60_000), every(30_000), 1],
    ['interval to cron', every(60_000), cron('* * * * *'), 1],
    ['same cron', cron('0 * * * *', 'Europe/Berlin'), cron('0 * * * *', 'Europe/Berlin'), 0],
    ['cron in another zone', cron('0 * * * *', 'UTC'), cron('0 * * * *', 'Europe/Berlin'), 1],
    ['another cron', cron('0 * * * *'), cron('5 * * * *'), 1],
  ])('%s counts as %i change', (_n, from, to, changes) => {
    const plan = diffSchedules([want('p', 'eu', to)], [have(want('p', 'eu', from))]);
    expect(plan.change).toHaveLength(changes);
    expect(plan.unchanged).toBe(1 - changes);
  });

  it('treats an unreadable current schedule as changed', () => {
    const plan = diffSchedules([want('p')], [{ probeId: 'p', region: 'eu', schedule: null, specHash: null }]);
    expect(plan.change).toEqual([want('p')]);
  });

  it('is empty for nothing desired and nothing current', () => {
    expect(diffSchedules([], [])).toEqual({ add: [], change: [], remove: [], unchanged: 0 });
  });

  it('rejects a probe scheduled twice in one region', () => {
    expect(() => diffSchedules([want('p'), want('p')], [])).toThrowError(code('DUPLICATE_SCHEDULE'));
  });
});

describe('validateDesired', () => {
  it.each([
    ['a zero interval', want('p', 'eu', every(0)), 'INVALID_SCHEDULE'],
    ['a fractional interval', want('p', 'eu', every(1.5)), 'INVALID_SCHEDULE'],
    ['a bad cron', want('p', 'eu', cron('not a cron')), 'INVALID_SCHEDULE'],
    ['an unknown time zone', want('p', 'eu', cron('* * * * *', 'Mars/Olympus')), 'INVALID_SCHEDULE'],
    ['an empty spec hash', want('p', 'eu', every(1000), ''), 'INVALID_PAYLOAD'],
  ])('rejects %s', (_n, d, c) => {
    expect(() => validateDesired([d])).toThrowError(code(c));
  });

  it('accepts intervals and crons in a zone', () => {
    expect(() =>
      validateDesired([want('a'), want('b', 'eu', cron('0 9 * * 1', 'Europe/Berlin'))]),
    ).not.toThrow();
  });
});

describe('assertKnownRegions', () => {
  it('rejects a schedule in a region outside the deployment', () => {
    expect(() => assertKnownRegions([want('p', 'mars')], ['eu', 'us'])).toThrowError(code('UNKNOWN_REGION'));
  });
});

describe('largeRemoval', () => {
  it.each([
    [10, 0, null],
    [10, 5, null],
    [10, 6, { removed: 6, before: 10 }],
    [3, 2, { removed: 2, before: 3 }],
    [1, 1, { removed: 1, before: 1 }],
    [0, 0, null],
  ])('%i probes, %i removed: %j', (before, removed, want) => {
    expect(largeRemoval(before, removed)).toEqual(want);
  });

  it('says so loudly, with counts', () => {
    expect(largeRemovalWarning({ removed: 12, before: 12 })).toBe(
      'WARNING: this removes 12 of 12 probes (100%), more than half: check that no probe file went missing',
    );
  });
});
