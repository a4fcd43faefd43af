import type { ProbeResult } from '@vigil/core';
import type { SchedulerRole } from '@vigil/scheduler';
import { createTestRedis, startSimulator, type Simulator, type TestRedis } from '@vigil/testing';
import { startWorkerRole } from '@vigil/worker';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditSlots,
  httpProbe,
  silentLog,
  startScheduler,
  testDb,
  waitUntil,
  type TestDb,
} from './support/stack.js';

describe('several schedulers and several workers per region at once', () => {
  let sim: Simulator;
  let db: TestDb;
  let redis: TestRedis;
  const closers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ routes: {} });
    db = await testDb();
    redis = await createTestRedis('vigil_many');
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    await redis.cleanup();
    await db.close();
    await sim.close();
  });

  it('run and store exactly one result per (probe, region, slot)', async () => {
    const regions = ['eu', 'us'];
    const probes = Array.from({ length: 6 }, (_, i) => {
      sim.set(`/p${i}`, { mode: 'ok', latencyMs: 20 + 40 * i });
      return httpProbe(`many-${i}`, `${sim.httpUrl}/p${i}`, { regions });
    });
    const schedulers: SchedulerRole[] = await Promise.all(
      [1, 2, 3].map(() =>
        startScheduler({
          db: db.handle,
          redisUrl: redis.url,
          prefix: redis.prefix,
          regions,
          probes,
          reconcileEveryMs: 400,
        }),
      ),
    );
    closers.push(() => Promise.all(schedulers.map((s) => s.close())));
    const ran: ProbeResult[] = [];
    for (const region of regions)
      for (const n of [1, 2, 3]) {
        const role = await startWorkerRole({
          region,
          redisUrl: redis.url,
          prefix: redis.prefix,
          db: db.handle.db,
          workerId: `${region}:w${n}`,
          concurrency: 4,
          results: { blockMs: 200 },
          env: {},
          clock: { now: () => Date.now() },
          log: silentLog,
          onResult: (r) => ran.push(r),
        });
        closers.push(() => role.close());
      }

    const to = Date.now() + 5_000;
    const rows = await waitUntil(
      '5 s of slots in both regions',
      async () => {
        const rs = await db.rows();
        return (
          probes.every((p) =>
            regions.every((g) => rs.some((r) => r.probeId === p.id && r.region === g && r.slotAt >= to)),
          ) && rs
        );
      },
      20_000,
    );
    const from = Math.max(
      ...probes.flatMap((p) =>
        regions.map((g) =>
          Math.min(...rows.filter((r) => r.probeId === p.id && r.region === g).map((r) => r.slotAt)),
        ),
      ),
    );

    expect(auditSlots(rows, probes, from, to)).toEqual({ missing: [], duplicates: [], offGrid: [] });
    expect(auditSlots(ran, probes, from, to).duplicates).toEqual([]);
    expect(new Set(rows.map((r) => r.workerId)).size).toBeGreaterThanOrEqual(4);
    for (const r of rows) expect(r.workerId.startsWith(`${r.region}:`)).toBe(true);
  });
});
