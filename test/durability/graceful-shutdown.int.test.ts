import type { ProbeResult } from '@vigil/core';
import { describe, expect } from 'vitest';
import { auditSlots, httpProbe, waitUntil } from './support/stack.js';
import { test } from './support/test.js';

describe('SIGTERM on a worker under load', () => {
  test.for([
    { outcome: 'finish within the grace', latencyMs: 600, graceMs: 5_000 },
    { outcome: 'are handed back after the grace', latencyMs: 1_500, graceMs: 100 },
  ])(
    'in-flight probes $outcome, and no job is reported stalled',
    async ({ latencyMs, graceMs }, { sim, db, redis, worker, scheduler, workerChild }) => {
      sim.set('/load', { mode: 'ok', latencyMs });
      const probes = Array.from({ length: 8 }, (_, i) =>
        httpProbe(`term-${i}`, `${sim.httpUrl}/load`, { timeoutMs: 3_000 }),
      );
      const ran: ProbeResult[] = [];
      const doomed = await workerChild({
        WORKER_ID: 'eu:terminated',
        CONCURRENCY: '20',
        GRACE_MS: String(graceMs),
        REPORT_RESULTS: '1',
      });
      await worker({
        workerId: 'eu:survivor',
        concurrency: 20,
        lockDurationMs: 2_000,
        stalledIntervalMs: 1_000,
        results: { blockMs: 200 },
        onResult: (r) => ran.push(r),
      });
      await scheduler({ probes });

      await waitUntil(
        'the doomed worker to be busy',
        () => doomed.messages.filter((m) => m.type === 'result').length >= 4,
        15_000,
      );
      const termAt = Date.now();
      const exit = await doomed.kill('SIGTERM');
      expect(exit.code).toBe(0);
      expect(doomed.messages.some((m) => m.type === 'stopped')).toBe(true);
      if (graceMs < latencyMs) expect(Date.now() - termAt).toBeLessThan(latencyMs);

      const to = Date.now() + 3_000;
      const rows = await waitUntil(
        '3 s of slots after the shutdown',
        async () => {
          const rs = await db.rows();
          return probes.every((p) => rs.some((r) => r.probeId === p.id && r.slotAt >= to)) && rs;
        },
        20_000,
      );
      const from = Math.max(
        ...probes.map((p) => Math.min(...rows.filter((r) => r.probeId === p.id).map((r) => r.slotAt))),
      );
      const theirs = doomed.messages.filter((m) => m.type === 'result').map((m) => m.result as ProbeResult);

      expect(auditSlots(rows, probes, from, to)).toEqual({ missing: [], duplicates: [], offGrid: [] });
      expect(auditSlots([...theirs, ...ran], probes, from, to).duplicates).toEqual([]);
      expect(rows.filter((r) => r.outcome !== 'up')).toEqual([]);
      const queue = `${redis.prefix}:probes-eu`;
      const done = await redis.client.zrange(`${queue}:completed`, 0, -1);
      const stalled = [];
      for (const id of done)
        if (Number((await redis.client.hget(`${queue}:${id}`, 'stc')) ?? 0) > 0) stalled.push(id);
      expect(done.length).toBeGreaterThan(0);
      expect(stalled).toEqual([]);
    },
  );
});
