import { describe, expect, it } from 'vitest';
import { nextBackoff } from './backoff.js';

const opts = { baseMs: 5_000, maxMs: 900_000 };

describe('nextBackoff', () => {
  it.each([
    [1, 0, 2_500],
    [1, 1, 5_000],
    [2, 0.5, 7_500],
    [3, 0, 10_000],
    [8, 1, 640_000],
    [9, 0, 450_000],
    [9, 1, 900_000],
    [50, 1, 900_000],
    [5_000, 0.5, 675_000],
    [0, 1, 5_000],
  ])('after %i failures with jitter %f waits %i ms', (attempts, r, ms) => {
    expect(nextBackoff(attempts, opts, () => r)).toBe(ms);
  });

  it('keeps trying for at least a day within the cap', () => {
    let total = 0;
    let n = 0;
    while (total < 24 * 3_600_000) total += nextBackoff(++n, opts, () => 1);
    expect(n).toBeGreaterThan(90);
  });
});
