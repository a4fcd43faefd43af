import { DateTime } from 'luxon';
import type { ReportConfig, ReportsConfig, TimeOfDay, VigilConfig } from '@vigil/config';
import { periodOf, previousPeriod, type EpochMs, type Period } from '@vigil/core';
import { PERIOD_KIND, REPORT_KINDS } from '@vigil/evaluation';
import type { ReportKind } from '@vigil/reports';

/** Monday 08:00 for weekly; 08:00 on the 1st of the next month or quarter otherwise. */
export const DEFAULT_AT: Record<ReportKind, TimeOfDay> = {
  weekly: { weekday: 'mon', hour: 8, minute: 0 },
  monthly: { weekday: null, hour: 8, minute: 0 },
  quarterly: { weekday: null, hour: 8, minute: 0 },
};

const WEEKDAY_OFFSET = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 } as const;
const CRON_WEEKDAY = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 0 } as const;

/** One configured report, with its defaults applied. */
export interface ScheduledReport {
  name: ReportKind;
  kind: ReportKind;
  tz: string;
  at: TimeOfDay;
  recipients: string[];
  scope: ReportConfig['scope'];
}

/** A report whose send time has passed: `period` is its key, whenever the check runs. */
export interface DueReport extends ScheduledReport {
  period: Period;
  sendAt: EpochMs;
}

/** vigil.yaml `reports:` with defaults: `tz` from `timezone`, `at` from DEFAULT_AT. */
export function scheduledReports(config: Pick<VigilConfig, 'reports' | 'timezone'>): ScheduledReport[] {
  const out: ScheduledReport[] = [];
  for (const kind of REPORT_KINDS) {
    const r: ReportsConfig[ReportKind] = config.reports[kind];
    if (!r) continue;
    out.push({
      name: kind,
      kind,
      tz: r.tz ?? config.timezone,
      at: r.at ?? DEFAULT_AT[kind],
      recipients: r.recipients,
      scope: r.scope,
    });
  }
  return out;
}

/**
 * When the report of `period` is sent: `at` on the first day after it (weekly: the named weekday of
 * the following week), local time in the period's zone. A time skipped by DST moves forward.
 */
export function sendTimeOf(period: Period, at: TimeOfDay): EpochMs {
  const next = DateTime.fromMillis(period.to, { zone: period.tz });
  const day = period.kind === 'week' && at.weekday ? next.plus({ days: WEEKDAY_OFFSET[at.weekday] }) : next;
  return day.set({ hour: at.hour, minute: at.minute, second: 0, millisecond: 0 }).toMillis();
}

/** The latest completed period of `r` whose send time is at or before `now`. */
export function latestSendable(r: ScheduledReport, now: EpochMs): DueReport {
  let period = previousPeriod(periodOf(PERIOD_KIND[r.kind], now, r.tz));
  if (sendTimeOf(period, r.at) > now) period = previousPeriod(period);
  return { ...r, period, sendAt: sendTimeOf(period, r.at) };
}

/**
 * What should be sent now (pure): per configured report, the latest completed period whose send time
 * has passed and that is not in `sent` (`<report>/<period key>`). Only the latest: a report missed
 * while Vigil was down goes out on the next start, older ones only on request (`vigil report`).
 * Periods that ended before `since` (nothing was monitored yet) are never due.
 */
export function dueReports(
  config: Pick<VigilConfig, 'reports' | 'timezone'>,
  sent: ReadonlySet<string>,
  now: EpochMs,
  since: EpochMs | null = null,
): DueReport[] {
  return scheduledReports(config)
    .map((r) => latestSendable(r, now))
    .filter((d) => !sent.has(runKey(d.name, d.period.key)) && (since === null || since < d.period.to));
}

export function runKey(report: string, periodKey: string): string {
  return `${report}/${periodKey}`;
}

/** The node-cron pattern (in the report's zone) that fires at each send time. */
export function cronOf(r: Pick<ScheduledReport, 'kind' | 'at'>): string {
  const { minute, hour, weekday } = r.at;
  if (r.kind === 'weekly') return `${minute} ${hour} * * ${CRON_WEEKDAY[weekday ?? 'mon']}`;
  if (r.kind === 'monthly') return `${minute} ${hour} 1 * *`;
  return `${minute} ${hour} 1 1,4,7,10 *`;
}
