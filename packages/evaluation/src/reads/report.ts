import type { ReportConfig, VigilConfig } from '@vigil/config';
import {
  periodOf,
  previousPeriod,
  type EpochMs,
  type HourlyRollup,
  type Period,
  type PeriodKind,
  type ProbeSpec,
} from '@vigil/core';
import {
  dailyRollups,
  getProbes,
  incidentsBetween,
  noticesBetween,
  reportRollups,
  windowTotals,
  type Db,
} from '@vigil/db';
import {
  ReportBuilder,
  reportWebUrl,
  trendPeriods,
  type EarlierPeriod,
  type ReportDeclaration,
  type ReportIncident,
  type ReportKind,
  type ReportModel,
  type ReportProbe,
  type ReportServiceDef,
} from '@vigil/reports';
import { serviceDefs } from '../step/services.js';
import {
  correlateIncident,
  readDeclarationHistory,
  statusPageProviders,
  type DeclarationRecord,
} from './declarations.js';
import { readRateLimitUsageTotals, type RequestsPerRun } from './rate-limit.js';
import { serviceSubject } from '../step/state.js';

export type ReportScope = ReportConfig['scope'];

export const REPORT_KINDS = ['weekly', 'monthly', 'quarterly'] as const satisfies readonly ReportKind[];

/** The calendar period each report kind covers. */
export const PERIOD_KIND: Record<ReportKind, PeriodKind> = {
  weekly: 'week',
  monthly: 'month',
  quarterly: 'quarter',
};

export interface GenerateReportOptions {
  kind: ReportKind;
  /** the report's name in vigil.yaml; @defaultValue the kind */
  name?: string;
  period: Period;
  scope?: ReportScope;
  generatedAt: EpochMs;
  /** probes read per query; @defaultValue 100 */
  batchSize?: number;
  /** after each batch: probes done of the total */
  onProgress?: (done: number, total: number) => void;
  /** requests one run of a probe sends, for the rate-limit usage: pass @vigil/config's `requestsPerRun`; @defaultValue 1 */
  requestsPerRun?: RequestsPerRun;
}

/**
 * Builds a report from the store: the config's probes in scope (with their first-seen time from the
 * probes table), hourly rollups of the period and the one before (without histograms), the period's
 * rollups merged per local day by Postgres, the quarter's times for "budget left this quarter", the
 * evaluator's failover-aware service rollups and the incidents. Probes are fed one batch at a time.
 */
export async function generateReport(
  db: Db,
  config: VigilConfig,
  o: GenerateReportOptions,
): Promise<ReportModel> {
  const { period } = o;
  const previous = previousPeriod(period);
  const quarterFrom = periodOf('quarter', period.from, period.tz).from;
  const gridFrom = Math.min(previous.from, quarterFrom);
  const specs = config.probes.filter((p) => inScope(p, o.scope));
  const stored = new Map(
    (
      await getProbes(
        db,
        specs.map((p) => p.id),
      )
    ).map((p) => [p.id, p]),
  );
  const probes: ReportProbe[] = specs.map((p) => ({
    id: p.id,
    name: p.name,
    provider: p.provider,
    service: p.service,
    critical: p.critical,
    target: p.sloTarget,
    labels: p.labels,
    // never stored: never scheduled, so it shows as insufficient data rather than vanishing
    createdAt: stored.get(p.id)?.createdAt.getTime() ?? 0,
  }));
  const present = new Set(specs.map((p) => p.service));
  const services: ReportServiceDef[] = serviceDefs(config.probes, config.services)
    .filter((s) => present.has(s.name))
    .map((s) => ({
      name: s.name,
      ...(config.services[s.name]?.name ? { displayName: config.services[s.name]!.name! } : {}),
      providers: s.providers,
      mode: s.mode,
      target: s.target,
    }));
  const serviceRows = await reportRollups(db, {
    subjects: services.map((s) => serviceSubject(s.name)),
    from: gridFrom,
    to: period.to,
    detail: 'times',
  });
  const serviceRollups = groupBy(serviceRows, (r) => r.probeId.slice('service:'.length));
  const upTo = Math.max(period.from, Math.min(period.to, o.generatedAt));
  const pages = new Set(statusPageProviders(config));
  const history: DeclarationRecord[] =
    pages.size > 0 ? await readDeclarationHistory(db, config, { from: period.from, to: period.to }) : [];
  const incidents: ReportIncident[] = (
    await incidentsBetween(db, new Date(previous.from), new Date(period.to))
  )
    .filter((i) => i.scope !== 'monitor')
    .map((i) => ({
      ...(i.scope === 'provider' && pages.has(i.key)
        ? {
            declaredAfterMs: correlateIncident(
              {
                provider: i.key,
                openedAt: i.openedAt.getTime(),
                resolvedAt: i.resolvedAt?.getTime() ?? null,
              },
              history,
              o.generatedAt,
            ).declaredAfterMs,
          }
        : {}),
      id: i.id,
      scope: i.scope as ReportIncident['scope'],
      key: i.key,
      kind: i.kind,
      openedAt: i.openedAt.getTime(),
      resolvedAt: i.resolvedAt?.getTime() ?? null,
      title: i.title,
      parentId: i.parentId,
    }));
  // requests against the budgets, when some provider has one: one aggregate over the raw results kept
  // (the providers with a budget only: the aggregate scans their results, not the whole fleet's)
  const budgeted = specs.filter((p) => config.providers?.[p.provider]?.rateLimit !== undefined);
  const rateLimits =
    budgeted.length > 0
      ? await readRateLimitUsageTotals(
          db,
          { probes: budgeted, providers: config.providers },
          { from: period.from, to: upTo },
          o.requestsPerRun,
        )
      : undefined;
  // the providers' Deprecation / Sunset warnings the period's responses carried (rare rows: one query)
  const notices = await noticesBetween(db, period.from, upTo);
  const earlier = await readEarlier(db, o.kind, period, [
    ...probes.map((p) => p.id),
    ...services.map((s) => serviceSubject(s.name)),
  ]);
  const builder = new ReportBuilder({
    kind: o.kind,
    name: o.name ?? o.kind,
    period,
    previous,
    tz: period.tz,
    generatedAt: o.generatedAt,
    probes,
    services,
    serviceRollups,
    incidents,
    hasQuarterRollups: true,
    ...(config.providers ? { providers: config.providers } : {}),
    earlier,
    ...(pages.size > 0
      ? { statusPageProviders: [...pages], declarations: history.flatMap(reportDeclaration) }
      : {}),
    ...(rateLimits ? { rateLimits } : {}),
    ...(notices.length > 0 ? { notices } : {}),
    ...(config.api?.publicUrl ? { webUrl: reportWebUrl(config.api.publicUrl, period) } : {}),
  });
  const size = o.batchSize ?? 100;
  for (let i = 0; i < probes.length; i += size) {
    const ids = probes.slice(i, i + size).map((p) => p.id);
    const [hourly, daily, quarter] = await Promise.all([
      reportRollups(db, { subjects: ids, from: previous.from, to: period.to, detail: 'counts' }),
      dailyRollups(db, { subjects: ids, from: period.from, to: period.to, tz: period.tz }),
      quarterFrom < previous.from
        ? reportRollups(db, { subjects: ids, from: quarterFrom, to: previous.from, detail: 'times' })
        : Promise.resolve([]),
    ]);
    const h = groupBy(hourly, (r) => r.probeId);
    const d = groupBy(daily, (r) => r.probeId);
    const q = groupBy(quarter, (r) => r.probeId);
    for (const id of ids) builder.add(id, h.get(id) ?? [], q.get(id) ?? [], d.get(id) ?? []);
    o.onProgress?.(Math.min(i + size, probes.length), probes.length);
  }
  return builder.finish();
}

/**
 * The verdict times per probe and `service:<name>` of the periods before `previous` the trend shows
 * (`trendPeriods`: the quarterly report's two quarters before the previous one): one running-total read
 * per period.
 */
async function readEarlier(
  db: Db,
  kind: ReportKind,
  period: Period,
  subjects: readonly string[],
): Promise<EarlierPeriod[]> {
  return Promise.all(
    trendPeriods(kind, period).map(async (p) => {
      const totals = await windowTotals(db, subjects, p.from, p.to, { latency: false });
      return { period: p, totals: new Map([...totals].map(([k, v]) => [k, v.times])) };
    }),
  );
}

/** A stored incident or maintenance declaration as the report reads it (components are left out). */
function reportDeclaration(d: DeclarationRecord): ReportDeclaration[] {
  if (d.kind !== 'incident' && d.kind !== 'maintenance') return [];
  return [
    {
      provider: d.provider,
      kind: d.kind,
      title: d.title,
      impact: d.impact,
      since: d.since,
      // as correlateIncident ends it: the provider's end, else when Vigil saw it go
      endedAt: d.endedAt ?? d.endedSeenAt,
    },
  ];
}

/** A probe is in scope when no scope is set, or when it matches any listed service, provider or probe. */
export function inScope(p: ProbeSpec, scope: ReportScope): boolean {
  if (!scope || (!scope.services && !scope.providers && !scope.probes)) return true;
  return (
    (scope.services?.includes(p.service) ?? false) ||
    (scope.providers?.includes(p.provider) ?? false) ||
    (scope.probes?.includes(p.id) ?? false)
  );
}

function groupBy(
  rows: readonly HourlyRollup[],
  key: (r: HourlyRollup) => string,
): Map<string, HourlyRollup[]> {
  const out = new Map<string, HourlyRollup[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}
