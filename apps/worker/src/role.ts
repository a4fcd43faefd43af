import { hostname } from 'node:os';
import { OutageLog, type Logger } from '@vigil/runtime';
import type { Clock, Env, PingStore, ProbeResult, ProbeSpec } from '@vigil/core';
import { dbErrorSummary, getProbes, insertResults, listProbes, type Db } from '@vigil/db';
import { NoticeLog, runProbe } from '@vigil/probes';
import {
  assertClockInSync,
  MAX_CLOCK_SKEW_MS,
  probeWorkerStarter,
  createRedisPingStore,
  createRedisProviderGate,
  createResultStream,
  type ProviderGate,
  type ResultPersister,
  type ResultStream,
} from '@vigil/queue';
import { configProblems, createProbeHandler, type HandlerDeps } from './handler.js';
import { tally } from './overload.js';
import { SpecCache } from './spec-cache.js';
import { startSupervisedPersister } from './supervised-persister.js';

export interface WorkerRoleOptions {
  region: string;
  redisUrl: string;
  db: Db;
  prefix?: string;
  /** @defaultValue 100 */
  concurrency?: number;
  /** @defaultValue 30_000 */
  graceMs?: number;
  workerId?: string;
  env: Env;
  clock: Clock;
  log: Logger;
  /**
   * A killed worker's run is re-queued for the same slot within lockDurationMs + stalledIntervalMs.
   * The lock is renewed every lockDurationMs / 2, so an event loop blocked longer than that re-runs a slot
   * (still stored once). @defaultValue 15_000
   */
  lockDurationMs?: number;
  /** give every worker of a region the same value. @defaultValue 15_000 */
  stalledIntervalMs?: number;
  /**
   * refuse to start when this machine's clock is further than this from Redis's (BullMQ schedules with the
   * worker's clock) @defaultValue 500
   */
  maxClockSkewMs?: number;
  /** result-stream and persister tuning; see `createResultStream` / `startResultPersister` */
  results?: {
    /** results that may wait in Redis while Postgres is down. @defaultValue 1_000_000 */
    maxLen?: number;
    batchSize?: number;
    claimIdleMs?: number;
    retryDelaysMs?: readonly number[];
    blockMs?: number;
    /** how long a partial batch waits to fill up before it is stored. @defaultValue 200 */
    lingerMs?: number;
  };
  /** every result once it is durably buffered (tests, metrics) */
  onResult?: (r: ProbeResult) => void;
  /** where push probes' pings are read; @defaultValue the Redis ping store of redisUrl and prefix */
  pings?: PingStore;
  /**
   * the providers' request budgets (written by the scheduler) and Retry-After deferrals, shared by every
   * worker; @defaultValue the Redis gate of redisUrl and prefix
   */
  gate?: ProviderGate;
  /**
   * a run during which this process's event loop stalled this long at once is recorded `overloaded`
   * (never counted against the provider) @defaultValue 200
   */
  maxLoopDelayMs?: number;
}

export interface Role {
  close(): Promise<void>;
}

export const DEFAULT_LOCK_DURATION_MS = 15_000;

/** A job's spec could not be loaded because the store is unreachable (told once by an OutageLog). */
class SpecsUnavailable extends Error {
  constructor(cause: unknown) {
    super('probe specs unavailable', { cause });
  }
}

/**
 * The one warning for a probe this process cannot run as configured (see configProblems):
 * the probe and the variable names, never a value. Its slots are excluded, not the provider's downtime.
 */
export function logConfigProblem(log: Logger): (spec: ProbeSpec, missing: string[]) => void {
  return (spec, missing) =>
    log.warn(
      { probe_id: spec.id, provider: spec.provider, env: missing },
      'probe cannot run: environment variable not set (configuration problem, not counted as downtime)',
    );
}
export const DEFAULT_STALLED_INTERVAL_MS = 15_000;

/**
 * The log lines of the provider gate: one warning per Retry-After deferral (by the worker that started
 * it, not per slot nor per region), one per window in which a budget ran out.
 */
export function rateLimitLogging(
  log: Logger,
): Pick<HandlerDeps, 'onDeferred' | 'onBudgetSpent' | 'onGateError'> {
  return {
    onDeferred: (e) =>
      log.warn(
        {
          provider: e.provider,
          probe_id: e.probeId,
          region: e.region,
          retry_after_s: e.retryAfterS,
          until: new Date(e.until).toISOString(),
        },
        `${e.provider} answered 429 with Retry-After: its probes' slots are recorded rate_limited without a request until then`,
      ),
    onBudgetSpent: (e) =>
      log.warn(
        { provider: e.provider, requests: e.requests, per_ms: e.perMs, probe_id: e.probeId },
        `${e.provider} request budget spent: slots beyond it are recorded rate_limited without a request`,
      ),
    onGateError: (err, job) =>
      log.debug({ err: err.message, probe_id: job.probeId }, 'rate-limit gate unavailable; request sent'),
  };
}

/**
 * The log lines of the monitor's own load, at most one a minute each: slots skipped because they were
 * over before a worker took them (a restart after downtime, a worker far behind), and results marked
 * `overloaded` (an event-loop stall during the run, or a late start).
 */
export function overloadLogging(log: Logger, clock: Clock): Pick<HandlerDeps, 'onStale' | 'onOverloaded'> {
  const stale = tally(() => clock.now());
  const overloaded = tally(() => clock.now());
  return {
    onStale: (job, lagMs) => {
      const n = stale();
      if (n !== null)
        log.warn(
          { probe_id: job.probeId, slot_at: job.slotAt, late_ms: lagMs, slots: n },
          'slots over before they could run were skipped (no data): Vigil was down or far behind',
        );
    },
    onOverloaded: (r) => {
      const n = overloaded();
      if (n !== null)
        log.warn(
          { probe_id: r.probeId, slot_at: r.slotAt, results: n, reason: r.message },
          'results taken while this worker was overloaded are marked overloaded and not counted',
        );
    },
  };
}

export function defaultWorkerId(region: string): string {
  return `${region}:${hostname()}:${process.pid}`;
}

/**
 * The distributed worker: probe jobs from the region's queue → results appended to a Redis stream
 * (durable while Postgres is down) → persisted in batches, exactly once per (probe, region, slot).
 * Rejects with a QueueError (code EVICTION_POLICY…, CLOCK_SKEW) before opening anything unless Redis has
 * noeviction and this machine's clock agrees with Redis's.
 */
export async function startWorkerRole(o: WorkerRoleOptions): Promise<Role> {
  // the eviction policy is checked here, before anything opens; the worker itself starts last
  const startProbeWorker = await probeWorkerStarter(o.redisUrl);
  const maxSkew = o.maxClockSkewMs ?? MAX_CLOCK_SKEW_MS;
  if (Number.isFinite(maxSkew)) await assertClockInSync(o.redisUrl, maxSkew);
  const workerId = o.workerId ?? defaultWorkerId(o.region);
  const log = o.log.child({ role: 'worker', region: o.region, worker_id: workerId });
  const specOutage = new OutageLog({ log, dependency: 'postgres', op: 'load probe specs', clock: o.clock });
  const cache = new SpecCache(async (ids) => {
    try {
      const found = await getProbes(o.db, ids);
      specOutage.succeeded();
      return found.map((p) => ({ id: p.id, hash: p.hash, spec: p.spec }));
    } catch (err) {
      specOutage.failed(dbErrorSummary(err), { probes: ids.length });
      throw new SpecsUnavailable(err);
    }
  });
  // in the background (a worker starts while Postgres is down): first runs then need no query per probe
  // a probe this process cannot run as configured is said once: here at start, or at its first run
  const checkConfig = configProblems(o.env, logConfigProblem(log));
  void listProbes(o.db).then(
    (all) => {
      const mine = all.filter((p) => p.spec.regions.includes(o.region));
      cache.set(mine.map((p) => ({ id: p.id, hash: p.hash, spec: p.spec })));
      for (const p of mine) checkConfig(p.spec);
    },
    (err: unknown) => {
      const { code, message } = dbErrorSummary(err);
      log.warn({ code, err: message }, 'spec preload failed; specs load on first use');
    },
  );
  const opened: { close(): Promise<void> }[] = [];
  try {
    const stream: ResultStream = createResultStream({
      redisUrl: o.redisUrl,
      prefix: o.prefix,
      maxLen: o.results?.maxLen,
      onError: (err) => log.warn({ err: err.message }, 'result stream connection error'),
    });
    opened.push(stream);
    const outage = new OutageLog({ log, dependency: 'postgres', op: 'persist results', clock: o.clock });
    const persister: ResultPersister = await startSupervisedPersister({
      redisUrl: o.redisUrl,
      prefix: o.prefix,
      consumer: workerId,
      batchSize: o.results?.batchSize,
      claimIdleMs: o.results?.claimIdleMs,
      retryDelaysMs: o.results?.retryDelaysMs,
      blockMs: o.results?.blockMs,
      lingerMs: o.results?.lingerMs,
      persist: async (rows) => {
        await insertResults(o.db, rows);
      },
      onError: (err) => log.warn({ err: err.message }, 'result consumer error; retrying'),
      onPersistFailed: (err, e) => outage.failed(dbErrorSummary(err), { rows_in_batch: e.rows }),
      onPersisted: (e) => outage.succeeded({ rows_flushed: e.rows, rows_waiting_in_redis: e.backlog ?? 0 }),
      onRestart: () => log.warn('result consumer group was lost with Redis data; persister restarted'),
    });
    opened.push(persister);
    const pings =
      o.pings ??
      createRedisPingStore({
        redisUrl: o.redisUrl,
        prefix: o.prefix,
        onError: (err) => log.debug({ err: err.message }, 'ping store connection error'),
      });
    if (!o.pings) opened.push(pings);
    const gate =
      o.gate ??
      createRedisProviderGate({
        redisUrl: o.redisUrl,
        prefix: o.prefix,
        onError: (err) => log.debug({ err: err.message }, 'rate-limit gate connection error'),
      });
    if (!o.gate) opened.push(gate);
    const notices = new NoticeLog();
    const handler = createProbeHandler({
      getSpec: (id, hash) => cache.get(id, hash),
      run: runProbe,
      sink: stream,
      env: o.env,
      clock: o.clock,
      workerId,
      pings,
      onResult: (r) => {
        // a deprecation or sunset is a warning in the log, once per probe: not an alert, not a page
        const notice = notices.warning(r);
        if (notice !== null)
          log.warn({ probe_id: r.probeId, region: r.region, notices: r.notices }, `endpoint ${notice}`);
        o.onResult?.(r);
      },
      onUnknownProbe: (job) => log.warn({ probe_id: job.probeId }, 'job for unknown probe skipped'),
      onAborted: (job) =>
        log.info({ probe_id: job.probeId, slot_at: job.slotAt }, 'run aborted; slot handed back unrecorded'),
      onConfigProblem: checkConfig,
      gate,
      ...rateLimitLogging(log),
      ...overloadLogging(log, o.clock),
      overload: {
        ...(o.maxLoopDelayMs !== undefined && { maxLoopDelayMs: o.maxLoopDelayMs }),
        // a killed worker's slot comes back within lockDuration + stalledInterval: it still runs
        rerunWindowMs:
          (o.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS) +
          (o.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS) +
          1_000,
      },
    });
    const worker = await startProbeWorker({
      prefix: o.prefix,
      region: o.region,
      concurrency: o.concurrency ?? 100,
      lockDurationMs: o.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
      stalledIntervalMs: o.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
      handler,
      onError: (err, job) => {
        const fields = {
          err: dbErrorSummary(err).message,
          ...(job && { probe_id: job.probeId, slot_at: job.slotAt }),
        };
        // the spec outage is logged once by its OutageLog; its jobs fail quietly meanwhile
        if (err instanceof SpecsUnavailable) log.debug(fields, 'probe job failed: specs unavailable');
        else if (job) log.error(fields, 'probe job failed');
        else log.warn(fields, 'queue error');
      },
    });
    log.info({ concurrency: o.concurrency ?? 100 }, 'worker started');
    return {
      async close() {
        await worker.close(o.graceMs ?? 30_000);
        await stream.close();
        await persister.close();
        if (!o.pings) await pings.close();
        if (!o.gate) await gate.close();
        log.info('worker stopped');
      },
    };
  } catch (err) {
    for (const c of opened.reverse()) await c.close();
    throw err;
  }
}
