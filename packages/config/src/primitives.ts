import { cronProblem } from '@vigil/core';
import { z } from 'zod';
import { describeValue } from './describe.js';

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
const SLUG_RE = new RegExp(SLUG_PATTERN);
const slugError = (iss: { input?: unknown }) =>
  iss.input === undefined
    ? 'required'
    : `expected a slug (lowercase letters, digits and dashes, at most 63), got ${describeValue(iss.input)}`;

export const slugSchema = () => z.string({ error: slugError }).regex(SLUG_RE, { error: slugError });

/** A list of distinct slugs. */
export const slugListSchema = () =>
  z
    .array(slugSchema())
    .min(1)
    .superRefine((list, ctx) => {
      list.forEach((s, i) => {
        if (list.indexOf(s) !== i)
          ctx.addIssue({ code: 'custom', path: [i], input: s, message: `"${s}" is listed twice` });
      });
    });

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

const tzError = (iss: { input?: unknown }) =>
  iss.input === undefined
    ? 'required'
    : `expected an IANA time zone like "Europe/Berlin" or "UTC", got ${describeValue(iss.input)}`;

export const timeZoneSchema = () =>
  z.string({ error: tzError }).refine(isTimeZone, { error: tzError, abort: true });

export const cronSchema = () =>
  z.string().superRefine((p, ctx) => {
    const problem = cronProblem(p);
    if (problem !== null) ctx.addIssue({ code: 'custom', input: p, message: problem });
  });

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface TimeOfDay {
  weekday: Weekday | null;
  hour: number;
  minute: number;
}

export const TIME_OF_DAY_PATTERN =
  '^(?:(?:[Mm][Oo][Nn]|[Tt][Uu][Ee]|[Ww][Ee][Dd]|[Tt][Hh][Uu]|[Ff][Rr][Ii]|[Ss][Aa][Tt]|[Ss][Uu][Nn]) )?(?:[01]\\d|2[0-3]):[0-5]\\d$';
const TIME_OF_DAY_RE = new RegExp(TIME_OF_DAY_PATTERN);

/** "08:00" or "MON 08:00" (24-hour clock, weekday optional unless `needWeekday`). */
export function timeOfDaySchema(needWeekday = false) {
  const example = needWeekday ? '"MON 08:00"' : '"08:00"';
  const err = (iss: { input?: unknown }) =>
    `expected a time like ${example}, got ${describeValue(iss.input)}`;
  return z
    .string({ error: err })
    .regex(TIME_OF_DAY_RE, { error: err })
    .transform((text, ctx): TimeOfDay => {
      const [a, b] = text.split(' ');
      const clock = b ?? a ?? '';
      const weekday = b === undefined ? null : ((a ?? '').toLowerCase() as Weekday);
      if (needWeekday && weekday === null)
        ctx.issues.push({ code: 'custom', input: text, message: err({ input: text }) });
      return { weekday, hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) };
    });
}
