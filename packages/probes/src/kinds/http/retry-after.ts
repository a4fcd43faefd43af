import type { EpochMs } from '@vigil/core';

/** Seconds to wait from a Retry-After value (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: EpochMs): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (!Number.isFinite(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
