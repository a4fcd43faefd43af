import { histBucketValue, type LatencyHistogram } from '@vigil/core';

const EMPTY = new Float64Array(0);

/**
 * A latency histogram (core's buckets) held as one dense run of counts from `lo`: adding and merging
 * cost a few array writes, where plain-object histograms cost a key enumeration each time.
 */
export class RangeHist {
  private lo = 0;
  private counts: Float64Array = EMPTY;
  total = 0;

  add(bucket: number, n: number): void {
    if (!(n > 0)) return;
    if (bucket < this.lo || bucket >= this.lo + this.counts.length) this.grow(bucket, bucket);
    this.counts[bucket - this.lo]! += n;
    this.total += n;
  }

  /** Adds a core histogram (plain object, as stored). */
  addObject(h: LatencyHistogram): void {
    for (const k in h) this.add(Number(k), h[k as unknown as number]!);
  }

  addHist(o: RangeHist): void {
    if (o.total === 0) return;
    const oc = o.counts;
    let first = 0;
    while (oc[first] === 0) first++;
    let last = oc.length - 1;
    while (oc[last] === 0) last--;
    if (this.total === 0 || o.lo + first < this.lo || o.lo + last >= this.lo + this.counts.length)
      this.grow(o.lo + first, o.lo + last);
    const off = o.lo - this.lo;
    for (let i = first; i <= last; i++) this.counts[off + i]! += oc[i]!;
    this.total += o.total;
  }

  /** The q-quantile by nearest rank, exactly as core's histQuantile; null when empty. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * this.total));
    let seen = 0;
    let last = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i]!;
      if (c === 0) continue;
      seen += c;
      last = i;
      if (seen >= rank) return histBucketValue(this.lo + i);
    }
    return histBucketValue(this.lo + last);
  }

  private grow(from: number, to: number): void {
    if (this.total === 0) {
      this.lo = Math.max(0, from - 8);
      this.counts = new Float64Array(Math.max(64, to - this.lo + 9));
      return;
    }
    const hi = this.lo + this.counts.length;
    const lo = Math.max(0, Math.min(this.lo, from - 16));
    const size = Math.max(hi, to + 17) - lo;
    const next = new Float64Array(Math.max(size, this.counts.length * 2));
    next.set(this.counts, this.lo - lo);
    this.lo = lo;
    this.counts = next;
  }
}
