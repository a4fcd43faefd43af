import { slotOffsetMs } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { fidelityOf, slotsIn } from './fidelity-math.js';

const EVERY = 10_000;
const off = slotOffsetMs('p1', EVERY);
const slot = (k: number) => k * EVERY + off;

describe('slotsIn', () => {
  it.each([
    [
      'a window of three intervals starting on a slot',
      slot(100),
      slot(103),
      [slot(100), slot(101), slot(102)],
    ],
    ['a window ending on a slot excludes it', slot(100) + 1, slot(102), [slot(101)]],
    ['a window shorter than the interval, between slots', slot(100) + 1, slot(100) + 2, []],
  ])('%s', (_name, from, to, want) => {
    expect(slotsIn('p1', EVERY, from, to)).toEqual(want);
  });
});

describe('fidelityOf', () => {
  const from = slot(100);
  const to = slot(104);

  it('counts every slot that ran on time, with its lag', () => {
    const runs = [0, 1, 2, 3].map((k) => ({
      probeId: 'p1',
      slotAt: slot(100 + k),
      startedAt: slot(100 + k) + 10 * (k + 1),
    }));
    expect(fidelityOf(['p1'], EVERY, from, to, runs)).toEqual({
      expected: 4,
      ran: 4,
      missed: 0,
      offGrid: 0,
      lagP50Ms: 20,
      lagP99Ms: 40,
      lagMaxMs: 40,
    });
  });

  it('reports a skipped slot as missed and ignores runs outside the window', () => {
    const runs = [
      { probeId: 'p1', slotAt: slot(99), startedAt: slot(99) },
      { probeId: 'p1', slotAt: slot(100), startedAt: slot(100) + 5 },
      { probeId: 'p1', slotAt: slot(102), startedAt: slot(102) + 7 },
      { probeId: 'p1', slotAt: slot(104), startedAt: slot(104) },
    ];
    const f = fidelityOf(['p1'], EVERY, from, to, runs);
    expect(f).toMatchObject({ expected: 4, ran: 2, missed: 2 });
  });

  it('counts a run at a time off the probe grid separately and a duplicate once', () => {
    const runs = [
      { probeId: 'p1', slotAt: slot(100), startedAt: slot(100) },
      { probeId: 'p1', slotAt: slot(100), startedAt: slot(100) + 900 },
      { probeId: 'p1', slotAt: slot(101) + 1, startedAt: slot(101) + 1 },
    ];
    expect(fidelityOf(['p1'], EVERY, from, to, runs)).toMatchObject({
      ran: 1,
      missed: 3,
      offGrid: 1,
      lagMaxMs: 0,
    });
  });

  it('has no lag figures when nothing ran', () => {
    expect(fidelityOf(['p1', 'p2'], EVERY, from, to, [])).toMatchObject({
      expected: 8,
      missed: 8,
      lagP99Ms: null,
    });
  });
});
