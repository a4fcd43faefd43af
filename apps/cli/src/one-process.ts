import { probeHash, providerBudgets, type VigilConfig } from '@vigil/config';
import type { Clock, Env, ProbeResult } from '@vigil/core';
import { getProbes, insertResults, migrate, type DbHandle } from '@vigil/db';
import { runProbe } from '@vigil/probes';
import {
  createBullDispatcher,
  createInProcessDispatcher,
  createInProcessPingStore,
  createInProcessProviderGate,
  createRedisPingStore,
  createRedisProviderGate,
  type Dispatcher,
} from '@vigil/queue';
import type { Logger } from '@vigil/runtime';
import { startApiRole, type ApiRole } from '@vigil/api';
import { startEvaluatorRole } from '@vigil/evaluator';
import { startSchedulerRole, type SchedulerRole } from '@vigil/scheduler';
import {
  batchSinkOutageLog,
  configProblems,
  createBatchSink,
  createProbeHandler,
  logConfigProblem,
  rateLimitLogging,
  SpecCache,
  startWorkerRole,
  type Role,
} from '@vigil/worker';

export interface OneProcessOptions {
  root: string;
  paths?: string[];
  /** the first valid config: regions and probes to start with */
  config: VigilConfig;
  db: DbHandle;
  /** distributed queue when set; in-process dispatch otherwise */
  redisUrl?: string;
  prefix?: string;
  /** only these regions (default: every region in vigil.yaml) */
  regions?: string[];
  concurrency?: number;
  env: Env;
  clock: Clock;
  log: Logger;
  onResult?: (r: ProbeResult) => void;
  watch?: boolean;
  /** the `file` channel's folder when vigil.yaml configures no channel */
  outboxDir?: string;
  /** where scheduled reports are written when vigil.yaml configures no email channel */
  reportsDir?: string;
  /** run the evaluator (slots, incidents, alerts) too @defaultValue true */
  evaluate?: boolean;
  /**
   * serve the web surface (status page, dashboard, API, /metrics) on host:port; false serves none.
   * A port in use is logged and the monitor runs on without it. @defaultValue false
   */
  api?: { host: string; port: number; localAccess: boolean } | false;
}

export interface OneProcess {
  scheduler: SchedulerRole;
  /** the web surface's URL, e.g. `http://127.0.0.1:8080`; null when not served */
  apiUrl: string | null;
  mode: 'embedded' | 'distributed';
  /** writes buffered results (embedded mode) */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Every role in one process: scheduler + worker(s), on Redis/BullMQ or in-process dispatch. */
export async function startOneProcess(o: OneProcessOptions): Promise<OneProcess> {
  await migrate(o.db);
  const regions = o.regions ?? o.config.regions;
  const cache = new SpecCache(async (ids) =>
    (await getProbes(o.db.db, ids)).map((p) => ({ id: p.id, hash: p.hash, spec: p.spec })),
  );
  // a probe that cannot run as configured (an unset ${env:…}) is said once, at start or when it appears
  const checkConfig = configProblems(o.env, logConfigProblem(o.log));
  // the providers' request budgets and Retry-After deferrals (Redis: shared with other workers)
  const gate = o.redisUrl
    ? createRedisProviderGate({
        redisUrl: o.redisUrl,
        prefix: o.prefix,
        onError: (err) => o.log.debug({ err: err.message }, 'rate-limit gate connection error'),
      })
    : createInProcessProviderGate();
  const prime = (config: VigilConfig) => {
    cache.set(config.probes.map((spec) => ({ id: spec.id, hash: probeHash(spec), spec })));
    gate
      .setBudgets(providerBudgets(config))
      .catch((err: unknown) =>
        o.log.warn({ err: (err as Error).message }, 'rate-limit budgets not published'),
      );
    if (o.redisUrl) return;
    for (const p of config.probes) if (p.regions.some((r) => regions.includes(r))) checkConfig(p);
  };
  prime(o.config);
  // push probes' pings: the API records them, the worker's runs read them (Redis: shared with other processes)
  const pings = o.redisUrl
    ? createRedisPingStore({
        redisUrl: o.redisUrl,
        prefix: o.prefix,
        onError: (err) => o.log.debug({ err: err.message }, 'ping store connection error'),
      })
    : createInProcessPingStore();

  let dispatcherFor: (regions: string[]) => Dispatcher;
  const roles: Role[] = [];
  let flush = async () => undefined as void;
  if (o.redisUrl) {
    const redisUrl = o.redisUrl;
    dispatcherFor = (all) => createBullDispatcher({ redisUrl, prefix: o.prefix, regions: all });
    for (const region of regions) {
      roles.push(
        await startWorkerRole({
          region,
          redisUrl: o.redisUrl,
          db: o.db.db,
          prefix: o.prefix,
          concurrency: o.concurrency,
          env: o.env,
          clock: o.clock,
          log: o.log,
          onResult: o.onResult,
          pings,
          gate,
        }),
      );
    }
  } else {
    const sink = createBatchSink({
      write: (rows) => insertResults(o.db.db, rows),
      ...batchSinkOutageLog(o.log, o.clock),
    });
    flush = () => sink.flush();
    const handler = createProbeHandler({
      getSpec: (id, hash) => cache.get(id, hash),
      run: runProbe,
      sink,
      env: o.env,
      clock: o.clock,
      workerId: `embedded:${process.pid}`,
      pings,
      onResult: o.onResult,
      onConfigProblem: checkConfig,
      gate,
      ...rateLimitLogging(o.log),
    });
    // in-process dispatch runs only the regions this process serves
    dispatcherFor = (all) =>
      createInProcessDispatcher({
        regions: all.filter((r) => regions.includes(r)),
        handler,
        clock: o.clock,
        concurrency: o.concurrency,
      });
    roles.push({ close: () => sink.close() });
  }

  const scheduler = await startSchedulerRole({
    source: { root: o.root, paths: o.paths },
    db: o.db.db,
    dispatcherFor,
    clock: o.clock,
    log: o.log,
    watch: o.watch,
    onConfig: prime,
  });

  const evaluator =
    (o.evaluate ?? true)
      ? await startEvaluatorRole({
          db: o.db.db,
          config: () => scheduler.current(),
          clock: o.clock,
          log: o.log,
          env: o.env,
          outboxDir: o.outboxDir,
          reports: o.reportsDir ? { dir: o.reportsDir } : undefined,
        })
      : null;

  let api: ApiRole | null = null;
  if (o.api) {
    try {
      api = await startApiRole({
        db: o.db.db,
        config: () => scheduler.current(),
        clock: o.clock,
        log: o.log,
        env: o.env,
        host: o.api.host,
        port: o.api.port,
        localAccess: o.api.localAccess,
        pings,
      });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES' && e.code !== 'EADDRNOTAVAIL') throw err;
      o.log.warn(
        { host: o.api.host, port: o.api.port, code: e.code },
        'web surface not started: its address is not available (set api.port in vigil.yaml or --port); probes run on',
      );
    }
  }

  return {
    scheduler,
    apiUrl: api?.url ?? null,
    mode: o.redisUrl ? 'distributed' : 'embedded',
    flush,
    async close() {
      await api?.close();
      await scheduler.close();
      await evaluator?.close();
      for (const r of roles) await r.close();
      await pings.close();
      await gate.close();
    },
  };
}
