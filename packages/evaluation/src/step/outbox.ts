import {
  type Availability,
  DAY_MS,
  errorBudget,
  HOUR_MS,
  hourStartOf,
  summarizeTimes,
  type EpochMs,
  type HourlyRollup,
  type TimeWindow,
  type VerdictTimes,
} from '@vigil/core';
import type { AlertEvent } from '@vigil/notify';
import { buildAlert, type AlertFigures, type AlertSubject } from './alert.js';
import type { Notification } from './incident-log.js';

/** A notification routed to its channels, waiting for the figures its alert shows. */
export interface PendingAlert {
  notification: Notification;
  channels: string[];
  subject: AlertSubject;
  /** the rollup subject whose availability the alert shows; null for the monitor's own incidents */
  rollupSubject: string | null;
  target: number;
  /** the outbox's dedupe key when it is not the incident event's (`declaration:started:incident:<id>`) */
  eventKey?: string;
}

/** An outbox row to write (packages/db's NewOutboxRow has this shape). */
export interface OutboxEffect {
  id: string;
  incidentId: string;
  eventKey: string;
  channel: string;
  payload: AlertEvent;
  createdAt: Date;
}

export type AlertWindow = '24h' | '30d';

/** A subject's stored totals per alert window, as read before the tick's writes (absent: no rows). */
export type AlertTotals = Partial<Record<AlertWindow, VerdictTimes>>;

const TIME_KEYS = ['upMs', 'degradedMs', 'downMs', 'noDataMs', 'excludedMs', 'rateLimitedMs'] as const;

/** The windows an alert's availability covers: the last 24 h and 30 d up to the end of the current hour. */
export function alertWindows(now: EpochMs): Record<AlertWindow, TimeWindow> {
  const to = hourStartOf(now) + HOUR_MS;
  return { '24h': { from: to - DAY_MS, to }, '30d': { from: to - 30 * DAY_MS, to } };
}

/** The rollup subjects whose totals the alerts need. */
export function alertSubjects(alerts: readonly PendingAlert[]): string[] {
  return [...new Set(alerts.map((a) => a.rollupSubject).filter((s) => s !== null))];
}

/**
 * The outbox rows of a tick's alerts: figures are the stored totals plus this tick's rollup deltas (what
 * the store holds once the tick commits). Pure apart from `newId`.
 */
export function outboxRows(
  alerts: readonly PendingAlert[],
  totals: ReadonlyMap<string, AlertTotals>,
  deltas: readonly HourlyRollup[],
  now: EpochMs,
  newId: () => string,
): OutboxEffect[] {
  const windows = alertWindows(now);
  const out: OutboxEffect[] = [];
  for (const a of alerts) {
    const fig = figures(a, totals.get(a.rollupSubject ?? ''), deltas, windows);
    const n = a.notification;
    for (const channel of a.channels) {
      const id = newId();
      out.push({
        id,
        incidentId: n.incident.id,
        eventKey: a.eventKey ?? `${n.event.type}@${n.event.at}`,
        channel,
        payload: buildAlert(id, n, fig, a.subject, now),
        createdAt: new Date(now),
      });
    }
  }
  return out;
}

function figures(
  a: PendingAlert,
  stored: AlertTotals | undefined,
  deltas: readonly HourlyRollup[],
  windows: Record<AlertWindow, TimeWindow>,
): AlertFigures {
  const { target } = a;
  if (a.rollupSubject === null)
    return { availability24h: null, availability30d: null, budgetLeft: null, target };
  const mine = deltas.filter((d) => d.probeId === a.rollupSubject);
  const a1 = withDeltas(stored?.['24h'], mine, windows['24h']);
  const a30 = withDeltas(stored?.['30d'], mine, windows['30d']);
  const s1 = a1 ? summarizeTimes(a1, DAY_MS, target) : null;
  const s30 = a30 ? summarizeTimes(a30, 30 * DAY_MS, target) : null;
  return {
    availability24h: shown(s1),
    availability30d: shown(s30),
    // the budget is (1 − target) × the 30-day window, never × the little time observed so far
    budgetLeft:
      a30 && shown(s30) !== null
        ? errorBudget({ upMs: a30.upMs, downMs: a30.downMs, target, periodMs: 30 * DAY_MS }).leftFraction
        : null,
    target,
    dataMs24h: a1 ? dataMs(a1) : 0,
    dataMs30d: a30 ? dataMs(a30) : 0,
  };
}

/** The availability of a window, or null when the reports would call it insufficient data (< 90% coverage). */
function shown(s: Availability | null): number | null {
  return s === null || s.status === 'insufficient_data' ? null : s.availability;
}

function dataMs(t: VerdictTimes): number {
  return t.upMs + t.downMs + t.rateLimitedMs;
}

function withDeltas(
  stored: VerdictTimes | undefined,
  deltas: readonly HourlyRollup[],
  w: TimeWindow,
): VerdictTimes | undefined {
  const inside = deltas.filter((d) => d.hourStart >= w.from && d.hourStart < w.to);
  if (inside.length === 0) return stored;
  const t: VerdictTimes = stored
    ? { ...stored }
    : { upMs: 0, degradedMs: 0, downMs: 0, noDataMs: 0, excludedMs: 0, rateLimitedMs: 0 };
  for (const d of inside) for (const k of TIME_KEYS) t[k] += d[k];
  return t;
}
