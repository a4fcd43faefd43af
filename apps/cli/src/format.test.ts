import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent, mapLimit } from './format.js';

describe('formatMs', () => {
  it.each([
    [null, '–'],
    [12.4, '12ms'],
    [1234, '1.23s'],
    [78_680, '1m 19s'],
    [3_600_000, '1h 00m'],
    [7_530_000, '2h 05m'],
    [90_000_000, '1d 01h'],
  ])('%s → %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});

describe('formatPercent', () => {
  it('prints a fraction as a percentage, and a dash for none', () => {
    expect(formatPercent(0.98)).toBe('98.00%');
    expect(formatPercent(null)).toBe('–');
  });
});

describe('mapLimit', () => {
  it('keeps the input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
