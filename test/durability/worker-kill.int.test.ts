import type { ProbeResult } from '@vigil/core';
import type { Role } from '@vigil/worker';
import { describe, expect } from 'vitest';
import type { WorkerChild } from './support/child.js';
import { auditSlots, httpProbe, waitUntil } from './support/stack.js';
import { test } from './support/test.js';

// Short settings so a killed worker's runs come back in ~3 s; production uses 15 s / 15 s (see the worker role).
const LOCK_MS = 2_000;
const STALLED_MS = 1_000;

interface KillFixtures {
  /** the worker that takes over the killed one's slots */
  rescuer(results?: ProbeResult[]): Promise<Role>;
  /** the worker child to be killed */
  doomedChild(env?: Record<string, string>): Promise<WorkerChild>;
  /** the slots of `probeId` that are active (being probed) in region eu */
  activeSlots(probeId: string): Promise<number[]>;
}

const it = test.extend<KillFixtures>({
  rescuer: async ({ worker }, use) => {
    await use((results = []) =>
      worker({
        workerId: 'eu:rescuer',
        lockDurationMs: LOCK_MS,
        stalledIntervalMs: STALLED_MS,
        results: { claimIdleMs: 2_000, blockMs: 500, retryDelaysMs: [100, 250] },
        onResult: (r) => results.push(r),
      }),
    );
  },
  doomedChild: async ({ workerChild }, use) => {
    await use((env = {}) =>
      workerChild({
        WORKER_ID: 'eu:doomed',
        LOCK_MS: String(LOCK_MS),
        STALLED_MS: String(STALLED_MS),
        ...env,
      }),
    );
  },
  activeSlots: async ({ redis }, use) => {
    await use(async (probeId) =>
      (await redis.client.lrange(`${redis.prefix}:probes-eu:active`, 0, -1))
        .map((id) => id.match(new RegExp(`^repeat:${probeId}:(\\d+)$`))?.[1])
        .filter((s): s is string => s !== undefined)
        .map(Number),
    );
  },
});

describe('a worker killed with SIGKILL', () => {
  it('re-runs the slots it was probing, and every slot is stored exactly once', async ({
    sim,
    db,
    scheduler,
    rescuer,
    doomedChild,
    activeSlots,
  }) => {
    sim.set('/slow', { mode: 'ok', latencyMs: 2_500 });
    const probe = httpProbe('killed-mid-probe', `${sim.httpUrl}/slow`, { everyMs: 1_000, timeoutMs: 5_000 });
    const doomed = await doomedChild();
    await scheduler({ probes: [probe] });

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

  it('after recording a result, the re-run of that slot stores nothing twice', async ({
    redis,
    sim,
    db,
    scheduler,
    rescuer,
    doomedChild,
    activeSlots,
  }) => {
    sim.set('/fast', { mode: 'ok', latencyMs: 20 });
    const probe = httpProbe('killed-after-record', `${sim.httpUrl}/fast`, { everyMs: 1_000 });
    const doomed = await doomedChild({ DIE_AFTER_RESULT_OF: probe.id });
    await scheduler({ probes: [probe] });
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
