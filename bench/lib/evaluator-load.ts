import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { VigilConfig } from '@vigil/config';
import {
  DAY_MS,
  errorBudget,
  histQuantile,
  HOUR_MS,
  mergeRollups,
  rollupHour,
  summarizeTimes,
  type HourlyRollup,
  type ProbeResult,
  type ProbeSpec,
  type SlotVerdict,
} from '@vigil/core';
import {
  insertResults,
  migrate,
  openDb,
  upsertRollups,
  windowTotals,
  writeCumulative,
  type DbHandle,
} from '@vigil/db';
import { readStatus, slotGrid } from '@vigil/evaluation';
import { createEvaluator } from '@vigil/evaluator';

export interface BenchEvaluatorOptions {
  /** a scratch database: the bench writes results, state, rollups and incidents into it */
  databaseUrl: string;
  /** @defaultValue 2 000 */
  resultsPerSecond?: number;
  /** measured time after a 5 s warm-up; @defaultValue 20 */
  seconds?: number;
  /** @defaultValue 2 */
  regions?: number;
  /** @defaultValue 10 000 (so 2,000 results/s is 10,000 probes in 2 regions) */
  intervalMs?: number;
  /** pause between evaluation ticks; @defaultValue 100 */
  tickEveryMs?: number;
}

/**
 * Results are stored at `resultsPerSecond` in real time (every region of a slot in one batch, 1% down)
 * while an evaluator ticks; reports how long after a slot's results were stored its verdict committed.
 */
export async function benchEvaluator(o: BenchEvaluatorOptions): Promise<Record<string, number>> {
  const rate = o.resultsPerSecond ?? 2_000;
  const regions = Array.from({ length: o.regions ?? 2 }, (_, i) => `r${i}`);
  const intervalMs = o.intervalMs ?? 10_000;
  const n = Math.max(1, Math.round((rate * intervalMs) / 1000 / regions.length));
  const run = randomBytes(3).toString('hex');
  const probes = Array.from({ length: n }, (_, i) => benchProbe(`b${run}-${i}`, i, regions, intervalMs));
  const cfg = benchConfig(probes, regions);
  const h = await openDb({ url: o.databaseUrl, poolSize: 6 });
  try {
    await migrate(h);
    const stored = new Map<string, number>();
    const verdictMs: number[] = [];
    const tickMs: number[] = [];
    let measuring = false;
    const ev = createEvaluator({
      db: h.db,
      config: () => cfg,
      clock: { now: () => Date.now() },
      leaseName: `bench-${run}`,
      onJudged: (judged) => record(judged, stored, verdictMs, measuring),
    });
    const grids = probes.map((p) => slotGrid(p));
    const start = Date.now();
    const next = grids.map((g) => g.ceil(start));
    const measureFrom = start + 5_000;
    const stopAt = measureFrom + (o.seconds ?? 20) * 1000;
    let stop = false;
    const ticking = (async () => {
      while (!stop || stored.size > 0) {
        const s = await ev.tick();
        if (measuring) tickMs.push(s.ms);
        await new Promise((r) => setTimeout(r, o.tickEveryMs ?? 100));
        if (stop && Date.now() > stopAt + 15_000) break;
      }
    })();
    let written = 0;
    while (Date.now() < stopAt) {
      const now = Date.now();
      measuring = now >= measureFrom;
      const batch: ProbeResult[] = [];
      const keys: string[] = [];
      for (let i = 0; i < probes.length; i++)
        while (next[i]! <= now) {
          for (const region of regions) batch.push(benchResult(probes[i]!.id, region, next[i]!));
          keys.push(`${probes[i]!.id}@${next[i]!}`);
          next[i] = grids[i]!.next(next[i]!);
        }
      if (batch.length > 0) {
        await insertResults(h.db, batch);
        const t = performance.now();
        if (measuring) {
          for (const k of keys) stored.set(k, t);
          written += batch.length;
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    stop = true;
    await ticking;
    await ev.release();
    verdictMs.sort((a, b) => a - b);
    tickMs.sort((a, b) => a - b);
    return {
      probes: n,
      results_per_s: Math.round(written / ((stopAt - measureFrom) / 1000)),
      slots_judged: verdictMs.length,
      slots_unjudged: stored.size,
      verdict_p50_ms: Math.round(quantile(verdictMs, 0.5)),
      verdict_p99_ms: Math.round(quantile(verdictMs, 0.99)),
      verdict_max_ms: Math.round(verdictMs[verdictMs.length - 1] ?? 0),
      tick_p50_ms: Math.round(quantile(tickMs, 0.5)),
      tick_p99_ms: Math.round(quantile(tickMs, 0.99)),
    };
  } finally {
    await h.close();
  }
}

export interface BenchStatusOptions {
  databaseUrl: string;
  /** @defaultValue 1 000 */
  probes?: number;
  /** @defaultValue 90 */
  days?: number;
}

/**
 * Seeds `days` of rollups for `probes` probes, then times availability, error budget and p95 over the
 * whole span for all of them (and `vigil status`). Seeding writes the running totals of every day and
 * the hourly rows of the two edge days: the queries read nothing else.
 */
export async function benchStatus(o: BenchStatusOptions): Promise<Record<string, number>> {
  const n = o.probes ?? 1_000;
  const days = o.days ?? 90;
  const run = randomBytes(3).toString('hex');
  const probes = Array.from({ length: n }, (_, i) => benchProbe(`s${run}-${i}`, i, ['r0'], 60_000));
  const h = await openDb({ url: o.databaseUrl, poolSize: 4 });
  try {
    await migrate(h);
    const end = Math.floor(Date.now() / DAY_MS) * DAY_MS + 13 * HOUR_MS + 1_800_000;
    const from = end - days * DAY_MS;
    const t0 = performance.now();
    await seedRollups(h, probes, from, end);
    const seedMs = performance.now() - t0;
    const ids = probes.map((p) => p.id);
    const t1 = performance.now();
    const totals = await windowTotals(h.db, ids, from, end);
    let met = 0;
    for (const p of probes) {
      const t = totals.get(p.id);
      if (!t) continue;
      const a = summarizeTimes(t.times, end - from, p.sloTarget);
      errorBudget({ upMs: t.times.upMs, downMs: t.times.downMs, target: p.sloTarget });
      histQuantile(t.latency, 0.95);
      if (a.status === 'met') met++;
    }
    const windowMs = performance.now() - t1;
    const t2 = performance.now();
    await readStatus(h.db, benchConfig(probes, ['r0']), end);
    const statusMs = performance.now() - t2;
    return {
      probes: n,
      days,
      seed_ms: Math.round(seedMs),
      window_ms: Math.round(windowMs),
      status_ms: Math.round(statusMs),
      probes_met: met,
    };
  } finally {
    await h.close();
  }
}

/** Hourly rollups of the edge days and daily running totals for `subjects` over [from, end). */
export async function seedRollups(
  h: DbHandle,
  probes: readonly { id: string }[],
  from: number,
  end: number,
): Promise<void> {
  const firstDay = Math.floor(from / DAY_MS) * DAY_MS;
  const edgeDays = new Set([firstDay, Math.floor(end / DAY_MS) * DAY_MS]);
  for (let i = 0; i < probes.length; i += 100) {
    const hourly: HourlyRollup[] = [];
    const running: HourlyRollup[] = [];
    for (const p of probes.slice(i, i + 100)) {
      let total: HourlyRollup | null = null;
      for (let day = firstDay; day < end; day += DAY_MS) {
        const hours = Array.from({ length: 24 }, (_, k) => benchHour(p.id, day + k * HOUR_MS, k));
        if (edgeDays.has(day)) hourly.push(...hours);
        total = mergeRollups(total ? [total, ...hours] : hours)!;
        running.push({ ...total, hourStart: day });
      }
    }
    await upsertRollups(h.db, hourly);
    await writeCumulative(h.db, running);
  }
}

function benchHour(subject: string, at: number, k: number): HourlyRollup {
  const slots: SlotVerdict[] = Array.from({ length: 60 }, (_, m) => ({
    at: at + m * 60_000,
    durationMs: 60_000,
    verdict: (k * 60 + m) % 97 === 0 ? 'down' : 'up',
    latencyMs: 80 + ((k * 7 + m * 13) % 300),
  }));
  return rollupHour(subject, at, slots);
}

function record(
  judged: ReadonlyMap<string, readonly SlotVerdict[]>,
  stored: Map<string, number>,
  out: number[],
  measuring: boolean,
): void {
  const t = performance.now();
  for (const [id, slots] of judged)
    for (const s of slots) {
      const k = `${id}@${s.at}`;
      const at = stored.get(k);
      if (at === undefined) continue;
      stored.delete(k);
      if (measuring) out.push(t - at);
    }
}

export function benchProbe(id: string, i: number, regions: string[], everyMs: number): ProbeSpec {
  return {
    id,
    name: id,
    provider: `provider-${i % 20}`,
    service: `service-${i % 5}`,
    critical: i % 3 === 0,
    schedule: { type: 'interval', everyMs },
    timeoutMs: Math.min(5_000, everyMs - 1),
    regions,
    sloTarget: 0.98,
    labels: {},
    runbook: null,
    kind: 'http',
    spec: { url: 'https://example.com/' },
    expect: {},
    source: { file: 'bench.yaml', line: 1, col: 1 },
  };
}

export function benchConfig(probes: ProbeSpec[], regions: string[]): VigilConfig {
  return {
    root: '.',
    timezone: 'UTC',
    regions,
    probes,
    services: {},
    channels: { log: { type: 'log' } },
    routes: [],
    maintenance: [],
    reports: {},
    alerting: { failures: { failures: 3, window: 5 }, recovery: 2, reminder: 2 * HOUR_MS },
    files: [],
  };
}

function benchResult(probeId: string, region: string, slotAt: number): ProbeResult {
  const down = (slotAt / 1000 + probeId.length) % 100 === 0;
  return {
    probeId,
    region,
    slotAt,
    startedAt: slotAt,
    phases: { dnsMs: 1, connectMs: 5, tlsMs: 10, ttfbMs: 90, transferMs: 2, totalMs: 110 },
    outcome: down ? 'down' : 'up',
    httpStatus: down ? 503 : 200,
    errorClass: down ? 'http_status' : null,
    message: down ? 'expected status 200, got 503' : null,
    assertions: [],
    retryAfterS: null,
    tlsDaysLeft: null,
    workerId: 'bench',
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
