import { DateTime } from 'luxon';
import { nextPeriod, periodOf, type Period } from '@vigil/core';
import type { ReportColumn, ReportKind } from './types.js';

/** The calendar days of a period in its zone (23 h and 25 h on DST changes). */
export function daysOf(period: Period): ReportColumn[] {
  const out: ReportColumn[] = [];
  for (let d = periodOf('day', period.from, period.tz); d.from < period.to; d = nextPeriod(d)) {
    const dt = DateTime.fromMillis(d.from, { zone: period.tz });
    out.push({
      key: d.key,
      label: dt.toFormat(period.kind === 'week' ? 'ccc d' : 'd'),
      from: d.from,
      to: d.to,
    });
  }
  return out;
}

/** Per-month columns of a quarter, per-ISO-week columns of a month (clipped to it); none for a week. */
export function columnsOf(
  kind: ReportKind,
  period: Period,
): { kind: 'month' | 'week' | null; columns: ReportColumn[] } {
  if (kind === 'weekly') return { kind: null, columns: [] };
  const sub = kind === 'quarterly' ? 'month' : 'week';
  const columns: ReportColumn[] = [];
  for (let p = periodOf(sub, period.from, period.tz); p.from < period.to; p = nextPeriod(p)) {
    const from = Math.max(p.from, period.from);
    const to = Math.min(p.to, period.to);
    const label =
      sub === 'month'
        ? DateTime.fromMillis(from, { zone: period.tz }).toFormat('LLL')
        : `W${p.key.slice(-2)}`;
    columns.push({ key: p.key, label, from, to });
  }
  return { kind: sub, columns };
}

/** The calendar quarter containing the period's start. */
export function quarterOf(period: Period): Period {
  return periodOf('quarter', period.from, period.tz);
}

/** e.g. `17–23 Nov 2026` or `Q4 2026 (1 Oct – 31 Dec)`. */
export function periodLabel(period: Period): string {
  const a = DateTime.fromMillis(period.from, { zone: period.tz });
  const b = DateTime.fromMillis(period.to - 1, { zone: period.tz });
  if (period.kind === 'month') return a.toFormat('LLLL yyyy');
  if (period.kind === 'quarter')
    return `Q${a.quarter} ${a.year} (${a.toFormat('d LLL')} – ${b.toFormat('d LLL')})`;
  if (period.kind === 'day') return a.toFormat('ccc d LLL yyyy');
  const sameMonth = a.month === b.month;
  return `${period.key}, ${a.toFormat(sameMonth ? 'd' : 'd LLL')}–${b.toFormat('d LLL yyyy')}`;
}
