import { describe, expect, it } from 'vitest';
import {
  histAdd,
  histBucket,
  histCount,
  histMerge,
  histQuantile,
  type LatencyHistogram,
} from './histogram.js';

/** Deterministic pseudo-random latencies with a long tail (xorshift, no Math.random in tests). */
function latencies(n: number, seed = 7): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const u = ((x >>> 0) % 1_000_000) / 1_000_000;
    out.push(20 + 80 * u + (u > 0.95 ? 2_000 * (u - 0.95) * 20 : 0));
  }
  return out;
}

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

describe('latency histogram', () => {
  const values = latencies(20_000);
  const h = values.reduce<LatencyHistogram>((acc, v) => histAdd(acc, v), {});

  it.each([0.5, 0.95, 0.99, 0.999])('gives p%f within 2% of the exact value', (q) => {
    const exact = exactQuantile(values, q);
    expect(Math.abs(histQuantile(h, q)! - exact) / exact).toBeLessThan(0.02);
  });

  it('merges exactly: the merge of parts equals the histogram of the whole', () => {
    const a = values.slice(0, 7_000).reduce<LatencyHistogram>((acc, v) => histAdd(acc, v), {});
    const b = values.slice(7_000).reduce<LatencyHistogram>((acc, v) => histAdd(acc, v), {});
    expect(histMerge(a, b)).toEqual(h);
    expect(histCount(histMerge(a, b))).toBe(20_000);
  });

  it('survives a JSON round trip (string keys)', () => {
    const stored = JSON.parse(JSON.stringify(h)) as LatencyHistogram;
    expect(histQuantile(stored, 0.95)).toBe(histQuantile(h, 0.95));
    expect(histMerge(stored)).toEqual(h);
  });

  it.each([
    [0, 0],
    [1, 0],
    [1.02, 1],
    [1.03, 2],
    [500, 314],
  ])('puts %f ms into bucket %i', (v, b) => {
    expect(histBucket(v)).toBe(b);
  });

  it('returns null for an empty histogram and ignores invalid values', () => {
    expect(histQuantile({}, 0.5)).toBeNull();
    expect(histAdd({}, Number.NaN)).toEqual({});
    expect(histAdd({}, -5)).toEqual({});
  });

  it('does not change the histogram it adds to', () => {
    const before = { 10: 1 };
    histAdd(before, 500);
    expect(before).toEqual({ 10: 1 });
  });

  it.each([
    [0, 100],
    [1, 300],
  ])('gives the extremes for q=%f', (q, expected) => {
    const hh = histAdd(histAdd({}, 100), 300);
    expect(Math.abs(histQuantile(hh, q)! - expected) / expected).toBeLessThan(0.01);
  });
});
