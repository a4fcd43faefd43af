import { HOUR_MS, parsePeriodKey, previousPeriod, type AvailabilityStatus } from '@vigil/core';
import { buildReport } from '../build.js';
import { slaWindows } from '../sla.js';
import { trendPeriods } from '../trend.js';
import type {
  DayCell,
  Figures,
  IncidentRow,
  ProbeReport,
  ProviderReport,
  ReportKind,
  ReportModel,
  ServiceReport,
} from '../types.js';

const PERIOD: Record<ReportKind, string> = { weekly: '2026-W47', monthly: '2026-11', quarterly: '2026-Q4' };

export interface FleetModelOptions {
  /** probes per provider; @defaultValue 5 */
  perProvider?: number;
  /** providers per service; @defaultValue 4 */
  providersPerService?: number;
  /** a name for probe `i` */
  name?: (i: number) => string;
}

/** A deterministic pseudo-random number in [0, 1). */
function noise(n: number): number {
  const x = Math.sin(n * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

/**
 * A report model for a big fleet built directly (not from rollups), with a lot to say: every tenth
 * probe missed its target, every twentieth has insufficient data, most had some downtime, days
 * alternate between statuses (the widest strips), and every provider had an outage with its probes'
 * incidents grouped under it. For size tests of the renderers.
 */
export function fleetModel(kind: ReportKind, nProbes: number, o: FleetModelOptions = {}): ReportModel {
  const tz = 'Europe/Berlin';
  const period = parsePeriodKey(PERIOD[kind], tz);
  const previous = previousPeriod(period);
  const frame = buildReport({
    kind,
    period,
    previous,
    tz,
    generatedAt: period.to + HOUR_MS,
    probes: [],
    services: [],
    rollups: new Map(),
    incidents: [],
  });
  const perProvider = o.perProvider ?? 5;
  const perService = o.providersPerService ?? 4;
  const span = period.to - period.from;
  const figures = (
    seed: number,
    status: AvailabilityStatus,
    latencyMs: number,
    critical: boolean,
  ): Figures => {
    const downMs = status === 'met' ? Math.floor(noise(seed) * 0.01 * span) : Math.floor(0.03 * span);
    const upMs = span - downMs;
    const availability = status === 'insufficient_data' ? null : upMs / span;
    const threshold = critical ? 500 : 300;
    return {
      from: period.from,
      to: period.to,
      target: 0.98,
      availability,
      coverage: status === 'insufficient_data' ? 0.4 : 1,
      status,
      upMs,
      downMs,
      degradedMs: 0,
      rateLimitedMs: 0,
      excludedMs: 0,
      noDataMs: 0,
      calls: 10_000,
      failures: Math.floor(downMs / 60_000),
      rateLimited: 12,
      errorRate: downMs / span,
      successRate: upMs / span,
      rateLimitedShare: 0.0012,
      latency: {
        p50Ms: latencyMs / 2,
        p95Ms: latencyMs,
        p99Ms: latencyMs * 1.5,
        thresholdMs: threshold,
        status: latencyMs < 300 ? 'optimal' : latencyMs < threshold ? 'ok' : 'slow',
      },
      phases: { dnsMs: 4, connectMs: 11, tlsMs: 22, ttfbMs: latencyMs - 37 },
      topErrors: [
        { errorClass: 'timeout', count: 31, share: 0.7 },
        { errorClass: 'http_status', count: 9, share: 0.2 },
        { errorClass: 'connect_refused', count: 4, share: 0.1 },
      ],
      budget: {
        allowedMs: 0.02 * span,
        usedMs: downMs,
        leftMs: 0.02 * span - downMs,
        leftFraction: 0.5,
        exhausted: false,
      },
      incidents: { count: 3, ongoing: 1, longestMs: 45 * 60_000, mttrMs: 20 * 60_000 },
    };
  };
  const days = (seed: number): DayCell[] =>
    frame.days.map((_, i) => {
      const status: AvailabilityStatus = ['met', 'missed', 'insufficient_data'][
        (seed + i) % 3
      ] as AvailabilityStatus;
      return {
        availability: status === 'insufficient_data' ? null : 0.97 + (i % 2) * 0.03,
        coverage: 1,
        status,
        downMs: 0,
      };
    });
  const entity = (
    key: string,
    name: string,
    seed: number,
    status: AvailabilityStatus,
    latencyMs: number,
    critical: boolean,
  ) => {
    const current = figures(seed, status, latencyMs, critical);
    return {
      key,
      name,
      critical,
      current,
      previous: { ...current, latency: { ...current.latency, p50Ms: null, p95Ms: null, p99Ms: null } },
      change: {
        availabilityPp: status === 'insufficient_data' ? null : -0.1234,
        downtimeMs: 60_000,
        errorRatePp: 0.01,
      },
      days: days(seed),
      columns: frame.columns.map(() => current),
      quarterBudget: current.budget,
    };
  };
  const statusOf = (i: number): AvailabilityStatus =>
    i % 20 === 3 ? 'insufficient_data' : i % 10 === 7 ? 'missed' : 'met';
  const services: ServiceReport[] = [];
  const incidents: IncidentRow[] = [];
  const nProviders = Math.ceil(nProbes / perProvider);
  const nServices = Math.ceil(nProviders / perService);
  let probeIndex = 0;
  for (let sv = 0; sv < nServices; sv++) {
    const providers: ProviderReport[] = [];
    for (let pv = sv * perService; pv < Math.min(nProviders, (sv + 1) * perService); pv++) {
      const probes: ProbeReport[] = [];
      const providerKey = `provider-${pv}`;
      const providerIncident = `inc-provider-${pv}`;
      const openedAt = period.from + ((pv * 7 * HOUR_MS) % span);
      incidents.push(row(providerIncident, 'provider', providerKey, providerKey, openedAt, null));
      for (let k = 0; k < perProvider && probeIndex < nProbes; k++, probeIndex++) {
        const i = probeIndex;
        const critical = i % 3 === 0;
        const name = o.name?.(i) ?? `Payments API eu-west-${i % 4} #${i}`;
        probes.push({
          ...entity(`probe-${i}`, name, i, statusOf(i), 80 + Math.floor(noise(i + 0.5) * 600), critical),
          probe: {
            id: `probe-${i}`,
            name,
            provider: providerKey,
            service: `service-${sv}`,
            critical,
            target: 0.98,
            labels: {},
            createdAt: 0,
          },
          isNew: i % 50 === 1,
        });
        incidents.push(row(`inc-probe-${i}`, 'probe', `probe-${i}`, name, openedAt, providerIncident));
      }
      providers.push({
        ...entity(providerKey, providerKey, pv + 0.25, statusOf(pv), 200, false),
        latencyTrend: frame.days.map((_, d) => 100 + d),
        probes,
      });
    }
    services.push({
      ...entity(`service-${sv}`, `Service ${sv}`, sv + 0.75, statusOf(sv), 200, sv % 3 === 0),
      mode: sv % 2 === 0 ? 'any' : 'all',
      source: 'hourly',
      latencyTrend: frame.days.map((_, d) => 100 + d),
      providers,
    });
  }
  const probes = services.flatMap((s) => s.providers.flatMap((p) => p.probes));
  function row(
    id: string,
    scope: IncidentRow['scope'],
    key: string,
    subject: string,
    openedAt: number,
    parentId: string | null,
  ): IncidentRow {
    const durationMs = (5 + (openedAt % 97)) * 60_000;
    return {
      id,
      scope,
      key,
      kind: 'down',
      openedAt,
      resolvedAt: openedAt + durationMs,
      title: subject,
      parentId,
      subject,
      durationMs,
      inPeriodMs: durationMs,
      ongoing: false,
      startedBeforePeriod: false,
    };
  }
  const count = (s: AvailabilityStatus) => probes.filter((p) => p.current.status === s).length;
  // every provider has a monthly contract SLA with three tiers, every other window breached
  const sla = {
    target: 0.9995,
    window: 'month' as const,
    credits: [
      { below: 0.9995, credit: 0.1 },
      { below: 0.99, credit: 0.25 },
      { below: 0.95, credit: 1 },
    ],
  };
  const contractSla = services.flatMap((sv) =>
    sv.providers.map((p, k) => ({
      provider: p.key,
      name: p.name,
      services: [sv.key],
      sla,
      windows: slaWindows(sla, period).map((w, i) => {
        const breached = (k + i) % 2 === 0;
        return {
          key: w.key,
          label: `${w.key} label`,
          from: w.from,
          to: w.to,
          measuredTo: Math.min(w.to, period.to),
          complete: w.to <= period.to,
          availability: breached ? 0.98765 : 0.99991,
          coverage: 1,
          downMs: 3_600_000,
          status: breached ? ('breached' as const) : ('met' as const),
          credit: breached ? 0.25 : 0,
        };
      }),
    })),
  );
  const redundancy = services
    .filter((sv) => sv.mode === 'any')
    .map((sv) => ({
      service: sv.key,
      name: sv.name,
      providers: sv.providers.map((p) => p.key),
      singleProviderMs: 3 * 3_600_000,
      alone: sv.providers.slice(0, 2).map((p, i) => ({
        provider: p.key,
        ms: (i + 1) * 3_600_000,
        whileDown: sv.providers.filter((q) => q !== p).map((q) => q.key),
      })),
      allDownMs: 20 * 60_000,
    }));
  const trendKeys = [...trendPeriods(kind, period), previous, period];
  const trend = {
    periods: trendKeys.map((p) => ({ key: p.key, label: p.key, from: p.from, to: p.to })),
    overall: trendKeys.map((_, i) => (i === 0 ? null : 0.99 + i / 1000)),
    services: services.map((sv) => ({
      key: sv.key,
      name: sv.name,
      points: trendKeys.map((_, i) => ({
        availability: i === 0 ? null : 0.97 + i / 100,
        status: (i % 2 ? 'met' : 'missed') as AvailabilityStatus,
      })),
    })),
  };
  // every provider has a status page and a rate-limit budget, with the most to say
  const allProviders = services.flatMap((sv) => sv.providers);
  const declarations = allProviders.map((p, k) => ({
    provider: p.key,
    name: p.name,
    incidents: 12,
    declaredIncidents: 7,
    downMs: 4 * 3_600_000 + k * 60_000,
    declaredMs: 3 * 3_600_000 + 17 * 60_000,
    undeclaredMs: 43 * 60_000 + k * 60_000,
    declaredAfterMs: { median: 14 * 60_000, max: 2 * 3_600_000 + 5 * 60_000 },
    providerIncidents: 9,
    maintenanceMs: 95 * 60_000,
  }));
  const rateLimits = allProviders.map((p, k) => ({
    provider: p.key,
    name: p.name,
    budget: { requests: 100_000, perMs: 3_600_000 },
    runs: 1_234_567,
    requests: 2_469_134,
    peak: { requests: 98_765 + k, from: period.from },
    peakShare: (98_765 + k) / 100_000,
    http429: 12_345,
    share429: 12_345 / 1_234_567,
    notSent: { deferred: 4_321, budget: 1_234 },
  }));
  return {
    ...frame,
    contractSla,
    redundancy,
    trend,
    declarations,
    rateLimits,
    headline: {
      apis: probes.length,
      met: count('met'),
      missed: count('missed'),
      insufficient: count('insufficient_data'),
      commonTarget: 0.98,
      availability: 0.9912,
      downtimeMs: probes.reduce((t, p) => t + p.current.downMs, 0),
      incidents: incidents.length,
      quarterBudgetLeft: 0.42,
      budgetExhausted: 3,
    },
    services,
    slowest: [...probes].sort((a, b) => b.current.latency.p95Ms! - a.current.latency.p95Ms!).slice(0, 5),
    incidents,
    webUrl: 'https://vigil.example.com/api/v1/reports/' + period.key + '?format=html',
  };
}
