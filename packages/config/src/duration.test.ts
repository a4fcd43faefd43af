import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';
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
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', '5000', '30 s', '-5s', '1w', 's', '5S', '1h 30m', '${env:X}'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
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
