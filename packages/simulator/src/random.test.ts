import { describe, expect, it } from 'vitest';
import { sampleLatency, seededRandom } from './random.js';

describe('seeded latency', () => {
  it('replays the same sequence for the same seed and a different one for another', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
  });

  it('draws around the given median and 99th percentile', () => {
    const random = seededRandom(42);
    const draws = Array.from({ length: 20_000 }, () => sampleLatency({ p50: 100, p99: 800 }, random)).sort(
      (x, y) => x - y,
    );
    expect(draws[10_000]).toBeGreaterThan(90);
    expect(draws[10_000]).toBeLessThan(110);
    expect(draws[19_800]).toBeGreaterThan(650);
    expect(draws[19_800]).toBeLessThan(1_000);
    expect(draws.at(-1)).toBeLessThanOrEqual(4_000);
  });

  it.each([
    [250, 250],
    [-5, 0],
  ])('uses a fixed latency of %i as %i', (spec, expected) => {
    expect(sampleLatency(spec, seededRandom(1))).toBe(expected);
  });
});
