import { describe, expect, it } from 'vitest';
import type { SlotResult } from '@vigil/core';
import { config, slotResult, spec } from '../testing/builders.js';
import { closeDueSlots } from './due-slots.js';
import { OVERLOAD_KEY, OVERLOAD_OPEN_MS, OVERLOAD_QUIET_MS, overloadStep } from './overload.js';
import { slotGrid } from './schedule.js';
import { newEvaluationState, slotRanges, step, type EvaluationState, type StepEffects } from './step.js';

const S = 1_000;
const MIN = 60 * S;

/** what a worker stores for a run that overlapped a stall of its own event loop */
const overloaded = (r: SlotResult): SlotResult => ({
  ...r,
  errorClass: 'overloaded',
  message: `Vigil overloaded: its event loop stalled 4.60 s during the run; not counted against the provider (measured ${r.totalMs} ms)`,
});

describe('an overloaded result in its slot', () => {
  const grid = slotGrid({ id: 'p', schedule: { type: 'interval', everyMs: MIN } });
  const T = grid.ceil(Date.parse('2026-12-01T10:00:00Z'));
  const ctx = {
    grid,
    regions: ['eu', 'us'],
    latencyThresholdMs: 300,
    graceMs: 10 * S,
    excluded: () => false,
    unhealthy: () => [],
  };

  it('is no data for its region: a slow or timed-out run is neither degraded nor down', () => {
    const slow = [
      overloaded(slotResult('p', 'eu', T, 'up', 4_600)),
      overloaded(slotResult('p', 'us', T, 'up', 4_600)),
    ];
    const timedOut = [
      { ...overloaded(slotResult('p', 'eu', T + MIN, 'down')) },
      { ...overloaded(slotResult('p', 'us', T + MIN, 'down')) },
    ];
    // reported by both regions: judged at once, not after grace
    const r = closeDueSlots(ctx, T, [...slow, ...timedOut], T + MIN + 1, 10);
    expect(r.slots.map((s) => [s.verdict, s.latencyMs, s.failingRegions])).toEqual([
      ['no_data', null, []],
      ['no_data', null, []],
    ]);
  });

  it('leaves the other region to judge the slot', () => {
    const rows = [overloaded(slotResult('p', 'eu', T, 'up', 4_600)), slotResult('p', 'us', T, 'up', 20)];
    const [s] = closeDueSlots(ctx, T, rows, T + 1, 1).slots;
    expect(s).toMatchObject({ verdict: 'up', latencyMs: 20 });
  });
});

describe('the overload monitor incident', () => {
  const T = Date.parse('2026-12-01T10:00:00Z');
  const marked = (region: string, at: number) => ({ region, slotAt: at, errorClass: 'overloaded' as const });
  const fine = (region: string, at: number) => ({ region, slotAt: at, errorClass: null });

  it('does not open for one stall (results of one instant), opens once the overload lasts a minute', () => {
    const one = overloadStep(
      {},
      { now: T, regions: ['eu'], results: [marked('eu', T), marked('eu', T)], openedAt: null },
    );
    expect(one.events).toEqual([]);
    const later = overloadStep(one.episodes, {
      now: T + OVERLOAD_OPEN_MS,
      regions: ['eu'],
      results: [marked('eu', T + OVERLOAD_OPEN_MS)],
      openedAt: null,
    });
    expect(later.events).toEqual([
      expect.objectContaining({
        type: 'opened',
        scope: 'monitor',
        key: OVERLOAD_KEY,
        kind: 'monitor',
        detail: { regions: 'eu', since: new Date(T).toISOString() },
      }),
    ]);
  });

  it('is one incident for every region, resolved once all report quiet slots again', () => {
    const opened = overloadStep(
      {},
      {
        now: T + MIN,
        regions: ['eu', 'us'],
        results: [marked('eu', T), marked('us', T), marked('eu', T + MIN), marked('us', T + MIN)],
        openedAt: null,
      },
    );
    expect(opened.events.map((e) => [e.type, e.detail?.regions])).toEqual([['opened', 'eu, us']]);
    // eu is quiet again, us is not: still open, nothing new
    const half = overloadStep(opened.episodes, {
      now: T + 7 * MIN,
      regions: ['eu', 'us'],
      results: [fine('eu', T + MIN + OVERLOAD_QUIET_MS), marked('us', T + 6 * MIN)],
      openedAt: T + MIN,
    });
    expect(half.events).toEqual([]);
    expect(Object.keys(half.episodes)).toEqual(['us']);
    const done = overloadStep(half.episodes, {
      now: T + 12 * MIN,
      regions: ['eu', 'us'],
      results: [fine('us', T + 6 * MIN + OVERLOAD_QUIET_MS)],
      openedAt: T + MIN,
    });
    expect(done.events.map((e) => [e.type, e.openedAt])).toEqual([['resolved', T + MIN]]);
    expect(done.episodes).toEqual({});
  });
});

describe('a step over results the monitor itself slowed', () => {
  // every 10 s; a 1 ms target measured slow by 4.6 s stalls of the worker (the false DEGRADED)
  const probe = spec({
    id: 'api',
    critical: false,
    regions: ['eu'],
    schedule: { type: 'interval', everyMs: 10 * S },
  });
  const cfg = config([probe], { regions: ['eu'], channels: { ops: { type: 'log' } as never } });
  const grid = slotGrid(probe);
  const T0 = grid.ceil(Date.parse('2026-12-01T10:00:00Z'));

  function run(slots: number, result: (k: number, at: number) => SlotResult): StepEffects[] {
    let state: EvaluationState = newEvaluationState();
    let ids = 0;
    const effects: StepEffects[] = [];
    const tick = (now: number, results: SlotResult[]) => {
      const r = step(
        state,
        {
          now,
          config: cfg,
          channels: ['ops'],
          ranges: slotRanges(state, cfg.probes, now, 500),
          results,
          health: null,
          burnLong: new Map(),
          silences: [],
        },
        {
          graceMs: 30 * S,
          healthWindowMs: 120 * S,
          maxSlotsPerProbe: 500,
          newIncidentId: () => `inc_${++ids}`,
        },
      );
      state = r.state;
      effects.push(r.effects);
    };
    tick(T0, []);
    for (let k = 0; k < slots; k++) {
      const at = T0 + k * 10 * S;
      tick(at + S, [result(k, at)]);
    }
    return effects;
  }
  const opened = (e: StepEffects[]) =>
    e.flatMap((x) => x.incidentInserts.map((i) => `${i.scope}:${i.key}:${i.kind}`));
  const alerted = (e: StepEffects[]) =>
    e.flatMap((x) => x.alerts.map((a) => `${a.notification.kind} ${a.notification.incident.title}`));

  it('opens no probe, provider or service incident, and one overload alert', () => {
    const e = run(20, (_k, at) => overloaded(slotResult('api', 'eu', at, 'up', 4_600)));
    expect(opened(e)).toEqual(['monitor:overload:monitor']);
    expect(alerted(e)).toEqual([
      'opened Vigil overloaded: results taken while it was slowed are not counted',
    ]);
    expect(e.flatMap((x) => [...x.judged.values()].flat().map((s) => s.verdict))).toEqual(
      Array(20).fill('no_data'),
    );
  });

  it('the same slow results unmarked are degraded (what the marking prevents)', () => {
    const e = run(20, (_k, at) => slotResult('api', 'eu', at, 'up', 4_600));
    expect(opened(e)).toContain('probe:api:degraded');
  });
});
