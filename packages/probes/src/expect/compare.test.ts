import { describe, expect, it } from 'vitest';
import {
  compare,
  comparisonSchema,
  durationComparisonSchema,
  parseComparison,
  parseDurationComparison,
} from './compare.js';

describe('comparisons', () => {
  it.each([
    ['>= 14', { op: '>=', value: 14 }],
    ['<1', { op: '<', value: 1 }],
    [' == -2.5 ', { op: '==', value: -2.5 }],
    ['!= 0', { op: '!=', value: 0 }],
    ['14', null],
    ['=> 14', null],
    ['>= 14 days', null],
  ])('reads %j', (text, parsed) => {
    expect(parseComparison(text)).toEqual(parsed);
  });

  it.each([
    ['< 800ms', { op: '<', value: 800 }],
    ['<= 1.5s', { op: '<=', value: 1500 }],
    ['>2s', { op: '>', value: 2000 }],
    ['< 800', null],
    ['== 800ms', null],
    ['< 1m', null],
  ])('reads the duration comparison %j', (text, parsed) => {
    expect(parseDurationComparison(text)).toEqual(parsed);
  });

  it.each([
    [799, '<', 800, true],
    [800, '<', 800, false],
    [800, '<=', 800, true],
    [15, '>', 14, true],
    [14, '>=', 14, true],
    [3, '==', 3, true],
    [3, '!=', 3, false],
  ] as const)('%d %s %d is %s', (actual, op, value, result) => {
    expect(compare(actual, { op, value })).toBe(result);
  });

  it('explains a bad comparison with the offending text', () => {
    const r = durationComparisonSchema.safeParse('fast');
    expect(r.error?.issues[0]?.message).toBe(
      'expected a duration comparison like "< 800ms" or "<= 2s", got "fast"',
    );
    expect(comparisonSchema.safeParse('about 14').error?.issues[0]?.message).toContain('got "about 14"');
  });
});
