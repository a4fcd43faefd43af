import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { slotOffsetMs, stableHash32 } from '@vigil/core';
import { createTestRedis, type TestRedis } from '@vigil/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBullDispatcher } from './bull-dispatcher.js';
import type { ProbeJob } from './jobs.js';
import type { DesiredSchedule, Dispatcher } from './plan.js';
import { createProbeWorker, type ProbeWorker } from './worker.js';

const EVERY = 1000;
const zeroOffsetId = (() => {
  for (let i = 0; ; i++) if (stableHash32(`z${i}`) % EVERY === 0) return `z${i}`;
})();

const interval = (probeId: string, region: string): DesiredSchedule => ({
  probeId,
  region,
  schedule: { type: 'interval', everyMs: EVERY },
  specHash: `hash-${probeId}`,
});

/** Collects jobs and resolves `until(pred)` as soon as the collected jobs satisfy `pred`. */
function collector() {
  const jobs: ProbeJob[] = [];
  const waiters: { pred: (js: ProbeJob[]) => boolean; resolve: () => void }[] = [];
  return {
    jobs,
    add(job: ProbeJob) {
      jobs.push(job);
      for (const w of [...waiters]) if (w.pred(jobs)) w.resolve();
    },
    until(pred: (js: ProbeJob[]) => boolean): Promise<void> {
      if (pred(jobs)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

describe('probe worker', () => {
  let redis: TestRedis;
  let dispatcher: Dispatcher;
  const workers: ProbeWorker[] = [];
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    redis = await createTestRedis();
    dispatcher = createBullDispatcher({ redisUrl: redis.url, prefix: redis.prefix, regions: ['eu', 'us'] });
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await Promise.all(workers.splice(0).map((w) => w.close(0)));
    await dispatcher.close();
    await redis.cleanup();
  });

  const worker = async (
    o: Partial<Parameters<typeof createProbeWorker>[0]> &
      Pick<Parameters<typeof createProbeWorker>[0], 'handler'>,
  ) => {
    const w = await createProbeWorker({ redisUrl: redis.url, prefix: redis.prefix, region: 'eu', ...o });
    workers.push(w);
    return w;
  };

  it('two workers of a region receive its jobs at aligned, consecutive slot times, each slot once', async () => {
    const seen = collector();
    const errors: Error[] = [];
    const second = createBullDispatcher({ redisUrl: redis.url, prefix: redis.prefix, regions: ['eu', 'us'] });
    for (let i = 0; i < 2; i++)
      await worker({ handler: async (job) => seen.add(job), onError: (e) => errors.push(e) });
    const desired = [interval('a', 'eu'), interval(zeroOffsetId, 'eu'), interval('a', 'us')];
    await Promise.all([dispatcher.reconcile(desired), second.reconcile(desired)]);
    await second.close();

    const perProbe = (js: ProbeJob[], id: string) => js.filter((j) => j.probeId === id);
    await seen.until((js) => perProbe(js, 'a').length >= 3 && perProbe(js, zeroOffsetId).length >= 3);

    expect(errors).toEqual([]);
    expect(new Set(seen.jobs.map((j) => j.region))).toEqual(new Set(['eu']));
    for (const id of ['a', zeroOffsetId]) {
      const slots = perProbe(seen.jobs, id).map((j) => j.slotAt);
      for (const s of slots) expect(s % EVERY).toBe(slotOffsetMs(id, EVERY));
      expect(slots.slice(1).map((s, i) => s - slots[i]!)).toEqual(slots.slice(1).map(() => EVERY));
      expect(perProbe(seen.jobs, id)[0]).toMatchObject({ specHash: `hash-${id}`, region: 'eu' });
    }
  });

  it('on close, a run that outlives the grace is aborted and its slot re-run by another worker', async () => {
    const first = collector();
    const aborted: unknown[] = [];
    const w1 = await worker({
      concurrency: 1,
      handler: (job, signal) =>
        new Promise((_resolve, reject) => {
          first.add(job);
          signal.addEventListener('abort', () => {
            aborted.push(signal.reason);
            reject(signal.reason as Error);
          });
        }),
    });
    await dispatcher.reconcile([interval('a', 'eu')]);
    await first.until((js) => js.length === 1);
    await w1.close(50);
    expect(aborted).toEqual([expect.objectContaining({ code: 'CLOSED' })]);

    const second = collector();
    await worker({ handler: async (job) => second.add(job) });
    const slotAt = first.jobs[0]!.slotAt;
    await second.until((js) => js.some((j) => j.slotAt === slotAt));
    expect(second.jobs.filter((j) => j.slotAt === slotAt)).toHaveLength(1);
  });

  it('on close, every run still going hears the one shutdown and goes back to the queue, warning-free', async () => {
    const running = collector();
    const reasons: unknown[] = [];
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const w = await worker({
        concurrency: 20,
        handler: (job, signal) =>
          new Promise((_resolve, reject) => {
            running.add(job);
            signal.addEventListener('abort', () => {
              reasons.push(signal.reason);
              reject(signal.reason as Error);
            });
          }),
      });
      const ids = Array.from({ length: 15 }, (_, i) => `p${i}`);
      await dispatcher.reconcile(ids.map((id) => interval(id, 'eu')));
      await running.until((js) => new Set(js.map((j) => j.probeId)).size === ids.length);
      await w.close(50);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(reasons.length).toBeGreaterThanOrEqual(15);
    expect(new Set(reasons).size).toBe(1);
    expect(reasons[0]).toMatchObject({ code: 'CLOSED' });
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    const { Queue } = await import('bullmq');
    const q = new Queue('probes-eu', { connection: redis.client, prefix: redis.prefix });
    const handedBack = await q.getJobCounts('waiting', 'prioritized', 'active');
    await q.close();
    expect((handedBack.waiting ?? 0) + (handedBack.prioritized ?? 0)).toBeGreaterThanOrEqual(15);
    expect(handedBack.active).toBe(0);
  });

  it('re-runs the slot of a worker killed with SIGKILL mid-probe after stalled-job recovery', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./fixtures/stalling-worker.ts', import.meta.url))],
      {
        env: { ...process.env, REDIS_URL: redis.url, PREFIX: redis.prefix, REGION: 'eu' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    const lineIter = lines[Symbol.asyncIterator]();
    expect((await lineIter.next()).value).toBe('ready');
    await dispatcher.reconcile([interval('a', 'eu')]);
    const killedRun = JSON.parse((await lineIter.next()).value as string) as ProbeJob;
    child.kill('SIGKILL');
    await once(child, 'exit');

    const rescued = collector();
    await worker({ stalledIntervalMs: 250, lockDurationMs: 1000, handler: async (job) => rescued.add(job) });
    await rescued.until((js) => js.some((j) => j.slotAt === killedRun.slotAt));
    expect(rescued.jobs.filter((j) => j.slotAt === killedRun.slotAt)).toEqual([killedRun]);
  });

  it('a job whose payload does not parse fails with INVALID_PAYLOAD and reaches onError', async () => {
    const failed: Error[] = [];
    const got = new Promise<void>((resolve) => {
      void worker({
        handler: async () => undefined,
        onError: (e) => {
          failed.push(e);
          resolve();
        },
      });
    });
    const { Queue } = await import('bullmq');
    const q = new Queue('probes-eu', { connection: redis.client, prefix: redis.prefix });
    await q.add('probe', { probeId: 'a', region: 'eu', specHash: 'h' });
    await got;
    await q.close();
    expect(failed[0]).toMatchObject({ code: 'INVALID_PAYLOAD' });
  });
});
