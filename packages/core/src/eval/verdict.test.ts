import { describe, expect, it } from 'vitest';
import type { Outcome } from '../types.js';
import {
  defaultQuorum,
  evaluateSlot,
  slotIsDue,
  slotVerdict,
  type RegionOutcome,
  type Verdict,
} from './verdict.js';

const r = (region: string, outcome: Outcome, latencyMs: number | null = 100): RegionOutcome => ({
  region,
  outcome,
  latencyMs: outcome === 'up' ? latencyMs : null,
  errorClass: outcome === 'down' ? 'timeout' : outcome === 'rate_limited' ? 'rate_limited' : null,
});
const three = ['eu', 'us', 'ap'];

describe('slotVerdict', () => {
  it.each<[string, Verdict, RegionOutcome[], string[]]>([
    ['all three up', 'up', [r('eu', 'up'), r('us', 'up'), r('ap', 'up')], three],
    ['one region failing alone', 'up', [r('eu', 'down'), r('us', 'up'), r('ap', 'up')], three],
    ['two of three failing', 'down', [r('eu', 'down'), r('us', 'down'), r('ap', 'up')], three],
    ['the only reporting region failing of three', 'up', [r('eu', 'down')], three],
    ['both of two failing', 'down', [r('eu', 'down'), r('us', 'down')], ['eu', 'us']],
    ['one of two failing', 'up', [r('eu', 'down'), r('us', 'up')], ['eu', 'us']],
    ['a single-region probe failing', 'down', [r('eu', 'down')], ['eu']],
    ['nobody reporting', 'no_data', [], three],
    ['only 429s', 'rate_limited', [r('eu', 'rate_limited'), r('us', 'rate_limited')], three],
    [
      '429s beside a quorum of failures',
      'down',
      [r('eu', 'rate_limited'), r('us', 'down'), r('ap', 'down')],
      three,
    ],
    ['slow but up', 'degraded', [r('eu', 'up', 900), r('us', 'up', 800), r('ap', 'up', 100)], three],
    ['one slow region of three', 'up', [r('eu', 'up', 900), r('us', 'up', 120), r('ap', 'up', 100)], three],
    ['exactly at the threshold', 'up', [r('eu', 'up', 500)], ['eu']],
  ])('%s → %s', (_name, expected, results, regionsExpected) => {
    expect(slotVerdict({ results, regionsExpected, latencyThresholdMs: 500, excluded: false })).toBe(
      expected,
    );
  });

  it('is excluded inside maintenance whatever the regions say', () => {
    const results = [r('eu', 'down'), r('us', 'down'), r('ap', 'down')];
    expect(slotVerdict({ results, regionsExpected: three, latencyThresholdMs: 500, excluded: true })).toBe(
      'excluded',
    );
  });

  it('ignores an unhealthy region and is excluded when every region of the probe is unhealthy', () => {
    const base = { regionsExpected: ['eu', 'us'], latencyThresholdMs: 500, excluded: false };
    const results = [r('eu', 'down'), r('us', 'down')];
    expect(slotVerdict({ ...base, results, unhealthyRegions: ['eu'] })).toBe('down');
    expect(
      slotVerdict({ ...base, results: [r('eu', 'down'), r('us', 'up')], unhealthyRegions: ['eu'] }),
    ).toBe('up');
    expect(slotVerdict({ ...base, results, unhealthyRegions: ['eu', 'us'] })).toBe('excluded');
  });

  it('honours a configured quorum and 429s counted as down', () => {
    const base = { regionsExpected: three, latencyThresholdMs: 500, excluded: false };
    expect(
      slotVerdict({ ...base, results: [r('eu', 'down'), r('us', 'up'), r('ap', 'up')], quorum: 1 }),
    ).toBe('down');
    const limited = [r('eu', 'rate_limited'), r('us', 'rate_limited')];
    expect(slotVerdict({ ...base, results: limited, rateLimitedAs: 'down' })).toBe('down');
  });

  it.each([
    [1, 1, 1],
    [1, 2, 2],
    [2, 2, 2],
    [3, 3, 2],
    [4, 5, 3],
    [5, 5, 3],
  ])('quorum with %i reporting of %i expected is %i', (reporting, expected, quorum) => {
    expect(defaultQuorum(reporting, expected)).toBe(quorum);
  });
});

describe('evaluateSlot', () => {
  it('carries the median latency, its phases and the dominant error class', () => {
    const phases = { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 4 };
    const slot = evaluateSlot({
      at: 60_000,
      durationMs: 60_000,
      regionsExpected: ['eu', 'us', 'ap', 'sa'],
      latencyThresholdMs: 300,
      excluded: false,
      results: [
        { ...r('eu', 'up', 120), phases },
        r('us', 'up', 80),
        r('ap', 'up', 400),
        { region: 'sa', outcome: 'down', latencyMs: null, errorClass: 'dns' },
      ],
    });
    expect(slot).toEqual({
      at: 60_000,
      durationMs: 60_000,
      verdict: 'up',
      latencyMs: 120,
      errorClass: 'dns',
      phases,
    });
  });
});

describe('a configuration problem (errorClass config)', () => {
  const cfg = (region: string): RegionOutcome => ({
    region,
    outcome: 'down',
    latencyMs: null,
    errorClass: 'config',
  });
  const two = ['eu', 'us'];
  it.each<
    [string, RegionOutcome[], string[], { excluded?: boolean; unhealthy?: string[] }, Verdict, string | null]
  >([
    ['in every region', [cfg('eu'), cfg('us')], two, {}, 'excluded', 'config'],
    ['in the only region', [cfg('eu')], ['eu'], {}, 'excluded', 'config'],
    ['beside a failing region', [cfg('eu'), r('us', 'down')], two, {}, 'down', 'timeout'],
    ['beside an up region', [cfg('eu'), r('us', 'up')], two, {}, 'up', null],
    ['beside a region that did not report', [cfg('eu')], two, {}, 'no_data', null],
    [
      'beside one failing region of three',
      [cfg('eu'), r('us', 'down'), r('ap', 'up')],
      three,
      {},
      'up',
      'timeout',
    ],
    ['inside maintenance', [cfg('eu'), cfg('us')], two, { excluded: true }, 'excluded', null],
    [
      'beside an unhealthy region',
      [cfg('eu'), r('us', 'down')],
      two,
      { unhealthy: ['us'] },
      'excluded',
      'config',
    ],
    ['only in an unhealthy region', [cfg('eu'), r('us', 'up')], two, { unhealthy: ['eu'] }, 'up', null],
  ])('%s → %s', (_name, results, regionsExpected, o, verdict, errorClass) => {
    const slot = evaluateSlot({
      at: 0,
      durationMs: 60_000,
      results,
      regionsExpected,
      latencyThresholdMs: 500,
      excluded: o.excluded ?? false,
      unhealthyRegions: o.unhealthy ?? [],
    });
    expect([slot.verdict, slot.errorClass]).toEqual([verdict, errorClass]);
  });
});

describe('slotIsDue', () => {
  it.each([
    [3, 3, 60_000, true],
    [2, 3, 60_000 + 60_000 + 29_999, false],
    [2, 3, 60_000 + 60_000 + 30_000, true],
    [0, 3, 200_000, true],
  ])('with %i of %i reported at %i: %s', (reported, expected, now, due) => {
    expect(slotIsDue({ at: 60_000, durationMs: 60_000 }, reported, expected, 30_000, now)).toBe(due);
  });
});
