import { describe, expect, it } from 'vitest';
import { perSecond, perThousand, quantile, ratio, round } from './stats.js';

describe('quantile', () => {
  it.each([
    [[], 0.5, null],
    [[7], 0.99, 7],
    [[1, 2, 3, 4], 0.5, 2],
    [[4, 3, 2, 1], 0.99, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 0.99, 99],
    [Array.from({ length: 100 }, (_, i) => i + 1), 0.5, 50],
  ])('of %j at %d is %j (nearest rank)', (values, q, want) => {
    expect(quantile(values, q)).toBe(want);
  });
});

describe('rates', () => {
  it.each([
    [perSecond(3000, 2000), 1500],
    [perSecond(10, 0), null],
    [perThousand(0.5, 2000), 0.25],
    [perThousand(1, 0), null],
    [ratio(3, 2), 1.5],
    [ratio(3, 0), null],
    [ratio(null, 2), null],
    [round(1.23456, 2), 1.23],
    [round(null), null],
  ])('%j is %j', (got, want) => {
    expect(got).toBe(want);
  });
});
