import { describe, expect, it } from 'vitest';
import { isFlapping, percentStateChange } from './flapping.js';

const seq = (s: string) => [...s].map((c) => c === 'D');

describe('percentStateChange', () => {
  it.each([
    ['UUUUUUUUUUUUUUUUUUUUU', 0],
    ['DUDUDUDUDUDUDUDUDUDUD', 1],
    ['DUUUUUUUUUUUUUUUUUUUU', 0.04],
    ['UUUUUUUUUUUUUUUUUUUUD', 0.06],
    ['UUUUUUUUUUDDDDDDUUUUU', (0.8 + (0.4 * 9) / 19 + 0.8 + (0.4 * 15) / 19) / 20],
  ])('%s → %f', (s, pct) => {
    expect(percentStateChange(seq(s))).toBeCloseTo(pct, 9);
  });

  it('weighs a short history as if it were the newest part of a full one', () => {
    expect(percentStateChange(seq('UD'))).toBeCloseTo(0.06, 9);
    expect(percentStateChange(seq('U'))).toBe(0);
  });

  it('looks only at the last 21 samples', () => {
    expect(percentStateChange(seq('DUDUDUDUDU' + 'U'.repeat(21)))).toBe(0);
  });
});

describe('isFlapping', () => {
  it.each([
    ['one clean outage', 'UUUUUDDDDDUUUUUUUUUUU', false, false],
    ['an outage cycling every 5 slots', 'DDDUUDDDUUDDDUUDDDUUD', false, true],
    ['alternating', 'UDUDUDUDUDUDUDUDUDUDU', false, true],
    ['settling but above the low threshold', 'UUUUUUUUUUUUUUUDUDUUU', true, true],
    ['settled', 'DUDUUUUUUUUUUUUUUUUUU', true, false],
  ])('%s: was %s', (_name, s, was, now) => {
    expect(isFlapping(seq(s), was)).toBe(now);
  });
});
