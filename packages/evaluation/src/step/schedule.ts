import {
  cronTimes,
  slotContaining,
  slotOffsetMs,
  type CronTimes,
  type EpochMs,
  type ProbeSpec,
} from '@vigil/core';

/** The slot grid of a probe: the instants its runs are scheduled at (what results' slot_at holds). */
export interface SlotGrid {
  /** the last slot starting at or before `t` */
  floor(t: EpochMs): EpochMs;
  /** the first slot starting at or after `t` */
  ceil(t: EpochMs): EpochMs;
  /** the slot after slot `s` */
  next(s: EpochMs): EpochMs;
  /** the typical slot length: the interval, or one cron step */
  everyMs: number;
  offsetMs: number;
}

export class ScheduleError extends Error {
  readonly code = 'EVAL_SCHEDULE';
  override readonly name = 'ScheduleError';
}

/** Interval slots are `k × every + offset` (as the queue schedules them); cron slots are the pattern's instants. */
export function slotGrid(spec: Pick<ProbeSpec, 'id' | 'schedule'>): SlotGrid {
  const s = spec.schedule;
  if (s.type === 'interval') {
    const offsetMs = slotOffsetMs(spec.id, s.everyMs);
    const floor = (t: EpochMs) => slotContaining(t, s.everyMs, offsetMs);
    return {
      floor,
      ceil: (t) => (floor(t) === t ? t : floor(t) + s.everyMs),
      next: (at) => floor(at) + s.everyMs,
      everyMs: s.everyMs,
      offsetMs,
    };
  }
  let times: CronTimes;
  try {
    times = cronTimes(s.cron, s.tz);
  } catch (cause) {
    throw new ScheduleError(`probe ${spec.id}: invalid cron "${s.cron}" in ${s.tz}`, { cause });
  }
  const next = (at: EpochMs) => times.next(at);
  const first = next(0);
  return {
    floor: (t) => times.prev(t + 1),
    ceil: (t) => next(t - 1),
    next,
    everyMs: next(first) - first,
    offsetMs: 0,
  };
}
