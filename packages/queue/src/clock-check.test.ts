import { describe, expect, it } from 'vitest';
import { clockSkewProblem } from './clock-check.js';

describe('clockSkewProblem', () => {
  it.each([
    [0, null],
    [500, null],
    [-500, null],
    [501, 'CLOCK_SKEW'],
    [-3000, 'CLOCK_SKEW'],
  ])('an offset of %i ms → %s', (offset, code) => {
    expect(clockSkewProblem(offset)?.code ?? null).toBe(code);
  });

  it('says which way the clock is off', () => {
    expect(clockSkewProblem(3000)?.message).toContain('3000 ms ahead of');
    expect(clockSkewProblem(-3000)?.message).toContain('behind');
  });
});
