import { slotOffsetMs, type ProbeSchedule } from '@vigil/core';

export type BullRepeat = { every: number; offset: number } | { pattern: string; tz: string };

/**
 * BullMQ repeat options whose ticks are the slots `k * everyMs + slotOffsetMs(probeId, everyMs)`.
 * BullMQ reads offset 0 as "unset" and would then start at `now`, unaligned; `everyMs` is the same
 * slot grid (≡ 0 mod everyMs) and BullMQ aligns to it.
 */
export function bullRepeatFor(probeId: string, schedule: ProbeSchedule): BullRepeat {
  if (schedule.type === 'cron') return { pattern: schedule.cron, tz: schedule.tz };
  const every = schedule.everyMs;
  return { every, offset: slotOffsetMs(probeId, every) || every };
}

/** The ProbeSchedule a stored BullMQ scheduler implements, or null when it is not one we would write. */
export function scheduleFromBull(
  probeId: string,
  stored: { every?: number | null; offset?: number | null; pattern?: string | null; tz?: string | null },
): ProbeSchedule | null {
  if (stored.pattern && stored.tz && !stored.every)
    return { type: 'cron', cron: stored.pattern, tz: stored.tz };
  if (stored.every && !stored.pattern) {
    const want = bullRepeatFor(probeId, { type: 'interval', everyMs: stored.every });
    return 'offset' in want && want.offset === stored.offset
      ? { type: 'interval', everyMs: stored.every }
      : null;
  }
  return null;
}
