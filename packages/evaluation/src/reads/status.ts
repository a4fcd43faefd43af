import type { VigilConfig } from '@vigil/config';
import {
  DAY_MS,
  errorBudget,
  histQuantile,
  HOUR_MS,
  hourStartOf,
  periodOf,
  summarizeTimes,
  type Availability,
  type EpochMs,
  type ErrorBudget,
  type Incident,
  type ProbeSpec,
  type Verdict,
  type VerdictTimes,
} from '@vigil/core';
import {
  getEvaluatorState,
  listIncidents,
  openIncidents,
  windowTotals,
  type Db,
  type IncidentQuery,
} from '@vigil/db';
import { serviceDefs } from '../step/services.js';
import {
  probeSubject,
  providerSubject,
  serviceSubject,
  unpack,
  type PackedSlot,
  type ProbeState,
} from '../step/state.js';

export type StatusScope = 'service' | 'provider' | 'probe';
/** `config`: excluded because the probe (every probe of a provider or service) cannot run as configured. */
export type CurrentState = 'up' | 'degraded' | 'down' | 'no_data' | 'maintenance' | 'config' | 'unknown';

export interface SubjectStatus {
  scope: StatusScope;
  key: string;
  name: string;
  state: CurrentState;
  target: number;
  availability24h: Availability;
  availability30d: Availability;
  /** the current calendar quarter (in vigil.yaml's time zone) up to now */
  availabilityQuarter: Availability;
  /** p95 latency of the up slots over 30 days; null without data (providers and services have none) */
  p95Ms: number | null;
  budget30d: ErrorBudget;
  /** of the whole quarter: what is still allowed until it ends */
  budgetQuarter: ErrorBudget;
  /** the worst open incident of the subject (down before degraded before slo_burn) */
  openIncident: Incident | null;
}

export interface StatusReport {
  at: EpochMs;
  quarter: string;
  services: SubjectStatus[];
  providers: SubjectStatus[];
  probes: SubjectStatus[];
}

const KIND_ORDER = ['monitor', 'down', 'degraded', 'slo_burn'];

/** `vigil status`: every service, provider and probe with its state, availability, budget and open incident. */
export async function readStatus(db: Db, config: VigilConfig, now: EpochMs): Promise<StatusReport> {
  const services = serviceDefs(config.probes, config.services);
  const providers = [...new Set(config.probes.map((p) => p.provider))].sort();
  const rows: {
    scope: StatusScope;
    key: string;
    name: string;
    subject: string;
    state: string;
    target: number;
  }[] = [
    ...services.map((s) => ({
      scope: 'service' as const,
      key: s.name,
      name: config.services[s.name]?.name ?? s.name,
      subject: serviceSubject(s.name),
      state: serviceSubject(s.name),
      target: s.target,
    })),
    ...providers.map((p) => ({
      scope: 'provider' as const,
      key: p,
      name: p,
      subject: providerSubject(p),
      state: providerSubject(p),
      target: Math.max(...config.probes.filter((x) => x.provider === p).map((x) => x.sloTarget)),
    })),
    ...config.probes.map((p) => ({
      scope: 'probe' as const,
      key: p.id,
      name: p.name,
      subject: p.id,
      state: probeSubject(p.id),
      target: p.sloTarget,
    })),
  ];
  const subjects = rows.map((r) => r.subject);
  const end = hourStartOf(now) + HOUR_MS;
  const quarter = periodOf('quarter', now, config.timezone);
  const [d1, d30, q, states, open] = await Promise.all([
    windowTotals(db, subjects, end - DAY_MS, end),
    windowTotals(db, subjects, end - 30 * DAY_MS, end),
    windowTotals(db, subjects, quarter.from, Math.min(end, quarter.to)),
    getEvaluatorState(
      db,
      rows.map((r) => r.state),
    ),
    openIncidents(db),
  ]);
  const lastVerdict = new Map(
    states.map((s) => [s.subject, last((s.state as { recent?: PackedSlot[] }).recent)]),
  );
  const configProblem = new Set(
    states
      .filter((s) => (s.state as Partial<ProbeState>).last?.errorClass === 'config')
      .map((s) => s.subject),
  );
  const probesOf = (r: (typeof rows)[number]): ProbeSpec[] =>
    r.scope === 'probe'
      ? config.probes.filter((p) => p.id === r.key)
      : r.scope === 'provider'
        ? config.probes.filter((p) => p.provider === r.key)
        : config.probes.filter((p) => services.find((s) => s.name === r.key)?.providers.includes(p.provider));
  // excluded for a configuration problem, not maintenance: every excluded probe behind it reads `config`
  const isConfigProblem = (r: (typeof rows)[number]): boolean => {
    const excluded = probesOf(r).filter((p) => lastVerdict.get(probeSubject(p.id)) === 'excluded');
    return excluded.length > 0 && excluded.every((p) => configProblem.has(probeSubject(p.id)));
  };
  const statusOf = (r: (typeof rows)[number]): SubjectStatus => {
    const zero = { upMs: 0, degradedMs: 0, downMs: 0, noDataMs: 0, excludedMs: 0, rateLimitedMs: 0 };
    const t30 = d30.get(r.subject)?.times ?? zero;
    const tq = q.get(r.subject)?.times ?? zero;
    const incident =
      open
        .filter((i) => i.scope === r.scope && i.key === r.key)
        .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))[0] ?? null;
    const h = d30.get(r.subject)?.latency;
    return {
      scope: r.scope,
      key: r.key,
      name: r.name,
      state: currentState(lastVerdict.get(r.state), incident, () => isConfigProblem(r)),
      target: r.target,
      availability24h: summarizeTimes(d1.get(r.subject)?.times ?? zero, DAY_MS, r.target),
      availability30d: summarizeTimes(t30, 30 * DAY_MS, r.target),
      availabilityQuarter: summarizeTimes(
        tq,
        Math.max(0, Math.min(now, quarter.to) - quarter.from),
        r.target,
      ),
      p95Ms: h ? histQuantile(h, 0.95) : null,
      budget30d: errorBudget({ upMs: t30.upMs, downMs: t30.downMs, target: r.target }),
      budgetQuarter: errorBudget({
        ...tq,
        target: r.target,
        periodMs: quarterPeriodMs(quarter.to - quarter.from, tq),
      }),
      openIncident: incident,
    };
  };
  const all = rows.map(statusOf);
  return {
    at: now,
    quarter: quarter.key,
    services: all.filter((s) => s.scope === 'service'),
    providers: all.filter((s) => s.scope === 'provider'),
    probes: all.filter((s) => s.scope === 'probe'),
  };
}

/** `vigil incidents [--open]`: newest first. */
export function readIncidents(db: Db, q: IncidentQuery = {}): Promise<Incident[]> {
  return listIncidents(db, q);
}

function quarterPeriodMs(quarterMs: number, t: VerdictTimes): number {
  return Math.max(0, quarterMs - t.excludedMs);
}

function last(recent: PackedSlot[] | undefined): Verdict | undefined {
  const p = recent?.[recent.length - 1];
  return p ? unpack(p).verdict : undefined;
}

function currentState(
  verdict: Verdict | undefined,
  incident: Incident | null,
  configProblem: () => boolean,
): CurrentState {
  if (incident?.kind === 'down') return 'down';
  if (incident?.kind === 'degraded') return 'degraded';
  if (verdict === undefined) return 'unknown';
  if (verdict === 'excluded') return configProblem() ? 'config' : 'maintenance';
  if (verdict === 'rate_limited') return 'up';
  return verdict;
}
