import type { AvailabilityStatus } from '@vigil/core';
import type {
  IncidentRow,
  ProbeReport,
  ProviderReport,
  ProviderDeclarationReport,
  ProviderRateLimitReport,
  ProviderSlaReport,
  RedundancyExposure,
  ReportModel,
  ServiceReport,
} from './types.js';

/**
 * What the email shows of a report: caps by construction, so the HTML part stays under 100 KB (Gmail
 * clips a body past ~102 KB) whatever the fleet. The full detail is in the CSV (and the PDF); the web
 * version renders with `FULL_LIMITS`.
 */
export interface SummaryLimits {
  /** service rows (every service while they fit) */
  services: number;
  /** provider rows under them, all services together */
  providers: number;
  /** APIs that missed the target or have insufficient data */
  missed: number;
  /** APIs with the most downtime */
  downtime: number;
  /** APIs with the highest p95 against their latency limit */
  slow: number;
  /** incident lines (one per real problem: grouped incidents count under their parent) */
  incidents: number;
  /** characters of a name or title before it is cut with "…" */
  nameChars: number;
  /** daily strip cells (after merging runs of equal days) over all service strips */
  stripCells: number;
  /** providers with a contract SLA (each with its one to three windows) */
  slaProviders: number;
  /** failover services that ran on a single provider (or on none) */
  redundancy: number;
  /** providers with a status page: declared vs undeclared downtime */
  statusPages: number;
  /** providers' request usage against their rate-limit budgets */
  rateLimits: number;
}

export const EMAIL_LIMITS: SummaryLimits = {
  services: 20,
  providers: 30,
  missed: 20,
  downtime: 10,
  slow: 10,
  incidents: 15,
  nameChars: 40,
  stripCells: 300,
  slaProviders: 12,
  redundancy: 8,
  statusPages: 6,
  rateLimits: 6,
};

export const FULL_LIMITS: SummaryLimits = {
  services: Infinity,
  providers: Infinity,
  missed: Infinity,
  downtime: Infinity,
  slow: Infinity,
  incidents: Infinity,
  nameChars: Infinity,
  stripCells: Infinity,
  slaProviders: Infinity,
  redundancy: Infinity,
  statusPages: Infinity,
  rateLimits: Infinity,
};

export type AttentionReason = 'missed' | 'insufficient_data' | 'downtime' | 'slow';

/** How a reason reads in the email. */
export const REASON: Record<AttentionReason, string> = {
  missed: 'missed target',
  insufficient_data: 'insufficient data',
  downtime: 'most downtime',
  slow: 'slowest vs limit',
};

export interface AttentionRow {
  probe: ProbeReport;
  service: ServiceReport;
  /** why it is listed, in the order of the criteria */
  reasons: AttentionReason[];
}

/** One real problem: an incident and those grouped under it (as the alerts grouped them). */
export interface IncidentGroup {
  incident: IncidentRow;
  /** every incident grouped under it, at any depth (a service's providers and their probes) */
  children: IncidentRow[];
}

export interface ShownService {
  service: ServiceReport;
  providers: ProviderReport[];
  /** providers of this service left out by the provider cap */
  hiddenProviders: number;
}

export interface ReportSummary {
  limits: SummaryLimits;
  services: ShownService[];
  hiddenServices: { count: number; onTarget: number };
  /** the probes that matter, worst first (every probe when they all fit: then some have no reason) */
  attention: AttentionRow[];
  /** probes not listed: on target, and the others left out by the caps */
  everyProbe: boolean;
  rest: { onTarget: number; other: number };
  incidents: IncidentGroup[];
  /** problems (top-level incidents) in all, and how many are not listed */
  problems: number;
  hiddenProblems: number;
  /** contract SLAs: every one while they fit, else the breached first (then insufficient data) */
  sla: ProviderSlaReport[];
  hiddenSla: number;
  /** failover services that lost their redundancy for a while, the longest first when they do not fit */
  redundancy: RedundancyExposure[];
  hiddenRedundancy: number;
  /** providers with a status page: every one while they fit, else the most undeclared downtime first */
  declarations: ProviderDeclarationReport[];
  hiddenDeclarations: number;
  /** providers' request usage: every one while they fit, else the nearest their budget (then most 429s) first */
  rateLimits: ProviderRateLimitReport[];
  hiddenRateLimits: number;
}

const SEVERITY: Record<AvailabilityStatus, number> = { missed: 0, insufficient_data: 1, met: 2 };

function byConcern(
  a: { key: string; current: { status: AvailabilityStatus; downMs: number } },
  b: typeof a,
): number {
  return (
    SEVERITY[a.current.status] - SEVERITY[b.current.status] ||
    b.current.downMs - a.current.downMs ||
    a.key.localeCompare(b.key)
  );
}

function latencyRatio(p: ProbeReport): number | null {
  const l = p.current.latency;
  return l.p95Ms === null ? null : l.p95Ms / l.thresholdMs;
}

/** Picks what the email shows: every service and provider while they fit, then the probes that matter. */
export function summarize(m: ReportModel, limits: SummaryLimits = EMAIL_LIMITS): ReportSummary {
  // services: config order when they all fit, otherwise the worst first
  const serviceOrder = m.services.length <= limits.services ? m.services : [...m.services].sort(byConcern);
  const shownServices = serviceOrder.slice(0, limits.services);
  const hiddenServiceList = serviceOrder.slice(limits.services);
  let providerBudget = limits.providers;
  const allProviders = shownServices.reduce((n, s) => n + s.providers.length, 0);
  const services: ShownService[] = shownServices.map((service) => {
    const order =
      allProviders <= limits.providers ? service.providers : [...service.providers].sort(byConcern);
    const providers = order.slice(0, Math.max(0, providerBudget));
    providerBudget -= providers.length;
    return { service, providers, hiddenProviders: service.providers.length - providers.length };
  });

  const probes = m.services.flatMap((s) =>
    s.providers.flatMap((p) => p.probes.map((probe) => ({ probe, s }))),
  );
  const reasons = new Map<string, { row: AttentionRow; rank: number }>();
  const pick = (list: typeof probes, reason: AttentionReason, cap: number) => {
    for (const { probe, s } of list.slice(0, cap)) {
      const seen = reasons.get(probe.key);
      if (seen) seen.row.reasons.push(reason);
      else reasons.set(probe.key, { row: { probe, service: s, reasons: [reason] }, rank: reasons.size });
    }
  };
  pick(
    probes.filter((x) => x.probe.current.status !== 'met').sort((a, b) => byConcern(a.probe, b.probe)),
    'missed',
    limits.missed,
  );
  for (const r of reasons.values())
    if (r.row.probe.current.status === 'insufficient_data') r.row.reasons[0] = 'insufficient_data';
  pick(
    probes
      .filter((x) => x.probe.current.downMs > 0)
      .sort(
        (a, b) => b.probe.current.downMs - a.probe.current.downMs || a.probe.key.localeCompare(b.probe.key),
      ),
    'downtime',
    limits.downtime,
  );
  pick(
    probes
      // over the optimal 300 ms or over the limit: an API fast enough is not a concern
      .filter((x) => x.probe.current.latency.status === 'ok' || x.probe.current.latency.status === 'slow')
      .sort(
        (a, b) => latencyRatio(b.probe)! - latencyRatio(a.probe)! || a.probe.key.localeCompare(b.probe.key),
      ),
    'slow',
    limits.slow,
  );
  // a small fleet fits whole: the rest follow in config order
  if (probes.length <= limits.missed + limits.downtime + limits.slow)
    for (const { probe, s } of probes)
      if (!reasons.has(probe.key))
        reasons.set(probe.key, { row: { probe, service: s, reasons: [] }, rank: reasons.size });
  const attention = [...reasons.values()].sort((a, b) => a.rank - b.rank).map((r) => r.row);
  const listed = new Set(attention.map((a) => a.probe.key));
  let onTarget = 0;
  let other = 0;
  for (const { probe } of probes)
    if (!listed.has(probe.key)) {
      if (probe.current.status === 'met') onTarget++;
      else other++;
    }

  const groups = groupIncidents(m.incidents);
  const shownGroups =
    groups.length <= limits.incidents
      ? groups
      : [...groups]
          .sort(
            (a, b) =>
              Number(b.incident.ongoing) - Number(a.incident.ongoing) ||
              b.incident.inPeriodMs - a.incident.inPeriodMs ||
              a.incident.openedAt - b.incident.openedAt,
          )
          .slice(0, limits.incidents)
          .sort(
            (a, b) => a.incident.openedAt - b.incident.openedAt || a.incident.id.localeCompare(b.incident.id),
          );

  const slaRank = (r: ProviderSlaReport) =>
    r.windows.some((w) => w.status === 'breached')
      ? 0
      : r.windows.some((w) => w.status === 'insufficient_data')
        ? 1
        : 2;
  const allSla = m.contractSla ?? [];
  const sla =
    allSla.length <= limits.slaProviders
      ? allSla
      : allSla
          .map((r, i) => ({ r, i }))
          .sort((a, b) => slaRank(a.r) - slaRank(b.r) || a.i - b.i)
          .slice(0, limits.slaProviders)
          .sort((a, b) => a.i - b.i)
          .map((x) => x.r);
  const lost = (m.redundancy ?? []).filter((r) => r.singleProviderMs > 0 || r.allDownMs > 0);
  const redundancy =
    lost.length <= limits.redundancy
      ? lost
      : [...lost]
          .sort(
            (a, b) =>
              b.allDownMs + b.singleProviderMs - (a.allDownMs + a.singleProviderMs) ||
              a.service.localeCompare(b.service),
          )
          .slice(0, limits.redundancy);

  const allDeclared = m.declarations ?? [];
  const declarations = capped(
    allDeclared,
    limits.statusPages,
    (a, b) => b.undeclaredMs - a.undeclaredMs || b.downMs - a.downMs,
  );
  const allRate = m.rateLimits ?? [];
  const rateLimits = capped(
    allRate,
    limits.rateLimits,
    (a, b) => (b.peakShare ?? -1) - (a.peakShare ?? -1) || (b.share429 ?? 0) - (a.share429 ?? 0),
  );

  return {
    limits,
    declarations,
    hiddenDeclarations: allDeclared.length - declarations.length,
    rateLimits,
    hiddenRateLimits: allRate.length - rateLimits.length,
    sla,
    hiddenSla: allSla.length - sla.length,
    redundancy,
    hiddenRedundancy: lost.length - redundancy.length,
    services,
    hiddenServices: {
      count: hiddenServiceList.length,
      onTarget: hiddenServiceList.filter((s) => s.current.status === 'met').length,
    },
    attention,
    everyProbe: listed.size === probes.length,
    rest: { onTarget, other },
    incidents: shownGroups,
    problems: groups.length,
    hiddenProblems: groups.length - shownGroups.length,
  };
}

/**
 * The incidents as the alerts grouped them: one entry per incident without a parent in the list
 * (a probe under its provider, a provider under its service), with everything under it. Oldest first.
 */
export function groupIncidents(rows: readonly IncidentRow[]): IncidentGroup[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const rootOf = (r: IncidentRow): IncidentRow => {
    let cur = r;
    const seen = new Map([[cur.id, cur]]);
    for (;;) {
      const parent = cur.parentId ? byId.get(cur.parentId) : undefined;
      if (!parent) return cur;
      // a cycle (never written by the evaluator): the same member for everyone on it
      if (seen.has(parent.id)) return [...seen.values()].sort((a, b) => a.id.localeCompare(b.id))[0]!;
      seen.set(parent.id, parent);
      cur = parent;
    }
  };
  const groups = new Map<string, IncidentGroup>();
  for (const r of rows) {
    const root = rootOf(r);
    let g = groups.get(root.id);
    if (!g) {
      g = { incident: root, children: [] };
      groups.set(root.id, g);
    }
    if (root !== r) g.children.push(r);
  }
  return [...groups.values()].sort(
    (a, b) => a.incident.openedAt - b.incident.openedAt || a.incident.id.localeCompare(b.incident.id),
  );
}

/** `name` cut to `max` characters (code points) with "…". */
export function clip(name: string, max: number): string {
  if (name.length <= max) return name;
  const cps = Array.from(name);
  return cps.length <= max ? name : `${cps.slice(0, max - 1).join('')}…`;
}

/** An incident's line: "subject: title", or just one of them when the title repeats the subject. */
export function incidentText(i: { subject: string; title: string }): string {
  const s = i.subject.trim();
  const t = i.title.trim();
  if (t === '' || t === s) return s;
  if (t.startsWith(s) && !/^[\p{L}\p{N}]/u.test(t.slice(s.length))) return t;
  return `${s}: ${t}`;
}

/** Every item while they fit, else the first `max` by `worse`, kept in their order. */
function capped<T>(items: readonly T[], max: number, worse: (a: T, b: T) => number): T[] {
  if (items.length <= max) return [...items];
  return items
    .map((x, i) => ({ x, i }))
    .sort((a, b) => worse(a.x, b.x) || a.i - b.i)
    .slice(0, max)
    .sort((a, b) => a.i - b.i)
    .map((e) => e.x);
}
