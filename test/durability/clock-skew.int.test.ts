import type { ProbeResult, ProbeSpec } from '@vigil/core';
import { describe, expect } from 'vitest';
import { auditSlots, httpProbe, waitUntil, type TestDb } from './support/stack.js';
import { test } from './support/test.js';

const SKEW_MS = 3_000;
const LATENCY_MS = 150;

describe('workers whose clocks disagree', () => {
  test.override({ routes: { '/ok': { behavior: { mode: 'ok', latencyMs: LATENCY_MS } } } });

  const skewed = (id: string, skew: number) => ({
    WORKER_ID: id,
    CLOCK_SKEW_MS: String(skew),
    CONCURRENCY: '2',
  });
  const slotsThrough = async (db: TestDb, probes: ProbeSpec[], to: number) =>
    waitUntil(
      `slots through ${new Date(to).toISOString()}`,
      async () => {
        const rs = await db.rows();
        return probes.every((p) => rs.some((r) => r.probeId === p.id && r.slotAt >= to)) && rs;
      },
      20_000,
    );

  test('never store a slot twice or off its grid, and measure latency on a monotonic clock', async ({
    sim,
    db,
    worker,
    scheduler,
    workerChild,
  }) => {
    const probes = ['skew-a', 'skew-b', 'skew-c', 'skew-d'].map((id) => httpProbe(id, `${sim.httpUrl}/ok`));
    await workerChild(skewed('eu:ahead', SKEW_MS));
    await workerChild(skewed('eu:behind', -SKEW_MS));
    // a third worker whose injected clock jumps back 10 s at every reading
    let jumping = Date.now();
    await worker({ workerId: 'eu:jumping', concurrency: 2, clock: { now: () => (jumping -= 10_000) } });
    await scheduler({ probes });

    const to = Date.now() + 5_000;
    const rows = await slotsThrough(db, probes, to);
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
      // a wall-clock measure across the skew would be off by it; a monotonic one is the latency plus
      // whatever the loaded machine adds, which half the skew tells apart from the skew itself
      expect(r.phases.totalMs).toBeLessThan(LATENCY_MS + SKEW_MS / 2);
    }
    // startedAt is the worker's own (wrong) clock; the slot is not
    const lag = (id: string) => byWorker.get(id)!.map((r) => r.startedAt - r.slotAt);
    for (const l of lag('eu:ahead')) expect(l).toBeGreaterThan(0);
    for (const l of lag('eu:behind')) expect(l).toBeLessThan(0);
  });

  // BullMQ promotes delayed jobs and computes a scheduler's next tick from the worker's own Date.now(), so a
  // worker ahead by d would run slots d early and skip the slots after its first run: it must not start.
  test('refuses to start a worker whose clock is 3 s off Redis', async ({ workerChild }) => {
    await expect(
      workerChild({
        WORKER_ID: 'eu:ahead',
        CLOCK_SKEW_MS: String(SKEW_MS),
        MAX_CLOCK_SKEW_MS: '500',
        LOG_LEVEL: 'silent',
      }),
    ).rejects.toThrow(/exited \(1\) before the expected message/);
    const inSync = await workerChild(skewed('eu:in-sync', 0));
    expect(inSync.messages.some((m) => m.type === 'ready')).toBe(true);
  });
});
