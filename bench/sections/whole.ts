import { createServer } from 'node:net';
import { join } from 'node:path';
import { queryResults } from '@vigil/db';
import { writeBenchConfig } from '../lib/bench-config.js';
import { bundleEntry } from '../lib/bundle.js';
import { shadowDegradedOpenings } from '../lib/degraded-shadow.js';
import { isLog, startChild, type Child } from '../lib/children.js';
import { drainResults } from '../lib/drain.js';
import { fidelityOf, slotsIn } from '../lib/fidelity-math.js';
import { describeIncidents, falseIncidents, incidentEvidence, summarizeEvidence } from '../lib/incidents.js';
import { fixedGroup, startWindow, type ProcessGroup } from '../lib/meter.js';
import { postgresPids, redisPid } from '../lib/services.js';
import { openStack } from '../lib/stack.js';
import { perSecond, perThousand, round } from '../lib/stats.js';
import { driveStatus } from '../lib/status-client.js';
import { sleep } from '../lib/time.js';
import { verdictLatency } from '../lib/verdict-math.js';
import { readWholeOptions } from '../lib/whole-options.js';
import type { KeyValue, Row, Section } from './types.js';

const READY_TIMEOUT_MS = 120_000;
/** after the last result is stored, how long the evaluator may take to judge the window's slots */
const VERDICT_WAIT_MS = 45_000;
const VERDICT_POLL_MS = 1_000;
/** the default latency threshold of a probe that is not critical (core's defaultLatencyThresholdMs) */
const SLOW_MS = 300;
/** every process the section runs and meters, in the order of the table's note */
const PARTS = ['scheduler', 'worker', 'evaluator', 'api', 'redis', 'postgres'] as const;

/**
 * The deployment on one machine: the scheduler, BENCH_WORKERS workers, the evaluator (with its outbox
 * relay) and the API, each a process of its own, on Redis and a fresh Postgres database, running
 * BENCH_WHOLE_PROBES probes every BENCH_INTERVAL_MS against the local simulator, while a small client
 * reads the status page. Slot lag, missed slots, result → verdict, CPU of every process, and the
 * incidents opened against the healthy target.
 */
export const whole: Section = {
  name: 'whole',
  async run(ctx) {
    const { opts } = ctx;
    const wo = readWholeOptions(process.env);
    const sim = await ctx.simulator();
    const stack = await openStack(opts, ctx.dir, 'whole');
    try {
      const configDir = join(ctx.dir, 'whole-config');
      const probes = await writeBenchConfig({
        dir: configDir,
        count: wo.probes,
        idPrefix: 'wh',
        intervalMs: opts.intervalMs,
        timeoutMs: opts.timeoutMs,
        url: sim.url,
      });
      const ids = probes.map((p) => p.spec.id);
      const env = {
        DATABASE_URL: stack.db.url,
        REDIS_URL: opts.redisUrl,
        VIGIL_QUEUE_PREFIX: stack.redis.prefix,
        VIGIL_CONFIG_DIR: configDir,
        VIGIL_OUTBOX_DIR: join(ctx.dir, 'whole-outbox'),
        VIGIL_REPORTS_DIR: join(ctx.dir, 'whole-reports'),
        LOG_LEVEL: 'info',
      };
      const entry = async (path: string, name: string) =>
        opts.workerRuntime === 'bundle' ? bundleEntry(path, name) : path;
      const started = Date.now();
      const scheduler = await stack.startScheduler(configDir);
      ctx.log(`whole: ${ids.length} schedulers reconciled; starting the evaluator and the API`);
      const port = await freePort();
      const [evaluatorEntry, apiEntry] = await Promise.all([
        entry('bench/children/evaluator.ts', 'whole-evaluator'),
        entry('apps/api/src/main.ts', 'whole-api'),
      ]);
      const evaluator = startChild({
        name: 'evaluator',
        entry: evaluatorEntry,
        env,
        logFile: join(ctx.dir, 'whole-evaluator.log'),
      });
      const api = startChild({
        name: 'api',
        entry: apiEntry,
        env: { ...env, API_HOST: '127.0.0.1', API_PORT: String(port) },
        logFile: join(ctx.dir, 'whole-api.log'),
      });
      stack.children.push(evaluator, api);
      const [, listening] = await Promise.all([
        evaluator.waitFor((m) => isLog(m, 'bench evaluator started'), READY_TIMEOUT_MS),
        api.waitFor((m) => startsWith(m, 'api listening'), READY_TIMEOUT_MS),
      ]);
      const apiUrl = (listening as { url?: string }).url ?? `http://127.0.0.1:${port}`;
      ctx.log(`whole: starting ${opts.workers} worker(s) × ${opts.concurrency}; one interval of warm-up`);
      const workers = await stack.startWorkers(opts.workers, opts.concurrency);
      await sleep(opts.intervalMs + opts.warmupSeconds * 1000);

      const groups: ProcessGroup[] = [
        fixedGroup('scheduler', [scheduler.pid]),
        fixedGroup(
          'worker',
          workers.map((w) => w.pid),
        ),
        fixedGroup('evaluator', [evaluator.pid]),
        fixedGroup('api', [api.pid]),
        fixedGroup('redis', [await redisPid(opts.redisUrl)]),
        { name: 'postgres', pids: () => postgresPids(opts.databaseUrl, stack.db.name) },
      ];
      const from = Date.now();
      evaluator.send({ type: 'measure', from, to: from + opts.seconds * 1000 + 60_000 });
      const window = await startWindow(groups, ['worker', 'evaluator', 'api']);
      ctx.log(`whole: ${opts.seconds} s measured, ${wo.apiPerSecond} status requests/s to ${apiUrl}/`);
      const status =
        wo.apiPerSecond > 0
          ? await driveStatus(`${apiUrl}/`, { perSecond: wo.apiPerSecond, ms: opts.seconds * 1000 })
          : (await sleep(opts.seconds * 1000), null);
      const measured = await window.stop();
      const to = Date.now();
      evaluator.send({ type: 'measure', from, to });

      const expected = ids.reduce((n, id) => n + slotsIn(id, opts.intervalMs, from, to).length, 0);
      ctx.log(`whole: waiting for the ${expected} slots of the window to be stored and judged`);
      await drainResults(stack.db.url, { from, to }, expected, to + opts.timeoutMs + 15_000);
      const runs = await queryResults(stack.dbh.db, { from: new Date(from), to: new Date(to) });
      const f = fidelityOf(ids, opts.intervalMs, from, to, runs);
      await waitForVerdicts(evaluator, f.ran, Date.now() + VERDICT_WAIT_MS);
      const reply = await evaluator.ask('verdicts', 120_000);
      const judged = reply.judged as [string, number, number][];
      const maxTickGapMs = Number(reply.maxGapMs);
      const v = verdictLatency(
        runs
          .filter((r) => r.slotAt >= from && r.slotAt < to)
          .map((r) => ({
            probeId: r.probeId,
            slotAt: r.slotAt,
            startedAt: r.startedAt,
            totalMs: r.phases.totalMs ?? 0,
          })),
        judged,
      );
      const incidents = await falseIncidents(stack.db.url, started);
      // what the evaluator had seen of each probe when its incident opened: the degraded track's window
      const evidence = await incidentEvidence(stack.db.url, {
        lookbackMs: Math.max(10 * 60_000, 5 * opts.intervalMs),
        aheadMs: 5 * opts.intervalMs,
        thresholdMs: SLOW_MS,
      });
      const why = summarizeEvidence(evidence);
      // the same stored results under the degraded rule before issue 13's fix, for comparison
      const lifetime = await queryResults(stack.dbh.db, {
        from: new Date(started - opts.intervalMs),
        to: new Date(Date.now() + opts.intervalMs),
      });
      const shadow = shadowDegradedOpenings(
        lifetime.map((r) => ({
          probeId: r.probeId,
          slotAt: r.slotAt,
          outcome: r.outcome,
          totalMs: r.phases.totalMs ?? 0,
        })),
        { windowMs: Math.max(10 * 60_000, 5 * opts.intervalMs), thresholdMs: SLOW_MS },
      );
      const slowAll = lifetime.filter((r) => r.outcome === 'up' && (r.phases.totalMs ?? 0) > SLOW_MS).length;
      const shadowBySlow = new Map<number, number>();
      for (const x of shadow) shadowBySlow.set(x.slow, (shadowBySlow.get(x.slow) ?? 0) + 1);
      const shadowNote = [...shadowBySlow]
        .sort((a, b) => a[0] - b[0])
        .map(([k, n]) => `${n} with ${k} slow in the window`)
        .join(', ');
      if (shadow.length > 0)
        ctx.log(
          `whole: the pre-fix degraded rule opens ${shadow.length} on these results (${shadowNote}; ` +
            `${shadow.filter((x) => x.samples < 20).length} with < 20 samples)`,
        );
      if (why) {
        ctx.log(`whole: false incidents — ${why}`);
        for (const e of evidence.slice(0, 10)) ctx.log(`whole:   ${JSON.stringify(e)}`);
      }
      const notUp = runs.filter((r) => r.outcome !== 'up').length;
      const slow = runs.filter((r) => (r.phases.totalMs ?? 0) > SLOW_MS).length;
      const cpuTotal = PARTS.reduce((s, k) => s + (measured.cpu[k] ?? 0), 0);
      const per1k = (k: string) => round(perThousand(measured.cpu[k] ?? 0, f.ran), 4);
      const keys: Record<string, KeyValue> = {
        whole_probes: ids.length,
        whole_scheduled_per_s: round((ids.length * 1000) / opts.intervalMs, 1),
        whole_probes_per_s: round(perSecond(f.ran, measured.ms), 1),
        whole_slot_lag_p50_ms: f.lagP50Ms,
        whole_slot_lag_p99_ms: f.lagP99Ms,
        whole_slot_lag_max_ms: f.lagMaxMs,
        whole_missed_slots: f.missed,
        whole_expected_slots: f.expected,
        whole_off_grid_runs: f.offGrid,
        whole_not_up_results: notUp,
        whole_results_over_300_ms: slow,
        whole_verdict_p50_ms: v.p50Ms === null ? null : Math.round(v.p50Ms),
        whole_verdict_p99_ms: v.p99Ms === null ? null : Math.round(v.p99Ms),
        whole_verdict_max_ms: v.maxMs === null ? null : Math.round(v.maxMs),
        whole_unjudged_slots: v.unjudged,
        whole_evaluator_max_tick_gap_ms: maxTickGapMs,
        whole_cpu_s_per_1k: round(perThousand(cpuTotal, f.ran), 4),
        ...Object.fromEntries(PARTS.map((k) => [`whole_cpu_s_per_1k_${k}`, per1k(k)])),
        whole_cores_used: round(measured.ms > 0 ? cpuTotal / (measured.ms / 1000) : null, 2),
        whole_worker_rss_mb: round(measured.maxRssMb.worker ?? null, 1),
        whole_evaluator_rss_mb: round(measured.maxRssMb.evaluator ?? null, 1),
        whole_api_rss_mb: round(measured.maxRssMb.api ?? null, 1),
        whole_api_requests: status?.requests ?? 0,
        whole_api_p50_ms: status?.p50Ms ?? null,
        whole_api_p99_ms: status?.p99Ms ?? null,
        whole_api_failed: status ? status.non2xx + status.errors : 0,
        whole_api_skipped: status?.skipped ?? 0,
        whole_false_incidents: incidents.total,
        whole_results_over_300_ms_lifetime: slowAll,
        whole_degraded_pre_fix_rule: shadow.length,
      };
      const rows: Row[] = [
        {
          metric: 'probes on Job Schedulers',
          value: ids.length,
          note: `${keys.whole_scheduled_per_s}/s scheduled; ${opts.workers} workers × ${opts.concurrency}`,
        },
        { metric: 'slot lag p50', value: f.lagP50Ms, unit: 'ms' },
        {
          metric: 'slot lag p99',
          value: f.lagP99Ms,
          unit: 'ms',
          note: `max ${f.lagMaxMs} ms; target ≤ 250`,
        },
        {
          metric: 'missed slots',
          value: f.missed,
          note: `of ${f.expected} expected; ${f.offGrid} off-grid runs; target 0`,
        },
        {
          metric: 'results not up / over 300 ms',
          value: `${notUp} / ${slow}`,
        },
        {
          metric: 'result end → verdict committed p99',
          value: keys.whole_verdict_p99_ms ?? null,
          unit: 'ms',
          note: `p50 ${keys.whole_verdict_p50_ms}, max ${keys.whole_verdict_max_ms}; ${v.unjudged} unjudged; longest gap between judging ticks ${maxTickGapMs} ms; target < 2,000`,
        },
        {
          metric: 'CPU-s per 1k scheduled probes (all)',
          value: keys.whole_cpu_s_per_1k ?? null,
          note: PARTS.map((k) => `${k} ${keys[`whole_cpu_s_per_1k_${k}`]}`).join(' + '),
        },
        { metric: 'cores used', value: keys.whole_cores_used ?? null },
        {
          metric: 'RSS worker / evaluator / api',
          value: `${keys.whole_worker_rss_mb} / ${keys.whole_evaluator_rss_mb} / ${keys.whole_api_rss_mb}`,
          unit: 'MiB',
        },
        {
          metric: 'status page (GET /)',
          value: keys.whole_api_p99_ms ?? null,
          unit: 'ms p99',
          note: `${keys.whole_api_requests} requests, p50 ${keys.whole_api_p50_ms} ms, ${keys.whole_api_failed} failed, ${keys.whole_api_skipped} skipped (2 in flight)`,
        },
        {
          metric: 'false incidents (healthy target)',
          value: incidents.total,
          note: [describeIncidents(incidents), why].filter(Boolean).join('; ') || 'target 0',
        },
        {
          metric: 'degraded the pre-fix rule opens on these results',
          value: shadow.length,
          note: `${shadowNote || 'none'}; ${slowAll} up results over ${SLOW_MS} ms since the start (${lifetime.length} results)`,
        },
      ];
      return { keys, rows };
    } finally {
      await stack.close();
    }
  },
};

/** Polls the evaluator child until it noted `expected` verdicts of the window (or the deadline passes). */
async function waitForVerdicts(evaluator: Child, expected: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    // a busy evaluator (a tick, a burst of notifications) answers late: that is not a failure
    const n = await evaluator.ask('count', 30_000).then(
      (r) => Number(r.n),
      () => 0,
    );
    if (n >= expected) return;
    await sleep(VERDICT_POLL_MS);
  }
}

/** A port free right now on 127.0.0.1 (the API's API_PORT must be a positive number). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function startsWith(msg: unknown, text: string): boolean {
  const m = typeof msg === 'object' && msg !== null ? (msg as { msg?: unknown }).msg : undefined;
  return typeof m === 'string' && m.startsWith(text);
}
