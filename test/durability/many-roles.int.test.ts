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
