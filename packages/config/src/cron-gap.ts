import { CronError, cronTimes, parseCron, type CronPattern } from '@vigil/core';

const DAY_S = 86_400;
const cache = new Map<string, number | null>();

/**
 * The shortest time in ms between two consecutive runs of a cron pattern (5 fields, or 6 with seconds
 * first), as core's cron reading (and so BullMQ) has it; null when the pattern does not parse. Exact from the
 * fields: the gaps inside a minute, across minutes, hours, and from one day's last run to the next day's
 * first when two consecutive days can both match. DST shifts are not counted.
 */
export function minCronGapMs(pattern: string): number | null {
  let gap = cache.get(pattern);
  if (gap === undefined) cache.set(pattern, (gap = compute(pattern)));
  return gap;
}

function compute(pattern: string): number | null {
  let fields: CronPattern;
  try {
    fields = parseCron(pattern);
  } catch (err) {
    if (err instanceof CronError) return null;
    throw err;
  }
  const seconds = ascending(fields.seconds);
  const minutes = ascending(fields.minutes);
  const hours = ascending(fields.hours);
  const spanS = seconds.at(-1)! - seconds[0]!;
  const firstOfHour = minutes[0]! * 60 + seconds[0]!;
  const lastOfHour = minutes.at(-1)! * 60 + seconds.at(-1)!;
  const firstOfDay = hours[0]! * 3600 + firstOfHour;
  const lastOfDay = hours.at(-1)! * 3600 + lastOfHour;
  const gaps = [
    minStep(seconds),
    minStep(minutes) * 60 - spanS,
    minStep(hours) * 3600 - (lastOfHour - firstOfHour),
    (consecutiveDays(pattern.trim().split(/\s+/).slice(-3).join(' ')) ? DAY_S : 2 * DAY_S) -
      (lastOfDay - firstOfDay),
  ];
  return Math.min(...gaps) * 1000;
}

const ascending = (values: ReadonlySet<number>): number[] => [...values].sort((a, b) => a - b);

function minStep(sorted: number[]): number {
  let min = Infinity;
  for (let i = 1; i < sorted.length; i++) min = Math.min(min, sorted[i]! - sorted[i - 1]!);
  return min;
}

/** Whether two calendar days in a row can both match the day fields (checked over 8 years of days). */
function consecutiveDays(days: string): boolean {
  if (days === '* * *') return true;
  const times = cronTimes(`0 0 0 ${days}`, 'UTC');
  const end = Date.UTC(2008, 0, 1);
  let prev = -Infinity;
  let at = Date.UTC(2000, 0, 1);
  for (let i = 0; i < 3000; i++) {
    at = times.next(at);
    if (at - prev === DAY_S * 1000) return true;
    if (at > end) return false;
    prev = at;
  }
  return false;
}
