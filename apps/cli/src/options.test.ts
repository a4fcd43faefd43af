import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '@vigil/core';
import { duration, port, positiveInt, someOf, timeZone } from './options.js';

describe('positiveInt', () => {
  it.each([
    ['1', 1],
    ['50', 50],
    ['007', 7],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %j as %d', (text, n) => {
    expect(positiveInt(text)).toBe(n);
  });

  it.each(['abc', '0', '-1', '1.5', '1e3', ' 5', '5 ', '+5', '', '0x10', 'Infinity', '9007199254740992'])(
    'refuses %j',
    (text) => {
      expect(() => positiveInt(text)).toThrow('expected a positive integer');
    },
  );
});

describe('port', () => {
  it.each([
    ['0', 0],
    ['4010', 4010],
    ['65535', 65_535],
  ])('reads %j as %d', (text, n) => {
    expect(port(text)).toBe(n);
  });

  it.each(['65536', '-1', 'http', '80.5', ''])('refuses %j', (text) => {
    expect(() => port(text)).toThrow('expected a port from 0 to 65535');
  });
});

describe('duration', () => {
  const upToAYear = duration(365 * DAY_MS);

  it.each([
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['365d', 365 * DAY_MS],
  ])('reads %j as %d ms', (text, ms) => {
    expect(upToAYear(text)).toBe(ms);
  });

  it.each(['99999999999d', '366d', '0s', '0m', '2 hours', '', 'h', `${'9'.repeat(400)}d`])(
    'refuses %j',
    (text) => {
      expect(() => upToAYear(text)).toThrow(
        'expected a duration like "30m" or "2h", more than 0 and at most 365d',
      );
    },
  );
});

describe('timeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires'])('accepts %s', (tz) => {
    expect(timeZone(tz)).toBe(tz);
  });

  it.each(['Mars/Olympus', '', 'Europe/Berlin '])('refuses %j', (tz) => {
    expect(() => timeZone(tz)).toThrow('expected an IANA time zone');
  });
});

describe('someOf', () => {
  it.each([
    [[], 3, '(none)'],
    [['a'], 3, 'a'],
    [['a', 'b', 'c'], 3, 'a, b, c'],
    [['a', 'b', 'c', 'd'], 2, 'a, b and 2 more'],
  ])('lists %j (at most %d)', (names, max, text) => {
    expect(someOf(names, max)).toBe(text);
  });
});

describe('an option with a parser', () => {
  it("fails the parse with commander's message naming the option, the value and what was expected", async () => {
    let stderr = '';
    const program = new Command('vigil')
      .exitOverride()
      .configureOutput({ writeErr: (s) => (stderr += s) })
      .option('--limit <n>', 'at most this many', positiveInt, 50)
      .action(() => undefined);
    await expect(program.parseAsync(['node', 'vigil', '--limit', 'abc'])).rejects.toBeInstanceOf(
      CommanderError,
    );
    expect(stderr).toBe(
      "error: option '--limit <n>' argument 'abc' is invalid. expected a positive integer\n",
    );
  });

  it('keeps the default as a number when the option is not given', async () => {
    const program = new Command('vigil')
      .option('--limit <n>', 'at most', positiveInt, 50)
      .action(() => undefined);
    await program.parseAsync(['node', 'vigil']);
    expect(program.opts()).toEqual({ limit: 50 });
  });
});
