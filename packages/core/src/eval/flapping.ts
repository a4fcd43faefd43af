/**
 * Flap detection the Nagios way: over the last 21 good/bad samples, each of the 20 transitions that is
 * a state change adds a weight rising linearly from 0.8 (oldest) to 1.2 (newest); the sum / 20 is the
 * percent state change. Flapping starts above `high` and stops below `low` (hysteresis).
 */
export interface FlapPolicy {
  /** @defaultValue 21 */
  window: number;
  /** @defaultValue 0.3 */
  high: number;
  /** @defaultValue 0.15 */
  low: number;
}

/**
 * 30% / 15%: an incident that opens after 3 bad slots and resolves after 2 good ones changes state at
 * most ~40% of the time, so a 50% threshold would never damp it; one or two clean outages in 21 slots
 * (10-20%) must not count as flapping.
 */
export const DEFAULT_FLAP_POLICY: FlapPolicy = { window: 21, high: 0.3, low: 0.15 };

/** Weighted share of state changes (0..1) in `samples` (true = bad), oldest first; only the last `window` count. */
export function percentStateChange(samples: readonly boolean[], window = DEFAULT_FLAP_POLICY.window): number {
  const s = samples.slice(-window);
  const transitions = window - 1;
  if (s.length < 2 || transitions <= 0) return 0;
  let sum = 0;
  // weights are placed as if the history were full, so a short history is not over-weighted
  const shift = transitions - (s.length - 1);
  for (let i = 1; i < s.length; i++) {
    if (s[i] === s[i - 1]) continue;
    sum += 0.8 + (0.4 * (shift + i - 1)) / Math.max(1, transitions - 1);
  }
  return sum / transitions;
}

/** Whether a check is flapping after this sample, given whether it was before (hysteresis). */
export function isFlapping(
  samples: readonly boolean[],
  wasFlapping: boolean,
  policy = DEFAULT_FLAP_POLICY,
): boolean {
  const pct = percentStateChange(samples, policy.window);
  return wasFlapping ? pct >= policy.low : pct > policy.high;
}
