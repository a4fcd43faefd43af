import { describe, expect, it } from 'vitest';
import type { ProbeSpec } from '@vigil/core';
import { config, slotResult, spec } from '../testing/builders.js';
import { degradedSignal } from './degraded.js';
import { runEngine, type EngineMemory } from './engine.js';
import { slotGrid } from './schedule.js';
import { newMonitorMemory } from './state.js';

/**
 * The slot indexes at which a `degraded` incident opened. The degraded track against a healthy target (issue 13: false DEGRADED incidents under load although no
 * stored result was over 300 ms). One region, not critical (threshold 300 ms), alerting 3 of 5.
 */
function degradedOpened(p: ProbeSpec, latencies: readonly number[]): number[] {
  const cfg = config([p], { regions: ['eu'] });
  const grid = slotGrid(p);
  const t0 = grid.ceil(Date.parse('2025-03-03T10:00:00Z'));
  let mem: EngineMemory = { probes: new Map(), aggregates: new Map(), monitor: newMonitorMemory() };
  const opened: number[] = [];
  const tick = (now: number, results: ReturnType<typeof slotResult>[]) => {
    const out = runEngine(
      mem,
      {
        now,
        probes: [p],
        services: [],
        results,
        health: null,
        burnLong: new Map(),
        excluded: () => false,
      },
      { alerting: cfg.alerting, graceMs: 30_000, maxSlotsPerProbe: 500, healthWindowMs: 120_000 },
    );
    mem = out.memory;
    for (const e of out.events)
      if (e.kind === 'degraded' && e.type === 'opened') opened.push((e.at - t0) / grid.everyMs);
  };
  tick(t0, []);
  latencies.forEach((ms, k) => {
    const at = t0 + k * grid.everyMs;
    tick(at + 1_000, [slotResult(p.id, 'eu', at, 'up', ms)]);
  });
  return opened;
}

const every = (ms: number) =>
  spec({ id: 'api', critical: false, regions: ['eu'], schedule: { type: 'interval', everyMs: ms } });
const fast = (n: number) => Array.from({ length: n }, () => 40);

describe('degraded track', () => {
  it('one slow first run (a cold start) opens nothing, though p95 of < 20 samples is their maximum', () => {
    // before: signal bad from the 5th sample on (p95 = max = 900 ms) → opened at the 7th slot
    expect(degradedOpened(every(20_000), [900, ...fast(30)])).toEqual([]);
  });

  it('one slow run in 10 minutes of a 1-minute probe opens nothing (its window holds 10 samples)', () => {
    expect(degradedOpened(every(60_000), [...fast(12), 900, ...fast(12)])).toEqual([]);
  });

  it('two slow runs in a row open nothing: the track needs 3 slow slots as down needs 3 failures', () => {
    expect(degradedOpened(every(20_000), [...fast(25), 900, 900, ...fast(10)])).toEqual([]);
  });

  it('no result over the threshold opens nothing, even just under it (the histogram rounds 299.9 to 302.8)', () => {
    expect(
      degradedOpened(
        every(20_000),
        Array.from({ length: 30 }, () => 299.9),
      ),
    ).toEqual([]);
  });

  it('a probe that turned slow opens at its 5th slow slot (the 3rd with 3 slow in the window; before: the 4th)', () => {
    const slow = Array.from({ length: 10 }, () => 900);
    expect(degradedOpened(every(20_000), [...fast(30), ...slow])).toEqual([34]);
  });

  it('a third of runs slow (p95 far over the threshold) still opens', () => {
    const lat = Array.from({ length: 40 }, (_, k) => (k % 3 === 2 ? 900 : 40));
    expect(degradedOpened(every(20_000), lat)).toHaveLength(1);
  });
});

describe('degradedSignal', () => {
  const slots = (ms: readonly number[]) =>
    ms.map((latencyMs, k) => ({ at: k * 1_000, durationMs: 1_000, verdict: 'up' as const, latencyMs }));
  const window = { from: 0, to: 1e9 };
  it.each([
    ['fewer than 5 samples', [900, 900, 900, 900], 'skip'],
    ['5 samples, 3 slow', [900, 900, 900, 40, 40], 'bad'],
    ['19 samples, 1 slow (p95 is the max)', [900, ...fast(18)], 'good'],
    ['20 samples, 2 slow (p95 is the 19th) but fewer than 3', [900, 900, ...fast(18)], 'good'],
    ['60 samples, 3 slow: p95 (57th) fast', [900, 900, 900, ...fast(57)], 'good'],
    ['60 samples, 4 slow: p95 slow', [900, 900, 900, 900, ...fast(56)], 'bad'],
  ] as const)('%s → %s', (_name, ms, want) => {
    expect(degradedSignal(slots(ms), window, 300, 3)).toBe(want);
  });
});
