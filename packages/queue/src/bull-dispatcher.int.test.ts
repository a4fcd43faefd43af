import { slotOffsetMs } from '@vigil/core';
import { createTestRedis, type TestRedis } from '@vigil/testing';
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBullDispatcher } from './bull-dispatcher.js';
import { queueName, slotAtFromJobId } from './jobs.js';
import type { DesiredSchedule, Dispatcher } from './plan.js';

const REGIONS = ['eu', 'us'];
const MINUTE = 60_000;

function desiredSet(n: number, everyMs = MINUTE, specHash = 'h1'): DesiredSchedule[] {
  return REGIONS.flatMap((region) =>
    Array.from({ length: n }, (_, i) => ({
      probeId: `probe-${i}`,
      region,
      schedule: { type: 'interval' as const, everyMs },
      specHash,
    })),
  );
}

describe('BullMQ dispatcher', () => {
  let redis: TestRedis;
  let dispatchers: Dispatcher[];
  let queues: Queue[];

  beforeEach(async () => {
    redis = await createTestRedis();
    dispatchers = [];
    queues = [];
  });
  afterEach(async () => {
    await Promise.all([...dispatchers, ...queues].map((d) => d.close()));
    await redis.cleanup();
  });

  const dispatcher = () => {
    const d = createBullDispatcher({ redisUrl: redis.url, prefix: redis.prefix, regions: REGIONS });
    dispatchers.push(d);
    return d;
  };
  const queue = (region: string) => {
    const q = new Queue(queueName(region), { connection: redis.client, prefix: redis.prefix });
    queues.push(q);
    return q;
  };
  /** probe id → the slot times of its pending (delayed or waiting) jobs */
  async function pendingSlots(region: string): Promise<Map<string, number[]>> {
    const jobs = await queue(region).getJobs(['delayed', 'wait']);
    const out = new Map<string, number[]>();
    for (const j of jobs) {
      const probeId = (j.data as { probeId: string }).probeId;
      out.set(probeId, [...(out.get(probeId) ?? []), slotAtFromJobId(j.id ?? '', probeId) ?? -1]);
    }
    return out;
  }

  it('three schedulers reconciling at once leave one scheduler and one aligned next slot per probe and region', async () => {
    const desired = desiredSet(20);
    await Promise.all([dispatcher(), dispatcher(), dispatcher()].map((d) => d.reconcile(desired)));

    for (const region of REGIONS) {
      const schedulers = await queue(region).getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(
        desired
          .filter((d) => d.region === region)
          .map((d) => d.probeId)
          .sort(),
      );
      const slots = await pendingSlots(region);
      expect(slots.size).toBe(20);
      for (const [probeId, [slot, ...more]] of slots) {
        expect(more).toEqual([]);
        expect((((slot! - slotOffsetMs(probeId, MINUTE)) % MINUTE) + MINUTE) % MINUTE).toBe(0);
      }
    }
    expect(await dispatcher().plan(desired)).toEqual({ add: [], change: [], remove: [], unchanged: 40 });
  });

  it('removes a probe that is no longer desired and upserts a changed interval', async () => {
    const d = dispatcher();
    await d.reconcile(desiredSet(3));
    const next = desiredSet(3).filter((s) => s.probeId !== 'probe-2');
    const changed = next.find((s) => s.probeId === 'probe-1' && s.region === 'eu')!;
    changed.schedule = { type: 'interval', everyMs: 30_000 };

    const plan = await d.plan(next);
    expect(plan).toEqual({
      add: [],
      change: [changed],
      remove: [
        { probeId: 'probe-2', region: 'eu' },
        { probeId: 'probe-2', region: 'us' },
      ],
      unchanged: 3,
    });
    expect(await queue('eu').getJobSchedulersCount()).toBe(3);

    expect(await d.reconcile(next)).toEqual(plan);
    const eu = await queue('eu').getJobSchedulers();
    expect(eu.map((s) => [s.key, s.every]).sort()).toEqual([
      ['probe-0', MINUTE],
      ['probe-1', 30_000],
    ]);
    const slots = await pendingSlots('eu');
    expect([...slots.keys()].sort()).toEqual(['probe-0', 'probe-1']);
    const [slot] = slots.get('probe-1')!;
    expect((slot! - slotOffsetMs('probe-1', 30_000)) % 30_000).toBe(0);
    expect(await d.plan(next)).toMatchObject({ add: [], change: [], remove: [], unchanged: 4 });
  });

  it('a changed spec hash updates the template but keeps the same next slot', async () => {
    const d = dispatcher();
    await d.reconcile(desiredSet(2));
    const before = await pendingSlots('eu');
    await Promise.all([
      dispatcher().reconcile(desiredSet(2, MINUTE, 'h2')),
      d.reconcile(desiredSet(2, MINUTE, 'h2')),
    ]);
    expect(await pendingSlots('eu')).toEqual(before);
    const jobs = await queue('eu').getJobs(['delayed']);
    expect(jobs.map((j) => (j.data as { specHash: string }).specHash)).toEqual(['h2', 'h2']);
  });

  it('restores every schedule after Redis lost all its keys', async () => {
    const d = dispatcher();
    const desired = desiredSet(5);
    await d.reconcile(desired);
    const keys = await redis.client.keys(`${redis.prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.client.del(...keys);

    expect((await d.plan(desired)).add).toHaveLength(10);
    await d.reconcile(desired);
    expect(await d.plan(desired)).toMatchObject({ add: [], change: [], remove: [], unchanged: 10 });
    for (const region of REGIONS) expect((await pendingSlots(region)).size).toBe(5);
  });

  it('schedules a cron in its time zone', async () => {
    const d = dispatcher();
    await d.reconcile([
      {
        probeId: 'weekly',
        region: 'eu',
        schedule: { type: 'cron', cron: '0 9 * * 1', tz: 'Europe/Berlin' },
        specHash: 'h',
      },
    ]);
    const [s] = await queue('eu').getJobSchedulers();
    expect(s).toMatchObject({ key: 'weekly', pattern: '0 9 * * 1', tz: 'Europe/Berlin' });
    const [slot] = (await pendingSlots('eu')).get('weekly')!;
    const berlin = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(berlin.format(slot)).toBe('Mon 09:00');
  });

  it('refuses a schedule in a region outside the deployment without changing anything', async () => {
    const d = dispatcher();
    const bad = [...desiredSet(1), { ...desiredSet(1)[0]!, region: 'mars' }];
    await expect(d.reconcile(bad)).rejects.toMatchObject({ code: 'UNKNOWN_REGION' });
    expect(await queue('eu').getJobSchedulersCount()).toBe(0);
  });
});
