import { hostname } from 'node:os';
import type { Logger } from '@vigil/runtime';
import type { Clock, Env } from '@vigil/core';
import { getProbes, insertResults, type Db } from '@vigil/db';
import { runProbe } from '@vigil/probes';
import { createProbeWorker, createResultStream, startResultPersister } from '@vigil/queue';
import { createProbeHandler } from './handler.js';
import { SpecCache } from './spec-cache.js';

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
}

export interface Role {
  close(): Promise<void>;
}

export function defaultWorkerId(region: string): string {
  return `${region}:${hostname()}:${process.pid}`;
}

/**
 * The distributed worker: probe jobs from the region's queue → results appended to a Redis stream
 * (durable while Postgres is down) → persisted in batches, exactly once per (probe, region, slot).
 */
export async function startWorkerRole(o: WorkerRoleOptions): Promise<Role> {
  const workerId = o.workerId ?? defaultWorkerId(o.region);
  const log = o.log.child({ role: 'worker', region: o.region, worker_id: workerId });
  const cache = new SpecCache(async (ids) =>
    (await getProbes(o.db, ids)).map((p) => ({ id: p.id, hash: p.hash, spec: p.spec })),
  );
  const stream = createResultStream({ redisUrl: o.redisUrl, prefix: o.prefix });
  const persister = await startResultPersister({
    redisUrl: o.redisUrl,
    prefix: o.prefix,
    consumer: workerId,
    persist: async (rows) => {
      await insertResults(o.db, rows);
    },
    onError: (err) => log.warn({ err: err.message }, 'persist failed; results wait in redis'),
  });
  const handler = createProbeHandler({
    getSpec: (id, hash) => cache.get(id, hash),
    run: runProbe,
    sink: stream,
    env: o.env,
    clock: o.clock,
    workerId,
    onUnknownProbe: (job) => log.warn({ probe_id: job.probeId }, 'job for unknown probe skipped'),
  });
  const worker = await createProbeWorker({
    redisUrl: o.redisUrl,
    prefix: o.prefix,
    region: o.region,
    concurrency: o.concurrency ?? 100,
    handler,
    onError: (err, job) => log.error({ err: err.message, probe_id: job?.probeId }, 'probe job failed'),
  });
  log.info({ concurrency: o.concurrency ?? 100 }, 'worker started');
  return {
    async close() {
      await worker.close(o.graceMs ?? 30_000);
      await stream.close();
      await persister.close();
      log.info('worker stopped');
    },
  };
}
