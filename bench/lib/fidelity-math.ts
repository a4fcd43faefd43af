import { nextSlotAfter, slotOffsetMs, type EpochMs } from '@vigil/core';
import { quantile } from './stats.js';

export interface SlotRun {
  probeId: string;
  slotAt: EpochMs;
  startedAt: EpochMs;
}

export interface FidelityFigures {
  expected: number;
  ran: number;
  missed: number;
  /** runs for a slot that is not on the probe's grid (should be 0) */
  offGrid: number;
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  lagMaxMs: number | null;
}

/** Pure: the slots of an interval probe in [from, to). */
export function slotsIn(probeId: string, everyMs: number, from: EpochMs, to: EpochMs): EpochMs[] {
  const offset = slotOffsetMs(probeId, everyMs);
  const out: EpochMs[] = [];
  for (let s = nextSlotAfter(from - 1, everyMs, offset); s < to; s += everyMs) out.push(s);
  return out;
}

/**
 * Pure: compares the runs stored for slots in [from, to) with every slot the probes should have had
 * there. Lag is actual start − slot time.
 */
export function fidelityOf(
  probeIds: readonly string[],
  everyMs: number,
  from: EpochMs,
  to: EpochMs,
  runs: readonly SlotRun[],
): FidelityFigures {
  const expected = new Set<string>();
  for (const id of probeIds) for (const s of slotsIn(id, everyMs, from, to)) expected.add(`${id} ${s}`);
  const seen = new Set<string>();
  const lags: number[] = [];
  let offGrid = 0;
  for (const r of runs) {
    if (r.slotAt < from || r.slotAt >= to) continue;
    const key = `${r.probeId} ${r.slotAt}`;
    if (!expected.has(key)) {
      offGrid++;
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    lags.push(r.startedAt - r.slotAt);
  }
  return {
    expected: expected.size,
    ran: seen.size,
    missed: expected.size - seen.size,
    offGrid,
    lagP50Ms: quantile(lags, 0.5),
    lagP99Ms: quantile(lags, 0.99),
    lagMaxMs: lags.length === 0 ? null : lags.reduce((a, b) => Math.max(a, b)),
  };
}
