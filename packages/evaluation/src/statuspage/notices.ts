import type { Incident, IncidentEvent } from '@vigil/core';
import type { ProviderDeclaration } from '@vigil/notify';
import type { DeclarationChange } from '../reads/declarations.js';
import type { Notification } from '../step/incident-log.js';

/** A follow-up notice: a declaration of the incident's provider started or ended while it was open. */
export interface DeclarationNotice {
  notification: Notification;
  change: DeclarationChange;
  /** the outbox's dedupe key: one notice per incident, declaration and change, however often evaluated */
  eventKey: string;
}

const RANK: Record<Incident['scope'], number> = { service: 3, provider: 2, probe: 1, monitor: 0 };

/**
 * The notices of a tick: one per declaration change, to the widest open, notified incident of that
 * provider (service over provider over probe, then the oldest) that opened before this tick — an
 * opening alert already carries what the provider declares — and at or before the change. Pure.
 */
export function declarationNotices(
  open: Iterable<Incident>,
  openedThisTick: ReadonlySet<string>,
  changes: readonly DeclarationChange[],
): DeclarationNotice[] {
  if (changes.length === 0) return [];
  const eligible = [...open].filter(
    (r) => r.provider !== null && !r.silent && r.scope !== 'monitor' && !openedThisTick.has(r.id),
  );
  const out: DeclarationNotice[] = [];
  for (const c of changes) {
    const row = eligible
      .filter((r) => r.provider === c.provider && r.openedAt.getTime() <= c.at)
      .sort(
        (a, b) =>
          RANK[b.scope] - RANK[a.scope] ||
          a.openedAt.getTime() - b.openedAt.getTime() ||
          a.id.localeCompare(b.id),
      )[0];
    if (!row) continue;
    const event: IncidentEvent = {
      type: 'reminder',
      scope: row.scope,
      key: row.key,
      kind: row.kind,
      at: c.at,
      openedAt: row.openedAt.getTime(),
    };
    out.push({
      notification: { incident: row, event, kind: 'declaration' },
      change: c,
      eventKey: `declaration:${c.change}:${c.key}`,
    });
  }
  return out;
}

/** The declaration an alert about `provider` carries: undefined without a status page for it. */
export function declarationFor(
  declarations: ReadonlyMap<string, ProviderDeclaration> | undefined,
  provider: string | null,
): ProviderDeclaration | undefined {
  return provider === null ? undefined : declarations?.get(provider);
}
