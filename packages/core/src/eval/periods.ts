import { DateTime } from 'luxon';
import type { EpochMs } from '../types.js';
import type { TimeWindow } from './window.js';

export type PeriodKind = 'day' | 'week' | 'month' | 'quarter';
export type RollingKind = '24h' | '7d' | '30d' | '90d';

/** A calendar period in a time zone: keys look like `2026-11-21`, `2026-W47`, `2026-11`, `2026-Q4`. */
export interface Period extends TimeWindow {
  kind: PeriodKind;
  key: string;
  tz: string;
}

export class PeriodError extends Error {
  readonly code: 'INVALID_PERIOD_KEY' | 'INVALID_TIME_ZONE';
  constructor(code: PeriodError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const UNIT = { day: 'day', week: 'week', month: 'month', quarter: 'quarter' } as const;
const ROLLING_MS: Record<RollingKind, number> = {
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
};

/** The calendar period of `kind` containing `instant` in IANA zone `tz` (ISO weeks start on Monday). */
export function periodOf(kind: PeriodKind, instant: EpochMs, tz: string): Period {
  return fromStart(kind, zoned(instant, tz).startOf(UNIT[kind]), tz);
}

/** The period a key names, e.g. `parsePeriodKey('2026-Q1', 'Europe/Berlin')`. Throws PeriodError. */
export function parsePeriodKey(key: string, tz: string): Period {
  const m = /^(\d{4})-(?:(W)(\d{2})|(Q)([1-4])|(\d{2})(?:-(\d{2}))?)$/.exec(key);
  if (!m) throw new PeriodError('INVALID_PERIOD_KEY', `invalid period key "${key}"`);
  const year = Number(m[1]);
  let start: DateTime;
  let kind: PeriodKind;
  if (m[2]) {
    kind = 'week';
    start = DateTime.fromObject({ weekYear: year, weekNumber: Number(m[3]), weekday: 1 }, { zone: tz });
  } else if (m[4]) {
    kind = 'quarter';
    start = DateTime.fromObject({ year, month: (Number(m[5]) - 1) * 3 + 1, day: 1 }, { zone: tz });
  } else if (m[7]) {
    kind = 'day';
    start = DateTime.fromObject({ year, month: Number(m[6]), day: Number(m[7]) }, { zone: tz });
  } else {
    kind = 'month';
    start = DateTime.fromObject({ year, month: Number(m[6]), day: 1 }, { zone: tz });
  }
  if (!start.isValid)
    throw new PeriodError('INVALID_PERIOD_KEY', `invalid period key "${key}": ${start.invalidExplanation}`);
  const period = fromStart(kind, start, tz);
  if (period.key !== key) throw new PeriodError('INVALID_PERIOD_KEY', `invalid period key "${key}"`);
  return period;
}

/** The period just before `period`, in the same zone. */
export function previousPeriod(period: Period): Period {
  return periodOf(period.kind, period.from - 1, period.tz);
}

/** The period just after `period`, in the same zone. */
export function nextPeriod(period: Period): Period {
  return periodOf(period.kind, period.to, period.tz);
}

/** The rolling window of that length ending at `now`. */
export function rollingWindow(kind: RollingKind, now: EpochMs): TimeWindow {
  return { from: now - ROLLING_MS[kind], to: now };
}

function zoned(instant: EpochMs, tz: string): DateTime {
  const dt = DateTime.fromMillis(instant, { zone: tz });
  if (!dt.isValid)
    throw new PeriodError('INVALID_TIME_ZONE', `invalid time zone "${tz}": ${dt.invalidExplanation}`);
  return dt;
}

function fromStart(kind: PeriodKind, start: DateTime, tz: string): Period {
  const end = start.plus({ [`${UNIT[kind]}s`]: 1 }).startOf(UNIT[kind]);
  return { kind, key: keyOf(kind, start), tz, from: start.toMillis(), to: end.toMillis() };
}

function keyOf(kind: PeriodKind, start: DateTime): string {
  if (kind === 'week') return `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}`;
  if (kind === 'quarter') return `${start.year}-Q${start.quarter}`;
  if (kind === 'month') return start.toFormat('yyyy-MM');
  return start.toFormat('yyyy-MM-dd');
}
