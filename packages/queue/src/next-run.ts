import { nextSlotAfter, slotOffsetMs, type EpochMs, type ProbeSchedule } from '@vigil/core';
import { CronExpressionParser } from 'cron-parser';
import { QueueError } from './errors.js';

/**
 * Pure: the first run strictly after `at`, as BullMQ computes it. Interval slots are
 * `k * everyMs + slotOffsetMs(probeId, everyMs)`; cron runs are the pattern's instants in `tz`.
 */
export function nextRunAfter(probeId: string, schedule: ProbeSchedule, at: EpochMs): EpochMs {
  if (schedule.type === 'interval')
    return nextSlotAfter(at, schedule.everyMs, slotOffsetMs(probeId, schedule.everyMs));
  return parseCron(schedule.cron, schedule.tz, at).next().getTime();
}

export function parseCron(cron: string, tz: string, at: EpochMs = 0) {
  try {
    return CronExpressionParser.parse(cron, { currentDate: new Date(at), tz });
  } catch (err) {
    throw new QueueError('INVALID_SCHEDULE', `invalid cron "${cron}" in ${tz}`, { cause: err });
  }
}
