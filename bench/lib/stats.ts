/** Pure: the q-quantile (0..1) of `values` by nearest rank; null when empty. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** Pure: events per second, null when nothing was timed. */
export function perSecond(count: number, ms: number): number | null {
  return ms > 0 ? (count * 1000) / ms : null;
}

/** Pure: CPU seconds per 1,000 events, null when there were none. */
export function perThousand(cpuSeconds: number, events: number): number | null {
  return events > 0 ? (cpuSeconds * 1000) / events : null;
}

/** Pure: a / b, null when either is missing or b is 0. */
export function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

/** Pure: rounds to `digits` decimals, keeping null. */
export function round(n: number | null, digits = 3): number | null {
  if (n === null) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
