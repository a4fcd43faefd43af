import type { AlertEvent, ProviderDeclaration } from '@vigil/notify';
import type { Notification } from './incident-log.js';

export interface AlertFigures {
  /** null without data, or while the window's coverage is below the reports' rule (90%) */
  availability24h: number | null;
  availability30d: number | null;
  /** fraction of the rolling 30-day error budget ((1 − target) × 30 d) left; null at low coverage */
  budgetLeft: number | null;
  target: number;
  /** ms of each window with data, for "n/a — 2m of data"; absent for the monitor's own incidents */
  dataMs24h?: number;
  dataMs30d?: number;
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
  /** what the provider declares on its status page; absent without one configured */
  declaration?: ProviderDeclaration;
  /** on a `declaration` notice: what started or ended */
  declarationChange?: AlertEvent['declarationChange'];
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
export function buildAlert(
  id: string,
  n: Notification,
  fig: AlertFigures,
  s: AlertSubject,
  detectedAt: number | null = null,
): AlertEvent {
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
    detectedAt: n.kind === 'opened' && detectedAt !== null ? Math.max(since, detectedAt) : null,
    at: n.event.at,
    durationMs: n.kind === 'resolved' ? Math.max(0, n.event.at - since) : null,
    availability24h: fig.availability24h,
    availability30d: fig.availability30d,
    target: fig.target,
    budgetLeft: fig.budgetLeft,
    ...(fig.dataMs24h === undefined ? {} : { dataMs24h: fig.dataMs24h }),
    ...(fig.dataMs30d === undefined ? {} : { dataMs30d: fig.dataMs30d }),
    failover: s.failover,
    runbook: s.runbook,
    acknowledgedBy: n.incident.acknowledgedBy,
    ...alertLinks(s.publicUrl, n.incident.id),
    ...(s.declaration === undefined ? {} : { declaration: s.declaration }),
    ...(s.declarationChange ? { declarationChange: s.declarationChange } : {}),
  };
}
