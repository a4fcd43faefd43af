/** mulberry32: small, fast and seeded, so a scenario replays the same latencies and errors. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const Z99 = 2.3263478740408408;

/** A log-normal draw with the given median and 99th percentile, capped at 5 × p99. */
export function sampleLatency(spec: number | { p50: number; p99: number }, random: () => number): number {
  if (typeof spec === 'number') return Math.max(0, spec);
  const p50 = Math.max(1, spec.p50);
  const p99 = Math.max(p50, spec.p99);
  const sigma = Math.log(p99 / p50) / Z99;
  const u1 = Math.max(random(), Number.MIN_VALUE);
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
  return Math.min(p50 * Math.exp(sigma * z), p99 * 5);
}
