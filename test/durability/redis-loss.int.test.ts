import { startWorkerRole } from '@vigil/worker';
import { describe, expect } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { redisCli } from './support/redis-cli.js';
import {
  auditSlots,
  expectedSlots,
  httpProbe,
  silentLog,
  startScheduler,
  waitUntil,
} from './support/stack.js';
import { test } from './support/test.js';

const DOWN_MS = 3_000;

const it = test.extend<{ privateRedis: PrivateRedis }>({
  privateRedis: async ({ defer }, use) => {
    const redis = await startPrivateRedis();
    defer(() => redis.stop());
    await use(redis);
  },
});

describe('Redis restarted empty or flushed', () => {
  it.override({ routes: { '/ok': { behavior: { mode: 'ok', latencyMs: 10 } } } });

  it.for([
    {
      loss: 'restarted without its data',
      lose: async (redis: PrivateRedis) => {
        await redis.kill();
        await new Promise((r) => setTimeout(r, DOWN_MS));
        await redis.start();
      },
    },
    {
      loss: 'flushed',
      lose: async (redis: PrivateRedis) => {
        await new Promise((r) => setTimeout(r, DOWN_MS / 2));
        await redisCli(redis.url, 'FLUSHALL');
      },
    },
  ])(
    'roles recover by themselves when Redis is $loss; the gap shows as missing slots',
    async ({ lose }, { sim, db, privateRedis: redis, defer }) => {
      const probes = ['rl-a', 'rl-b'].map((id) => httpProbe(id, `${sim.httpUrl}/ok`, { everyMs: 1_000 }));
      const scheduler = await startScheduler({
        db: db.handle,
        redisUrl: redis.url,
        prefix: 'vigil',
        regions: ['eu'],
        probes,
        reconcileEveryMs: 1_000,
      });
      defer(() => scheduler.close());
      for (const id of ['eu:w1', 'eu:w2']) {
        const role = await startWorkerRole({
          region: 'eu',
          redisUrl: redis.url,
          prefix: 'vigil',
          db: db.handle.db,
          workerId: id,
          lockDurationMs: 2_000,
          stalledIntervalMs: 1_000,
          results: { blockMs: 200, retryDelaysMs: [100, 250, 500] },
          env: {},
          clock: { now: () => Date.now() },
          log: silentLog,
        });
        defer(() => role.close());
      }

      const before = await waitUntil(
        'two slots of every probe',
        async () => {
          const rs = await db.rows();
          return probes.every((p) => rs.filter((r) => r.probeId === p.id).length >= 2) && rs;
        },
        10_000,
      );
      const from = Math.max(
        ...probes.map((p) => Math.min(...before.filter((r) => r.probeId === p.id).map((r) => r.slotAt))),
      );
      const lostAt = Date.now();
      await lose(redis);
      const backAt = Date.now();
      const to = backAt + 4_000;

      const rows = await waitUntil(
        'slots up to 4 s after Redis came back',
        async () => {
          const rs = await db.rows();
          return probes.every((p) => rs.some((r) => r.probeId === p.id && r.slotAt >= to)) && rs;
        },
        20_000,
      );
      const audit = auditSlots(rows, probes, from, to);
      expect(audit.duplicates).toEqual([]);
      expect(audit.offGrid).toEqual([]);
      // schedules come back with the next reconcile (every 1 s here): slots are missing only around the loss
      const slotOf = (k: string) => Number(k.split('@')[1]);
      expect(audit.missing.filter((k) => slotOf(k) < lostAt - 1_000 || slotOf(k) > backAt + 3_000)).toEqual(
        [],
      );
      const down = probes.flatMap((p) =>
        expectedSlots(p, lostAt + 1_500, backAt - 500).map((s) => `${p.id}/eu@${s}`),
      );
      for (const k of down) expect(audit.missing).toContain(k);
      // every stored row was measured at its slot time: nothing was back-filled for the gap
      for (const r of rows) expect(r.startedAt - r.slotAt).toBeLessThan(1_000);
    },
  );
});
