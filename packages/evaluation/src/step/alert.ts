import type { AlertEvent } from '@vigil/notify';
import type { Notification } from './incident-log.js';

export interface AlertFigures {
  availability24h: number | null;
  availability30d: number | null;
  /** fraction of the rolling 30-day error budget left */
  budgetLeft: number | null;
  target: number;
}

/** What the evaluator knows about the subject now, beyond the incident row. */
export interface AlertSubject {
  probeName: string | null;
  failingRegions: string[];
  errorClass: string | null;
  /** already redacted by the worker */
  lastError: string | null;
  failover: { provider: string; healthy: boolean } | null;
  runbook: string | null;
  /** vigil.yaml `api.publicUrl` (no trailing slash): alerts link to the web surface only when it is set */
  publicUrl: string | null;
}

/** The dashboard page of an incident and the public status page, under `publicUrl`; none without it. */
export function alertLinks(
  publicUrl: string | null,
  incidentId: string,
): { incidentUrl: string | null; statusUrl: string | null } {
  if (publicUrl === null) return { incidentUrl: null, statusUrl: null };
  return {
    incidentUrl: `${publicUrl}/dashboard/incidents/${encodeURIComponent(incidentId)}`,
    statusUrl: `${publicUrl}/`,
  };
}

/** The AlertEvent a notifier renders, for one notification of one incident. Pure. */
export function buildAlert(id: string, n: Notification, fig: AlertFigures, s: AlertSubject): AlertEvent {
  const since = n.incident.openedAt.getTime();
  return {
    id,
    incidentId: n.incident.id,
    event: n.kind,
    severity: n.incident.severity,
    kind: n.incident.kind,
    scope: n.incident.scope,
    title: n.incident.title,
    service: n.incident.service,
    provider: n.incident.provider,
    probeId: n.incident.probeId,
    probeName: s.probeName,
    failingRegions: n.kind === 'resolved' || n.kind === 'settled' ? [] : s.failingRegions,
    errorClass: s.errorClass,
    lastError: s.lastError,
    since,
    at: n.event.at,
    durationMs: n.kind === 'resolved' ? Math.max(0, n.event.at - since) : null,
    availability24h: fig.availability24h,
    availability30d: fig.availability30d,
    target: fig.target,
    budgetLeft: fig.budgetLeft,
    failover: s.failover,
    runbook: s.runbook,
    acknowledgedBy: n.incident.acknowledgedBy,
    ...alertLinks(s.publicUrl, n.incident.id),
  };
}
