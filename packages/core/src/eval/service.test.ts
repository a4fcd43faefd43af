import { describe, expect, it } from 'vitest';
import { computeAvailability } from './availability.js';
import { combineVerdicts, serviceSlots, type CombineMode } from './service.js';
import type { SlotVerdict, Verdict } from './verdict.js';

const MIN = 60_000;
const line = (verdicts: Verdict[], every = MIN, start = 0): SlotVerdict[] =>
  verdicts.map((verdict, i) => ({ at: start + i * every, durationMs: every, verdict }));

describe('combineVerdicts', () => {
  it.each<[Verdict[], CombineMode, Verdict]>([
    [['up', 'down'], 'any', 'up'],
    [['up', 'down'], 'all', 'down'],
    [['down', 'down'], 'any', 'down'],
    [['degraded', 'down'], 'any', 'degraded'],
    [['degraded', 'up'], 'all', 'degraded'],
    [['down', 'no_data'], 'any', 'no_data'],
    [['down', 'no_data'], 'all', 'down'],
    [['up', 'no_data'], 'all', 'no_data'],
    [['down', 'excluded'], 'any', 'down'],
    [['up', 'excluded'], 'all', 'up'],
    [['excluded', 'excluded'], 'any', 'excluded'],
    [['rate_limited', 'down'], 'any', 'rate_limited'],
    [['rate_limited', 'up'], 'all', 'rate_limited'],
    [[], 'any', 'no_data'],
  ])('%j in mode %s → %s', (verdicts, mode, expected) => {
    expect(combineVerdicts(verdicts, mode)).toBe(expected);
  });
});

describe('serviceSlots', () => {
  const stripe = line(['up', 'down', 'down', 'down', 'up', 'up']);
  const paypal = line(['up', 'up', 'down', 'up', 'down', 'up']);

  it('is up while any provider is up (failover)', () => {
    expect(serviceSlots([stripe, paypal], 'any').map((s) => s.verdict)).toEqual([
      'up',
      'up',
      'down',
      'up',
      'up',
      'up',
    ]);
  });

  it('is up only while every provider is up in mode all', () => {
    expect(serviceSlots([stripe, paypal], 'all').map((s) => s.verdict)).toEqual([
      'up',
      'down',
      'down',
      'down',
      'down',
      'up',
    ]);
  });

  it('splits at every boundary when providers run on different intervals and offsets, keeping time exact', () => {
    const a = line(['down', 'down'], 2 * MIN, 0);
    const b = line(['up', 'down', 'down', 'up'], MIN, 30_000);
    const combined = serviceSlots([a, b], 'any');
    const avail = computeAvailability({ slots: combined, window: { from: 30_000, to: 4 * MIN } });
    expect(avail.upMs).toBe(MIN + 30_000);
    expect(avail.downMs).toBe(2 * MIN);
  });

  it('samples one slot per grid interval for incidents', () => {
    const a = line(['up', 'down', 'down', 'down'], MIN, 10_000);
    const b = line(['down', 'down', 'down', 'up'], MIN, 40_000);
    const grid = serviceSlots([a, b], 'any', { everyMs: MIN, offsetMs: 50_000 });
    expect(grid.map((s) => [s.at, s.verdict])).toEqual([
      [50_000, 'up'],
      [110_000, 'down'],
      [170_000, 'down'],
      [230_000, 'up'],
    ]);
  });

  it('is empty without slots', () => {
    expect(serviceSlots([], 'any')).toEqual([]);
    expect(serviceSlots([[], []], 'all')).toEqual([]);
  });
});
