import { HOUR_MS, rollupHour, type HourlyRollup, type SlotVerdict } from '@vigil/core';

/** Slots every `everyMs` over [from, to), each described by `at`. */
export function slotsBetween(
  from: number,
  to: number,
  everyMs: number,
  at: (t: number, i: number) => Omit<SlotVerdict, 'at' | 'durationMs'> | null,
): SlotVerdict[] {
  const out: SlotVerdict[] = [];
  for (let t = from, i = 0; t < to; t += everyMs, i++) {
    const s = at(t, i);
    if (s) out.push({ at: t, durationMs: everyMs, ...s });
  }
  return out;
}

/** Hourly rollups of slots that never cross an hour (grouped first: rollupHour scans what it is given). */
export function rollupsOf(probeId: string, slots: readonly SlotVerdict[]): HourlyRollup[] {
  const byHour = new Map<number, SlotVerdict[]>();
  for (const s of slots) {
    const h = Math.floor(s.at / HOUR_MS) * HOUR_MS;
    const list = byHour.get(h);
    if (list) list.push(s);
    else byHour.set(h, [s]);
  }
  return [...byHour.keys()].sort((a, b) => a - b).map((h) => rollupHour(probeId, h, byHour.get(h)!));
}
