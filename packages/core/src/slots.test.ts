import { describe, expect, it } from 'vitest';
import { nextSlotAfter, slotContaining, slotOffsetMs } from './slots.js';

describe('slots', () => {
  it('gives a probe the same offset every time, inside its interval', () => {
    const a = slotOffsetMs('stripe-balance', 30_000);
    expect(slotOffsetMs('stripe-balance', 30_000)).toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(30_000);
  });

  it('spreads 10,000 probes over the interval', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(slotOffsetMs(`probe-${i}`, 10_000) / 1000)]!++;
    for (const b of buckets) expect(b).toBeGreaterThan(800);
  });

  it.each([
    [1_000_000, 30_000, 7_000, 997_000, 1_027_000],
    [997_000, 30_000, 7_000, 997_000, 1_027_000],
    [996_999, 30_000, 7_000, 967_000, 997_000],
  ])('at %i every %i offset %i: slot %i, next %i', (at, every, off, slot, next) => {
    expect(slotContaining(at, every, off)).toBe(slot);
    expect(nextSlotAfter(at, every, off)).toBe(next);
  });
});
