import { providerDeclarations } from './declared.js';
import { redundancyExposure } from './redundancy.js';
import { judgeSlaWindow, slaWindows } from './sla.js';
import { trendOf } from './trend.js';
import {
  DEFAULT_SERVICE_MODE,
  DEFAULT_SLO_TARGET,
  errorBudget,
  HOUR_MS,
  overlapMs,
  summarizeTimes,
  type ErrorBudget,
  type HourlyRollup,
  type TimeWindow,
  type VerdictTimes,
} from '@vigil/core';
import { addCalls, addRollupCounts, addTimes, emptyCalls, emptyTimes, type CallAcc } from './acc.js';
import { columnsOf, daysOf, quarterOf } from './calendar.js';
import { RangeHist } from './range-hist.js';
import { callsBelong, figuresOf } from './figures.js';
import { incidentIndex, incidentRows, summarizeIncidents } from './incidents.js';
import {
  amountsOf,
  Combiner,
  hourGrid,
  windowTimes,
  writeAmounts,
  type HourAmounts,
  type HourGrid,
} from './timeline.js';
import type {
  Change,
  DayCell,
  EntityReport,
  Figures,
  Headline,
  ProbeReport,
  ProviderSlaReport,
  ReportColumn,
  ReportIncident,
  ReportInput,
  ReportModel,
  ReportProbe,
  ReportServiceDef,
  ServiceReport,
} from './types.js';

export type ReportMeta = Omit<ReportInput, 'rollups' | 'quarterRollups' | 'dailyRollups'> & {
  hasQuarterRollups?: boolean;
};

/** A report from rollups; pure. Every figure the renderers print is in the model. */
export function buildReport(input: ReportInput): ReportModel {
  const b = new ReportBuilder({ ...input, hasQuarterRollups: input.quarterRollups !== undefined });
  for (const p of input.probes)
    b.add(
      p.id,
      input.rollups.get(p.id) ?? [],
      input.quarterRollups?.get(p.id),
      input.dailyRollups?.get(p.id),
    );
  return b.finish();
}

interface CallsByWindow {
  current: CallAcc;
  previous: CallAcc;
  columns: CallAcc[];
  days: RangeHist[];
}

interface ProviderAcc {
  name: string;
  service: string;
  combiner: Combiner;
  calls: CallsByWindow;
  probes: ProbeReport[];
}

/**
 * Builds a report one probe at a time, keeping only a compact summary of each: feed it the rollups of
 * each probe as they are paged in, then `finish()`. `buildReport` is this over a lookup.
 */
export class ReportBuilder {
  private readonly grid: HourGrid;
  private readonly quarter: TimeWindow & { fullMs: number };
  private readonly quarterKnown: boolean;
  private readonly days: ReportColumn[];
  private readonly columnKind: 'month' | 'week' | null;
  private readonly columns: ReportColumn[];
  private readonly incidents: Map<string, ReportIncident[]>;
  private readonly probes = new Map<string, ReportProbe>();
  private readonly providers = new Map<string, ProviderAcc>();
  private readonly added = new Set<string>();
  /** combined amounts of the providers that have a contract SLA, by name (one per service they serve) */
  private readonly slaAmounts = new Map<string, { service: string; amounts: HourAmounts }[]>();
  private readonly scratch: HourAmounts;
  /** one probe's rollups by grid hour; reused, and emptied after each probe */
  private readonly dense: (HourlyRollup | undefined)[];
  /** per grid hour: the index of its day and column in the period, or -1 */
  private readonly hourDay: Int32Array;
  private readonly hourColumn: Int32Array;

  constructor(private readonly meta: ReportMeta) {
    const { period, previous } = meta;
    const q = quarterOf(period);
    this.quarter = { from: q.from, to: period.to, fullMs: q.to - q.from };
    this.quarterKnown = q.from >= previous.from || meta.hasQuarterRollups === true;
    this.grid = hourGrid({
      from: Math.min(previous.from, this.quarterKnown ? q.from : previous.from),
      to: period.to,
    });
    this.days = daysOf(period);
    const cols = columnsOf(meta.kind, period);
    this.columnKind = cols.kind;
    this.columns = cols.columns;
    this.incidents = incidentIndex(meta.incidents);
    for (const p of meta.probes) if (p.createdAt < period.to) this.probes.set(p.id, p);
    this.scratch = new Float32Array(this.grid.n * 6);
    this.dense = new Array<HourlyRollup | undefined>(this.grid.n).fill(undefined);
    this.hourDay = new Int32Array(this.grid.n).fill(-1);
    this.hourColumn = new Int32Array(this.grid.n).fill(-1);
    for (let h = 0; h < this.grid.n; h++) {
      const at = this.grid.from + h * HOUR_MS;
      if (!callsBelong(at, period)) continue;
      this.hourDay[h] = this.days.findIndex((d) => callsBelong(at, d));
      this.hourColumn[h] = this.columns.findIndex((c) => callsBelong(at, c));
    }
  }

  /**
   * Adds one probe's hourly rollups (previous.from .. period.to) and, optionally, its quarter's and its
   * period's daily ones (see ReportInput).
   */
  add(
    probeId: string,
    rollups: readonly HourlyRollup[],
    quarterRollups?: readonly HourlyRollup[],
    dailyRollups?: readonly HourlyRollup[],
  ): void {
    const probe = this.probes.get(probeId);
    if (!probe || this.added.has(probeId)) return;
    this.added.add(probeId);
    const { grid, meta } = this;
    const dense = this.dense;
    dense.fill(undefined);
    for (const list of [quarterRollups ?? [], rollups])
      for (const r of list) {
        const h = (r.hourStart - grid.from) / HOUR_MS;
        if (h >= 0 && h < grid.n && Number.isInteger(h)) dense[h] = r;
      }
    const prov = this.provider(probe);
    const calls = this.emptyCallsByWindow(false);
    const provDays = prov.calls.days;
    // one pass over the hours: their amounts for the provider, their calls for the windows
    for (let h = 0; h < grid.n; h++) {
      const r = dense[h];
      writeAmounts(this.scratch, h, r);
      if (!r) continue;
      const at = r.hourStart;
      if (callsBelong(at, meta.period)) {
        if (!dailyRollups) this.addPeriodCalls(calls, r, this.hourColumn[h]!, provDays[this.hourDay[h]!]);
      } else if (callsBelong(at, meta.previous)) addRollupCounts(calls.previous, r);
    }
    prov.combiner.add(this.scratch);
    for (const r of dailyRollups ?? []) {
      if (!callsBelong(r.hourStart, meta.period)) continue;
      // a day starts on a grid hour unless the zone's offset has minutes: then search
      const h = (r.hourStart - grid.from) / HOUR_MS;
      const onGrid = Number.isInteger(h) && h >= 0 && h < grid.n;
      const d = onGrid ? this.hourDay[h]! : this.days.findIndex((w) => callsBelong(r.hourStart, w));
      const c = onGrid ? this.hourColumn[h]! : this.columns.findIndex((w) => callsBelong(r.hourStart, w));
      this.addPeriodCalls(calls, r, c, provDays[d]);
    }
    mergeCallsByWindow(prov.calls, calls);

    const opts = { target: probe.target, critical: probe.critical };
    const inc = this.incidents.get(`probe:${probe.id}`) ?? [];
    const times = (w: TimeWindow) => denseTimes(dense, grid, w);
    const quarterTimes = this.quarterKnown ? times(this.quarter) : null;
    const report = this.entity(probe.id, probe.name, opts, inc, times, calls, quarterTimes);
    prov.probes.push({
      ...report,
      probe,
      isNew: probe.createdAt >= meta.period.from,
    });
    dense.fill(undefined);
  }

  private addPeriodCalls(
    calls: CallsByWindow,
    r: HourlyRollup,
    column: number,
    day: RangeHist | undefined,
  ): void {
    const cur = calls.current;
    const col = calls.columns[column];
    addRollupCounts(cur, r);
    if (col) addRollupCounts(col, r);
    // enumerating a histogram's keys costs about a microsecond: once per rollup, fanned out
    if (r.counts.up + r.counts.degraded > 0)
      for (const key in r.latency) {
        const b = Number(key);
        const n = r.latency[b]!;
        cur.latency.add(b, n);
        col?.latency.add(b, n);
        day?.add(b, n);
      }
  }

  finish(): ReportModel {
    const { meta } = this;
    for (const id of this.probes.keys()) if (!this.added.has(id)) this.add(id, []);
    const services = this.serviceDefs().map((def) => this.service(def));
    const probes = services.flatMap((s) => s.providers.flatMap((p) => p.probes));
    const names = new Map<string, string>();
    for (const s of services) {
      names.set(`service:${s.key}`, s.name);
      for (const p of s.providers) {
        names.set(`provider:${p.key}`, p.name);
        for (const pr of p.probes) names.set(`probe:${pr.key}`, pr.name);
      }
    }
    const inScope = meta.incidents.filter((i) => names.has(`${i.scope}:${i.key}`));
    const incidents = incidentRows(inScope, meta.period, meta.generatedAt, (i) =>
      names.get(`${i.scope}:${i.key}`)!,
    );
    const headline = headlineOf(probes, incidents.length);
    const upTo = {
      from: meta.period.from,
      to: Math.max(meta.period.from, Math.min(meta.period.to, meta.generatedAt)),
    };
    // each provider once, in service order, with its display name
    const providerList = [...new Set(services.flatMap((s) => s.providers.map((p) => p.key)))].map((p) => ({
      provider: p,
      name: meta.providers?.[p]?.name ?? p,
    }));
    return {
      kind: meta.kind,
      name: meta.name ?? meta.kind,
      period: meta.period,
      previous: meta.previous,
      tz: meta.tz,
      generatedAt: meta.generatedAt,
      headline,
      days: this.days,
      columnKind: this.columnKind,
      columns: this.columns,
      services,
      slowest: probes
        .filter((p) => p.current.latency.p95Ms !== null)
        .sort((a, b) => b.current.latency.p95Ms! - a.current.latency.p95Ms! || a.key.localeCompare(b.key))
        .slice(0, 5),
      incidents,
      webUrl: httpUrl(meta.webUrl),
      redundancy: redundancyExposure(this.serviceDefs(), meta.incidents, upTo),
      contractSla: this.contractSla(),
      trend: trendOf(
        meta.kind,
        meta.period,
        meta.previous,
        meta.earlier,
        services,
        probes,
        headline.availability,
      ),
      ...(meta.declarations
        ? {
            declarations: providerDeclarations(
              providerList.filter((p) => meta.statusPageProviders?.includes(p.provider) ?? true),
              meta.incidents,
              meta.declarations,
              upTo,
            ),
          }
        : {}),
      ...(meta.notices && meta.notices.length > 0
        ? {
            notices: meta.notices
              .filter((n) => this.probes.has(n.probeId))
              .map((n) => ({
                ...n,
                name: this.probes.get(n.probeId)!.name,
                provider: this.probes.get(n.probeId)!.provider,
              }))
              .sort(
                (a, b) =>
                  (a.notices.sunsetAt ?? Infinity) - (b.notices.sunsetAt ?? Infinity) ||
                  a.probeId.localeCompare(b.probeId),
              ),
          }
        : {}),
      ...(meta.rateLimits
        ? {
            rateLimits: providerList.flatMap(({ provider, name }) => {
              const u = meta.rateLimits!.find((r) => r.provider === provider);
              return u ? [{ ...u, name }] : [];
            }),
          }
        : {}),
    };
  }

  /** Each provider's contract SLA over the calendar windows overlapping the period, from its hours. */
  private contractSla(): ProviderSlaReport[] {
    const { period } = this.meta;
    const out: ProviderSlaReport[] = [];
    for (const [provider, parts] of this.slaAmounts) {
      const sla = this.meta.providers?.[provider]?.sla;
      if (!sla) continue;
      let amounts = parts[0]!.amounts;
      if (parts.length > 1) {
        // one provider serving several services: up while any of its probes is, as within one
        const c = new Combiner(this.grid.n, 'any');
        for (const p of parts) c.add(p.amounts);
        amounts = c.result();
      }
      const windows = slaWindows(sla, period).map((w) => {
        const measuredTo = Math.min(w.to, period.to);
        const times = windowTimes(amounts, this.grid, { from: w.from, to: measuredTo });
        return judgeSlaWindow(sla, w, measuredTo, times);
      });
      out.push({
        provider,
        name: this.meta.providers?.[provider]?.name ?? provider,
        services: parts.map((p) => p.service),
        sla,
        windows,
      });
    }
    return out;
  }

  private provider(probe: ReportProbe): ProviderAcc {
    const key = `${probe.service}\u0000${probe.provider}`;
    let p = this.providers.get(key);
    if (!p) {
      p = {
        name: probe.provider,
        service: probe.service,
        combiner: new Combiner(this.grid.n, 'any'),
        calls: this.emptyCallsByWindow(),
        probes: [],
      };
      this.providers.set(key, p);
    }
    return p;
  }

  private serviceDefs(): ReportServiceDef[] {
    const present = new Set([...this.providers.values()].map((p) => p.service));
    const defs = this.meta.services.filter((s) => present.has(s.name));
    const declared = new Set(defs.map((d) => d.name));
    // a service nobody declared combines its providers as the evaluator does (core's one default)
    for (const name of [...present].filter((s) => !declared.has(s)).sort())
      defs.push({ name, providers: [], mode: DEFAULT_SERVICE_MODE, target: DEFAULT_SLO_TARGET });
    return defs;
  }

  private service(def: ReportServiceDef): ServiceReport {
    const { grid } = this;
    const accs = [...this.providers.values()].filter((p) => p.service === def.name);
    const rank = (name: string) => {
      const i = def.providers.indexOf(name);
      return i < 0 ? def.providers.length : i;
    };
    accs.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
    const combiner = new Combiner(grid.n, def.mode);
    const calls = this.emptyCallsByWindow();
    const providers = accs.map((acc) => {
      const amounts = acc.combiner.result();
      combiner.add(amounts);
      if (this.meta.providers?.[acc.name]?.sla) {
        const list = this.slaAmounts.get(acc.name) ?? [];
        list.push({ service: def.name, amounts });
        this.slaAmounts.set(acc.name, list);
      }
      mergeCallsByWindow(calls, acc.calls);
      acc.probes.sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
      const critical = acc.probes.some((p) => p.probe.critical);
      const target = Math.max(...acc.probes.map((p) => p.probe.target));
      return this.aggregate(acc.name, acc.name, 'provider', { target, critical }, amounts, acc.calls, {
        probes: acc.probes,
      });
    });
    const fromEvaluator = this.meta.serviceRollups?.get(def.name);
    const amounts = fromEvaluator ? amountsOf(fromEvaluator, grid) : combiner.result();
    const critical = providers.some((p) => p.critical);
    const report = this.aggregate(
      def.name,
      def.displayName ?? def.name,
      'service',
      { target: def.target, critical },
      amounts,
      calls,
      {
        providers,
      },
    );
    return { ...report, mode: def.mode, source: fromEvaluator ? 'evaluator' : 'hourly' };
  }

  private aggregate<T extends object>(
    key: string,
    name: string,
    scope: 'provider' | 'service',
    opts: { target: number; critical: boolean },
    amounts: HourAmounts,
    calls: CallsByWindow,
    extra: T,
  ): EntityReport & T & { latencyTrend: (number | null)[] } {
    const inc = this.incidents.get(`${scope}:${key}`) ?? [];
    const times = (w: TimeWindow) => windowTimes(amounts, this.grid, w);
    const report = this.entity(
      key,
      name,
      opts,
      inc,
      times,
      calls,
      this.quarterKnown ? times(this.quarter) : null,
    );
    return { ...report, ...extra, latencyTrend: calls.days.map((h) => h.quantile(0.95)) };
  }

  private entity(
    key: string,
    name: string,
    opts: { target: number; critical: boolean },
    incidents: readonly ReportIncident[],
    times: (w: TimeWindow) => VerdictTimes,
    calls: CallsByWindow,
    quarterTimes: VerdictTimes | null,
  ): EntityReport {
    const { period, previous, generatedAt } = this.meta;
    const figures = (w: TimeWindow, c: CallAcc): Figures =>
      figuresOf(times(w), w, c, { ...opts, incidents: summarizeIncidents(incidents, w, generatedAt) });
    const current = figures(period, calls.current);
    const prev = figures(previous, calls.previous);
    return {
      key,
      name,
      critical: opts.critical,
      current,
      previous: prev,
      change: changeOf(current, prev),
      days: this.days.map((d) => dayCell(d, times(d), opts.target)),
      columns: this.columns.map((c, i) => figures(c, calls.columns[i]!)),
      quarterBudget: quarterTimes ? this.quarterBudget(quarterTimes, opts.target) : null,
    };
  }

  private quarterBudget(t: VerdictTimes, target: number): ErrorBudget {
    return errorBudget({
      upMs: t.upMs,
      downMs: t.downMs,
      target,
      periodMs: this.quarter.fullMs - t.excludedMs,
    });
  }

  private emptyCallsByWindow(withDays = true): CallsByWindow {
    return {
      current: emptyCalls(),
      previous: emptyCalls(),
      columns: this.columns.map(() => emptyCalls()),
      days: withDays ? this.days.map(() => new RangeHist()) : [],
    };
  }
}

/** Verdict times of a window from one probe's rollups, exactly as availabilityFromRollups sums them. */
function denseTimes(
  dense: readonly (HourlyRollup | undefined)[],
  grid: HourGrid,
  w: TimeWindow,
): VerdictTimes {
  const t = emptyTimes();
  const first = Math.max(0, Math.floor((w.from - grid.from) / HOUR_MS));
  const last = Math.min(grid.n, Math.ceil((w.to - grid.from) / HOUR_MS));
  for (let h = first; h < last; h++) {
    const r = dense[h];
    if (!r) continue;
    const share = overlapMs(r.hourStart, HOUR_MS, w) / HOUR_MS;
    if (share > 0) addTimes(t, r, share);
  }
  return t;
}

function mergeCallsByWindow(into: CallsByWindow, c: CallsByWindow): void {
  addCalls(into.current, c.current);
  addCalls(into.previous, c.previous);
  c.columns.forEach((col, i) => addCalls(into.columns[i]!, col));
  c.days.forEach((h, i) => into.days[i]!.addHist(h));
}

function dayCell(d: ReportColumn, t: VerdictTimes, target: number): DayCell {
  const a = summarizeTimes(t, d.to - d.from, target);
  return { availability: a.availability, coverage: a.coverage, status: a.status, downMs: t.downMs };
}

function changeOf(cur: Figures, prev: Figures): Change {
  const pp = (a: number | null, b: number | null) => (a === null || b === null ? null : (a - b) * 100);
  const judged = cur.status !== 'insufficient_data' && prev.status !== 'insufficient_data';
  return {
    availabilityPp: judged ? pp(cur.availability, prev.availability) : null,
    downtimeMs: cur.downMs - prev.downMs,
    errorRatePp: pp(cur.errorRate, prev.errorRate),
  };
}

function headlineOf(probes: readonly ProbeReport[], incidents: number): Headline {
  let up = 0;
  let down = 0;
  let downtime = 0;
  let left = 0;
  let withBudget = 0;
  let exhausted = 0;
  for (const p of probes) {
    if (p.current.status !== 'insufficient_data') up += p.current.upMs;
    if (p.current.status !== 'insufficient_data') down += p.current.downMs;
    downtime += p.current.downMs;
    const lf = p.quarterBudget?.leftFraction;
    if (lf !== undefined && lf !== null) {
      left += lf;
      withBudget++;
    }
    if (p.quarterBudget?.exhausted) exhausted++;
  }
  const targets = new Set(probes.map((p) => p.probe.target));
  const count = (s: string) => probes.filter((p) => p.current.status === s).length;
  return {
    apis: probes.length,
    met: count('met'),
    missed: count('missed'),
    insufficient: count('insufficient_data'),
    commonTarget: targets.size === 1 ? [...targets][0]! : null,
    availability: up + down > 0 ? up / (up + down) : null,
    downtimeMs: downtime,
    incidents,
    quarterBudgetLeft: withBudget > 0 ? left / withBudget : null,
    budgetExhausted: exhausted,
  };
}

/** An http(s) URL as given, or null: a report never links to a `javascript:` or relative target. */
function httpUrl(url: string | undefined): string | null {
  if (url === undefined || !URL.canParse(url)) return null;
  const { protocol } = new URL(url);
  return protocol === 'https:' || protocol === 'http:' ? url : null;
}
