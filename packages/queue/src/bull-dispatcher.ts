import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullRepeatFor, scheduleFromBull } from './bull-schedule.js';
import { QueueError, toError } from './errors.js';
import { parseProbeJobTemplate, probeJobTemplateSchema, queueName } from './jobs.js';
import {
  assertKnownRegions,
  diffSchedules,
  validateDesired,
  type CurrentSchedule,
  type DesiredSchedule,
  type Dispatcher,
  type SchedulePlan,
} from './plan.js';
import { connect, DEFAULT_PREFIX } from './redis.js';

export interface BullDispatcherOptions {
  redisUrl: string;
  /** key prefix of every queue. @defaultValue 'vigil' */
  prefix?: string;
  /**
   * every region of the deployment: schedulers found in their queues and not desired are removed;
   * a desired schedule in another region is an error
   */
  regions: string[];
  /** connection errors of the underlying queues (a library never logs) */
  onError?: (err: Error) => void;
}

/** Template options of every probe job: one attempt (the next slot is the retry), bounded history. */
export const PROBE_JOB_OPTIONS = {
  attempts: 1,
  removeOnComplete: { count: 1_000, age: 3_600 },
  removeOnFail: { count: 5_000, age: 7 * 86_400 },
} as const;

const APPLY_CHUNK = 200;

/**
 * Reconciles desired (probe × region) schedules with BullMQ Job Schedulers, one queue per region and
 * scheduler id = probe id. Safe to run from several processes at once: an upsert is one Lua script and
 * a tick's job id is `repeat:<probeId>:<slotAt>`, so concurrent reconciles converge on one job per slot.
 */
export function createBullDispatcher(o: BullDispatcherOptions): Dispatcher {
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  const connection: Redis = connect(o.redisUrl);
  const onError = o.onError ?? (() => undefined);
  connection.on('error', (err: Error) => onError(err));
  const queues = new Map<string, Queue>();
  let closed = false;

  function queueFor(region: string): Queue {
    let q = queues.get(region);
    if (q === undefined) {
      q = new Queue(queueName(region), { connection, prefix });
      q.on('error', (err: Error) => onError(err));
      queues.set(region, q);
    }
    return q;
  }

  async function currentOf(region: string): Promise<CurrentSchedule[]> {
    const found = await queueFor(region).getJobSchedulers(0, -1, true);
    return found.flatMap((s) => {
      if (s === undefined || s === null) return [];
      const template = probeJobTemplateSchema.safeParse(s.template?.data);
      const readable = template.success && template.data.probeId === s.key && template.data.region === region;
      return [
        {
          probeId: s.key,
          region,
          schedule: readable ? scheduleFromBull(s.key, s) : null,
          specHash: readable ? template.data.specHash : null,
        },
      ];
    });
  }

  async function plan(desired: DesiredSchedule[]): Promise<SchedulePlan> {
    if (closed) throw new QueueError('CLOSED', 'dispatcher is closed');
    validateDesired(desired);
    assertKnownRegions(desired, o.regions);
    const current = (await Promise.all(o.regions.map(currentOf))).flat();
    return diffSchedules(desired, current);
  }

  async function upsert(d: DesiredSchedule): Promise<void> {
    const data = parseProbeJobTemplate({ probeId: d.probeId, region: d.region, specHash: d.specHash });
    await queueFor(d.region).upsertJobScheduler(d.probeId, bullRepeatFor(d.probeId, d.schedule), {
      name: 'probe',
      data,
      opts: PROBE_JOB_OPTIONS,
    });
  }

  async function remove(r: { probeId: string; region: string }): Promise<void> {
    await queueFor(r.region).removeJobScheduler(r.probeId);
  }

  return {
    plan,
    async reconcile(desired) {
      const p = await plan(desired);
      const tasks: (() => Promise<void>)[] = [
        ...[...p.add, ...p.change].map((d) => () => upsert(d)),
        ...p.remove.map((r) => () => remove(r)),
      ];
      const failures: Error[] = [];
      for (let i = 0; i < tasks.length; i += APPLY_CHUNK) {
        const settled = await Promise.allSettled(tasks.slice(i, i + APPLY_CHUNK).map((t) => t()));
        for (const s of settled) if (s.status === 'rejected') failures.push(toError(s.reason));
      }
      if (failures.length > 0)
        throw new QueueError(
          'SCHEDULER_FAILED',
          `${failures.length} of ${tasks.length} scheduler changes failed: ${failures[0]?.message}`,
          { cause: failures.length === 1 ? failures[0] : new AggregateError(failures) },
        );
      return p;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...queues.values()].map((q) => q.close()));
      await connection.quit();
    },
  };
}
