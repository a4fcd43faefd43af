import type { ProbeResult } from '@vigil/core';
import type { SchedulerRole } from '@vigil/scheduler';
import { createTestRedis, startSimulator, type Simulator, type TestRedis } from '@vigil/testing';
import { startWorkerRole, type Role } from '@vigil/worker';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorkerChild, type WorkerChild } from './support/child.js';
import {
  auditSlots,
  httpProbe,
  silentLog,
  startScheduler,
  testDb,
  waitUntil,
  type TestDb,
} from './support/stack.js';

// Short settings so a killed worker's runs come back in ~3 s; production uses 15 s / 15 s (see the worker role).
const LOCK_MS = 2_000;
const STALLED_MS = 1_000;

describe('a worker killed with SIGKILL', () => {
  let sim: Simulator;
  let db: TestDb;
  let redis: TestRedis;
  let scheduler: SchedulerRole | undefined;
  const roles: Role[] = [];
  const children: WorkerChild[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ routes: {} });
    db = await testDb();
    redis = await createTestRedis('vigil_kill');
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill('SIGKILL')));
    await Promise.all(roles.splice(0).map((r) => r.close()));
    await scheduler?.close();
    await redis.cleanup();
    await db.close();
    await sim.close();
  });

  const rescuer = async (results: ProbeResult[] = []) => {
    const role = await startWorkerRole({
      region: 'eu',
      redisUrl: redis.url,
      prefix: redis.prefix,
      db: db.handle.db,
      workerId: 'eu:rescuer',
      lockDurationMs: LOCK_MS,
      stalledIntervalMs: STALLED_MS,
      results: { claimIdleMs: 2_000, blockMs: 500, retryDelaysMs: [100, 250] },
      env: {},
      clock: { now: () => Date.now() },
      log: silentLog,
      onResult: (r) => results.push(r),
    });
    roles.push(role);
    return role;
  };
  const child = async (env: Record<string, string> = {}) => {
    const c = await startWorkerChild({
      REDIS_URL: redis.url,
      DATABASE_URL: db.url,
      PREFIX: redis.prefix,
      REGION: 'eu',
      WORKER_ID: 'eu:doomed',
      LOCK_MS: String(LOCK_MS),
      STALLED_MS: String(STALLED_MS),
      ...env,
    });
    children.push(c);
    return c;
  };
  const activeSlots = async (probeId: string) =>
    (await redis.client.lrange(`${redis.prefix}:probes-eu:active`, 0, -1))
      .map((id) => id.match(new RegExp(`^repeat:${probeId}:(\\d+)$`))?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number);

  it('re-runs the slots it was probing, and every slot is stored exactly once', async () => {
    sim.set('/slow', { mode: 'ok', latencyMs: 2_500 });
    const probe = httpProbe('killed-mid-probe', `${sim.httpUrl}/slow`, { everyMs: 1_000, timeoutMs: 5_000 });
    const doomed = await child();
    scheduler = await startScheduler({
      db: db.handle,
      redisUrl: redis.url,
      prefix: redis.prefix,
      regions: ['eu'],
      probes: [probe],
    });

    await waitUntil('the doomed worker to be mid-probe', () => sim.requests('/slow') >= 2, 10_000);
    const killed = await activeSlots(probe.id);
    await doomed.kill('SIGKILL');
    expect(killed.length).toBeGreaterThanOrEqual(2);
    expect(await db.rows(probe.id)).toEqual([]);

    sim.set('/slow', { mode: 'ok', latencyMs: 50 });
    const start = Date.now();
    await rescuer();
    const from = Math.min(...killed);
    const to = start + 2_000;
    const rows = await waitUntil(
      'every slot up to 2 s after the rescue to be stored',
      async () => {
        const rs = await db.rows(probe.id);
        return auditSlots(rs, [probe], from, to).missing.length === 0 && rs;
      },
      15_000,
    );

    expect(auditSlots(rows, [probe], from, to)).toEqual({ missing: [], duplicates: [], offGrid: [] });
    for (const slot of killed)
      expect(rows.filter((r) => r.slotAt === slot)).toEqual([
        expect.objectContaining({ workerId: 'eu:rescuer', outcome: 'up' }),
      ]);
  });

  it('after recording a result, the re-run of that slot stores nothing twice', async () => {
    sim.set('/fast', { mode: 'ok', latencyMs: 20 });
    const probe = httpProbe('killed-after-record', `${sim.httpUrl}/fast`, { everyMs: 1_000 });
    const doomed = await child({ DIE_AFTER_RESULT_OF: probe.id });
    scheduler = await startScheduler({
      db: db.handle,
      redisUrl: redis.url,
      prefix: redis.prefix,
      regions: ['eu'],
      probes: [probe],
    });
    const exit = await doomed.exited;
    expect(exit.signal).toBe('SIGKILL');
    const [recorded] = await activeSlots(probe.id);
    expect(recorded).toBeDefined();

    const rerun: ProbeResult[] = [];
    const start = Date.now();
    await rescuer(rerun);
    const rows = await waitUntil(
      'the recorded slot to be re-run, and 2 s of later slots to be stored',
      async () => {
        if (!rerun.some((r) => r.slotAt === recorded)) return false;
        const rs = await db.rows(probe.id);
        return auditSlots(rs, [probe], recorded!, start + 2_000).missing.length === 0 && rs;
      },
      15_000,
    );

    expect(rerun.filter((r) => r.slotAt === recorded)).toHaveLength(1);
    expect(rows.filter((r) => r.slotAt === recorded)).toHaveLength(1);
    expect(auditSlots(rows, [probe], recorded!, start + 2_000)).toEqual({
      missing: [],
      duplicates: [],
      offGrid: [],
    });
    await waitUntil(
      'the stream to drain',
      async () => (await redis.client.xlen(`${redis.prefix}:results`)) === 0,
      5_000,
    );
    expect((await db.rows(probe.id)).filter((r) => r.slotAt === recorded)).toHaveLength(1);
  });
});
