import type { EpochMs, ErrorClass, Outcome } from '../types.js';
import type { IncidentKind, IncidentScope } from './incidents.js';

/** A stored probe result, as judging its slot needs it (packages/db maps `probe_results` rows to it). */
export interface SlotResult {
  probeId: string;
  region: string;
  slotAt: EpochMs;
  outcome: Outcome;
  totalMs: number;
  errorClass: ErrorClass | null;
  message: string | null;
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number | null;
}

export type AlertSeverity = 'page' | 'ticket' | 'info';

/** One incident of a probe, provider, service or monitor region: at most one open per track. */
export interface Incident {
  id: string;
  scope: IncidentScope;
  /** probe id, provider, service or region */
  key: string;
  kind: IncidentKind;
  severity: AlertSeverity;
  title: string;
  provider: string | null;
  service: string | null;
  probeId: string | null;
  openedAt: Date;
  resolvedAt: Date | null;
  /** the incident this one is grouped under (a probe under its provider, a provider under its service) */
  parentId: string | null;
  /** recorded, never notified (grouped, or opened inside another incident) */
  silent: boolean;
  flapping: boolean;
  detail: Record<string, string | number>;
  updatedAt: Date;
  /** when someone on call acknowledged it: its reminders stop, later alerts name who */
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgeNote: string | null;
}

/** A silence: notifications of incidents naming `target` are held back in [startsAt, endsAt). */
export interface SilenceWindow {
  target: string;
  startsAt: Date;
  endsAt: Date;
}
