import type { ProbeResult } from '@vigil/core';
import { describe, expect } from 'vitest';
import { auditSlots, httpProbe, waitUntil } from './support/stack.js';
import { test } from './support/test.js';

describe('several schedulers and several workers per region at once', () => {
  test('run and store exactly one result per (probe, region, slot)', async ({
    sim,
    db,
    worker,
    scheduler,
  }) => {
    const regions = ['eu', 'us'];
    const probes = Array.from({ length: 6 }, (_, i) => {
      sim.set(`/p${i}`, { mode: 'ok', latencyMs: 20 + 40 * i });
      return httpProbe(`many-${i}`, `${sim.httpUrl}/p${i}`, { regions });
    });
    await Promise.all([1, 2, 3].map(() => scheduler({ regions, probes, reconcileEveryMs: 400 })));
    const ran: ProbeResult[] = [];
    for (const region of regions)
      for (const n of [1, 2, 3])
        await worker({
          region,
          workerId: `${region}:w${n}`,
          concurrency: 4,
          results: { blockMs: 200 },
          onResult: (r) => ran.push(r),
        });

    const to = Date.now() + 5_000;
    /** The window starts at the latest first slot of any (probe, region): before it a worker was not up yet. */
    const fromOf = (rs: ProbeResult[]) =>
      Math.max(
        ...probes.flatMap((p) =>
          regions.map((g) =>
            Math.min(...rs.filter((r) => r.probeId === p.id && r.region === g).map((r) => r.slotAt)),
          ),
        ),
      );
    // Results reach Postgres through each worker's stream in batches: a slot's row may land after a later
    // slot's (a slower run, another worker's batch). So wait until the window is complete, not merely until
    // its end was reached; a slot that is truly lost keeps it incomplete and the audit below names it.
    let rows: ProbeResult[] = [];
    await waitUntil(
      '5 s of slots in both regions, every slot stored',
      async () => {
        rows = await db.rows();
        const reached = probes.every((p) =>
          regions.every((g) => rows.some((r) => r.probeId === p.id && r.region === g && r.slotAt >= to)),
        );
        return reached && auditSlots(rows, probes, fromOf(rows), to).missing.length === 0;
      },
      20_000,
    ).catch(() => undefined);
    const from = fromOf(rows);

    expect(auditSlots(rows, probes, from, to)).toEqual({ missing: [], duplicates: [], offGrid: [] });
    expect(auditSlots(ran, probes, from, to).duplicates).toEqual([]);
    expect(new Set(rows.map((r) => r.workerId)).size).toBeGreaterThanOrEqual(4);
    for (const r of rows) expect(r.workerId.startsWith(`${r.region}:`)).toBe(true);
  });
});
