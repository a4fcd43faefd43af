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
  type SlotVerdict,
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
import type { DeclarationView } from '../statuspage/view.js';
import { readDeclarations } from './declarations.js';
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
  /** what each provider with a status page declares (its word, beside our measurement), by slug */
  declarations: DeclarationView[];
}

const KIND_ORDER = ['monitor', 'down', 'degraded', 'slo_burn'];

/** What a subject is now, without its figures: cheap (the evaluator's state and the open incidents). */
export interface SubjectCurrent {
  scope: StatusScope;
  key: string;
  name: string;
  state: CurrentState;
  target: number;
  /** the worst open incident of the subject (down before degraded before slo_burn) */
  openIncident: Incident | null;
  /** a probe's last judged slot and what it saw (failing regions, error); null for providers, services */
  last: { slot: SlotVerdict; saw: NonNullable<ProbeState['last']> | null } | null;
}

interface StatusRow {
  scope: StatusScope;
  key: string;
  name: string;
  /** its rollup subject */
  subject: string;
  /** its evaluator-state subject */
  state: string;
  target: number;
}

function statusRows(config: VigilConfig, scopes: readonly StatusScope[]): StatusRow[] {
  const services = scopes.includes('service') ? serviceDefs(config.probes, config.services) : [];
  const providers = scopes.includes('provider')
    ? [...new Set(config.probes.map((p) => p.provider))].sort()
    : [];
  const targets = new Map<string, number>();
  for (const p of config.probes) targets.set(p.provider, Math.max(targets.get(p.provider) ?? 0, p.sloTarget));
  return [
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
      target: targets.get(p)!,
    })),
    ...(scopes.includes('probe') ? config.probes : []).map((p) => ({
      scope: 'probe' as const,
      key: p.id,
      name: p.name,
      subject: p.id,
      state: probeSubject(p.id),
      target: p.sloTarget,
    })),
  ];
}

const ALL_SCOPES: readonly StatusScope[] = ['service', 'provider', 'probe'];

async function currentOf(db: Db, config: VigilConfig, rows: readonly StatusRow[]): Promise<SubjectCurrent[]> {
  const services = serviceDefs(config.probes, config.services);
  // every probe's state is read: a provider's or service's `config` state looks at its probes' last verdicts
  const probeStates = rows.some((r) => r.scope !== 'probe')
    ? config.probes.map((p) => probeSubject(p.id))
    : [];
  const [states, open] = await Promise.all([
    getEvaluatorState(db, [...new Set([...rows.map((r) => r.state), ...probeStates])]),
    openIncidents(db),
  ]);
  const stateOf = new Map(states.map((s) => [s.subject, s.state as Partial<ProbeState>]));
  const lastSlot = (subject: string): SlotVerdict | undefined => {
    const recent = (stateOf.get(subject) as { recent?: PackedSlot[] } | undefined)?.recent;
    const p = recent?.[recent.length - 1];
    return p ? unpack(p) : undefined;
  };
  const configProblem = (subject: string) => stateOf.get(subject)?.last?.errorClass === 'config';
  const probesOf = (r: StatusRow): ProbeSpec[] =>
    r.scope === 'probe'
      ? config.probes.filter((p) => p.id === r.key)
      : r.scope === 'provider'
        ? config.probes.filter((p) => p.provider === r.key)
        : config.probes.filter((p) => services.find((s) => s.name === r.key)?.providers.includes(p.provider));
  // excluded for a configuration problem, not maintenance: every excluded probe behind it reads `config`
  const isConfigProblem = (r: StatusRow): boolean => {
    const excluded = probesOf(r).filter((p) => lastSlot(probeSubject(p.id))?.verdict === 'excluded');
    return excluded.length > 0 && excluded.every((p) => configProblem(probeSubject(p.id)));
  };
  const openOf = new Map<string, Incident>();
  for (const i of open) {
    const k = `${i.scope}\u0000${i.key}`;
    const had = openOf.get(k);
    if (!had || KIND_ORDER.indexOf(i.kind) < KIND_ORDER.indexOf(had.kind)) openOf.set(k, i);
  }
  return rows.map((r) => {
    const incident = openOf.get(`${r.scope}\u0000${r.key}`) ?? null;
    const slot = lastSlot(r.state);
    return {
      scope: r.scope,
      key: r.key,
      name: r.name,
      state: currentState(slot?.verdict, incident, () => isConfigProblem(r)),
      target: r.target,
      openIncident: incident,
      last: r.scope === 'probe' && slot ? { slot, saw: stateOf.get(r.state)?.last ?? null } : null,
    };
  });
}

/**
 * What each subject is now (state, worst open incident, a probe's last judged slot), without the
 * availability figures `readStatus` adds: what a live view polls.
 */
export async function readCurrent(
  db: Db,
  config: VigilConfig,
  scopes: readonly StatusScope[] = ALL_SCOPES,
): Promise<SubjectCurrent[]> {
  return currentOf(db, config, statusRows(config, scopes));
}

/** `vigil status`: every service, provider and probe with its state, availability, budget and open incident. */
export async function readStatus(db: Db, config: VigilConfig, now: EpochMs): Promise<StatusReport> {
  const rows = statusRows(config, ALL_SCOPES);
  const subjects = rows.map((r) => r.subject);
  const end = hourStartOf(now) + HOUR_MS;
  const quarter = periodOf('quarter', now, config.timezone);
  // availability needs only the time per verdict; the 30-day latency gives p95
  const [d1, d30, q, current, declared] = await Promise.all([
    windowTotals(db, subjects, end - DAY_MS, end, { latency: false }),
    windowTotals(db, subjects, end - 30 * DAY_MS, end),
    windowTotals(db, subjects, quarter.from, Math.min(end, quarter.to), { latency: false }),
    currentOf(db, config, rows),
    readDeclarations(db, config, now),
  ]);
  const zero = { upMs: 0, degradedMs: 0, downMs: 0, noDataMs: 0, excludedMs: 0, rateLimitedMs: 0 };
  const all = rows.map((r, i): SubjectStatus => {
    const c = current[i]!;
    const t30 = d30.get(r.subject)?.times ?? zero;
    const tq = q.get(r.subject)?.times ?? zero;
    const h = d30.get(r.subject)?.latency;
    return {
      scope: r.scope,
      key: r.key,
      name: r.name,
      state: c.state,
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
      openIncident: c.openIncident,
    };
  });
  return {
    at: now,
    quarter: quarter.key,
    services: all.filter((s) => s.scope === 'service'),
    providers: all.filter((s) => s.scope === 'provider'),
    probes: all.filter((s) => s.scope === 'probe'),
    declarations: [...declared.values()],
  };
}

/** `vigil incidents [--open]`: newest first. */
export function readIncidents(db: Db, q: IncidentQuery = {}): Promise<Incident[]> {
  return listIncidents(db, q);
}

function quarterPeriodMs(quarterMs: number, t: VerdictTimes): number {
  return Math.max(0, quarterMs - t.excludedMs);
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
