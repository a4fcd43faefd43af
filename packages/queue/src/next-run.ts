import {
  cronTimes,
  nextSlotAfter,
  slotOffsetMs,
  type CronTimes,
  type EpochMs,
  type ProbeSchedule,
} from '@vigil/core';
import { QueueError } from './errors.js';

/**
 * Pure: the first run strictly after `at`, as BullMQ computes it. Interval slots are
 * `k * everyMs + slotOffsetMs(probeId, everyMs)`; cron runs are the pattern's instants in `tz`.
 */
export function nextRunAfter(probeId: string, schedule: ProbeSchedule, at: EpochMs): EpochMs {
  if (schedule.type === 'interval')
    return nextSlotAfter(at, schedule.everyMs, slotOffsetMs(probeId, schedule.everyMs));
  return cronRuns(schedule.cron, schedule.tz).next(at);
}

/** A cron schedule's run times (core's cronTimes); INVALID_SCHEDULE when the pattern or zone does not parse. */
export function cronRuns(cron: string, tz: string): CronTimes {
  try {
    return cronTimes(cron, tz);
  } catch (err) {
    throw new QueueError('INVALID_SCHEDULE', `invalid cron "${cron}" in ${tz}`, { cause: err });
  }
}
