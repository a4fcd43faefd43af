import type { EpochMs, TimeWindow } from '@vigil/core';
import type { IncidentRow, IncidentSummary, ReportIncident } from './types.js';

function endOf(i: ReportIncident, now: EpochMs): EpochMs {
  return i.resolvedAt ?? Math.max(now, i.openedAt);
}

export function overlaps(i: ReportIncident, w: TimeWindow, now: EpochMs): boolean {
  return i.openedAt < w.to && endOf(i, now) > w.from;
}

/** Count, ongoing, longest time inside the window and mean time to recover of the incidents given. */
export function summarizeIncidents(
  incidents: readonly ReportIncident[],
  w: TimeWindow,
  now: EpochMs,
): IncidentSummary {
  let count = 0;
  let ongoing = 0;
  let longestMs: number | null = null;
  let recovered = 0;
  let recoverMs = 0;
  for (const i of incidents) {
    if (!overlaps(i, w, now)) continue;
    count++;
    if (i.resolvedAt === null || i.resolvedAt >= w.to) ongoing++;
    const inside = Math.min(endOf(i, now), w.to) - Math.max(i.openedAt, w.from);
    longestMs = Math.max(longestMs ?? 0, inside);
    if (i.resolvedAt !== null && i.resolvedAt >= w.from && i.resolvedAt < w.to) {
      recovered++;
      recoverMs += i.resolvedAt - i.openedAt;
    }
  }
  return { count, ongoing, longestMs, mttrMs: recovered > 0 ? recoverMs / recovered : null };
}

/** Every incident overlapping the period, oldest first. */
export function incidentRows(
  incidents: readonly ReportIncident[],
  period: TimeWindow,
  now: EpochMs,
  subjectOf: (i: ReportIncident) => string,
): IncidentRow[] {
  return incidents
    .filter((i) => overlaps(i, period, now))
    .sort((a, b) => a.openedAt - b.openedAt || a.id.localeCompare(b.id))
    .map((i) => ({
      ...i,
      subject: subjectOf(i),
      durationMs: endOf(i, now) - i.openedAt,
      inPeriodMs: Math.min(endOf(i, now), period.to) - Math.max(i.openedAt, period.from),
      ongoing: i.resolvedAt === null || i.resolvedAt >= period.to,
      startedBeforePeriod: i.openedAt < period.from,
    }));
}

/** Incidents grouped by `scope:key`. */
export function incidentIndex(incidents: readonly ReportIncident[]): Map<string, ReportIncident[]> {
  const m = new Map<string, ReportIncident[]>();
  for (const i of incidents) {
    const k = `${i.scope}:${i.key}`;
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}
