import type {
  AvailabilityStatus,
  EpochMs,
  ErrorBudget,
  ErrorClass,
  HourlyRollup,
  Period,
  VerdictTimes,
} from '@vigil/core';

export type ReportKind = 'weekly' | 'monthly' | 'quarterly';

export interface ReportProbe {
  id: string;
  name: string;
  provider: string;
  service: string;
  critical: boolean;
  /** fraction, e.g. 0.98 */
  target: number;
  labels: Record<string, string>;
  createdAt: EpochMs;
}

export interface ReportIncident {
  id: string;
  scope: 'probe' | 'provider' | 'service';
  /** probe id, provider or service name */
  key: string;
  kind: string;
  openedAt: EpochMs;
  resolvedAt: EpochMs | null;
  title: string;
  /** the incident this one is grouped under, as the alerts grouped it (a probe under its provider, a provider under its service) */
  parentId?: string | null;
  /**
   * a provider incident of a provider with a status page: ms from its start to the provider's declared
   * start (negative: declared first), null when the provider declared nothing overlapping it; absent
   * when unknown
   */
  declaredAfterMs?: number | null;
}

export interface ReportServiceDef {
  /** the service key probes refer to, e.g. `payments` */
  name: string;
  /** shown instead of `name` when set, e.g. `Payments` */
  displayName?: string;
  providers: string[];
  mode: 'any' | 'all';
  target: number;
}

/** What buildReport reads from the rollups: a Map fits, and so does a lazy lookup that pages them in. */
export interface RollupLookup {
  get(probeId: string): readonly HourlyRollup[] | undefined;
}

export interface ReportInput {
  kind: ReportKind;
  /** the report's name in vigil.yaml; @defaultValue the kind */
  name?: string;
  period: Period;
  previous: Period;
  tz: string;
  generatedAt: EpochMs;
  probes: ReportProbe[];
  services: ReportServiceDef[];
  /** by probe id, covering previous.from .. period.to */
  rollups: RollupLookup;
  /** by service name: the evaluator's failover-aware service availability, when it has it */
  serviceRollups?: RollupLookup;
  incidents: ReportIncident[];
  /** by probe id, covering the quarter of `period` up to period.to: for "budget left this quarter" */
  quarterRollups?: RollupLookup;
  /**
   * by probe id: the period's hourly rollups merged per calendar day in `tz` (core `mergeRollups`, or
   * a GROUP BY in the store). When given, calls, errors, latency and phases of the period come from
   * them, 24 times fewer histograms to read; availability still comes from the hourly rollups.
   */
  dailyRollups?: RollupLookup;
  /**
   * the web version of this period's report (`<api.publicUrl>/api/v1/reports/<period>?format=html`);
   * absent without vigil.yaml `api.publicUrl`: the report then links nowhere
   */
  webUrl?: string;
  /**
   * vigil.yaml `providers` (`config.providers` fits as it is): a provider with an `sla` gets its contract
   * SLA judged per calendar window overlapping the period (`ReportModel.contractSla`)
   */
  providers?: Readonly<Record<string, { name?: string | undefined; sla?: ContractSla | undefined }>>;
  /**
   * earlier periods for the trend (`trendPeriods(kind, period)` says which: the quarterly report's
   * two quarters before `previous`), each with its verdict times per probe id and per `service:<name>`
   * (what `rollupTotals` returns); without them those points read "n/a"
   */
  earlier?: readonly EarlierPeriod[];
  /**
   * what the providers with a status page declared (their incidents and maintenance standing at some
   * point of the period, the components that matter only); with `statusPageProviders`, the model's
   * `declarations`. Absent: no provider has a status page, and the report says nothing of declarations
   */
  declarations?: readonly ReportDeclaration[];
  /** the providers with a status page (`providers.<name>.statusPage`): each in the report gets a row */
  statusPageProviders?: readonly string[];
  /**
   * requests spent per provider over the period against its `providers.<name>.rateLimit` (the
   * evaluation's readRateLimitUsage fits as it is); absent: the report says nothing of rate limits
   */
  rateLimits?: readonly ReportRateLimitUsage[];
  /**
   * each probe's newest `Deprecation` / `Sunset` notice (RFC 9745 / RFC 8594) seen in the period; the
   * model's `notices`, so nobody learns of a sunset from the outage
   */
  notices?: readonly ReportNoticeInput[];
}

/** A probe's deprecation notice as the report reads it (the db's noticesBetween fits as it is). */
export interface ReportNoticeInput {
  probeId: string;
  notices: {
    deprecated: boolean;
    deprecatedAt: EpochMs | null;
    sunsetAt: EpochMs | null;
    link: string | null;
  };
  firstSeenAt: EpochMs;
  lastSeenAt: EpochMs;
}

/** A deprecation notice in the model: the probe's name and provider, soonest sunset first. */
export interface ReportNotice extends ReportNoticeInput {
  name: string;
  provider: string;
}

/** One declaration of a provider's status page, as a report reads it. */
export interface ReportDeclaration {
  provider: string;
  kind: 'incident' | 'maintenance';
  title: string;
  /** Statuspage impact (`none`, `minor`, `major`, `critical`, `maintenance`), or null */
  impact: string | null;
  /** when the provider says it began */
  since: EpochMs;
  /** when the provider says it ended, else when Vigil saw it end; null while it stands */
  endedAt: EpochMs | null;
}

/** One provider's requests over a window, against its `rateLimit` budget when it has one. */
export interface ReportRateLimitUsage {
  provider: string;
  /** `providers.<name>.rateLimit` (per in ms); null without one */
  budget: { requests: number; perMs: number } | null;
  /** runs of the provider's probes (every region) that sent their request(s) in the window */
  runs: number;
  /** requests those runs sent: each run weighs its probe's requests per run (a multi-step probe's steps) */
  requests: number;
  /**
   * the busiest budget window (`per` long, on slot times) inside the read window: its requests and its
   * start; null without a budget or without a request
   */
  peak: { requests: number; from: EpochMs } | null;
  /** peak.requests / budget.requests; null without a budget */
  peakShare: number | null;
  /** answers with HTTP 429 */
  http429: number;
  /** http429 / runs; null when nothing was sent */
  share429: number | null;
  /** slots recorded rate_limited without a request: deferred by a Retry-After, or out of budget */
  notSent: { deferred: number; budget: number };
}

/** Our downtime of a provider with a status page against what the provider declared. */
export interface ProviderDeclarationReport {
  provider: string;
  /** `providers.<name>.name` when set, else the provider */
  name: string;
  /** our `down` incidents of the provider overlapping the period */
  incidents: number;
  /** of them, those the provider declared an incident overlapping */
  declaredIncidents: number;
  /** our downtime of the provider in the period (its down incidents, an open one up to generatedAt) */
  downMs: number;
  /** of downMs, the time a declared incident of the provider stood */
  declaredMs: number;
  /** downMs − declaredMs: down by our measure while the provider's status page said nothing */
  undeclaredMs: number;
  /**
   * our detection (the incident's start) to the provider's declared start, over our declared
   * incidents: the median and the longest (negative: the provider declared first); null when none
   */
  declaredAfterMs: { median: number; max: number } | null;
  /** the provider's own incidents standing in the period, whether we measured downtime or not */
  providerIncidents: number;
  /** declared maintenance standing in the period, ms inside it */
  maintenanceMs: number;
}

/** A provider's request usage in the report: `ReportRateLimitUsage` with its display name. */
export interface ProviderRateLimitReport extends ReportRateLimitUsage {
  name: string;
}

/** A provider's contract SLA, as `providers.<name>.sla` in vigil.yaml gives it (fractions). */
export interface ContractSla {
  target: number;
  window: 'month' | 'quarter';
  /** the zone of the calendar windows; @defaultValue the report's zone */
  tz?: string | undefined;
  /** the mildest tier first: availability under `below` earns `credit` (of the window's fee) */
  credits: readonly { below: number; credit: number }[];
}

export interface EarlierPeriod {
  period: Period;
  /** by probe id and `service:<name>` */
  totals: ReadonlyMap<string, VerdictTimes>;
}

export type LatencyStatus = 'optimal' | 'ok' | 'slow' | 'insufficient_data';

export interface LatencyFigures {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** 500 ms for critical APIs, 300 ms otherwise; p95 is judged against it */
  thresholdMs: number;
  status: LatencyStatus;
}

/** Mean phase times of the successful calls. */
export interface PhaseMeans {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  ttfbMs: number;
}

export interface ErrorShare {
  errorClass: ErrorClass;
  count: number;
  /** of all failed calls (429s are counted apart, as the rate-limited share) */
  share: number;
}

export interface IncidentSummary {
  /** incidents overlapping the window, including those opened before it */
  count: number;
  ongoing: number;
  /** the longest time one incident spent inside the window */
  longestMs: number | null;
  /** mean open-to-resolve time of the incidents resolved inside the window */
  mttrMs: number | null;
}

/** Every figure of one probe, provider or service over one window. */
export interface Figures {
  from: EpochMs;
  to: EpochMs;
  target: number;
  /** up / (up + down) by time; null when nothing was measured */
  availability: number | null;
  /** time with data / time not excluded */
  coverage: number;
  status: AvailabilityStatus;
  upMs: number;
  downMs: number;
  degradedMs: number;
  rateLimitedMs: number;
  excludedMs: number;
  noDataMs: number;
  /** checks that got an answer or failed: up + degraded + down + rate limited */
  calls: number;
  failures: number;
  rateLimited: number;
  /** failures / (calls - rate limited): a 429 is not an error */
  errorRate: number | null;
  /** successful / calls: a 429 is not a success either */
  successRate: number | null;
  rateLimitedShare: number | null;
  latency: LatencyFigures;
  phases: PhaseMeans | null;
  topErrors: ErrorShare[];
  /** the window's own budget: (1 - target) × measured time */
  budget: ErrorBudget;
  incidents: IncidentSummary;
}

export interface Change {
  /** percentage points; null when either side has no availability */
  availabilityPp: number | null;
  downtimeMs: number;
  errorRatePp: number | null;
}

/** One day of an entity; the day itself is `ReportModel.days` at the same index. */
export interface DayCell {
  availability: number | null;
  coverage: number;
  status: AvailabilityStatus;
  downMs: number;
}

export interface EntityReport {
  key: string;
  name: string;
  critical: boolean;
  current: Figures;
  /** the previous period, for the change; its latency is not read (null): see README */
  previous: Figures;
  change: Change;
  /** one per calendar day of the period in the report's zone, aligned with `ReportModel.days` */
  days: DayCell[];
  /** per-month (quarterly) or per-week (monthly) figures; empty for weekly */
  columns: Figures[];
  /** budget of the whole calendar quarter, spent so far; null when the rollups do not reach back */
  quarterBudget: ErrorBudget | null;
}

export interface ProbeReport extends EntityReport {
  probe: ReportProbe;
  /** created during the period */
  isNew: boolean;
}

export interface ProviderReport extends EntityReport {
  /** daily p95 in ms */
  latencyTrend: (number | null)[];
  probes: ProbeReport[];
}

export interface ServiceReport extends EntityReport {
  mode: 'any' | 'all';
  /** `evaluator`: from serviceRollups; `hourly`: combined from provider hours (see README) */
  source: 'evaluator' | 'hourly';
  latencyTrend: (number | null)[];
  providers: ProviderReport[];
}

export interface ReportColumn {
  key: string;
  label: string;
  from: EpochMs;
  to: EpochMs;
}

export interface IncidentRow extends ReportIncident {
  /** service, provider or probe name */
  subject: string;
  /** open to resolve, or to generatedAt while ongoing */
  durationMs: number;
  inPeriodMs: number;
  ongoing: boolean;
  startedBeforePeriod: boolean;
}

export interface Headline {
  apis: number;
  met: number;
  missed: number;
  insufficient: number;
  /** the target every API shares, or null when they differ */
  commonTarget: number | null;
  /** Σ up / Σ (up + down) over the APIs with enough data to judge */
  availability: number | null;
  /** Σ downtime over every API */
  downtimeMs: number;
  incidents: number;
  /** mean of the APIs' quarter budget left fractions; null when unknown */
  quarterBudgetLeft: number | null;
  budgetExhausted: number;
}

export interface ReportModel {
  kind: ReportKind;
  name: string;
  period: Period;
  previous: Period;
  tz: string;
  generatedAt: EpochMs;
  headline: Headline;
  days: ReportColumn[];
  columnKind: 'month' | 'week' | null;
  columns: ReportColumn[];
  services: ServiceReport[];
  /** up to 5 APIs with the highest p95, for the phase breakdown */
  slowest: ProbeReport[];
  incidents: IncidentRow[];
  /** the web version of the report (http(s) only); null: no link */
  webUrl: string | null;
  /** per failover service (mode any, 2+ providers): time on a single provider; absent in older models */
  redundancy?: RedundancyExposure[];
  /** per provider with a contract SLA in vigil.yaml, in service order; absent in older models */
  contractSla?: ProviderSlaReport[];
  /** availability of the earlier periods and this one, oldest first; absent in older models */
  trend?: ReportTrend;
  /** per provider with a status page, in service order: declared vs undeclared downtime; absent without `declarations` */
  declarations?: ProviderDeclarationReport[];
  /** per provider of the report, in service order: requests against its budget and the 429 share; absent without `rateLimits` */
  rateLimits?: ProviderRateLimitReport[];
  /** probes whose responses announced a deprecation or sunset in the period, soonest sunset first */
  notices?: ReportNotice[];
}

export type SlaStatus = 'met' | 'breached' | 'insufficient_data';

/** A provider's contract SLA over one calendar window (month or quarter) overlapping the period. */
export interface SlaWindow {
  /** period key, e.g. `2026-11` or `2026-Q4` */
  key: string;
  /** e.g. `November 2026` */
  label: string;
  from: EpochMs;
  to: EpochMs;
  /** measured up to here: the window's end, or the report period's when the window runs on */
  measuredTo: EpochMs;
  /** the window has ended: its verdict is final */
  complete: boolean;
  /** up / (up + down) over from .. measuredTo; null when nothing was measured */
  availability: number | null;
  coverage: number;
  downMs: number;
  /** `breached`: below the SLA target (so far, when not complete); never judged on too little data */
  status: SlaStatus;
  /** the credit the availability earns (fraction of the fee): 0 when met or no tier applies, null when unjudged */
  credit: number | null;
}

export interface ProviderSlaReport {
  provider: string;
  /** `providers.<name>.name` when set, else the provider */
  name: string;
  /** the services the provider serves in this report */
  services: string[];
  sla: ContractSla;
  /** oldest first */
  windows: SlaWindow[];
}

export interface TrendPoint {
  availability: number | null;
  status: AvailabilityStatus;
}

export interface ReportTrend {
  /** oldest first; the last is the report's period, the one before it `previous` */
  periods: { key: string; label: string; from: EpochMs; to: EpochMs }[];
  /** the headline's availability rule (Σ up ÷ Σ (up + down) over APIs with enough data) per period */
  overall: (number | null)[];
  services: { key: string; name: string; points: TrendPoint[] }[];
}

/** A failover service's time on a single provider within the period (redundancy.ts). */
export interface RedundancyExposure {
  /** service key */
  service: string;
  /** display name */
  name: string;
  providers: string[];
  /** ms the service ran on one provider alone while every other one was down */
  singleProviderMs: number;
  /** per surviving provider, in the service's provider order: ms alone and which were down meanwhile */
  alone: { provider: string; ms: number; whileDown: string[] }[];
  /** ms every provider was down at once */
  allDownMs: number;
}
