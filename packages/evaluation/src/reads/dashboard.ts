import type { VigilConfig } from '@vigil/config';
import {
  HOUR_MS,
  histQuantile,
  type EpochMs,
  type ErrorClass,
  type Incident,
  type ProbeResult,
} from '@vigil/core';
import { listIncidents, listSilences, queryResults, queryRollups, type Db, type Silence } from '@vigil/db';
import type { DeclarationView } from '../statuspage/view.js';
import { readDeclarations } from './declarations.js';
import { readCurrent, type CurrentState } from './status.js';

/** One probe as the on-call dashboard lists it. */
export interface DashboardProbe {
  id: string;
  name: string;
  service: string;
  provider: string;
  regions: string[];
  state: CurrentState;
  /** regions failing in the last judged slot */
  failingRegions: string[];
  /** the error class and message the last judged slot saw, null when it was up */
  errorClass: ErrorClass | null;
  lastError: string | null;
  /** latency of the last judged slot (as the evaluator combines its regions); null without one */
  latencyMs: number | null;
  /** the last judged slot */
  lastAt: EpochMs | null;
  openIncidentId: string | null;
}

/** A top-level incident with the incidents grouped under it. */
export interface IncidentNode {
  incident: Incident;
  children: IncidentNode[];
}

export interface DashboardView {
  at: EpochMs;
  probes: DashboardProbe[];
  /** the newest incidents, children under their parents */
  incidents: IncidentNode[];
  /** silences active now or starting later */
  silences: Silence[];
  /** what each provider with a status page declares (its word, beside our measurement) */
  declarations: DeclarationView[];
}

/** Every probe with its live state and newest results; the recent incidents, grouped; the silences. */
export async function readDashboard(
  db: Db,
  config: VigilConfig,
  now: EpochMs,
  o: { incidents?: number } = {},
): Promise<DashboardView> {
  const [probes, incidents, silences, declared] = await Promise.all([
    readProbeStates(db, config),
    listIncidents(db, { limit: o.incidents ?? 50 }),
    listSilences(db, new Date(now)),
    readDeclarations(db, config, now),
  ]);
  return {
    at: now,
    probes,
    incidents: groupIncidents(incidents),
    silences,
    declarations: [...declared.values()],
  };
}

/**
 * The probes' part of the dashboard (what the live feed polls): each probe as of its last judged slot,
 * from the evaluator's state — no result or rollup is read, so polling it costs the same at any history.
 */
export async function readProbeStates(db: Db, config: VigilConfig): Promise<DashboardProbe[]> {
  const current = await readCurrent(db, config, ['probe']);
  return config.probes.map((p, i) => {
    const c = current[i]!;
    const saw = c.last?.saw ?? null;
    return {
      id: p.id,
      name: p.name,
      service: p.service,
      provider: p.provider,
      regions: p.regions,
      state: c.state,
      failingRegions: [...(saw?.failingRegions ?? [])].sort(),
      errorClass: saw?.errorClass ?? null,
      lastError: saw?.message ?? null,
      latencyMs: c.last?.slot.latencyMs ?? null,
      lastAt: c.last?.slot.at ?? null,
      openIncidentId: c.openIncident?.id ?? null,
    };
  });
}

/** Incidents newest first, each under its parent when the parent is in the list (service → provider → probe). */
export function groupIncidents(list: readonly Incident[]): IncidentNode[] {
  const ids = new Set(list.map((i) => i.id));
  const children = new Map<string, Incident[]>();
  for (const i of list)
    if (i.parentId !== null && ids.has(i.parentId))
      children.set(i.parentId, [...(children.get(i.parentId) ?? []), i]);
  const node = (incident: Incident, seen: Set<string>): IncidentNode => ({
    incident,
    children: (children.get(incident.id) ?? [])
      .filter((c) => !seen.has(c.id))
      .map((c) => node(c, new Set([...seen, c.id]))),
  });
  return list.filter((i) => i.parentId === null || !ids.has(i.parentId)).map((i) => node(i, new Set([i.id])));
}

export const LATENCY_RANGES = {
  '1h': HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
  '90d': 90 * 24 * HOUR_MS,
} as const;
export type LatencyRange = keyof typeof LATENCY_RANGES;

/** One point of a latency chart: mean phase times in ms (null when no run had the phase). */
export interface LatencyPoint {
  at: EpochMs;
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number | null;
  /** null in hourly rollups (they keep no transfer time) */
  transferMs: number | null;
  /** the mean total of the slot's runs; the hour's median from its histogram in rollups */
  totalMs: number | null;
}

export interface LatencySeries {
  probeId: string;
  range: LatencyRange;
  from: EpochMs;
  to: EpochMs;
  /** `results`: one point per slot (regions averaged); `rollups`: one point per hour */
  source: 'results' | 'rollups';
  points: LatencyPoint[];
}

/** Ranges up to this long are drawn from raw results; longer ones from the hourly rollups. */
const RAW_UP_TO_MS = 24 * HOUR_MS;

/** A probe's latency by phase over `range` up to `now`: raw results for 1h/24h, hourly rollups beyond. */
export async function readLatencySeries(
  db: Db,
  probeId: string,
  range: LatencyRange,
  now: EpochMs,
): Promise<LatencySeries> {
  const span = LATENCY_RANGES[range];
  const from = now - span;
  if (span <= RAW_UP_TO_MS) {
    const results = await queryResults(db, { probeId, from: new Date(from), to: new Date(now + 1) });
    const bySlot = new Map<EpochMs, ProbeResult[]>();
    for (const r of results) bySlot.set(r.slotAt, [...(bySlot.get(r.slotAt) ?? []), r]);
    const points = [...bySlot].map(([at, rs]) => {
      const mean = (pick: (r: ProbeResult) => number | null): number | null => {
        const v = rs.map(pick).filter((x): x is number => x !== null);
        return v.length === 0 ? null : round(v.reduce((a, b) => a + b, 0) / v.length);
      };
      return {
        at,
        dnsMs: mean((r) => r.phases.dnsMs),
        connectMs: mean((r) => r.phases.connectMs),
        tlsMs: mean((r) => r.phases.tlsMs),
        ttfbMs: mean((r) => r.phases.ttfbMs),
        transferMs: mean((r) => r.phases.transferMs),
        totalMs: mean((r) => r.phases.totalMs),
      };
    });
    return { probeId, range, from, to: now, source: 'results', points };
  }
  const rollups = await queryRollups(db, { subjects: [probeId], from, to: now + 1 });
  const points = rollups.map((r) => {
    const n = r.phaseSums.n;
    const mean = (sum: number) => (n > 0 ? round(sum / n) : null);
    return {
      at: r.hourStart,
      dnsMs: mean(r.phaseSums.dnsMs),
      connectMs: mean(r.phaseSums.connectMs),
      tlsMs: mean(r.phaseSums.tlsMs),
      ttfbMs: mean(r.phaseSums.ttfbMs),
      transferMs: null,
      totalMs: histQuantile(r.latency, 0.5),
    };
  });
  return { probeId, range, from, to: now, source: 'rollups', points };
}

/** A probe's newest results (every region), newest first. */
export async function readRecentResults(
  db: Db,
  probeId: string,
  now: EpochMs,
  limit = 30,
): Promise<ProbeResult[]> {
  const results = await queryResults(db, {
    probeId,
    from: new Date(now - 6 * HOUR_MS),
    to: new Date(now + 1),
  });
  return results.reverse().slice(0, limit);
}

const round = (v: number) => Math.round(v * 10) / 10;
