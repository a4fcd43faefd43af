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

/**
 * The notices of a tick: for every open, notified incident of a provider (opened before this tick —
 * an opening alert already carries what the provider declares) and each declaration change of that
 * provider at or after the incident's start. Pure.
 */
export function declarationNotices(
  open: Iterable<Incident>,
  openedThisTick: ReadonlySet<string>,
  changes: readonly DeclarationChange[],
): DeclarationNotice[] {
  if (changes.length === 0) return [];
  const out: DeclarationNotice[] = [];
  for (const row of open) {
    if (row.provider === null || row.silent || row.scope === 'monitor' || openedThisTick.has(row.id))
      continue;
    for (const c of changes) {
      if (c.provider !== row.provider || c.at < row.openedAt.getTime()) continue;
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
