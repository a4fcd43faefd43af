import { join } from 'node:path';
import type { ProbeSpec } from '@vigil/core';
import { maintainPartitions, migrate, openDb, upsertProbes, type DbHandle } from '@vigil/db';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@vigil/testing';
import { BENCH_REGION } from './bench-config.js';
import { bundleEntry } from './bundle.js';
import { isLog, startChild, type Child } from './children.js';
import type { BenchOptions } from './options.js';

const READY_TIMEOUT_MS = 120_000;

/** A fresh database (migrated, partitions made) and a unique Redis prefix, for one section. */
export interface Stack {
  db: TestDatabase;
  dbh: DbHandle;
  redis: TestRedis;
  children: Child[];
  storeProbes(list: { spec: ProbeSpec; hash: string }[]): Promise<void>;
  /** `apps/worker/src/main.ts` processes, as deployed, consuming the bench region */
  startWorkers(count: number, concurrency: number): Promise<Child[]>;
  /** `apps/scheduler/src/main.ts` on the config folder `configDir`; resolves after its first reconcile */
  startScheduler(configDir: string): Promise<Child>;
  /** stops every child, drops the database and deletes the prefix's Redis keys */
  close(): Promise<void>;
}

export async function openStack(opts: BenchOptions, dir: string, name: string): Promise<Stack> {
  const db = await createTestDatabase(`vigil_bench_${name}`);
  const redis = await createTestRedis(`vigilbench_${name}`);
  const dbh = await openDb({ url: db.url, poolSize: 2 });
  await migrate(dbh);
  await maintainPartitions(dbh.db, new Date());
  const children: Child[] = [];
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: opts.redisUrl,
    VIGIL_QUEUE_PREFIX: redis.prefix,
    LOG_LEVEL: 'info',
  };
  const stack: Stack = {
    db,
    dbh,
    redis,
    children,
    async storeProbes(list) {
      await upsertProbes(dbh.db, list, new Date());
    },
    async startWorkers(count, concurrency) {
      const entry =
        opts.workerRuntime === 'bundle'
          ? await bundleEntry('apps/worker/src/main.ts', 'worker')
          : 'apps/worker/src/main.ts';
      const started = Array.from({ length: count }, (_, i) =>
        startChild({
          name: `worker-${i + 1}`,
          entry,
          env: {
            ...env,
            REGION: BENCH_REGION,
            WORKER_CONCURRENCY: String(concurrency),
            WORKER_GRACE_MS: String(opts.timeoutMs + 1_000),
          },
          logFile: join(dir, `${name}-worker-${i + 1}.log`),
          nodeArgs: opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'profiles')}`] : [],
        }),
      );
      children.push(...started);
      await Promise.all(started.map((c) => c.waitFor((m) => isLog(m, 'worker started'), READY_TIMEOUT_MS)));
      return started;
    },
    async startScheduler(configDir) {
      const child = startChild({
        name: 'scheduler',
        entry: 'apps/scheduler/src/main.ts',
        env: { ...env, VIGIL_CONFIG_DIR: configDir },
        logFile: join(dir, `${name}-scheduler.log`),
      });
      children.push(child);
      await child.waitFor((m) => isLog(m, 'reconciled'), READY_TIMEOUT_MS);
      return child;
    },
    async close() {
      await Promise.allSettled(children.map((c) => c.stop()));
      await dbh.close();
      await redis.cleanup();
      await db.drop();
    },
  };
  return stack;
}
