import type { VigilConfig } from '@vigil/config';
import {
  DAY_MS,
  HOUR_MS,
  hourStartOf,
  maintenanceIntervals,
  summarizeTimes,
  type Availability,
  type EpochMs,
  type Incident,
  type ProbeSpec,
  type TimeWindow,
} from '@vigil/core';
import { dailyTimes, incidentsBetween, windowTotals, type Db } from '@vigil/db';
import { toMaintenance } from '../step/maintenance.js';
import { serviceDefs } from '../step/services.js';
import { providerSubject, serviceSubject } from '../step/state.js';
import type { StatusScope } from './status.js';

/** the incident kinds a history shows: what users of a status page call an outage */
const OUTAGE_KINDS: readonly Incident['kind'][] = ['down', 'degraded'];

/** One UTC day of a subject. */
export interface DayHistory {
  /** the UTC day's start */
  day: EpochMs;
  /** up / (up + down) that day; null when nothing was measured */
  availability: number | null;
  downMs: number;
  /** degraded time (counted as up in `availability`) */
  degradedMs: number;
  /** time inside maintenance (not counted) */
  excludedMs: number;
  /** down or degraded incidents of the subject open at some point of the day */
  incidents: number;
}

export interface SubjectHistory {
  scope: StatusScope;
  key: string;
  /** `days` entries, oldest first, the last one today (so far) */
  days: DayHistory[];
  /** the subject's down and degraded incidents overlapping the window, newest first */
  incidents: Incident[];
}

export interface HistoryQuery {
  subjects: readonly { scope: StatusScope; key: string }[];
  now: EpochMs;
  /** @defaultValue 90 */
  days?: number;
}

/** The rollup subject of a status subject (probes roll up under their id). */
const rollupSubject = (scope: StatusScope, key: string): string =>
  scope === 'service' ? serviceSubject(key) : scope === 'provider' ? providerSubject(key) : key;

/**
 * The status page's history: per subject, each UTC day's availability, downtime and incident count over
 * the last `days` days (today included), and its incidents in that window. Days come from the running
 * totals (two rows a day at most), so 100 services × 90 days is one small read.
 */
export async function readHistory(db: Db, q: HistoryQuery): Promise<Map<string, SubjectHistory>> {
  const n = q.days ?? 90;
  const today = Math.floor(q.now / DAY_MS) * DAY_MS;
  const from = today - (n - 1) * DAY_MS;
  const subjects = q.subjects.map((s) => rollupSubject(s.scope, s.key));
  const [times, incidents] = await Promise.all([
    dailyTimes(db, subjects, from, today + DAY_MS),
    q.subjects.length > 0 ? incidentsBetween(db, new Date(from), new Date(q.now)) : Promise.resolve([]),
  ]);
  const out = new Map<string, SubjectHistory>();
  for (const s of q.subjects) {
    const byDay = new Map((times.get(rollupSubject(s.scope, s.key)) ?? []).map((d) => [d.day, d.times]));
    const mine = incidents
      .filter((i) => i.scope === s.scope && i.key === s.key && OUTAGE_KINDS.includes(i.kind))
      .sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime());
    const days: DayHistory[] = [];
    for (let d = from; d <= today; d += DAY_MS) {
      const t = byDay.get(d);
      const measured = t ? t.upMs + t.downMs : 0;
      days.push({
        day: d,
        availability: t && measured > 0 ? t.upMs / measured : null,
        downMs: t?.downMs ?? 0,
        degradedMs: t?.degradedMs ?? 0,
        excludedMs: t?.excludedMs ?? 0,
        incidents: mine.filter(
          (i) => i.openedAt.getTime() < d + DAY_MS && (i.resolvedAt === null || i.resolvedAt.getTime() > d),
        ).length,
      });
    }
    out.set(`${s.scope}:${s.key}`, { scope: s.scope, key: s.key, days, incidents: mine });
  }
  return out;
}

/** One occurrence of a vigil.yaml maintenance window, with the services whose probes it covers. */
export interface ScheduledMaintenance {
  id: string;
  reason: string | null;
  from: EpochMs;
  to: EpochMs;
  /** the services (by id) with at least one probe the window applies to */
  services: string[];
  /** whether it is under way at `now` */
  active: boolean;
}

/**
 * The maintenance of vigil.yaml under way at `now` or starting within `horizonMs`, soonest first
 * (a weekly window gives each occurrence). @defaultValue horizonMs 14 days
 */
export function readMaintenance(
  config: VigilConfig,
  now: EpochMs,
  horizonMs = 14 * DAY_MS,
): ScheduledMaintenance[] {
  const range: TimeWindow = { from: now, to: now + horizonMs };
  const services = serviceDefs(config.probes, config.services);
  const probesOf = (service: string): ProbeSpec[] => {
    const def = services.find((s) => s.name === service);
    return config.probes.filter(
      (p) => p.service === service || (def?.providers.includes(p.provider) ?? false),
    );
  };
  const out: ScheduledMaintenance[] = [];
  for (const m of config.maintenance) {
    const w = toMaintenance(m, config.timezone);
    const touched = services
      .filter(
        (s) => (m.match.services?.includes(s.name) ?? false) || probesOf(s.name).some((p) => w.applies(p)),
      )
      .map((s) => s.name);
    for (const occ of maintenanceIntervals(w.window, range))
      out.push({
        id: m.id,
        reason: m.reason ?? null,
        from: occ.from,
        to: occ.to,
        services: touched,
        active: occ.from <= now && now < occ.to,
      });
  }
  return out.sort((a, b) => a.from - b.from || a.id.localeCompare(b.id));
}

/**
 * One subject's availability over the `windowMs` before now, on the same hour grid as readStatus (the
 * window ends at the end of the current hour): e.g. the 7-day figure of a badge. (reads/api.ts's
 * readAvailability does any [from, to) for many subjects.)
 */
export async function readTrailingAvailability(
  db: Db,
  subject: { scope: StatusScope; key: string; target: number },
  now: EpochMs,
  windowMs: number,
): Promise<Availability> {
  const end = hourStartOf(now) + HOUR_MS;
  const id = rollupSubject(subject.scope, subject.key);
  const totals = await windowTotals(db, [id], end - windowMs, end, { latency: false });
  const zero = { upMs: 0, degradedMs: 0, downMs: 0, noDataMs: 0, excludedMs: 0, rateLimitedMs: 0 };
  return summarizeTimes(totals.get(id)?.times ?? zero, windowMs, subject.target);
}
