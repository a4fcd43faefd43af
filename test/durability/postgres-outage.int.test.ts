import type { ProbeResult } from '@vigil/core';
import { openDb, type DbHandle } from '@vigil/db';
import { createTestRedis } from '@vigil/testing';
import { startWorkerRole } from '@vigil/worker';
import { describe, expect } from 'vitest';
import { startPrivateRedis } from './support/private-redis.js';
import { streamLength } from './support/redis-cli.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import {
  auditSlots,
  expectedSlots,
  httpProbe,
  silentLog,
  startScheduler,
  waitUntil,
} from './support/stack.js';
import { test } from './support/test.js';

const CUT_MS = 8_000;

interface CutFixtures {
  /** a TCP proxy in front of the test database that the test can cut */
  proxy: TcpProxy;
  /** the workers' connection to the test database, through the proxy */
  workerDb: DbHandle;
  /** the shared Redis under a prefix of its own, or a private one bounded to one entry per stream node */
  redisFor(bounded: boolean): Promise<{ url: string; prefix: string }>;
}

const it = test.extend<CutFixtures>({
  proxy: async ({ db, defer }, use) => {
    const u = new URL(db.url);
    const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    defer(() => proxy.close());
    await use(proxy);
  },
  workerDb: async ({ db, proxy, defer }, use) => {
    const workerDb = await openDb({ url: proxy.url(db.url), poolSize: 2, onError: () => undefined });
    defer(() => workerDb.close());
    await use(workerDb);
  },
  redisFor: async ({ defer }, use) => {
    await use(async (bounded) => {
      if (!bounded) {
        const r = await createTestRedis('vigil_pgcut');
        defer(() => r.cleanup());
        return { url: r.url, prefix: r.prefix };
      }
      // one entry per stream node, so MAXLEN ~ trims as exactly as MAXLEN =
      const r = await startPrivateRedis({ args: ['--stream-node-max-entries', '1'] });
      defer(() => r.stop());
      return { url: r.url, prefix: 'vigil' };
    });
  },
});

describe('Postgres unreachable from the workers', () => {
  it.override({ routes: { '/ok': { behavior: { mode: 'ok', latencyMs: 10 } } } });

  it.for([
    { bound: 'no bound reached', maxLen: undefined },
    { bound: 'a stream bound of 10 results', maxLen: 10 },
  ])(
    'probing continues, results wait in Redis and are stored once with their slot times ($bound)',
    async ({ maxLen }, { sim, db, proxy, workerDb, redisFor, defer }) => {
      const redis = await redisFor(maxLen !== undefined);
      const probes = ['pg-a', 'pg-b', 'pg-c'].map((id) =>
        httpProbe(id, `${sim.httpUrl}/ok`, { everyMs: 1_000 }),
      );
      const scheduler = await startScheduler({
        db: db.handle,
        redisUrl: redis.url,
        prefix: redis.prefix,
        regions: ['eu'],
        probes,
      });
      defer(() => scheduler.close());
      const role = await startWorkerRole({
        region: 'eu',
        redisUrl: redis.url,
        prefix: redis.prefix,
        db: workerDb.db,
        workerId: 'eu:w1',
        results: { maxLen, blockMs: 200, retryDelaysMs: [100, 250, 500] },
        env: {},
        clock: { now: () => Date.now() },
        log: silentLog,
      });
      defer(() => role.close());
      const xlen = () => streamLength(redis.url, `${redis.prefix}:results`);

      const stored = (rs: ProbeResult[]) => new Set(rs.map((r) => r.probeId)).size === probes.length && rs;
      const before = await waitUntil(
        'every probe to store a result',
        async () => stored(await db.rows()),
        10_000,
      );
      const from = Math.max(
        ...probes.map((p) => Math.min(...before.filter((r) => r.probeId === p.id).map((r) => r.slotAt))),
      );

      proxy.cut();
      const cutAt = Date.now();
      let maxBuffered = 0;
      while (Date.now() - cutAt < CUT_MS) {
        maxBuffered = Math.max(maxBuffered, await xlen());
        await new Promise((r) => setTimeout(r, 200));
      }
      const rowsDuringCut = (await db.rows()).filter((r) => r.slotAt > cutAt + 1_000);
      proxy.resume();
      const resumedAt = Date.now();

      expect(rowsDuringCut).toEqual([]);
      const cutSlots = probes.flatMap((p) => expectedSlots(p, cutAt + 1_000, resumedAt - 1_000));
      const to = resumedAt + 1_000;
      const rows = await waitUntil(
        'the slots up to 1 s after recovery to be stored and the stream drained',
        async () => {
          const rs = await db.rows();
          const late = probes.every((p) => rs.some((r) => r.probeId === p.id && r.slotAt >= to));
          return late && (await xlen()) === 0 && rs;
        },
        15_000,
      );
      const audit = auditSlots(rows, probes, from, to);
      expect(audit.duplicates).toEqual([]);
      expect(audit.offGrid).toEqual([]);
      const measuredInCut = rows.filter((r) => r.slotAt > cutAt + 1_000 && r.slotAt < resumedAt - 1_000);
      for (const r of measuredInCut) expect(r.startedAt - r.slotAt).toBeLessThan(1_000);

      if (maxLen === undefined) {
        expect(maxBuffered).toBeGreaterThanOrEqual(cutSlots.length);
        expect(audit.missing).toEqual([]);
      } else {
        // past the bound Redis trims the oldest results: they are missing slots, never invented rows
        // MAXLEN ~ trims whole stream nodes, so the stream may briefly hold up to a node more than maxLen
        expect(maxBuffered).toBeLessThanOrEqual(2 * maxLen);
        expect(measuredInCut.length).toBeLessThanOrEqual(2 * maxLen);
        expect(audit.missing.length).toBeGreaterThanOrEqual(cutSlots.length - 2 * maxLen);
        const lastCutSlot = Math.max(...cutSlots);
        const newest = measuredInCut.filter((r) => r.slotAt >= lastCutSlot - 1_000);
        expect(newest.length).toBeGreaterThanOrEqual(probes.length);
      }
    },
  );
});
