import type { ProbeResult, ProbeSpec } from '@vigil/core';
import { createInProcessDispatcher, type DesiredSchedule, type Dispatcher } from '@vigil/queue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProbeHandler } from './handler.js';

const S = 1_000;
const EVERY = 20 * S;
const START = Date.UTC(2026, 11, 1, 10, 0, 0);
const spec = {
  id: 'p',
  kind: 'http',
  provider: 'sim',
  regions: ['eu'],
  timeoutMs: 10 * S,
  schedule: { type: 'interval', everyMs: EVERY },
} as ProbeSpec;
const desired: DesiredSchedule = { probeId: 'p', region: 'eu', schedule: spec.schedule, specHash: 'h' };

// `vigil run` without Redis: the in-process dispatcher and the handler, on fake timers
describe('embedded dispatch and the handler', () => {
  let dispatchers: Dispatcher[] = [];
  beforeEach(() => void vi.useFakeTimers({ now: START }));
  afterEach(async () => {
    const closing = Promise.all(dispatchers.map((d) => d.close()));
    await vi.runAllTimersAsync();
    await closing;
    dispatchers = [];
    vi.useRealTimers();
  });

  function start(runMs: () => number) {
    const ran: number[] = [];
    const stale: number[] = [];
    const handler = createProbeHandler({
      getSpec: async () => spec,
      run: async (_s, ctx) => {
        ran.push(ctx.slotAt);
        await new Promise((r) => setTimeout(r, runMs()));
        return { probeId: 'p', region: 'eu', slotAt: ctx.slotAt, outcome: 'up' } as ProbeResult;
      },
      sink: { append: async () => undefined },
      env: {},
      clock: { now: () => Date.now() },
      workerId: 'embedded',
      loopDelay: false,
      onStale: (job) => stale.push(job.slotAt),
    });
    const dispatcher = (concurrency = 100) => {
      const d = createInProcessDispatcher({
        regions: ['eu'],
        handler,
        clock: { now: () => Date.now() },
        concurrency,
      });
      dispatchers.push(d);
      return d;
    };
    return { ran, stale, dispatcher };
  }

  it('a restart after 10 intervals down runs no slot of the gap', async () => {
    const h = start(() => 10);
    const before = h.dispatcher();
    await before.reconcile([desired]);
    await vi.advanceTimersByTimeAsync(2 * EVERY);
    await before.close();
    const last = Math.max(...h.ran);
    await vi.advanceTimersByTimeAsync(10 * EVERY);
    const restartedAt = Date.now();
    await h.dispatcher().reconcile([desired]);
    await vi.advanceTimersByTimeAsync(2 * EVERY);
    const after = h.ran.filter((s) => s > last);
    expect(after).toHaveLength(2);
    expect(after.every((s) => s >= restartedAt)).toBe(true);
    expect(h.stale).toEqual([]);
  });

  it('a backlog behind a run that holds the only slot is skipped as no data, not run late', async () => {
    // concurrency 1 and one run that hangs 3 intervals: the slots queued behind it are over when it ends
    let first = true;
    const h = start(() => (first ? ((first = false), 3 * EVERY + 5 * S) : 10));
    await h.dispatcher(1).reconcile([desired]);
    await vi.advanceTimersByTimeAsync(6 * EVERY);
    const [s0] = h.ran;
    expect(h.stale).toEqual([s0! + EVERY, s0! + 2 * EVERY]);
    // the slot due while the first run ended was taken on time, then the next ones
    expect(h.ran.slice(0, 2)).toEqual([s0, s0! + 3 * EVERY]);
  });
});
