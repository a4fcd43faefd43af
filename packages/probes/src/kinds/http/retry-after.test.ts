import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

const now = Date.parse('2025-01-06T12:00:00Z');

describe('Retry-After', () => {
  it.each([
    ['30', 30],
    [' 0 ', 0],
    ['Mon, 06 Jan 2025 12:01:30 GMT', 90],
    ['Mon, 06 Jan 2025 11:00:00 GMT', 0],
    ['soon', null],
    [undefined, null],
  ])('%j → %j seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });
});
