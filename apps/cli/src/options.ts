import { InvalidArgumentError } from 'commander';
import { formatDuration, isTimeZone, parseDuration } from '@vigil/config';

/**
 * Option parsers for commander's `argParser`: a bad value becomes
 * `error: option '--limit <n>' argument 'abc' is invalid. expected a positive integer` and exit 2.
 */
const INTEGER = /^\d+$/;

export function positiveInt(value: string): number {
  const n = INTEGER.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function port(value: string): number {
  const n = INTEGER.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65_535)) throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

/** A positive duration like "30m" or "1h30m", at most `maxMs`. */
export function duration(maxMs: number): (value: string) => number {
  return (value) => {
    const ms = parseDuration(value);
    if (ms === null || ms <= 0 || ms > maxMs)
      throw new InvalidArgumentError(
        `expected a duration like "30m" or "2h", more than 0 and at most ${formatDuration(maxMs)}`,
      );
    return ms;
  };
}

export function timeZone(value: string): string {
  if (!isTimeZone(value))
    throw new InvalidArgumentError('expected an IANA time zone like "Europe/Berlin" or "UTC"');
  return value;
}

/** Names for a message: `a, b, c` or `a, b, c and 7 more`. */
export function someOf(names: readonly string[], max = 10): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
