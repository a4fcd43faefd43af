import { DateTime } from 'luxon';
import type {
  Figures,
  ProbeReport,
  ProviderSlaReport,
  ReportModel,
  ServiceReport,
  SlaWindow,
} from './types.js';

/** The CSV columns, in order; README.md documents each. */
export const CSV_COLUMNS = [
  'report',
  'period_kind',
  'period',
  'from',
  'to',
  'service',
  'provider',
  'probe_id',
  'probe_name',
  'critical',
  'target_pct',
  'availability_pct',
  'measured_availability_pct',
  'status',
  'coverage_pct',
  'downtime_min',
  'excluded_min',
  'no_data_min',
  'calls',
  'failures',
  'rate_limited',
  'error_rate_pct',
  'success_rate_pct',
  'rate_limited_share_pct',
  'p50_ms',
  'p95_ms',
  'p99_ms',
  'latency_threshold_ms',
  'latency_status',
  'dns_ms',
  'connect_ms',
  'tls_ms',
  'ttfb_ms',
  'budget_allowed_min',
  'budget_used_min',
  'budget_left_min',
  'incidents',
  'incidents_ongoing',
  'longest_incident_min',
  'mttr_min',
  'top_errors',
  'previous_availability_pct',
  'change_pp',
  'quarter_budget_left_pct',
  'service_single_provider_min',
  'service_all_providers_down_min',
  'sla_credit_pct',
  'sla_window_complete',
  'declared_down_min',
  'undeclared_down_min',
  'declared_incidents',
  'declared_after_median_min',
  'declared_after_max_min',
  'requests',
  'budget_requests',
  'budget_per_min',
  'budget_peak_requests',
  'budget_peak_pct',
  'http_429',
  'http_429_share_pct',
] as const;

type Row = Record<(typeof CSV_COLUMNS)[number], string>;

/**
 * One row per probe and period: the report's period, then each month (quarterly) or week (monthly);
 * then one row per provider contract SLA window (`period_kind` `sla_month` / `sla_quarter`); then one
 * row per provider with a status page or request usage (`period_kind` `provider`).
 */
export function renderCsv(m: ReportModel): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const s of m.services)
    for (const p of s.providers)
      for (const pr of p.probes) {
        lines.push(line(row(m, s, pr, m.period.kind, m.period.key, pr.current, true)));
        m.columns.forEach((c, i) =>
          lines.push(line(row(m, s, pr, m.columnKind ?? '', c.key, pr.columns[i]!, false))),
        );
      }
  for (const r of m.contractSla ?? []) for (const w of r.windows) lines.push(line(slaRow(m, r, w)));
  for (const r of providerRows(m)) lines.push(line(r));
  return lines.join('\r\n') + '\r\n';
}

const EMPTY = Object.fromEntries(CSV_COLUMNS.map((c) => [c, ''])) as Row;

/** A provider's contract SLA over one window: measured availability, status, the credit earned. */
function slaRow(m: ReportModel, r: ProviderSlaReport, w: SlaWindow): Row {
  const iso = (t: number) =>
    DateTime.fromMillis(t, { zone: m.tz }).toISO({ suppressMilliseconds: true }) ?? '';
  return {
    ...EMPTY,
    report: m.name,
    period_kind: `sla_${r.sla.window}`,
    period: w.key,
    from: iso(w.from),
    to: iso(w.to),
    service: r.services.join(' '),
    provider: r.provider,
    target_pct: num(r.sla.target * 100, 4),
    availability_pct:
      w.availability === null || w.status === 'insufficient_data' ? '' : trunc(w.availability * 100, 4),
    measured_availability_pct: w.availability === null ? '' : trunc(w.availability * 100, 4),
    status: w.status,
    coverage_pct: num(w.coverage * 100, 2),
    downtime_min: num(w.downMs / 60_000, 2),
    sla_credit_pct: opt(w.credit, 100, 3),
    sla_window_complete: String(w.complete),
  };
}

function row(
  m: ReportModel,
  s: ServiceReport,
  pr: ProbeReport,
  kind: string,
  key: string,
  f: Figures,
  main: boolean,
): Row {
  const iso = (t: number) =>
    DateTime.fromMillis(t, { zone: m.tz }).toISO({ suppressMilliseconds: true }) ?? '';
  return {
    report: m.name,
    period_kind: kind,
    period: key,
    from: iso(f.from),
    to: iso(f.to),
    service: s.key,
    provider: pr.probe.provider,
    probe_id: pr.probe.id,
    probe_name: pr.probe.name,
    critical: String(pr.probe.critical),
    target_pct: num(f.target * 100, 3),
    availability_pct:
      f.availability === null || f.status === 'insufficient_data' ? '' : trunc(f.availability * 100, 4),
    measured_availability_pct: f.availability === null ? '' : trunc(f.availability * 100, 4),
    status: f.status,
    coverage_pct: num(f.coverage * 100, 2),
    downtime_min: num(f.downMs / 60_000, 2),
    excluded_min: num(f.excludedMs / 60_000, 2),
    no_data_min: num(f.noDataMs / 60_000, 2),
    calls: String(f.calls),
    failures: String(f.failures),
    rate_limited: String(f.rateLimited),
    error_rate_pct: opt(f.errorRate, 100, 4),
    success_rate_pct: opt(f.successRate, 100, 4),
    rate_limited_share_pct: opt(f.rateLimitedShare, 100, 4),
    p50_ms: opt(f.latency.p50Ms, 1, 1),
    p95_ms: opt(f.latency.p95Ms, 1, 1),
    p99_ms: opt(f.latency.p99Ms, 1, 1),
    latency_threshold_ms: String(f.latency.thresholdMs),
    latency_status: f.latency.status,
    dns_ms: opt(f.phases?.dnsMs ?? null, 1, 1),
    connect_ms: opt(f.phases?.connectMs ?? null, 1, 1),
    tls_ms: opt(f.phases?.tlsMs ?? null, 1, 1),
    ttfb_ms: opt(f.phases?.ttfbMs ?? null, 1, 1),
    budget_allowed_min: num(f.budget.allowedMs / 60_000, 2),
    budget_used_min: num(f.budget.usedMs / 60_000, 2),
    budget_left_min: num(f.budget.leftMs / 60_000, 2),
    incidents: String(f.incidents.count),
    incidents_ongoing: String(f.incidents.ongoing),
    longest_incident_min: opt(f.incidents.longestMs, 1 / 60_000, 2),
    mttr_min: opt(f.incidents.mttrMs, 1 / 60_000, 2),
    top_errors: f.topErrors.map((e) => `${e.errorClass}:${e.count}`).join(' '),
    previous_availability_pct:
      main && pr.previous.availability !== null && pr.previous.status !== 'insufficient_data'
        ? trunc(pr.previous.availability * 100, 4)
        : '',
    change_pp: main ? opt(pr.change.availabilityPp, 1, 4) : '',
    quarter_budget_left_pct: main ? opt(pr.quarterBudget?.leftFraction ?? null, 100, 2) : '',
    ...redundancyCells(m, s, main),
    sla_credit_pct: '',
    sla_window_complete: '',
    ...PROVIDER_EMPTY,
  };
}

type ProviderCells = Pick<
  Row,
  | 'declared_down_min'
  | 'undeclared_down_min'
  | 'declared_incidents'
  | 'declared_after_median_min'
  | 'declared_after_max_min'
  | 'requests'
  | 'budget_requests'
  | 'budget_per_min'
  | 'budget_peak_requests'
  | 'budget_peak_pct'
  | 'http_429'
  | 'http_429_share_pct'
>;
const PROVIDER_EMPTY: ProviderCells = {
  declared_down_min: '',
  undeclared_down_min: '',
  declared_incidents: '',
  declared_after_median_min: '',
  declared_after_max_min: '',
  requests: '',
  budget_requests: '',
  budget_per_min: '',
  budget_peak_requests: '',
  budget_peak_pct: '',
  http_429: '',
  http_429_share_pct: '',
};

/** Per provider of the declarations or the rate limits (in their order): the report period's row. */
function providerRows(m: ReportModel): Row[] {
  const iso = (t: number) =>
    DateTime.fromMillis(t, { zone: m.tz }).toISO({ suppressMilliseconds: true }) ?? '';
  const order = [...new Set([...(m.declarations ?? []), ...(m.rateLimits ?? [])].map((r) => r.provider))];
  return order.map((provider) => {
    const d = m.declarations?.find((r) => r.provider === provider);
    const u = m.rateLimits?.find((r) => r.provider === provider);
    const services = m.services.filter((s) => s.providers.some((p) => p.key === provider));
    return {
      ...EMPTY,
      report: m.name,
      period_kind: 'provider',
      period: m.period.key,
      from: iso(m.period.from),
      to: iso(m.period.to),
      service: services.map((s) => s.key).join(' '),
      provider,
      ...(d
        ? {
            downtime_min: num(d.downMs / 60_000, 2),
            incidents: String(d.incidents),
            declared_down_min: num(d.declaredMs / 60_000, 2),
            undeclared_down_min: num(d.undeclaredMs / 60_000, 2),
            declared_incidents: String(d.declaredIncidents),
            declared_after_median_min: opt(d.declaredAfterMs?.median ?? null, 1 / 60_000, 2),
            declared_after_max_min: opt(d.declaredAfterMs?.max ?? null, 1 / 60_000, 2),
          }
        : {}),
      ...(u
        ? {
            requests: String(u.requests),
            budget_requests: u.budget ? String(u.budget.requests) : '',
            budget_per_min: u.budget ? num(u.budget.perMs / 60_000, 3) : '',
            budget_peak_requests: u.peak ? String(u.peak.requests) : '',
            budget_peak_pct: opt(u.peakShare, 100, 2),
            http_429: String(u.http429),
            http_429_share_pct: opt(u.share429, 100, 4),
          }
        : {}),
    };
  });
}

/** The service's redundancy exposure on report period rows of failover services; empty elsewhere. */
function redundancyCells(
  m: ReportModel,
  s: ServiceReport,
  main: boolean,
): Pick<Row, 'service_single_provider_min' | 'service_all_providers_down_min'> {
  const r = main ? m.redundancy?.find((x) => x.service === s.key) : undefined;
  return {
    service_single_provider_min: r ? num(r.singleProviderMs / 60_000, 2) : '',
    service_all_providers_down_min: r ? num(r.allDownMs / 60_000, 2) : '',
  };
}

function num(v: number, digits: number): string {
  return String(Number(v.toFixed(digits)));
}

function opt(v: number | null, scale: number, digits: number): string {
  return v === null ? '' : num(v * scale, digits);
}

/** Truncated like the HTML, so a missed target never reads as met. */
function trunc(v: number, digits: number): string {
  const f = 10 ** digits;
  return String(Math.floor(v * f + 1e-6) / f);
}

function line(r: Row): string {
  return CSV_COLUMNS.map((c) => cell(r[c])).join(',');
}

/** RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula. */
function cell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
