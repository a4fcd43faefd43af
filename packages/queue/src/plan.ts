import type { ProbeSchedule } from '@vigil/core';
import { QueueError } from './errors.js';
import { parseProbeJobTemplate } from './jobs.js';
import { cronRuns } from './next-run.js';

/** One (probe × region) that should be scheduled. */
export interface DesiredSchedule {
  probeId: string;
  region: string;
  schedule: ProbeSchedule;
  specHash: string;
}

/** What a schedule store holds now; `schedule`/`specHash` are null when unreadable (always "changed"). */
export interface CurrentSchedule {
  probeId: string;
  region: string;
  schedule: ProbeSchedule | null;
  specHash: string | null;
}

export interface SchedulePlan {
  add: DesiredSchedule[];
  change: DesiredSchedule[];
  remove: { probeId: string; region: string }[];
  unchanged: number;
}

/** Both implementations (BullMQ and in-process) behind one interface. */
export interface Dispatcher {
  /** What reconcile would do, without doing it. */
  plan(desired: DesiredSchedule[]): Promise<SchedulePlan>;
  /** Upserts new and changed schedules, removes the ones not desired; returns what it did. */
  reconcile(desired: DesiredSchedule[]): Promise<SchedulePlan>;
  close(): Promise<void>;
}

/** Pure: the difference between desired and current schedules, sorted by region then probe id. */
export function diffSchedules(
  desired: readonly DesiredSchedule[],
  current: readonly CurrentSchedule[],
): SchedulePlan {
  const desiredByKey = indexDesired(desired);
  const currentByKey = new Map(current.map((c) => [keyOf(c), c]));
  const plan: SchedulePlan = { add: [], change: [], remove: [], unchanged: 0 };
  for (const [key, d] of desiredByKey) {
    const c = currentByKey.get(key);
    if (c === undefined) plan.add.push(d);
    else if (c.specHash !== d.specHash || !sameSchedule(c.schedule, d.schedule)) plan.change.push(d);
    else plan.unchanged++;
  }
  for (const [key, c] of currentByKey)
    if (!desiredByKey.has(key)) plan.remove.push({ probeId: c.probeId, region: c.region });
  plan.add.sort(byKey);
  plan.change.sort(byKey);
  plan.remove.sort(byKey);
  return plan;
}

/** A change that removes more than half of the probes in force. */
export interface LargeRemoval {
  removed: number;
  /** probes in force before the change */
  before: number;
}

/** Pure: a large removal (more than half of `before`), or null. */
export function largeRemoval(before: number, removed: number): LargeRemoval | null {
  return removed > 0 && removed * 2 > before ? { removed, before } : null;
}

/** The loud line `vigil plan` prints for a large removal. */
export function largeRemovalWarning(r: LargeRemoval): string {
  const pct = Math.round((100 * r.removed) / r.before);
  return `WARNING: this removes ${r.removed} of ${r.before} probes (${pct}%), more than half: check that no probe file went missing`;
}

/** Validates every desired schedule, so a bad one fails the whole reconcile before anything changes. */
export function validateDesired(desired: readonly DesiredSchedule[]): void {
  indexDesired(desired);
  for (const d of desired) {
    parseProbeJobTemplate({ probeId: d.probeId, region: d.region, specHash: d.specHash });
    const s = d.schedule;
    if (s.type === 'interval' && !(Number.isSafeInteger(s.everyMs) && s.everyMs > 0))
      throw new QueueError(
        'INVALID_SCHEDULE',
        `${d.probeId}@${d.region}: everyMs must be a positive integer, got ${s.everyMs}`,
      );
    if (s.type === 'cron') cronRuns(s.cron, s.tz);
  }
}

/** Throws unless every desired schedule is in one of `regions` (the deployment's full set). */
export function assertKnownRegions(desired: readonly DesiredSchedule[], regions: readonly string[]): void {
  const known = new Set(regions);
  const unknown = [...new Set(desired.map((d) => d.region).filter((r) => !known.has(r)))];
  if (unknown.length > 0)
    throw new QueueError(
      'UNKNOWN_REGION',
      `schedules for region${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} not in [${regions.join(', ')}]`,
    );
}

export function sameSchedule(a: ProbeSchedule | null, b: ProbeSchedule): boolean {
  if (a === null) return false;
  if (a.type === 'interval') return b.type === 'interval' && a.everyMs === b.everyMs;
  return b.type === 'cron' && a.cron === b.cron && a.tz === b.tz;
}

function indexDesired(desired: readonly DesiredSchedule[]): Map<string, DesiredSchedule> {
  const out = new Map<string, DesiredSchedule>();
  for (const d of desired) {
    const key = keyOf(d);
    if (out.has(key))
      throw new QueueError(
        'DUPLICATE_SCHEDULE',
        `probe ${d.probeId} is scheduled twice in region ${d.region}`,
      );
    out.set(key, d);
  }
  return out;
}

function keyOf(s: { probeId: string; region: string }): string {
  return `${s.region}\u0000${s.probeId}`;
}

function byKey(a: { probeId: string; region: string }, b: { probeId: string; region: string }) {
  return a.region === b.region ? compare(a.probeId, b.probeId) : compare(a.region, b.region);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
