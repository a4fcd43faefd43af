import type { SlotVerdict } from '@vigil/core';
import { listIncidents } from '@vigil/db';
import { createEvaluator } from '@vigil/evaluator';
import { expect, vi } from 'vitest';
import { configWith, expectedSlots, httpProbe } from './support/stack.js';
import { test } from './support/test.js';

const EVERY = 10_000;
const GAP = 10; // intervals Vigil is down

// Vigil (scheduler, worker, evaluator) stops while BullMQ holds each probe's next job (its Job Scheduler
// has materialised one tick ahead) and starts again GAP intervals later. Time: BullMQ reads Date.now()
// (its delayed jobs, its scheduler's next tick), so the downtime is a jump of the process's Date; the
// evaluator runs on an injected clock.
test('a restart after downtime sends no late run for the gap, and the evaluator opens no incident for it', async ({
  sim,
  db,
  redis,
  scheduler,
  worker,
  defer,
}) => {
  sim.set('/ok', { mode: 'ok', latencyMs: 5 });
  const probe = httpProbe('restart-gap', `${sim.httpUrl}/ok`, { everyMs: EVERY });
  const config = await configWith(['eu'], [probe]);
  const sched = await scheduler({ probes: [probe] });
  const delayed = await redis.client.zrange(`${redis.prefix}:probes-eu:delayed`, 0, -1);
  const s0 = Number(delayed.map((id) => id.match(/^repeat:restart-gap:(\d+)$/)?.[1]).find(Boolean));
  expect(expectedSlots(probe, s0, s0)).toEqual([s0]);

  // the evaluator ran before the downtime: the slots from s0 on are its to judge
  let evalNow = s0 - 1_000;
  const before = createEvaluator({
    db: db.handle.db,
    config: () => config,
    clock: { now: () => evalNow },
    holder: 'before',
    graceMs: 5_000,
  });
  expect((await before.tick()).leader).toBe(true);
  await before.release();
  await sched.close();

  // ... down for GAP intervals: the job of s0 waits in Redis; Vigil starts again 3 s before a slot
  const back = s0 + GAP * EVERY;
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  defer(async () => vi.useRealTimers());
  vi.setSystemTime(back - 3_000);
  await scheduler({ probes: [probe] });
  let onTime!: (slot: number) => void;
  const ranOnTime = new Promise<number>((resolve) => (onTime = resolve));
  const results: number[] = [];
  await worker({
    // the process's clock jumped, not Redis's: the start-up skew check would refuse it
    maxClockSkewMs: Infinity,
    onResult: (r) => {
      results.push(r.slotAt);
      onTime(r.slotAt);
    },
  });
  const first = await Promise.race([
    ranOnTime,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no run within 30 s')), 30_000)),
  ]);
  // the first run is the first slot after the restart (the next one when starting up took over 3 s)
  expect([back, back + EVERY]).toContain(first);
  const gap = (first - s0) / EVERY;

  // the gap's job was taken and not run: one request (the on-time slot), nothing stored for the gap
  expect(sim.requests('/ok')).toBe(1);
  expect(results).toEqual([first]);
  const completed = await redis.client.zrange(`${redis.prefix}:probes-eu:completed`, 0, -1);
  expect(completed).toContain(`repeat:restart-gap:${s0}`);
  const rows = await waitForRows(db, first);
  expect(rows.map((r) => r.slotAt)).toEqual([first]);

  // the evaluator starts again and catches up: the gap is no data, and no incident opens
  evalNow = first + EVERY + 6_000;
  const judged: SlotVerdict[] = [];
  const after = createEvaluator({
    db: db.handle.db,
    config: () => config,
    clock: { now: () => evalNow },
    holder: 'after',
    graceMs: 5_000,
    onJudged: (j) => judged.push(...(j.get(probe.id) ?? [])),
  });
  defer(() => after.release());
  const tick = await after.tick();
  expect(tick.opened).toBe(0);
  expect(judged.map((s) => [(s.at - s0) / EVERY, s.verdict])).toEqual([
    ...Array.from({ length: gap }, (_, k) => [k, 'no_data']),
    [gap, 'up'],
  ]);
  expect(await listIncidents(db.handle.db)).toEqual([]);
}, 60_000);

async function waitForRows(db: { rows(id?: string): Promise<{ slotAt: number }[]> }, slot: number) {
  for (let i = 0; i < 100; i++) {
    const rows = await db.rows('restart-gap');
    if (rows.some((r) => r.slotAt === slot)) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no stored row for slot ${slot}`);
}
