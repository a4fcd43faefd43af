import type { EpochMs, Incident, IncidentEvent, IncidentState } from '@vigil/core';
import type { AlertEventKind, Severity } from '@vigil/notify';
import { trackKey } from './state.js';

/** What an incident row says about its subject, decided when it opens. */
export interface IncidentMeta {
  title: string;
  severity: Severity;
  provider: string | null;
  service: string | null;
  probeId: string | null;
  detail: Record<string, string | number>;
}

export interface Notification {
  incident: Incident;
  event: IncidentEvent;
  kind: AlertEventKind;
}

export interface IncidentChanges {
  inserts: Incident[];
  /** rows opened before this tick and changed in it, by id */
  updates: Map<string, Incident>;
  notifications: Notification[];
}

export interface ApplyContext {
  now: EpochMs;
  newId(): string;
  meta(e: IncidentEvent): IncidentMeta;
  /** the track after this tick, for incidents that settle closed after flapping */
  track(e: IncidentEvent): IncidentState | undefined;
  /** held back by a silence (the incident is still recorded) */
  silenced(row: Incident, e: IncidentEvent): boolean;
  /** who acknowledged this open incident (stored by the API), if anyone: its reminders stop */
  acknowledgement?(row: Incident): Acknowledgement | undefined;
}

/** An open incident's acknowledgement, as the API stores it. */
export type Acknowledgement = Pick<Incident, 'acknowledgedAt' | 'acknowledgedBy' | 'acknowledgeNote'>;

const NOTIFIED: Partial<Record<IncidentEvent['type'], AlertEventKind>> = {
  opened: 'opened',
  resolved: 'resolved',
  reminder: 'reminder',
  flapping_started: 'flapping',
  flapping_stopped: 'settled',
};

/**
 * Applies a tick's grouped events to the open incidents (`open`, by track key, is updated in place):
 * opens rows, attaches, resolves, and lists what to notify — nothing for a silent event, a silent
 * (grouped) incident or a silenced one, and no reminder of an acknowledged one. Pure apart from `open`.
 */
export function applyEvents(
  open: Map<string, Incident>,
  events: readonly IncidentEvent[],
  ctx: ApplyContext,
): IncidentChanges {
  const out: IncidentChanges = { inserts: [], updates: new Map(), notifications: [] };
  const settled: { key: string; e: IncidentEvent }[] = [];
  const now = new Date(ctx.now);
  for (const e of events) {
    const key = trackKey(e.scope, e.key, e.kind);
    let row = open.get(key);
    if (!row) {
      if (e.type === 'resolved' || e.type === 'flapping_stopped') continue;
      const meta = ctx.meta(e);
      row = {
        id: ctx.newId(),
        scope: e.scope,
        key: e.key,
        kind: e.kind,
        severity: meta.severity,
        title: meta.title,
        provider: meta.provider,
        service: meta.service,
        probeId: meta.probeId,
        openedAt: new Date(e.openedAt ?? e.at),
        resolvedAt: null,
        parentId: parentId(open, e),
        silent: e.silent === true,
        flapping: false,
        detail: { ...meta.detail, ...(e.detail ?? {}) },
        updatedAt: now,
        acknowledgedAt: null,
        acknowledgedBy: null,
        acknowledgeNote: null,
      };
      open.set(key, row);
      out.inserts.push(row);
    }
    const ack = ctx.acknowledgement?.(row);
    if (ack?.acknowledgedAt) row = { ...row, ...ack };
    if (e.type === 'attached' && !row.parentId) row = { ...row, parentId: parentId(open, e), silent: true };
    if (e.type === 'resolved') row = { ...row, resolvedAt: new Date(e.at) };
    if (e.type === 'flapping_started') row = { ...row, flapping: true };
    if (e.type === 'flapping_stopped') {
      row = { ...row, flapping: false };
      settled.push({ key, e });
    }
    row = { ...row, updatedAt: now };
    if (row.resolvedAt) open.delete(key);
    else open.set(key, row);
    out.updates.set(row.id, row);
    const kind = NOTIFIED[e.type];
    // an acknowledged incident is someone's already: no reminders, its other alerts say who took it
    if (kind === 'reminder' && row.acknowledgedAt) continue;
    if (kind && !e.silent && !row.silent && !ctx.silenced(row, e))
      out.notifications.push({ incident: row, event: e, kind });
  }
  for (const { key, e } of settled) {
    const row = open.get(key);
    const t = ctx.track(e);
    if (row && t && !t.open && !t.notifiedOpen) {
      const closed = { ...row, resolvedAt: new Date(e.at), updatedAt: now };
      open.delete(key);
      out.updates.set(row.id, closed);
    }
  }
  // a row opened this tick is inserted in its final form; the others are updated
  out.inserts = out.inserts.map((r) => out.updates.get(r.id) ?? r);
  for (const r of out.inserts) out.updates.delete(r.id);
  return out;
}

function parentId(open: Map<string, Incident>, e: IncidentEvent): string | null {
  if (e.parent === undefined) return null;
  const scope = e.scope === 'probe' ? 'provider' : 'service';
  return open.get(trackKey(scope, e.parent, 'down'))?.id ?? null;
}
