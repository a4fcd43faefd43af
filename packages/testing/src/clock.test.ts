import { describe, expect, it } from 'vitest';
import { manualClock } from './clock.js';

describe('manualClock', () => {
  it('stands still until advanced or set', () => {
    const clock = manualClock(1_000);
    expect(clock.now()).toBe(1_000);
    expect(clock.advance(250)).toBe(1_250);
    expect(clock.now()).toBe(1_250);
    expect(clock.set('2025-03-30T01:00:00Z')).toBe(Date.UTC(2025, 2, 30, 1));
    expect(clock.now()).toBe(Date.UTC(2025, 2, 30, 1));
  });

  it('starts on a fixed Monday when given no start', () => {
    expect(manualClock().now()).toBe(Date.UTC(2025, 0, 6));
  });

  it('rejects a start that is not an instant', () => {
    expect(() => manualClock('next tuesday')).toThrow(RangeError);
  });
});
