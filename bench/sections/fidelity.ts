import { join } from 'node:path';
import { queryResults } from '@vigil/db';
import { writeBenchConfig } from '../lib/bench-config.js';
import { drainResults } from '../lib/drain.js';
import { fidelityOf, slotsIn } from '../lib/fidelity-math.js';
import { describeIncidents, falseIncidents } from '../lib/incidents.js';
import { fixedGroup, startWindow, type ProcessGroup } from '../lib/meter.js';
import { replayEvaluator } from '../lib/replay.js';
import { postgresPids, redisPid, transactionsOf } from '../lib/services.js';
import { openStack } from '../lib/stack.js';
import { perSecond, perThousand, round } from '../lib/stats.js';
import { sleep } from '../lib/time.js';
import type { Row, Section } from './types.js';

/**
 * BENCH_PROBES probes every BENCH_INTERVAL_MS on BullMQ Job Schedulers made by the real scheduler from
 * YAML, run by the real workers: how late each slot starts, and which slots never ran.
 */
export const fidelity: Section = {
  name: 'fidelity',
  async run(ctx) {
    const { opts } = ctx;
    const sim = await ctx.simulator();
    const stack = await openStack(opts, ctx.dir, 'fid');
    try {
      const configDir = join(ctx.dir, 'fid-config');
      const probes = await writeBenchConfig({
        dir: configDir,
        count: opts.probes,
        idPrefix: 'fid',
        intervalMs: opts.intervalMs,
        timeoutMs: opts.timeoutMs,
        url: sim.url,
      });
      const ids = probes.map((p) => p.spec.id);
      const started = Date.now();
      const reconcileStart = performance.now();
      const scheduler = await stack.startScheduler(configDir);
      const reconcileMs = performance.now() - reconcileStart;
      ctx.log(`fidelity: ${ids.length} schedulers reconciled in ${Math.round(reconcileMs)} ms`);
      // started onto stored probes, like workers of a running deployment (they preload the specs)
      ctx.log(`fidelity: starting ${opts.workers} worker(s) × ${opts.concurrency}; one interval of warm-up`);
      const workers = await stack.startWorkers(opts.workers, opts.concurrency);
      // every probe has had its first slot (and the workers their spec cache) before measuring
      await sleep(opts.intervalMs + opts.warmupSeconds * 1000);

      const groups: ProcessGroup[] = [
        fixedGroup('scheduler', [scheduler.pid]),
        fixedGroup(
          'worker',
          workers.map((w) => w.pid),
        ),
        fixedGroup('redis', [await redisPid(opts.redisUrl)]),
        { name: 'postgres', pids: () => postgresPids(opts.databaseUrl, stack.db.name) },
      ];
      const from = Date.now();
      const xacts0 = await transactionsOf(opts.databaseUrl, stack.db.name);
      const window = await startWindow(groups, ['worker']);
      await sleep(opts.seconds * 1000);
      const measured = await window.stop();
      const to = Date.now();
      const xacts = (await transactionsOf(opts.databaseUrl, stack.db.name)) - xacts0;

      const expected = ids.reduce((n, id) => n + slotsIn(id, opts.intervalMs, from, to).length, 0);
      ctx.log(`fidelity: waiting for the ${expected} slots of the window to be stored`);
      await drainResults(stack.db.url, { from, to }, expected, to + opts.timeoutMs + 15_000);
      const runs = await queryResults(stack.dbh.db, { from: new Date(from), to: new Date(to) });
      const f = fidelityOf(ids, opts.intervalMs, from, to, runs);
      const notUp = runs.filter((r) => r.outcome !== 'up').length;
      // no evaluator ran (it would share the cores): the real one judges the stored results afterwards
      ctx.log('fidelity: replaying the evaluator over the stored results');
      const replay = await replayEvaluator({ db: stack.dbh.db, configDir, from: started, to });
      ctx.log(`fidelity: the evaluator judged ${replay.slots} slots and opened ${replay.opened} incidents`);
      const incidents = await falseIncidents(stack.db.url, started);
      const cpuTotal = Object.values(measured.cpu).reduce((a, b) => a + b, 0);
      const per1k = (k: string) => round(perThousand(measured.cpu[k] ?? 0, f.ran), 4);
      const keys = {
        scheduled_probes: ids.length,
        scheduled_per_s: round((ids.length * 1000) / opts.intervalMs, 1),
        reconcile_ms: Math.round(reconcileMs),
        slot_lag_p50_ms: f.lagP50Ms,
        slot_lag_p99_ms: f.lagP99Ms,
        slot_lag_max_ms: f.lagMaxMs,
        missed_slots: f.missed,
        expected_slots: f.expected,
        off_grid_runs: f.offGrid,
        fidelity_not_up_results: notUp,
        fidelity_probes_per_s: round(perSecond(f.ran, measured.ms), 1),
        fidelity_cpu_s_per_1k: round(perThousand(cpuTotal, f.ran), 4),
        fidelity_cpu_s_per_1k_scheduler: per1k('scheduler'),
        fidelity_cpu_s_per_1k_worker: per1k('worker'),
        fidelity_cpu_s_per_1k_redis: per1k('redis'),
        fidelity_cpu_s_per_1k_postgres: per1k('postgres'),
        fidelity_pg_transactions_per_1k: round(f.ran > 0 ? (xacts * 1000) / f.ran : null, 1),
        worker_rss_mb: round(measured.maxRssMb.worker ?? null, 1),
        fidelity_false_incidents: incidents.total,
      };
      const rows: Row[] = [
        {
          metric: 'probes on Job Schedulers',
          value: ids.length,
          note: `${keys.scheduled_per_s}/s scheduled`,
        },
        { metric: 'first reconcile', value: keys.reconcile_ms, unit: 'ms' },
        { metric: 'slot lag p50', value: keys.slot_lag_p50_ms, unit: 'ms' },
        {
          metric: 'slot lag p99',
          value: keys.slot_lag_p99_ms,
          unit: 'ms',
          note: `max ${keys.slot_lag_max_ms} ms; target ≤ 250`,
        },
        {
          metric: 'missed slots',
          value: f.missed,
          note: `of ${f.expected} expected; ${f.offGrid} off-grid runs`,
        },
        { metric: 'results not up', value: notUp },
        {
          metric: 'CPU-s per 1k scheduled probes',
          value: keys.fidelity_cpu_s_per_1k,
          note: `scheduler ${keys.fidelity_cpu_s_per_1k_scheduler} + worker ${keys.fidelity_cpu_s_per_1k_worker} + redis ${keys.fidelity_cpu_s_per_1k_redis} + postgres ${keys.fidelity_cpu_s_per_1k_postgres}`,
        },
        { metric: 'Postgres transactions per 1k probes', value: keys.fidelity_pg_transactions_per_1k },
        { metric: 'worker RSS (max of any worker)', value: keys.worker_rss_mb, unit: 'MiB' },
        {
          metric: 'false incidents (evaluator replayed)',
          value: incidents.total,
          note: describeIncidents(incidents) ?? 'target 0',
        },
      ];
      return { keys, rows };
    } finally {
      await stack.close();
    }
  },
};
