import type { Clock, EpochMs } from '@vigil/core';
import { QueueError, toError } from './errors.js';
import { parseProbeJob, type ProbeJob } from './jobs.js';
import { nextRunAfter } from './next-run.js';
import {
  assertKnownRegions,
  diffSchedules,
  validateDesired,
  type DesiredSchedule,
  type Dispatcher,
} from './plan.js';

export interface InProcessDispatcherOptions {
  /** every region of the deployment; this process runs the probes of all of them */
  regions: string[];
  handler: (job: ProbeJob, signal: AbortSignal) => Promise<void>;
  clock: Clock;
  /** runs at once; further due runs wait their turn. @defaultValue 100 */
  concurrency?: number;
  /** handler failures (with their job); a library never logs */
  onError?: (err: Error, job?: ProbeJob) => void;
  /**
   * close() lets in-flight runs finish this long, then aborts their signal and returns without
   * waiting for them further. @defaultValue 10000
   */
  graceMs?: number;
}

interface Entry {
  desired: DesiredSchedule;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The dispatcher of `vigil run` without Redis: its own timers fire the same slot times BullMQ would
 * (see nextRunAfter), with the same parsed ProbeJob payloads, into the same handler.
 */
export function createInProcessDispatcher(o: InProcessDispatcherOptions): Dispatcher {
  const limit = o.concurrency ?? 100;
  const onError = o.onError ?? (() => undefined);
  const entries = new Map<string, Entry>();
  const waiting: ProbeJob[] = [];
  const running = new Set<Promise<void>>();
  const abort = new AbortController();
  let closed = false;

  const keyOf = (s: { probeId: string; region: string }) => `${s.region}\u0000${s.probeId}`;

  function arm(entry: Entry, after: EpochMs): void {
    const slotAt = nextRunAfter(entry.desired.probeId, entry.desired.schedule, after);
    entry.timer = setTimeout(() => fire(entry, slotAt), Math.max(0, slotAt - o.clock.now()));
  }

  function fire(entry: Entry, slotAt: EpochMs): void {
    const { probeId, region, specHash } = entry.desired;
    arm(entry, Math.max(slotAt, o.clock.now()));
    try {
      waiting.push(parseProbeJob({ probeId, region, specHash, slotAt }));
    } catch (err) {
      onError(toError(err));
      return;
    }
    pump();
  }

  function pump(): void {
    while (running.size < limit && !closed) {
      const job = waiting.shift();
      if (job === undefined) return;
      const run: Promise<void> = o
        .handler(job, abort.signal)
        .catch((err: unknown) => onError(toError(err), job))
        .finally(() => {
          running.delete(run);
          pump();
        });
      running.add(run);
    }
  }

  function current() {
    return [...entries.values()].map((e) => ({ ...e.desired }));
  }

  async function plan(desired: DesiredSchedule[]) {
    if (closed) throw new QueueError('CLOSED', 'dispatcher is closed');
    validateDesired(desired);
    assertKnownRegions(desired, o.regions);
    return diffSchedules(desired, current());
  }

  return {
    plan,
    async reconcile(desired) {
      const p = await plan(desired);
      for (const r of p.remove) {
        clearTimeout(entries.get(keyOf(r))?.timer);
        entries.delete(keyOf(r));
      }
      for (const d of [...p.add, ...p.change]) {
        clearTimeout(entries.get(keyOf(d))?.timer);
        const entry: Entry = { desired: { ...d }, timer: undefined };
        entries.set(keyOf(d), entry);
        arm(entry, o.clock.now());
      }
      return p;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const e of entries.values()) clearTimeout(e.timer);
      entries.clear();
      waiting.length = 0;
      let grace: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<void>((resolve) => {
        grace = setTimeout(resolve, o.graceMs ?? 10_000);
      });
      await Promise.race([Promise.allSettled([...running]), expired]);
      clearTimeout(grace);
      abort.abort(new QueueError('CLOSED', 'dispatcher closed before the run finished'));
    },
  };
}
