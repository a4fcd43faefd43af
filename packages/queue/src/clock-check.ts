import { QueueError } from './errors.js';
import { connect } from './redis.js';

/** @defaultValue the largest clock offset from Redis a worker accepts */
export const MAX_CLOCK_SKEW_MS = 500;

/**
 * Pure: the problem with a worker whose clock is `offsetMs` away from Redis's, or null. BullMQ promotes
 * delayed jobs and computes the next tick with the worker's clock, so a skewed worker runs slots early
 * (or late) and may skip slots.
 */
export function clockSkewProblem(offsetMs: number, maxSkewMs = MAX_CLOCK_SKEW_MS): QueueError | null {
  if (Math.abs(offsetMs) <= maxSkewMs) return null;
  const dir = offsetMs > 0 ? 'ahead of' : 'behind';
  return new QueueError(
    'CLOCK_SKEW',
    `this machine's clock is ${Math.abs(Math.round(offsetMs))} ms ${dir} Redis's (at most ${maxSkewMs} ms allowed): sync it with NTP`,
  );
}

/** Offset of `now()` from Redis TIME, corrected by half the round trip. */
export async function measureClockOffset(redisUrl: string, now: () => number = Date.now): Promise<number> {
  const client = connect(redisUrl);
  try {
    const before = now();
    const [sec, usec] = (await client.time()) as [string | number, string | number];
    const after = now();
    const redisMs = Number(sec) * 1000 + Number(usec) / 1000;
    return (before + after) / 2 - redisMs;
  } finally {
    client.disconnect();
  }
}

export async function assertClockInSync(redisUrl: string, maxSkewMs = MAX_CLOCK_SKEW_MS): Promise<void> {
  const problem = clockSkewProblem(await measureClockOffset(redisUrl), maxSkewMs);
  if (problem) throw problem;
}
