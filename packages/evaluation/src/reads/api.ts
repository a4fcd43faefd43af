import type { VigilConfig } from '@vigil/config';
import {
  summarizeTimes,
  type Availability,
  type EpochMs,
  type Incident,
  type ProbeResult,
} from '@vigil/core';
import {
  childIncidents,
  getIncident,
  incidentPage,
  resultPage,
  windowTotals,
  type Db,
  type IncidentPageQuery,
  type ResultPageQuery,
} from '@vigil/db';
import { serviceDefs } from '../step/services.js';
import { providerSubject, serviceSubject } from '../step/state.js';
import type { StatusScope } from './status.js';

// The JSON API's reads: pages of results and incidents, one incident with its children, availability of
// any window from the running totals (the numbers `vigil status` and the reports use).

/** One probe's results, newest first (keyset page). */
export function readResultPage(db: Db, q: ResultPageQuery): Promise<ProbeResult[]> {
  return resultPage(db, q);
}

/** Incidents, newest first (keyset page). */
export function readIncidentPage(db: Db, q: IncidentPageQuery): Promise<Incident[]> {
  return incidentPage(db, q);
}

/** One incident and the incidents grouped under it; null when there is no such id. */
export async function readIncident(
  db: Db,
  id: string,
): Promise<{ incident: Incident; children: Incident[] } | null> {
  const incident = await getIncident(db, id);
  if (!incident) return null;
  return { incident, children: await childIncidents(db, id) };
}

export interface AvailabilitySubject {
  scope: StatusScope;
  key: string;
  target: number;
}

export interface SubjectAvailability extends AvailabilitySubject {
  availability: Availability;
}

/** Every service, provider and probe of the config with its target, in `vigil status` order. */
export function availabilitySubjects(config: VigilConfig): AvailabilitySubject[] {
  const providers = [...new Set(config.probes.map((p) => p.provider))].sort();
  return [
    ...serviceDefs(config.probes, config.services).map((s) => ({
      scope: 'service' as const,
      key: s.name,
      target: s.target,
    })),
    ...providers.map((p) => ({
      scope: 'provider' as const,
      key: p,
      target: Math.max(...config.probes.filter((x) => x.provider === p).map((x) => x.sloTarget)),
    })),
    ...config.probes.map((p) => ({ scope: 'probe' as const, key: p.id, target: p.sloTarget })),
  ];
}

/**
 * Availability of each subject over [from, to): verdict times from the running totals (whole days) and
 * hourly rollups (the edges), summarized against the subject's target. Time after `now` is not counted.
 */
export async function readAvailability(
  db: Db,
  subjects: readonly AvailabilitySubject[],
  from: EpochMs,
  to: EpochMs,
  now: EpochMs,
): Promise<SubjectAvailability[]> {
  const end = Math.max(from, Math.min(to, now));
  const rollupKey = (s: AvailabilitySubject) =>
    s.scope === 'service' ? serviceSubject(s.key) : s.scope === 'provider' ? providerSubject(s.key) : s.key;
  const totals = await windowTotals(db, subjects.map(rollupKey), from, end, { latency: false });
  const zero = { upMs: 0, degradedMs: 0, downMs: 0, noDataMs: 0, excludedMs: 0, rateLimitedMs: 0 };
  return subjects.map((s) => ({
    ...s,
    availability: summarizeTimes(totals.get(rollupKey(s))?.times ?? zero, end - from, s.target),
  }));
}
