import type { Clock, EpochMs } from '@vigil/core';

export interface ManualClock extends Clock {
  advance(ms: number): EpochMs;
  set(at: EpochMs | string): EpochMs;
}

/** A clock that moves only when told to; `start` is epoch ms or an ISO 8601 instant. */
export function manualClock(start: EpochMs | string = '2025-01-06T00:00:00Z'): ManualClock {
  let at = toEpoch(start);
  return {
    now: () => at,
    advance(ms) {
      at += ms;
      return at;
    },
    set(to) {
      at = toEpoch(to);
      return at;
    },
  };
}

function toEpoch(v: EpochMs | string): EpochMs {
  const ms = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(v)}`);
  return ms;
}
