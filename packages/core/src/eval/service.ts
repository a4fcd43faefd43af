import type { EpochMs } from '../types.js';
import type { SlotVerdict, Verdict } from './verdict.js';

/** `any`: up while any part is up (failover); `all`: up only while every part is up. */
export type CombineMode = 'any' | 'all';

/** How a service no vigil.yaml entry declares combines its providers: up while any one is up. */
export const DEFAULT_SERVICE_MODE: CombineMode = 'any';

/** Order in which one present verdict wins; excluded parts are ignored unless all are excluded. */
const PRECEDENCE: Record<CombineMode, readonly Verdict[]> = {
  any: ['up', 'degraded', 'no_data', 'rate_limited', 'down'],
  all: ['down', 'no_data', 'rate_limited', 'degraded', 'up'],
};

/** The verdict of a service (or provider) from its parts' verdicts at one instant. */
export function combineVerdicts(verdicts: readonly (Verdict | undefined)[], mode: CombineMode): Verdict {
  const present = new Set(verdicts.map((v) => v ?? 'no_data'));
  for (const v of PRECEDENCE[mode]) if (present.has(v)) return v;
  return present.has('excluded') ? 'excluded' : 'no_data';
}

/**
 * A service's slots from its providers' slots (or a provider's from its probes', with mode `any`: down
 * only when every probe is down). Without `grid` the result is split at every part's slot boundary, so
 * time-weighted availability is exact; with `grid` each grid slot takes the parts' verdicts at its start,
 * which gives incidents one slot per interval. A part with no slot at an instant counts as no data.
 */
export function serviceSlots(
  parts: readonly (readonly SlotVerdict[])[],
  mode: CombineMode,
  grid?: { everyMs: number; offsetMs?: number },
): SlotVerdict[] {
  const sorted = parts.map((p) => [...p].sort((a, b) => a.at - b.at));
  const edges = new Set<EpochMs>();
  for (const p of sorted) for (const s of p) edges.add(s.at).add(s.at + s.durationMs);
  const points = [...edges].sort((a, b) => a - b);
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined) return [];
  const starts: EpochMs[] = [];
  let step: (i: number) => number;
  if (grid) {
    const offset = grid.offsetMs ?? 0;
    for (
      let t = Math.floor((first - offset) / grid.everyMs) * grid.everyMs + offset;
      t < last;
      t += grid.everyMs
    )
      if (t >= first) starts.push(t);
    step = () => grid.everyMs;
  } else {
    starts.push(...points.slice(0, -1));
    step = (i) => points[i + 1]! - points[i]!;
  }
  return starts.map((at, i) => ({
    at,
    durationMs: step(i),
    verdict: combineVerdicts(
      sorted.map((p) => verdictAt(p, at)),
      mode,
    ),
  }));
}

function verdictAt(slots: readonly SlotVerdict[], at: EpochMs): Verdict | undefined {
  let lo = 0;
  let hi = slots.length - 1;
  let found: SlotVerdict | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = slots[mid]!;
    if (s.at <= at) {
      found = s;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && at < found.at + found.durationMs ? found.verdict : undefined;
}
