import type { Env } from '@vigil/core';
import type { z } from 'zod';

/** `declaration`: a follow-up notice that the provider's own status page started or ended a declaration during our open incident */
export type AlertEventKind = 'opened' | 'resolved' | 'reminder' | 'flapping' | 'settled' | 'declaration';
export type Severity = 'page' | 'ticket' | 'info';

/** What a notifier renders. The evaluator builds it from core's incident events and figures. */
export interface AlertEvent {
  /** the outbox row id: stable across retries, so repeats can be recognised downstream */
  id: string;
  incidentId: string;
  event: AlertEventKind;
  severity: Severity;
  kind: 'down' | 'degraded' | 'slo_burn' | 'monitor';
  scope: 'probe' | 'provider' | 'service' | 'monitor';
  title: string;
  service: string | null;
  provider: string | null;
  probeId: string | null;
  probeName: string | null;
  failingRegions: string[];
  errorClass: string | null;
  /** already redacted by the worker */
  lastError: string | null;
  /** epoch ms the incident started: its first bad slot, not when M of N was reached */
  since: number;
  /** epoch ms the evaluator opened it (M of N reached, slot closed); `detectedAt - since` is the detection delay; absent in older payloads */
  detectedAt?: number | null;
  /** epoch ms of this event */
  at: number;
  /** set on `resolved` */
  durationMs: number | null;
  /** fractions, e.g. 0.9712; null without data or while the window's coverage is below the reports' 90% rule */
  availability24h: number | null;
  availability30d: number | null;
  /** ms of the 24 h / 30 d window with data (why a figure is n/a: "n/a — 2 min of data"); absent in older payloads */
  dataMs24h?: number;
  dataMs30d?: number;
  target: number;
  /**
   * fraction of the 30-day error budget ((1 − target) × 30 d) left; negative when overspent; null while
   * the 30 d window's coverage is below 90%
   */
  budgetLeft: number | null;
  failover: { provider: string; healthy: boolean } | null;
  runbook: string | null;
  /** who acknowledged the incident (API / dashboard); absent or null while nobody has */
  acknowledgedBy?: string | null;
  /** the incident's page on the dashboard (`<api.publicUrl>/dashboard/incidents/<id>`); null without publicUrl */
  incidentUrl: string | null;
  /** the public status page (`<api.publicUrl>/`); null without publicUrl */
  statusUrl: string | null;
  /**
   * what the provider itself declares on its status page (vigil.yaml `providers.<name>.statusPage`) at
   * the alert's time; absent when the provider has no status page configured (and in older payloads)
   */
  declaration?: ProviderDeclaration | null;
  /** on a `declaration` notice: the declaration that started or ended */
  declarationChange?: { change: 'started' | 'ended'; item: DeclaredItem } | null;
}

/** One thing a provider declares: an incident, a maintenance in progress, or a component not operational. */
export interface DeclaredItem {
  kind: 'incident' | 'maintenance' | 'component';
  title: string;
  /** `none`, `minor`, `major`, `critical` or `maintenance` */
  impact: string;
  /** the provider's word: investigating, identified, monitoring, resolved, in_progress, partial_outage… */
  status: string;
  /** epoch ms it started, as the provider says */
  since: number;
  lastUpdateAt: number | null;
  /** epoch ms it ended (the provider's resolved time, or when Vigil saw it go) */
  endedAt: number | null;
  /** the provider's page for it (e.g. Statuspage's shortlink) */
  url: string | null;
}

/** The provider's own word about itself, beside our measurement: never counted as our availability. */
export interface ProviderDeclaration {
  /** the provider's display name (`providers.<name>.name`, else its slug) */
  provider: string;
  /** what stands now; empty when the page declares nothing that matters */
  items: DeclaredItem[];
  /** epoch ms the status page was last read (a 304 counts); null before the first good poll */
  checkedAt: number | null;
  /** the last poll failed (the items are the last good ones) */
  stale: boolean;
  /** the provider's status page, for a link */
  pageUrl: string | null;
}

/** A line the `log` channel hands to the app's logger (libraries never log themselves). */
export interface NotificationLogEntry {
  channel: string;
  id: string;
  incidentId: string;
  event: AlertEventKind;
  severity: Severity;
  text: string;
}

export interface SendContext {
  /** the channel's name in vigil.yaml, e.g. `oncall-slack` */
  channel: string;
  /** where `${env:…}` references are resolved, only inside send() */
  env: Env;
  timeoutMs: number;
  /** aborted when the relay gives up waiting */
  signal: AbortSignal;
  log(entry: NotificationLogEntry): void;
}

/**
 * One channel type: one file plus one line in the registry. `render` is pure; `send` only does I/O,
 * resolves env references inside, and throws DeliveryError with secrets stripped.
 */
export interface Notifier<C, M> {
  type: string;
  configSchema: z.ZodType<C>;
  render(e: AlertEvent, cfg: C): M;
  send(msg: M, cfg: C, ctx: SendContext): Promise<void>;
}
