// The quarterly report benchmark: synthesised rollups through buildReport and every renderer (HTML,
// text, CSV, PDF), with the heap and RSS after each phase.
import {
  histAddInPlace,
  HOUR_MS,
  mergeRollups,
  nextPeriod,
  parsePeriodKey,
  periodOf,
  previousPeriod,
  type HourlyRollup,
  type LatencyHistogram,
  type Period,
} from '@vigil/core';
import {
  buildReport,
  renderCsv,
  renderHtml,
  paginate,
  pdfSections,
  renderPdf,
  renderText,
  type ReportIncident,
  type ReportProbe,
  type ReportServiceDef,
  type RollupLookup,
} from '@vigil/reports';

export interface BenchResult {
  probes: number;
  /** hourly rollups read by the report (this quarter and the previous one) */
  rollups: number;
  /** whether the period's latency came from daily rollups */
  daily: boolean;
  /** building the rollups themselves (not counted below) */
  synthMs: number;
  buildMs: number;
  /** renderHtml + renderText + renderCsv + renderPdf */
  renderMs: number;
  /** the PDF alone (part of renderMs) */
  pdfMs: number;
  /** build + HTML + text + CSV + PDF, wall clock */
  totalMs: number;
  /** the same in CPU time of the process: what a busy shared machine does not inflate */
  totalCpuMs: number;
  buildCpuMs: number;
  renderCpuMs: number;
  /** peak resident set size of the process so far */
  peakRssMb: number;
  htmlBytes: number;
  textBytes: number;
  csvBytes: number;
  pdfBytes: number;
  pdfPages: number;
  /** process.memoryUsage() after each phase, MiB: where the memory goes */
  memory: { phase: string; rssMb: number; heapUsedMb: number; externalMb: number }[];
}

const TZ = 'Europe/Berlin';

/** A deterministic pseudo-random number in [0, 1) from an integer. */
function noise(n: number): number {
  const x = Math.sin(n * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

/**
 * Distinct latency histograms of typical hours, each parsed from JSON as rows from Postgres are:
 * `full` holds 60 observations, `partial[n]` n (an hour with down slots records fewer).
 */
function histogramPool(): { full: LatencyHistogram[]; partial: Map<number, LatencyHistogram> } {
  const make = (k: number, n: number): LatencyHistogram => {
    const h: LatencyHistogram = {};
    for (let i = 0; i < n; i++)
      histAddInPlace(h, 70 + (k % 97) * 3 + noise(k * 60 + i) * (60 + (k % 13) * 20));
    return JSON.parse(JSON.stringify(h)) as LatencyHistogram;
  };
  return {
    full: Array.from({ length: 1024 }, (_, k) => make(k, 60)),
    partial: new Map(Array.from({ length: 60 }, (_, n) => [n, make(n * 31, n)] as const)),
  };
}

function synthesise(
  probeId: string,
  seed: number,
  from: number,
  to: number,
  pool: ReturnType<typeof histogramPool>,
): HourlyRollup[] {
  const out: HourlyRollup[] = [];
  for (let t = from, i = 0; t < to; t += HOUR_MS, i++) {
    const r = noise(seed * 7919 + i);
    const down = r < 0.004 ? 60 : r < 0.02 ? Math.floor(r * 1000) % 30 : 0;
    const limited = r > 0.995 ? 3 : 0;
    const up = 60 - down - limited;
    out.push({
      probeId,
      hourStart: t,
      upMs: up * 60_000,
      degradedMs: 0,
      downMs: down * 60_000,
      noDataMs: 0,
      excludedMs: 0,
      rateLimitedMs: limited * 60_000,
      counts: { up, degraded: 0, down, no_data: 0, excluded: 0, rate_limited: limited },
      errorClasses: down || limited ? { timeout: down, rate_limited: limited } : {},
      latency: up === 60 ? pool.full[(seed * 31 + i) % pool.full.length]! : pool.partial.get(up)!,
      phaseSums: { dnsMs: 4 * up, connectMs: 11 * up, tlsMs: 22 * up, ttfbMs: 95 * up, n: up },
    });
  }
  return out;
}

export interface BenchOptions {
  /**
   * Synthesise every rollup up front into a Map (about 250 bytes each: 4.4 million for 1,000 probes
   * do not fit in 300 MB) instead of one probe at a time as buildReport asks for them, the way an app
   * pages them in. @defaultValue false
   */
  materialize?: boolean;
  /** Also hand buildReport the period's daily rollups (merged per local day). @defaultValue false */
  daily?: boolean;
}

/**
 * Times a quarterly report for `nProbes` probes (92 days of hourly rollups each, plus the previous
 * quarter for the comparison): buildReport, renderHtml, renderText, renderCsv and renderPdf (its
 * stream counted, not kept). Synthesising the rollups is timed apart (`synthMs`) and not counted in
 * `buildMs` / `totalMs`; the peak RSS includes everything.
 */
export async function benchQuarterly(nProbes = 1000, o: BenchOptions = {}): Promise<BenchResult> {
  const memory: BenchResult['memory'] = [];
  const mb = (n: number) => Math.round(n / 1048576);
  const mark = (phase: string) => {
    const u = process.memoryUsage();
    // arrayBuffers (typed arrays, Buffers) is part of external
    memory.push({ phase, rssMb: mb(u.rss), heapUsedMb: mb(u.heapUsed), externalMb: mb(u.external) });
  };
  mark('start');
  const period = parsePeriodKey('2026-Q3', TZ);
  const previous = previousPeriod(period);
  const pool = histogramPool();
  const probes: ReportProbe[] = [];
  const services: ReportServiceDef[] = [];
  const perProvider = 5;
  const providersPerService = 4;
  for (let i = 0; i < nProbes; i++) {
    const prov = Math.floor(i / perProvider);
    const svc = Math.floor(prov / providersPerService);
    probes.push({
      id: `probe-${i}`,
      name: `API ${i}`,
      provider: `provider-${prov}`,
      service: `service-${svc}`,
      critical: svc % 3 === 0,
      target: 0.98,
      labels: {},
      createdAt: 0,
    });
    if (prov % providersPerService === 0 && i % perProvider === 0)
      services.push({
        name: `service-${svc}`,
        providers: Array.from(
          { length: providersPerService },
          (_, k) => `provider-${svc * providersPerService + k}`,
        ),
        mode: svc % 2 === 0 ? 'any' : 'all',
        target: 0.98,
      });
  }
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  const days = localDays(period);
  let synthMs = 0;
  let synthCpuMs = 0;
  let count = 0;
  let last: { id: string; list: HourlyRollup[] } | null = null;
  const timed = <T>(fn: () => T): T => {
    const t = performance.now();
    const c = cpu();
    const out = fn();
    synthMs += performance.now() - t;
    synthCpuMs += cpu() - c;
    return out;
  };
  const synth = (id: string): HourlyRollup[] =>
    timed(() => {
      const list = synthesise(id, Number(id.slice(6)), previous.from, period.to, pool);
      count += list.length;
      last = { id, list };
      return list;
    });
  const daily = (id: string): HourlyRollup[] =>
    timed(() => {
      const list =
        last?.id === id ? last.list : synthesise(id, Number(id.slice(6)), period.from, period.to, pool);
      return days
        .map((d) => mergeRollups(list.filter((r) => r.hourStart >= d.from && r.hourStart < d.to)))
        .filter((r): r is HourlyRollup => r !== null);
    });
  let lookup: RollupLookup;
  if (o.materialize) {
    const all = new Map<string, HourlyRollup[]>();
    for (const p of probes) all.set(p.id, synth(p.id));
    lookup = all;
  } else lookup = { get: synth };
  const incidents: ReportIncident[] = probes
    .filter((_, i) => i % 10 === 0)
    .map((p, k) => ({
      id: `inc-${k}`,
      scope: 'probe',
      key: p.id,
      kind: 'down',
      openedAt: period.from + k * 7 * HOUR_MS,
      resolvedAt: period.from + k * 7 * HOUR_MS + 40 * 60_000,
      title: `${p.name} is down`,
    }));
  mark('inputs');
  const synthBefore = { ms: synthMs, cpu: synthCpuMs };
  const t1 = performance.now();
  const c1 = cpu();
  const model = buildReport({
    kind: 'quarterly',
    period,
    previous,
    tz: TZ,
    generatedAt: period.to + HOUR_MS,
    probes,
    services,
    rollups: lookup,
    ...(o.daily ? { dailyRollups: { get: daily } } : {}),
    incidents,
  });
  const t2 = performance.now();
  const c2 = cpu();
  mark('built');
  const htmlBytes = Buffer.byteLength(renderHtml(model).html);
  mark('html');
  const textBytes = Buffer.byteLength(renderText(model));
  const csvBytes = Buffer.byteLength(renderCsv(model));
  mark('text+csv');
  const tPdf = performance.now();
  let pdfBytes = 0;
  for await (const chunk of await renderPdf(model)) pdfBytes += (chunk as Buffer).length;
  const t3 = performance.now();
  const c3 = cpu();
  mark('pdf');
  const inBuild = { ms: synthMs - synthBefore.ms, cpu: synthCpuMs - synthBefore.cpu };
  return {
    probes: nProbes,
    rollups: count,
    daily: o.daily === true,
    synthMs: Math.round(synthMs),
    buildMs: Math.round(t2 - t1 - inBuild.ms),
    renderMs: Math.round(t3 - t2),
    pdfMs: Math.round(t3 - tPdf),
    totalMs: Math.round(t3 - t1 - inBuild.ms),
    totalCpuMs: Math.round(c3 - c1 - inBuild.cpu),
    buildCpuMs: Math.round(c2 - c1 - inBuild.cpu),
    renderCpuMs: Math.round(c3 - c2),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    htmlBytes,
    textBytes,
    csvBytes,
    pdfBytes,
    pdfPages: paginate(pdfSections(model).flatMap((section) => section(model))).length,
    memory,
  };
}

/** The local days of `period`, as the report merges daily rollups. */
function localDays(period: Period): Period[] {
  const out: Period[] = [];
  for (let d = periodOf('day', period.from, period.tz); d.from < period.to; d = nextPeriod(d)) out.push(d);
  return out;
}
