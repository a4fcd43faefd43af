import type { ProbeResult, ProbeSpec } from '@vigil/core';
import type { SchedulerRole } from '@vigil/scheduler';
import { createTestRedis, startSimulator, type Simulator, type TestRedis } from '@vigil/testing';
import { startWorkerRole, type Role } from '@vigil/worker';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorkerChild } from './support/child.js';
import {
  auditSlots,
  httpProbe,
  silentLog,
  startScheduler,
  testDb,
  waitUntil,
  type TestDb,
} from './support/stack.js';

const SKEW_MS = 3_000;
const LATENCY_MS = 150;

describe('workers whose clocks disagree', () => {
  let sim: Simulator;
  let db: TestDb;
  let redis: TestRedis;
  const closers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ routes: { '/ok': { behavior: { mode: 'ok', latencyMs: LATENCY_MS } } } });
    db = await testDb();
    redis = await createTestRedis('vigil_skew');
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    await redis.cleanup();
    await db.close();
    await sim.close();
  });

  const child = async (id: string, skew: number) => {
    const c = await startWorkerChild({
      REDIS_URL: redis.url,
      DATABASE_URL: db.url,
      PREFIX: redis.prefix,
      REGION: 'eu',
      WORKER_ID: id,
      CLOCK_SKEW_MS: String(skew),
      CONCURRENCY: '2',
    });
    closers.push(() => c.kill('SIGKILL'));
    return c;
  };
  const slotsThrough = async (probes: ProbeSpec[], to: number) =>
    waitUntil(
      `slots through ${new Date(to).toISOString()}`,
      async () => {
        const rs = await db.rows();
        return probes.every((p) => rs.some((r) => r.probeId === p.id && r.slotAt >= to)) && rs;
      },
      20_000,
    );

  it('never store a slot twice or off its grid, and measure latency on a monotonic clock', async () => {
    const probes = ['skew-a', 'skew-b', 'skew-c', 'skew-d'].map((id) => httpProbe(id, `${sim.httpUrl}/ok`));
    await child('eu:ahead', SKEW_MS);
    await child('eu:behind', -SKEW_MS);
    // a third worker whose injected clock jumps back 10 s at every reading
    let jumping = Date.now();
    const role: Role = await startWorkerRole({
      region: 'eu',
      redisUrl: redis.url,
      prefix: redis.prefix,
      db: db.handle.db,
      workerId: 'eu:jumping',
      concurrency: 2,
      env: {},
      clock: { now: () => (jumping -= 10_000) },
      log: silentLog,
    });
    closers.push(() => role.close());
    const scheduler: SchedulerRole = await startScheduler({
      db: db.handle,
      redisUrl: redis.url,
      prefix: redis.prefix,
      regions: ['eu'],
      probes,
    });
    closers.push(() => scheduler.close());

    const to = Date.now() + 5_000;
    const rows = await slotsThrough(probes, to);
    const from = Math.max(
      ...probes.map((p) => Math.min(...rows.filter((r) => r.probeId === p.id).map((r) => r.slotAt))),
    );

    const audit = auditSlots(rows, probes, from, to);
    expect(audit.duplicates).toEqual([]);
    expect(audit.offGrid).toEqual([]);
    const byWorker = new Map<string, ProbeResult[]>();
    for (const r of rows) byWorker.set(r.workerId, [...(byWorker.get(r.workerId) ?? []), r]);
    expect([...byWorker.keys()].sort()).toEqual(['eu:ahead', 'eu:behind', 'eu:jumping']);
    for (const r of rows) {
      expect(r.outcome).toBe('up');
      expect(r.phases.totalMs).toBeGreaterThanOrEqual(LATENCY_MS - 5);
      expect(r.phases.totalMs).toBeLessThan(LATENCY_MS + 1_000);
    }
    // startedAt is the worker's own (wrong) clock; the slot is not
    const lag = (id: string) => byWorker.get(id)!.map((r) => r.startedAt - r.slotAt);
    for (const l of lag('eu:ahead')) expect(l).toBeGreaterThan(0);
    for (const l of lag('eu:behind')) expect(l).toBeLessThan(0);
  });

  // BullMQ promotes delayed jobs and computes a scheduler's next tick from the worker's own Date.now(), so a
  // worker ahead by d would run slots d early and skip the slots after its first run: it must not start.
  it('refuses to start a worker whose clock is 3 s off Redis', async () => {
    await expect(
      startWorkerChild({
        REDIS_URL: redis.url,
        DATABASE_URL: db.url,
        PREFIX: redis.prefix,
        REGION: 'eu',
        WORKER_ID: 'eu:ahead',
        CLOCK_SKEW_MS: String(SKEW_MS),
        MAX_CLOCK_SKEW_MS: '500',
        LOG_LEVEL: 'silent',
      }),
    ).rejects.toThrow(/exited \(1\) before the expected message/);
    const inSync = await child('eu:in-sync', 0);
    expect(inSync.messages.some((m) => m.type === 'ready')).toBe(true);
  });
});
