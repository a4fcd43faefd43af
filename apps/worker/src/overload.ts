import type { ProbeResult, ProbeSpec } from '@vigil/core';
import { nextRunAfter, type ProbeJob } from '@vigil/queue';

/** A run during which the event loop was stalled this long (in all) is marked `overloaded`. */
export const DEFAULT_MAX_LOOP_DELAY_MS = 200;
/** However long a probe's interval, a run starting this long after its slot is marked `overloaded`. */
export const MAX_START_LAG_MS = 60_000;

export interface OverloadPolicy {
  /** @defaultValue DEFAULT_MAX_LOOP_DELAY_MS */
  maxLoopDelayMs?: number;
  /**
   * How long after its slot ended a job may still run: a killed worker's slot is re-run after stalled
   * recovery (the worker role passes lockDuration + stalledInterval + a second); the probe's timeout is
   * added, since the worker may have died that far into the run. 0 (in-process dispatch, which re-runs
   * nothing): a job that starts once its slot is over is skipped. @defaultValue 0
   */
  rerunWindowMs?: number;
}

/** How a job stands against its slot when it is taken: run it, run it but mark it, or skip it. */
export type SlotTiming =
  | { kind: 'on_time'; lagMs: number }
  | { kind: 'late'; lagMs: number; slotMs: number }
  | { kind: 'stale'; lagMs: number; slotMs: number };

/**
 * `stale` when the job starts after its slot ended (plus the re-run window): a slot from while the
 * monitor was down or hopelessly behind is no data, not a late run. `late` when it starts after its
 * slot ended (or MAX_START_LAG_MS after it) but within the re-run window: it runs, marked. Pure.
 */
export function slotTiming(spec: ProbeSpec, job: ProbeJob, now: number, p: OverloadPolicy): SlotTiming {
  const lagMs = now - job.slotAt;
  if (lagMs <= 0) return { kind: 'on_time', lagMs };
  const slotMs = nextRunAfter(spec.id, spec.schedule, job.slotAt) - job.slotAt;
  const rerun = p.rerunWindowMs ?? 0;
  if (lagMs > slotMs + (rerun > 0 ? rerun + spec.timeoutMs : 0)) return { kind: 'stale', lagMs, slotMs };
  if (lagMs >= Math.min(slotMs, MAX_START_LAG_MS)) return { kind: 'late', lagMs, slotMs };
  return { kind: 'on_time', lagMs };
}

/**
 * Whether the monitor's own delay could have decided this result: its latency (up), its timeout, or a
 * failed responseTime assertion. A status code, a refused connection or a wrong body is the provider's
 * whatever our event loop did.
 */
export function timeSensitive(r: ProbeResult): boolean {
  if (r.outcome === 'up') return true;
  if (r.errorClass === 'timeout') return true;
  if (r.errorClass !== 'assertion_failed') return false;
  const failed = r.assertions.filter((a) => !a.ok);
  return failed.length > 0 && failed.every((a) => a.name === 'responseTime');
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/**
 * The result marked `overloaded` when the event loop was stalled `maxLoopDelayMs` (and a tenth of the
 * run's measured time) or more during the run, or the run started late, and the delay could have decided it; otherwise the result as it was. The
 * outcome, status and phases stay; the message says what delayed it and what the run saw.
 */
export function markIfOverloaded(
  r: ProbeResult,
  seen: { loopDelayMs: number; timing: SlotTiming },
  p: OverloadPolicy,
): ProbeResult {
  // and a tenth of what the run measured: 300 ms of stalls in a 10 s hang do not make its timeout ours
  const stalled =
    seen.loopDelayMs >= (p.maxLoopDelayMs ?? DEFAULT_MAX_LOOP_DELAY_MS) &&
    seen.loopDelayMs >= (r.phases?.totalMs ?? 0) / 10;
  const late = seen.timing.kind === 'late';
  if ((!stalled && !late) || !timeSensitive(r)) return r;
  const why = [
    ...(stalled ? [`its event loop was stalled ${secs(seen.loopDelayMs)} during the run`] : []),
    ...(late ? [`the run started ${secs(seen.timing.lagMs)} after its slot`] : []),
  ].join(' and ');
  const saw = r.message ?? (r.outcome === 'up' ? `measured ${Math.round(r.phases.totalMs)} ms` : r.outcome);
  return {
    ...r,
    errorClass: 'overloaded',
    message: `Vigil overloaded: ${why}; not counted against the provider (${saw})`,
  };
}

/**
 * One log line per minute at most for a flood of like events (a restart's stale slots, a stall's marked
 * results): the first at once, then how many came since. Returns the count to log, or null to stay quiet.
 */
export function tally(now: () => number, everyMs = 60_000): () => number | null {
  let last = -Infinity;
  let count = 0;
  return () => {
    count++;
    const t = now();
    if (t - last < everyMs) return null;
    last = t;
    const n = count;
    count = 0;
    return n;
  };
}
