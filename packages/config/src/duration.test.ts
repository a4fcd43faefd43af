import { describe, expect, it } from 'vitest';
import { durationSchema, formatDuration, parseDuration } from './duration.js';
import { parsePercent } from './percent.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1_500],
    ['0s', 0],
    ['1d2h3m4s5ms', 93_784_005],
    ['5m30s', 330_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '',
    '30',
    '5000',
    '30 s',
    '-5s',
    '1w',
    's',
    '5S',
    '1h 30m',
    '${env:X}',
    '1h30m30m',
    '30s1m',
    '1m1m',
    '5ms5s',
    '1hms',
  ])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('durationSchema', () => {
  it.each([
    ['99999999999999999999999h', 'expected at most 1m, got "99999999999999999999999h"'],
    [`${'9'.repeat(400)}ms`, `expected at most 1m, got "${'9'.repeat(400)}ms"`],
    ['50ms', 'expected at least 100ms, got "50ms"'],
    ['1h30m30m', 'expected each unit at most once, largest first, like "1h30m", got "1h30m30m"'],
  ])('keeps %j out of range with %j', (text, message) => {
    const r = durationSchema({ minMs: 100, maxMs: 60_000 }).safeParse(text);
    expect(r.success ? null : r.error.issues.map((i) => i.message)).toEqual([message]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1_500, '1500ms'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [86_400_000 + 3_600_000, '1d1h'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('parsePercent', () => {
  it.each([
    ['98%', 0.98],
    ['99.5%', 0.995],
    ['100%', 1],
    ['0%', 0],
    [98, 0.98],
    [99.95, 0.9995],
  ])('reads %j as %f', (input, fraction) => {
    expect(parsePercent(input)).toBe(fraction);
  });

  it.each(['101%', '98', '98 %', '-1%', 100.01, -1, 'abc', null, true])('rejects %j', (input) => {
    expect(parsePercent(input)).toBeNull();
  });
});
