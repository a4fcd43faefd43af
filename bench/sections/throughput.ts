import { join } from 'node:path';
import { resultStreamKey } from '@vigil/queue';
import { BENCH_REGION, writeBenchConfig } from '../lib/bench-config.js';
import { driveBlackbox, ensureBlackbox, startBlackbox } from '../lib/blackbox.js';
import { startChild, isType } from '../lib/children.js';
import { fixedGroup, startWindow, type ProcessGroup, type Window } from '../lib/meter.js';
import { countResults, notUpResults, postgresPids, redisPid, transactionsOf } from '../lib/services.js';
import { openStack } from '../lib/stack.js';
import { perSecond, perThousand, ratio, round } from '../lib/stats.js';
import { sleep } from '../lib/time.js';
import type { Row, Section, SectionContext, SectionResult } from './types.js';

const PROBES = 1_000;

interface VigilRun {
  persisted: number;
  simRequests: number;
  window: Window;
  notUp: { outcome: string; errorClass: string | null; n: number }[];
  backlog: number;
  /** Postgres transactions on the bench database during the window */
  xacts: number;
}

/**
 * Vigil with the queue kept full (a producer adding scheduler-shaped jobs), every result persisted,
 * then blackbox_exporter probing the same route at the same concurrency, one after the other.
 */
export const throughput: Section = {
  name: 'throughput',
  async run(ctx) {
    const vigil = await runVigil(ctx);
    const bb = await runBlackbox(ctx);
    return summarize(ctx, vigil, bb);
  },
};

async function runVigil(ctx: SectionContext): Promise<VigilRun> {
  const { opts } = ctx;
  const sim = await ctx.simulator();
  const stack = await openStack(opts, ctx.dir, 'tp');
  try {
    const probes = await writeBenchConfig({
      dir: join(ctx.dir, 'tp-config'),
      count: PROBES,
      idPrefix: 'tp',
      intervalMs: opts.intervalMs,
      timeoutMs: opts.timeoutMs,
      url: sim.url,
    });
    await stack.storeProbes(probes);
    ctx.log(`throughput: starting ${opts.workers} worker(s) × ${opts.concurrency}`);
    const workers = await stack.startWorkers(opts.workers, opts.concurrency);
    const producer = startChild({
      name: 'producer',
      entry: 'bench/children/producer.ts',
      env: {},
      logFile: join(ctx.dir, 'tp-producer.log'),
    });
    stack.children.push(producer);
    await producer.waitFor((m) => isType(m, 'ready'), 60_000);
    producer.send({
      type: 'start',
      redisUrl: opts.redisUrl,
      prefix: stack.redis.prefix,
      region: BENCH_REGION,
      probes: probes.map((p) => ({ id: p.spec.id, hash: p.hash })),
      backlog: Math.max(2_000, 4 * opts.workers * opts.concurrency),
      maxMs: (opts.warmupSeconds + opts.seconds + 120) * 1000,
    });
    await producer.waitFor((m) => isType(m, 'started'), 30_000);
    ctx.log(`throughput: warm-up ${opts.warmupSeconds} s, then ${opts.seconds} s measured`);
    await sleep(opts.warmupSeconds * 1000);

    const groups: ProcessGroup[] = [
      fixedGroup('producer', [producer.pid]),
      fixedGroup(
        'worker',
        workers.map((w) => w.pid),
      ),
      fixedGroup('redis', [await redisPid(opts.redisUrl)]),
      { name: 'postgres', pids: () => postgresPids(opts.databaseUrl, stack.db.name) },
      fixedGroup('simulator', [sim.child.pid]),
    ];
    const rows0 = await countResults(stack.db.url);
    const xacts0 = await transactionsOf(opts.databaseUrl, stack.db.name);
    const sim0 = Number((await sim.child.ask('count')).requests);
    const window = await startWindow(groups, ['worker']);
    await sleep(opts.seconds * 1000);
    const measured = await window.stop();
    const sim1 = Number((await sim.child.ask('count')).requests);
    const rows1 = await countResults(stack.db.url);
    const xacts = (await transactionsOf(opts.databaseUrl, stack.db.name)) - xacts0;
    const backlog = await stack.redis.client.xlen(resultStreamKey(stack.redis.prefix));
    await producer.stop();
    await Promise.all(workers.map((w) => w.stop()));
    const notUp = await notUpResults(stack.db.url);
    return { persisted: rows1 - rows0, simRequests: sim1 - sim0, window: measured, notUp, backlog, xacts };
  } finally {
    await stack.close();
  }
}

interface BlackboxRun {
  ok: number;
  failed: number;
  lastFailure: string | null;
  simRequests: number;
  window: Window;
}

async function runBlackbox(ctx: SectionContext): Promise<BlackboxRun> {
  const { opts } = ctx;
  const sim = await ctx.simulator();
  const binary = await ensureBlackbox(ctx.log);
  const bb = await startBlackbox(binary, ctx.dir, opts.timeoutMs);
  try {
    const concurrency = opts.workers * opts.concurrency;
    ctx.log(`throughput: blackbox_exporter at concurrency ${concurrency}, warm-up then ${opts.seconds} s`);
    await driveBlackbox(bb, sim.url, concurrency, opts.warmupSeconds * 1000);
    const sim0 = Number((await sim.child.ask('count')).requests);
    const window = await startWindow([
      fixedGroup('blackbox', [bb.pid]),
      fixedGroup('simulator', [sim.child.pid]),
    ]);
    const drive = await driveBlackbox(bb, sim.url, concurrency, opts.seconds * 1000);
    const measured = await window.stop();
    const sim1 = Number((await sim.child.ask('count')).requests);
    return { ...drive, simRequests: sim1 - sim0, window: measured };
  } finally {
    await bb.stop();
  }
}

function summarize(ctx: SectionContext, v: VigilRun, b: BlackboxRun): SectionResult {
  const vigilRate = perSecond(v.persisted, v.window.ms);
  const bbRate = perSecond(b.ok + b.failed, b.window.ms);
  const vigilProcs = ['producer', 'worker', 'redis', 'postgres'];
  const vigilCpu = vigilProcs.reduce((s, k) => s + (v.window.cpu[k] ?? 0), 0);
  const vigilPer1k = perThousand(vigilCpu, v.persisted);
  const bbPer1k = perThousand(b.window.cpu.blackbox ?? 0, b.ok + b.failed);
  const per1k = (k: string) => round(perThousand(v.window.cpu[k] ?? 0, v.persisted), 4);
  const notUp = v.notUp.reduce((s, r) => s + r.n, 0);
  const keys = {
    vigil_probes_per_s: round(vigilRate, 1),
    vigil_completed_per_s: round(perSecond(v.simRequests, v.window.ms), 1),
    blackbox_probes_per_s: round(bbRate, 1),
    throughput_ratio: round(ratio(vigilRate, bbRate), 3),
    vigil_cpu_s_per_1k: round(vigilPer1k, 4),
    vigil_cpu_s_per_1k_producer: per1k('producer'),
    vigil_cpu_s_per_1k_worker: per1k('worker'),
    vigil_cpu_s_per_1k_redis: per1k('redis'),
    vigil_cpu_s_per_1k_postgres: per1k('postgres'),
    blackbox_cpu_s_per_1k: round(bbPer1k, 4),
    cpu_ratio: round(ratio(vigilPer1k, bbPer1k), 3),
    simulator_cpu_s_per_1k_vigil: round(perThousand(v.window.cpu.simulator ?? 0, v.simRequests), 4),
    simulator_cpu_s_per_1k_blackbox: round(perThousand(b.window.cpu.simulator ?? 0, b.simRequests), 4),
    vigil_not_up_results: notUp,
    vigil_results_backlog: v.backlog,
    vigil_pg_transactions_per_1k: round(v.persisted > 0 ? (v.xacts * 1000) / v.persisted : null, 1),
    blackbox_failed: b.failed,
    worker_rss_mb: round(v.window.maxRssMb.worker ?? null, 1),
    workers: ctx.opts.workers,
    worker_runtime: ctx.opts.workerRuntime,
    concurrency_total: ctx.opts.workers * ctx.opts.concurrency,
    // the producer's jobs are one per probe per second, off the probes' grids: no evaluator judges them
    throughput_false_incidents: null,
  };
  const rows: Row[] = [
    {
      metric: 'Vigil persisted probes/s',
      value: keys.vigil_probes_per_s,
      note: `sent ${keys.vigil_completed_per_s}/s`,
    },
    { metric: 'blackbox_exporter probes/s', value: keys.blackbox_probes_per_s, note: `${b.failed} failed` },
    { metric: 'throughput ratio Vigil/blackbox', value: keys.throughput_ratio, note: 'target ≥ 1.3' },
    {
      metric: 'Vigil CPU-s per 1k probes',
      value: keys.vigil_cpu_s_per_1k,
      note: `producer ${keys.vigil_cpu_s_per_1k_producer} + worker ${keys.vigil_cpu_s_per_1k_worker} + redis ${keys.vigil_cpu_s_per_1k_redis} + postgres ${keys.vigil_cpu_s_per_1k_postgres}`,
    },
    { metric: 'blackbox CPU-s per 1k probes', value: keys.blackbox_cpu_s_per_1k },
    { metric: 'CPU ratio Vigil/blackbox', value: keys.cpu_ratio, note: 'target ≤ 1' },
    {
      metric: 'simulator CPU-s per 1k requests',
      value: keys.simulator_cpu_s_per_1k_vigil,
      note: `blackbox run: ${keys.simulator_cpu_s_per_1k_blackbox} (counted for neither)`,
    },
    {
      metric: 'Vigil results not up',
      value: notUp,
      note: v.notUp.map((r) => `${r.errorClass ?? r.outcome} ${r.n}`).join(', ') || undefined,
    },
    { metric: 'Vigil results still in the stream', value: v.backlog },
    { metric: 'Postgres transactions per 1k probes', value: keys.vigil_pg_transactions_per_1k },
    {
      metric: 'worker RSS (max of any worker)',
      value: keys.worker_rss_mb,
      unit: 'MiB',
      note: 'target ≤ 300',
    },
  ];
  if (b.lastFailure) rows.push({ metric: 'blackbox last failure', value: b.lastFailure.slice(0, 80) });
  return { keys, rows };
}
