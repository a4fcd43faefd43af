import type { SchedulerRole } from '@vigil/scheduler';
import {
  createTestRedis,
  startSimulator,
  type RouteScript,
  type Simulator,
  type TestRedis,
} from '@vigil/testing';
import { startWorkerRole, type Role, type WorkerRoleOptions } from '@vigil/worker';
import { test as base } from 'vitest';
import { startWorkerChild, type WorkerChild } from './child.js';
import { silentLog, startScheduler, testDb, type TestDb } from './stack.js';

type SchedulerOptions = Parameters<typeof startScheduler>[0];

export interface DurabilityFixtures {
  /** the routes the simulator starts with; a describe sets its own with `test.override({ routes })` */
  routes: Record<string, RouteScript>;
  /** runs `close` after the test, before whatever was started earlier (the fixtures included) */
  defer(close: () => Promise<unknown>): void;
  sim: Simulator;
  /** a fresh Postgres database with the schema */
  db: TestDb;
  /** the shared Redis under a prefix of this test's own */
  redis: TestRedis;
  /** a worker role in region `eu` on `redis` and `db` unless told otherwise; closed after the test */
  worker(o?: Partial<WorkerRoleOptions>): Promise<Role>;
  /** a scheduler role for region `eu` on `redis` and `db` unless told otherwise; closed after the test */
  scheduler(o: Partial<SchedulerOptions> & Pick<SchedulerOptions, 'probes'>): Promise<SchedulerRole>;
  /** fixtures/worker-child.ts on `redis` and `db` in region `eu`, with `env` on top; killed after the test */
  workerChild(env?: Record<string, string>): Promise<WorkerChild>;
}

/**
 * The durability suites' stack as vitest fixtures: each one is started only when a test names it, and
 * everything is closed after the test in the reverse order it was started.
 */
export const test = base.extend<DurabilityFixtures>({
  routes: {},
  defer: async ({ task: _ }, use) => {
    const closers: (() => Promise<unknown>)[] = [];
    await use((close) => void closers.push(close));
    for (const close of closers.reverse()) await close();
  },
  sim: async ({ routes, defer }, use) => {
    const sim = await startSimulator({ routes });
    defer(() => sim.close());
    await use(sim);
  },
  db: async ({ defer }, use) => {
    const db = await testDb();
    defer(() => db.close());
    await use(db);
  },
  redis: async ({ defer }, use) => {
    const redis = await createTestRedis('vigil_durability');
    defer(() => redis.cleanup());
    await use(redis);
  },
  worker: async ({ db, redis, defer }, use) => {
    await use(async (o = {}) => {
      const role = await startWorkerRole({
        region: 'eu',
        redisUrl: redis.url,
        prefix: redis.prefix,
        db: db.handle.db,
        env: {},
        clock: { now: () => Date.now() },
        log: silentLog,
        ...o,
      });
      defer(() => role.close());
      return role;
    });
  },
  scheduler: async ({ db, redis, defer }, use) => {
    await use(async (o) => {
      const role = await startScheduler({
        db: db.handle,
        redisUrl: redis.url,
        prefix: redis.prefix,
        regions: ['eu'],
        ...o,
      });
      defer(() => role.close());
      return role;
    });
  },
  workerChild: async ({ db, redis, defer }, use) => {
    await use(async (env = {}) => {
      const child = await startWorkerChild({
        REDIS_URL: redis.url,
        DATABASE_URL: db.url,
        PREFIX: redis.prefix,
        REGION: 'eu',
        ...env,
      });
      defer(() => child.kill('SIGKILL'));
      return child;
    });
  },
});
