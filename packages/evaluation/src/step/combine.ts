import {
  combineVerdicts,
  VERDICTS,
  type CombineMode,
  type EpochMs,
  type SlotVerdict,
  type Verdict,
} from '@vigil/core';

export interface Part {
  /** the part's judged slots (or pieces) around the range being combined, in time order */
  slots: readonly SlotVerdict[];
  /** every instant before this is judged */
  closedThrough: EpochMs;
}

export interface CombineResult {
  /** exact pieces of [closed, new closed): split wherever the combined verdict changes */
  pieces: SlotVerdict[];
  /** one slot per grid step starting in [grid, new closed), verdict taken at its start: for incidents */
  gridSlots: SlotVerdict[];
  closed: EpochMs;
  grid: EpochMs;
}

/**
 * Advances a provider (probes combined with `any`) or a service (providers combined with its mode) up to
 * the instant every part is judged through, with core's combineVerdicts at every instant (a part
 * without a slot there is no data). A sweep over the parts' edges: O(edges × log edges), so a provider
 * of 500 probes costs what its new slots do. Pure.
 */
export function combineParts(
  parts: readonly Part[],
  mode: CombineMode,
  grid: { everyMs: number; offsetMs: number },
  prev: { closed: EpochMs; grid: EpochMs },
): CombineResult {
  const none = { pieces: [], gridSlots: [], ...prev };
  if (parts.length === 0) return none;
  const closedThrough = Math.min(...parts.map((p) => p.closedThrough));
  const from = Math.min(prev.closed, prev.grid);
  if (closedThrough <= from) return none;

  const counts = VERDICTS.map(() => 0);
  const idx = VERDICTS.reduce((m, v, i) => m.set(v, i), new Map<Verdict, number>());
  const ptr = parts.map(() => 0);
  const current = parts.map(() => 'no_data' as Verdict);
  const verdictAt = (i: number, t: EpochMs): Verdict => {
    const slots = parts[i]!.slots;
    let p = ptr[i]!;
    while (p < slots.length && slots[p]!.at + slots[p]!.durationMs <= t) p++;
    ptr[i] = p;
    const s = slots[p];
    return s && s.at <= t ? s.verdict : 'no_data';
  };
  const combined = (): Verdict =>
    combineVerdicts(
      VERDICTS.filter((_, k) => counts[k]! > 0),
      mode,
    );
  const edges: { t: EpochMs; part: number }[] = [];
  parts.forEach((p, i) => {
    current[i] = verdictAt(i, from);
    counts[idx.get(current[i])!]!++;
    for (const s of p.slots)
      for (const t of [s.at, s.at + s.durationMs])
        if (t > from && t < closedThrough) edges.push({ t, part: i });
  });
  edges.sort((a, b) => a.t - b.t);

  const pieces: SlotVerdict[] = [];
  const gridSlots: SlotVerdict[] = [];
  const firstGrid = Math.ceil((prev.grid - grid.offsetMs) / grid.everyMs) * grid.everyMs + grid.offsetMs;
  let g = firstGrid;
  let t = from;
  let verdict = combined();
  const emit = (until: EpochMs) => {
    while (g < until) {
      gridSlots.push({ at: g, durationMs: grid.everyMs, verdict });
      g += grid.everyMs;
    }
    const a = Math.max(t, prev.closed);
    if (until <= a) return;
    const last = pieces[pieces.length - 1];
    if (last && last.verdict === verdict && last.at + last.durationMs === a)
      last.durationMs = until - last.at;
    else pieces.push({ at: a, durationMs: until - a, verdict });
  };
  for (let e = 0; e < edges.length;) {
    const at = edges[e]!.t;
    emit(at);
    for (; e < edges.length && edges[e]!.t === at; e++) {
      const i = edges[e]!.part;
      const v = verdictAt(i, at);
      if (v === current[i]) continue;
      counts[idx.get(current[i]!)!]!--;
      counts[idx.get(v)!]!++;
      current[i] = v;
    }
    t = at;
    verdict = combined();
  }
  emit(closedThrough);
  return {
    pieces,
    gridSlots,
    closed: Math.max(prev.closed, closedThrough),
    grid: gridSlots.length > 0 ? g : prev.grid,
  };
}
