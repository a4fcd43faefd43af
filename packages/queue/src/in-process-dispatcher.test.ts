import { slotOffsetMs, stableHash32, type Clock } from '@vigil/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInProcessDispatcher } from './in-process-dispatcher.js';
import type { ProbeJob } from './jobs.js';
import type { DesiredSchedule, Dispatcher } from './plan.js';

const MINUTE = 60_000;
const START = Date.UTC(2025, 2, 3, 10, 0, 0, 123);
const clock: Clock = { now: () => Date.now() };
const zeroOffsetId = (() => {
  for (let i = 0; ; i++) if (stableHash32(`z${i}`) % MINUTE === 0) return `z${i}`;
})();

const every = (probeId: string, everyMs = MINUTE, region = 'eu'): DesiredSchedule => ({
  probeId,
  region,
  schedule: { type: 'interval', everyMs },
  specHash: `h-${probeId}`,
});
const cron = (probeId: string, c: string): DesiredSchedule => ({
  probeId,
  region: 'eu',
  schedule: { type: 'cron', cron: c, tz: 'Europe/Berlin' },
  specHash: 'h',
});

describe('in-process dispatcher', () => {
  let dispatcher: Dispatcher | undefined;
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });
  afterEach(async () => {
    const closing = dispatcher?.close();
    await vi.runAllTimersAsync();
    await closing;
    dispatcher = undefined;
    vi.useRealTimers();
  });

  function start(
    handler: (job: ProbeJob, signal: AbortSignal) => Promise<void>,
    extra: { concurrency?: number; onError?: (e: Error, j?: ProbeJob) => void } = {},
  ) {
    dispatcher = createInProcessDispatcher({ regions: ['eu', 'us'], handler, clock, ...extra });
    return dispatcher;
  }

  it('fires every interval probe at its aligned slots, the ones BullMQ would produce', async () => {
    const jobs: ProbeJob[] = [];
    const d = start(async (job) => void jobs.push(job));
    await d.reconcile([every('a'), every(zeroOffsetId), every('a', MINUTE, 'us')]);
    await vi.advanceTimersByTimeAsync(3 * MINUTE);

    for (const [id, region] of [
      ['a', 'eu'],
      [zeroOffsetId, 'eu'],
      ['a', 'us'],
    ] as const) {
      const mine = jobs.filter((j) => j.probeId === id && j.region === region);
      expect(mine).toHaveLength(3);
      const first =
        Math.ceil((START - slotOffsetMs(id, MINUTE)) / MINUTE) * MINUTE + slotOffsetMs(id, MINUTE);
      expect(mine.map((j) => j.slotAt)).toEqual([first, first + MINUTE, first + 2 * MINUTE]);
      expect(mine[0]).toEqual({ probeId: id, region, slotAt: first, specHash: `h-${id}` });
    }
  });

  it('fires a cron probe at the pattern instants in its time zone', async () => {
    const jobs: ProbeJob[] = [];
    const d = start(async (job) => void jobs.push(job));
    await d.reconcile([cron('hourly', '0 * * * *')]);
    await vi.advanceTimersByTimeAsync(2 * 60 * MINUTE);
    expect(jobs.map((j) => j.slotAt)).toEqual([Date.UTC(2025, 2, 3, 11), Date.UTC(2025, 2, 3, 12)]);
  });

  it('plans and applies adds, changes and removals like the BullMQ dispatcher', async () => {
    const jobs: ProbeJob[] = [];
    const d = start(async (job) => void jobs.push(job));
    await d.reconcile([every('a'), every('b')]);
    const next = [every('a', 30_000), every('c')];
    expect(await d.plan(next)).toEqual({
      add: [every('c')],
      change: [every('a', 30_000)],
      remove: [{ probeId: 'b', region: 'eu' }],
      unchanged: 0,
    });
    await d.reconcile(next);
    expect(await d.plan(next)).toMatchObject({ add: [], change: [], remove: [], unchanged: 2 });

    jobs.length = 0;
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(jobs.filter((j) => j.probeId === 'b')).toEqual([]);
    const a = jobs.filter((j) => j.probeId === 'a').map((j) => j.slotAt);
    expect(a).toHaveLength(2);
    for (const s of a) expect(s % 30_000).toBe(slotOffsetMs('a', 30_000));
  });

  it('runs at most `concurrency` probes at once and queues the rest', async () => {
    const releases: (() => void)[] = [];
    const started: string[] = [];
    const d = start(
      (job) =>
        new Promise<void>((resolve) => {
          started.push(job.probeId);
          releases.push(resolve);
        }),
      { concurrency: 2 },
    );
    await d.reconcile([cron('p1', '* * * * *'), cron('p2', '* * * * *'), cron('p3', '* * * * *')]);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(started).toEqual(['p1', 'p2']);
    releases[0]!();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['p1', 'p2', 'p3']);
  });

  it('reports a failing run with its job and keeps scheduling', async () => {
    const errors: [string, ProbeJob | undefined][] = [];
    const d = start(async () => Promise.reject(new Error('boom')), {
      onError: (e, j) => errors.push([e.message, j]),
    });
    await d.reconcile([every('a')]);
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toEqual(['boom', expect.objectContaining({ probeId: 'a', region: 'eu' })]);
  });

  it('on close stops firing, lets in-flight runs finish within the grace, then aborts them', async () => {
    const signals: AbortSignal[] = [];
    let fired = 0;
    const d = start(
      (_job, signal) =>
        new Promise<void>((resolve) => {
          fired++;
          signals.push(signal);
          signal.addEventListener('abort', () => resolve());
        }),
    );
    await d.reconcile([every('a')]);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(fired).toBe(1);
    let closed = false;
    const closing = d.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await closing;
    expect(signals[0]!.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(fired).toBe(1);
    await expect(d.plan([])).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('refuses a schedule in a region outside the deployment', async () => {
    const d = start(async () => undefined);
    await expect(d.reconcile([every('a', MINUTE, 'mars')])).rejects.toMatchObject({ code: 'UNKNOWN_REGION' });
  });
});
