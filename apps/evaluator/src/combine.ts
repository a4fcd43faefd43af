import { serviceSlots, type CombineMode, type EpochMs, type SlotVerdict } from '@vigil/core';

export interface Part {
  /** the part's judged slots (or pieces) around the range being combined, in order */
  slots: readonly SlotVerdict[];
  /** every instant before this is judged */
  closedThrough: EpochMs;
}

export interface CombineResult {
  /** exact pieces of [closed, new closed): split at every part's edges, for rollups and burn rates */
  pieces: SlotVerdict[];
  /** one slot per grid step starting in [grid, new closed), verdict taken at its start: for incidents */
  gridSlots: SlotVerdict[];
  closed: EpochMs;
  grid: EpochMs;
}

/**
 * Advances a provider (probes combined with `any`) or a service (providers combined with its mode) up to
 * the instant every part is judged through. Pure.
 */
export function combineParts(
  parts: readonly Part[],
  mode: CombineMode,
  grid: { everyMs: number; offsetMs: number },
  prev: { closed: EpochMs; grid: EpochMs },
): CombineResult {
  if (parts.length === 0) return { pieces: [], gridSlots: [], ...prev };
  const closedThrough = Math.min(...parts.map((p) => p.closedThrough));
  const from = Math.min(prev.closed, prev.grid);
  if (closedThrough <= from) return { pieces: [], gridSlots: [], ...prev };
  const inRange = parts.map((p) => p.slots.filter((s) => s.at + s.durationMs > from && s.at < closedThrough));
  const pieces: SlotVerdict[] = [];
  if (closedThrough > prev.closed) {
    for (const s of serviceSlots(inRange, mode)) {
      const a = Math.max(s.at, prev.closed);
      const b = Math.min(s.at + s.durationMs, closedThrough);
      if (b <= a) continue;
      const last = pieces[pieces.length - 1];
      if (last && last.verdict === s.verdict && last.at + last.durationMs === a)
        last.durationMs = b - last.at;
      else pieces.push({ at: a, durationMs: b - a, verdict: s.verdict });
    }
    fillGaps(pieces, prev.closed, closedThrough);
  }
  const gridSlots = serviceSlots(inRange, mode, grid).filter(
    (s) => s.at >= prev.grid && s.at < closedThrough,
  );
  const lastGrid = gridSlots[gridSlots.length - 1];
  return {
    pieces,
    gridSlots,
    closed: Math.max(prev.closed, closedThrough),
    grid: lastGrid ? lastGrid.at + grid.everyMs : prev.grid,
  };
}

/** Time no part covered is no data, so the pieces tile [from, to) exactly. */
function fillGaps(pieces: SlotVerdict[], from: EpochMs, to: EpochMs): void {
  const out: SlotVerdict[] = [];
  let t = from;
  for (const p of pieces) {
    if (p.at > t) out.push({ at: t, durationMs: p.at - t, verdict: 'no_data' });
    out.push(p);
    t = p.at + p.durationMs;
  }
  if (t < to) out.push({ at: t, durationMs: to - t, verdict: 'no_data' });
  pieces.splice(0, pieces.length, ...out);
}
