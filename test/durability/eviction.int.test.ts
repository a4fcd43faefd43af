import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startWorkerRole } from '@vigil/worker';
import { describe, expect } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { redisCli } from './support/redis-cli.js';
import { silentLog, type TestDb } from './support/stack.js';
import { test } from './support/test.js';

const workerMain = fileURLToPath(new URL('../../apps/worker/src/main.ts', import.meta.url));

/** a private Redis whose maxmemory-policy lets it evict keys */
const it = test.extend<{ evictingRedis: PrivateRedis }>({
  evictingRedis: async ({ defer }, use) => {
    const redis = await startPrivateRedis({ maxmemoryPolicy: 'allkeys-lru' });
    defer(() => redis.stop());
    await use(redis);
  },
});

describe('a worker on a Redis that may evict keys', () => {
  const clients = async (redis: PrivateRedis) =>
    Number((await redisCli(redis.url, 'INFO', 'clients')).match(/connected_clients:(\d+)/)?.[1]);
  const start = (redis: PrivateRedis, db: TestDb) =>
    startWorkerRole({
      region: 'eu',
      redisUrl: redis.url,
      db: db.handle.db,
      env: {},
      clock: { now: () => Date.now() },
      log: silentLog,
    });

  it('refuses to start, leaving no connection open, and starts once the policy is noeviction', async ({
    evictingRedis: redis,
    db,
  }) => {
    const before = await clients(redis);
    await expect(start(redis, db)).rejects.toMatchObject({ code: 'EVICTION_POLICY' });
    expect(await clients(redis)).toBe(before);
    expect(await redisCli(redis.url, 'KEYS', '*')).toBe('(empty array)');

    await redisCli(redis.url, 'CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    const role = await start(redis, db);
    await role.close();
  });

  it('as a process, exits with an error naming the policy', async ({ evictingRedis: redis, db }) => {
    const out = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', workerMain],
        {
          env: { ...process.env, REDIS_URL: redis.url, DATABASE_URL: db.url, REGION: 'eu' },
          timeout: 20_000,
        },
        (err, _stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr }),
      );
    });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('noeviction');
  });
});
