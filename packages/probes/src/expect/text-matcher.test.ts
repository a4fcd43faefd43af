import { describe, expect, it } from 'vitest';
import { matchText, textMatcherSchema } from './text-matcher.js';

describe('header and body text assertions', () => {
  it.each([
    ['live', 'live', true, 'expected header x "live", got "live"'],
    ['live', 'test', false, 'expected header x "live", got "test"'],
    ['live', undefined, false, 'expected header x "live", got nothing'],
    [
      { contains: 'json' },
      'application/json',
      true,
      'expected header x to contain "json", got "application/json"',
    ],
    [{ notContains: 'error' }, 'all good', true, 'expected header x not to contain "error", got "all good"'],
    [{ regex: '^W/' }, 'W/"abc"', true, 'expected header x to match /^W//, got "W/\\"abc\\""'],
    [{ regex: '^W/' }, undefined, false, 'expected header x to match /^W//, got nothing'],
    [{ exists: false }, undefined, true, 'expected header x absent, got nothing'],
    [{ exists: true }, 'v', true, 'expected header x present, got present'],
  ])('%j against %j', (m, actual, ok, message) => {
    const [a] = matchText('header x', textMatcherSchema.parse(m), actual);
    expect(a).toMatchObject({ ok, message });
  });

  it.each(['authorization', 'x-api-key', 'set-cookie', 'x-auth-token'])(
    'shows no value of the credential header %s',
    (header) => {
      const value = 'Bearer s3cr3t-value-0123456789';
      const results = [
        ...matchText(`header ${header}`, { exists: true }, value),
        ...matchText(`header ${header}`, { contains: 'zzz' }, value),
        ...matchText(`header ${header}`, { regex: '^Bearer ' }, value),
      ];
      expect(results.map((a) => [a.ok, a.actual])).toEqual([
        [true, 'present'],
        [false, '"[REDACTED]"'],
        [true, '"[REDACTED]"'],
      ]);
      expect(JSON.stringify(results)).not.toContain('s3cr3t');
    },
  );

  it('never copies a huge value into the result', () => {
    const [a] = matchText('body', { contains: 'needle' }, 'x'.repeat(100_000));
    expect(a!.actual.length).toBeLessThan(200);
  });

  it.each([
    [{ regex: '(' }, 'expected a valid regular expression, got "("'],
    [{ startsWith: 'x' }, 'Unrecognized key: "startsWith"'],
    [42, 'expected a string or'],
    [{ regex: 5 }, 'regex: Invalid input: expected string, received number'],
    [{ regex: 'a\\1' }, 'at character 2, backreference \\1 is not supported'],
  ])('rejects %j in config', (m, message) => {
    expect(textMatcherSchema.safeParse(m).error?.issues[0]?.message).toContain(message);
  });
});
