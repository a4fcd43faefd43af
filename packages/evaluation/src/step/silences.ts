import type { EpochMs, Incident, SilenceWindow } from '@vigil/core';
import { watchdogRegion } from './watchdog.js';

/** A silence holds back an incident's notifications when it names the incident, its subject or an ancestor. */
export function isSilenced(
  silences: readonly SilenceWindow[],
  row: Pick<Incident, 'id' | 'key' | 'provider' | 'service' | 'probeId'>,
  at: EpochMs,
): boolean {
  const names = new Set(
    [row.id, row.key, row.provider, row.service, row.probeId, watchdogRegion(row.key)].filter(
      (x) => x !== null,
    ),
  );
  return silences.some((s) => names.has(s.target) && s.startsAt.getTime() <= at && at < s.endsAt.getTime());
}
