import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { DateTime } from 'luxon';
import type { EpochMs } from './types.js';

/*
 * Cron patterns, the one home: validating (cronProblem), reading the fields (parseCron, cronDayMatches)
 * and fire times in a time zone (cronTimes). The reading is cron-parser's, as BullMQ fires probe jobs
 * from it: 5 fields (minute first) or 6 (second first), lists, ranges, steps, names, `L`, `#`.
 * node-cron (scheduled reports) only fires; it computes nothing here.
 */

export class CronError extends Error {
  readonly code = 'INVALID_CRON';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Why a cron pattern is invalid (the message config diagnostics show), or null. */
export function cronProblem(pattern: string): string | null {
  try {
    expression(pattern, 'UTC');
    return null;
  } catch (err) {
    if (err instanceof CronError) return err.message;
    throw err;
  }
}

/** A parsed cron pattern's fields, each the set of values it matches. */
export interface CronPattern {
  /** {0} for a 5-field pattern */
  seconds: ReadonlySet<number>;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (7 is read as 0) */
  daysOfWeek: ReadonlySet<number>;
  /** both day fields restricted: a day matches when either does */
  dayOr: boolean;
  /** the day fields use `L` or `#`, which need the whole date: cronDayMatches does not read them */
  dateRules: boolean;
}

/** Reads a pattern's fields. Throws CronError. */
export function parseCron(pattern: string): CronPattern {
  const f = expression(pattern, 'UTC').fields;
  const set = (values: readonly (number | string)[]) =>
    new Set(values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b));
  return {
    seconds: set(f.second.values),
    minutes: set(f.minute.values),
    hours: set(f.hour.values),
    daysOfMonth: set(f.dayOfMonth.values),
    months: set(f.month.values),
    daysOfWeek: new Set([...set(f.dayOfWeek.values)].map((d) => d % 7)),
    dayOr: !f.dayOfMonth.isWildcard && !f.dayOfWeek.isWildcard,
    dateRules: f.dayOfMonth.hasLastChar || f.dayOfWeek.hasLastChar || f.dayOfWeek.nthDay > 0,
  };
}

/** Whether a local calendar day matches the pattern's month and day fields (weekday 0 = Sunday). */
export function cronDayMatches(p: CronPattern, month: number, day: number, weekday: number): boolean {
  if (!p.months.has(month)) return false;
  const dom = p.daysOfMonth.has(day);
  const dow = p.daysOfWeek.has(weekday % 7);
  return p.dayOr ? dom || dow : dom && dow;
}

/** A pattern's fire times in a time zone. */
export interface CronTimes {
  /** the first fire time strictly after `at` */
  next(at: EpochMs): EpochMs;
  /** the last fire time strictly before `at` */
  prev(at: EpochMs): EpochMs;
}

/** The fire times of `pattern` in `tz`. Throws CronError for a pattern or zone that does not parse. */
export function cronTimes(pattern: string, tz: string): CronTimes {
  const expr = expression(pattern, tz);
  return {
    next(at) {
      expr.reset(new Date(at));
      return expr.next().getTime();
    },
    prev(at) {
      expr.reset(new Date(at));
      return expr.prev().getTime();
    },
  };
}

function expression(pattern: string, tz: string): CronExpression {
  const fields = pattern.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6)
    throw new CronError(
      `expected a cron pattern with 5 or 6 fields like "*/5 * * * *", got "${pattern}" (${fields} fields)`,
    );
  if (!DateTime.fromMillis(0, { zone: tz }).isValid)
    throw new CronError(`invalid time zone "${tz}" for cron pattern "${pattern}"`);
  try {
    return CronExpressionParser.parse(pattern, { tz, currentDate: new Date(0) });
  } catch (err) {
    throw new CronError(
      `invalid cron pattern "${pattern}": ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}
