import { CronExpressionParser } from 'cron-parser';

const DAY_S = 86_400;
const cache = new Map<string, number | null>();

/**
 * The shortest time in ms between two consecutive runs of a cron pattern (5 fields, or 6 with seconds
 * first), as cron-parser (and so BullMQ) reads it; null when the pattern does not parse. Exact from the
 * fields: the gaps inside a minute, across minutes, hours, and from one day's last run to the next day's
 * first when two consecutive days can both match. DST shifts are not counted.
 */
export function minCronGapMs(pattern: string): number | null {
  let gap = cache.get(pattern);
  if (gap === undefined) cache.set(pattern, (gap = compute(pattern)));
  return gap;
}

function compute(pattern: string): number | null {
  const parts = pattern.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return null;
  let fields;
  try {
    fields = CronExpressionParser.parse(pattern, { tz: 'UTC' }).fields;
  } catch {
    return null;
  }
  const seconds = numbers(fields.second.values);
  const minutes = numbers(fields.minute.values);
  const hours = numbers(fields.hour.values);
  const spanS = seconds.at(-1)! - seconds[0]!;
  const firstOfHour = minutes[0]! * 60 + seconds[0]!;
  const lastOfHour = minutes.at(-1)! * 60 + seconds.at(-1)!;
  const firstOfDay = hours[0]! * 3600 + firstOfHour;
  const lastOfDay = hours.at(-1)! * 3600 + lastOfHour;
  const gaps = [
    minStep(seconds),
    minStep(minutes) * 60 - spanS,
    minStep(hours) * 3600 - (lastOfHour - firstOfHour),
    (consecutiveDays(parts.slice(-3).join(' ')) ? DAY_S : 2 * DAY_S) - (lastOfDay - firstOfDay),
  ];
  return Math.min(...gaps) * 1000;
}

const numbers = (values: readonly (number | string)[]): number[] =>
  values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);

function minStep(sorted: number[]): number {
  let min = Infinity;
  for (let i = 1; i < sorted.length; i++) min = Math.min(min, sorted[i]! - sorted[i - 1]!);
  return min;
}

/** Whether two calendar days in a row can both match the day fields (checked over 8 years of days). */
function consecutiveDays(days: string): boolean {
  if (days === '* * *') return true;
  const it = CronExpressionParser.parse(`0 0 0 ${days}`, {
    tz: 'UTC',
    currentDate: new Date(Date.UTC(2000, 0, 1)),
  });
  const end = Date.UTC(2008, 0, 1);
  let prev = -Infinity;
  for (let i = 0; i < 3000; i++) {
    const at = it.next().getTime();
    if (at - prev === DAY_S * 1000) return true;
    if (at > end) return false;
    prev = at;
  }
  return false;
}
