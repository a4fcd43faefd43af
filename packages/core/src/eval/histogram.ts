/**
 * Sparse log-bucketed latency histogram: bucket i holds values in (γ^(i-1), γ^i] ms with γ = 1.02,
 * bucket 0 holds values ≤ 1 ms. Quantiles are within 1% of the true value; merging is exact, so
 * hourly rollups add up to any period. Plain JSON: store it as jsonb.
 */
export type LatencyHistogram = { [bucket: number]: number };

export const HISTOGRAM_GAMMA = 1.02;
const LOG_GAMMA = Math.log(HISTOGRAM_GAMMA);

/** The bucket a latency falls into. */
export function histBucket(valueMs: number): number {
  return valueMs <= 1 ? 0 : Math.ceil(Math.log(valueMs) / LOG_GAMMA - 1e-9);
}

/** The value a bucket stands for: the point with the smallest relative error to anything inside it. */
export function histBucketValue(bucket: number): number {
  return bucket <= 0 ? 1 : (2 * HISTOGRAM_GAMMA ** bucket) / (HISTOGRAM_GAMMA + 1);
}

/** A copy of `h` with `count` more observations of `valueMs`. */
export function histAdd(h: LatencyHistogram, valueMs: number, count = 1): LatencyHistogram {
  const out = { ...h };
  histAddInPlace(out, valueMs, count);
  return out;
}

/** Adds observations to `h` itself: for folds that own their histogram. */
export function histAddInPlace(h: LatencyHistogram, valueMs: number, count = 1): void {
  if (!Number.isFinite(valueMs) || valueMs < 0 || count <= 0) return;
  const b = histBucket(valueMs);
  h[b] = (h[b] ?? 0) + count;
}

/** Adds every observation of `h` to `into` itself: for folds that own their histogram. */
export function histMergeInPlace(into: LatencyHistogram, h: LatencyHistogram): void {
  for (const [b, n] of Object.entries(h)) into[Number(b)] = (into[Number(b)] ?? 0) + n;
}

/** The sum of histograms. */
export function histMerge(...hs: readonly LatencyHistogram[]): LatencyHistogram {
  const out: LatencyHistogram = {};
  for (const h of hs) histMergeInPlace(out, h);
  return out;
}

/** Number of observations. */
export function histCount(h: LatencyHistogram): number {
  let n = 0;
  for (const c of Object.values(h)) n += c;
  return n;
}

/** The q-quantile (0 ≤ q ≤ 1, nearest rank) in ms; null for an empty histogram. */
export function histQuantile(h: LatencyHistogram, q: number): number | null {
  const buckets = Object.entries(h)
    .map(([b, n]) => [Number(b), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * total));
  let seen = 0;
  for (const [b, n] of buckets) {
    seen += n;
    if (seen >= rank) return histBucketValue(b);
  }
  return histBucketValue(buckets[buckets.length - 1]![0]);
}
