import { describe, expect, it } from 'vitest';
import type { SlotResult } from '@vigil/core';
import { closeDueSlots, type CloseContext } from './due-slots.js';
import { slotGrid } from './schedule.js';

const MIN = 60_000;
const grid = slotGrid({ id: 'p', schedule: { type: 'interval', everyMs: MIN } });
const T = grid.ceil(Date.parse('2025-03-03T10:00:00Z'));

const ctx = (over: Partial<CloseContext> = {}): CloseContext => ({
  grid,
  regions: ['eu', 'us', 'ap'],
  latencyThresholdMs: 500,
  graceMs: 10_000,
  excluded: () => false,
  unhealthy: () => [],
  ...over,
});

const row = (region: string, slotAt: number, outcome: 'up' | 'down', totalMs = 100): SlotResult => ({
  probeId: 'p',
  region,
  slotAt,
  outcome,
  totalMs,
  errorClass: outcome === 'down' ? 'timeout' : null,
  message: outcome === 'down' ? `timed out in ${region}` : null,
  dnsMs: 1,
  connectMs: 2,
  tlsMs: 3,
  ttfbMs: totalMs - 10,
});

describe('closing due slots', () => {
  it('judges in order and stops at the first slot still waiting for a region', () => {
    const rows = [row('eu', T, 'up'), row('us', T, 'up'), row('ap', T, 'up'), row('eu', T + MIN, 'down')];
    const r = closeDueSlots(ctx(), T, rows, T + MIN + 5_000, 100);
    expect(r.slots.map((s) => s.verdict)).toEqual(['up']);
    expect(r.next).toBe(T + MIN);
  });

  it.each([
    ['two of three regions down is down', ['down', 'down', 'up'], 'down'],
    ['one of three regions down is up (quorum)', ['down', 'up', 'up'], 'up'],
  ] as const)('%s', (_n, outcomes, verdict) => {
    const rows = ['eu', 'us', 'ap'].map((r, i) => row(r, T, outcomes[i]!));
    const [s] = closeDueSlots(ctx(), T, rows, T + 1_000, 1).slots;
    expect(s!.verdict).toBe(verdict);
  });

  it('names the failing regions and the first error, and ignores an unhealthy region entirely', () => {
    const rows = [row('eu', T, 'down'), row('us', T, 'down'), row('ap', T, 'up')];
    const [s] = closeDueSlots(ctx(), T, rows, T + 1_000, 1).slots;
    expect(s).toMatchObject({
      failingRegions: ['eu', 'us'],
      message: 'timed out in eu',
      errorClass: 'timeout',
    });
    const [u] = closeDueSlots(ctx({ unhealthy: () => ['eu'] }), T, rows, T + 1_000, 1).slots;
    expect(u).toMatchObject({ verdict: 'up', failingRegions: ['us'] });
  });

  it('gives up missing regions after the slot end plus grace, and judges an empty slot as no data', () => {
    expect(closeDueSlots(ctx(), T, [row('eu', T, 'up')], T + MIN + 9_999, 5).slots).toEqual([]);
    const r = closeDueSlots(ctx(), T, [row('eu', T, 'up')], T + 2 * MIN + 10_000, 5);
    expect(r.slots.map((s) => s.verdict)).toEqual(['up', 'no_data']);
  });

  it('judges slots in maintenance as excluded', () => {
    const r = closeDueSlots(ctx({ excluded: () => true }), T, [], T + MIN + 10_000, 5);
    expect(r.slots.map((s) => s.verdict)).toEqual(['excluded']);
  });
});
