/** A parsed five-field cron pattern (minute hour day-of-month month day-of-week), Vixie semantics. */
export interface CronPattern {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (7 is read as 0) */
  daysOfWeek: ReadonlySet<number>;
  /** both day fields restricted: a day matches when either does */
  dayOr: boolean;
}

export class CronError extends Error {
  readonly code = 'INVALID_CRON';
  constructor(message: string) {
    super(message);
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS = [
  { name: 'minute', min: 0, max: 59, names: [] as string[], base: 0 },
  { name: 'hour', min: 0, max: 23, names: [], base: 0 },
  { name: 'day of month', min: 1, max: 31, names: [], base: 0 },
  { name: 'month', min: 1, max: 12, names: MONTHS, base: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, base: 0 },
] as const;

/** Parses `m h dom mon dow` (lists, ranges, steps, `*`, month and weekday names). Throws CronError. */
export function parseCron(expr: string): CronPattern {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronError(`cron "${expr}": expected 5 fields, got ${parts.length}`);
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]!, expr));
  const dow = new Set([...sets[4]!].map((d) => d % 7));
  return {
    minutes: sets[0]!,
    hours: sets[1]!,
    daysOfMonth: sets[2]!,
    months: sets[3]!,
    daysOfWeek: dow,
    dayOr: !parts[2]!.startsWith('*') && !parts[4]!.startsWith('*'),
  };
}

/** Whether a local calendar day matches the pattern's month and day fields (weekday 0 = Sunday). */
export function cronDayMatches(p: CronPattern, month: number, day: number, weekday: number): boolean {
  if (!p.months.has(month)) return false;
  const dom = p.daysOfMonth.has(day);
  const dow = p.daysOfWeek.has(weekday % 7);
  return p.dayOr ? dom || dow : dom && dow;
}

function parseField(text: string, f: (typeof FIELDS)[number], expr: string): Set<number> {
  const out = new Set<number>();
  const fail = (why: string) => new CronError(`cron "${expr}": ${f.name} "${text}" ${why}`);
  const value = (v: string): number => {
    const named = (f.names as readonly string[]).indexOf(v.toLowerCase());
    const n = named >= 0 ? named + f.base : /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < f.min || n > f.max) throw fail(`is out of range ${f.min}-${f.max}`);
    return n;
  };
  for (const item of text.split(',')) {
    const m = /^(\*|[a-z0-9]+)(?:-([a-z0-9]+))?(?:\/(\d+))?$/i.exec(item);
    if (!m) throw fail('is not a cron field');
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (step < 1) throw fail('has a zero step');
    const from = m[1] === '*' ? f.min : value(m[1]!);
    const to = m[1] === '*' ? f.max : m[2] !== undefined ? value(m[2]) : m[3] !== undefined ? f.max : from;
    if (to < from) throw fail('is a reversed range');
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}
