import type { EpochMs, ErrorClass, IncidentEvent } from '@vigil/core';
import { isOverloaded } from './due-slots.js';

/**
 * The monitor's own overload as one `monitor` incident, `overload`: workers marked results `overloaded`
 * (an event-loop stall during the run, a late start) for at least OVERLOAD_OPEN_MS in some region. Those
 * results count as no data, never against a provider (due-slots.ts); this is the one alert that says so.
 * It resolves once every region has reported OVERLOAD_QUIET_MS of slots without one.
 */
export const OVERLOAD_KEY = 'overload';
/** overloaded results whose slots span this long open the incident (one stall, one GC pause do not) */
export const OVERLOAD_OPEN_MS = 60_000;
/** an overload ends when a region's results run this far past its last overloaded slot */
export const OVERLOAD_QUIET_MS = 5 * 60_000;

export const OVERLOAD_TITLE = 'Vigil overloaded: results taken while it was slowed are not counted';

/** The slots of a region's overloaded results seen in the current episode. */
export interface OverloadEpisode {
  from: EpochMs;
  to: EpochMs;
}

export interface OverloadInput {
  now: EpochMs;
  /** the regions probes run in */
  regions: readonly string[];
  /** results read this step (only region, slot and error class matter) */
  results: readonly { region: string; slotAt: EpochMs; errorClass: ErrorClass | null }[];
  /** when the open `overload` incident opened, or null when none is open */
  openedAt: EpochMs | null;
}

/** The episodes after this step and the `overload` incident's events. Pure; `prev` is left as it was. */
export function overloadStep(
  prev: Readonly<Record<string, OverloadEpisode>>,
  input: OverloadInput,
): { episodes: Record<string, OverloadEpisode>; events: IncidentEvent[] } {
  const episodes: Record<string, OverloadEpisode> = {};
  for (const [region, ep] of Object.entries(prev)) episodes[region] = { ...ep };
  const seen = new Map<string, EpochMs>();
  const marked = input.results.filter(isOverloaded).sort((a, b) => a.slotAt - b.slotAt);
  for (const r of input.results)
    if (r.slotAt > (seen.get(r.region) ?? -Infinity)) seen.set(r.region, r.slotAt);
  for (const r of marked) {
    const ep = episodes[r.region];
    if (!ep || r.slotAt > ep.to + OVERLOAD_QUIET_MS) episodes[r.region] = { from: r.slotAt, to: r.slotAt };
    else if (r.slotAt >= ep.from - OVERLOAD_QUIET_MS) {
      ep.from = Math.min(ep.from, r.slotAt);
      ep.to = Math.max(ep.to, r.slotAt);
    }
  }
  const live = new Set(input.regions);
  for (const [region, ep] of Object.entries(episodes))
    if (!live.has(region) || (seen.get(region) ?? -Infinity) >= ep.to + OVERLOAD_QUIET_MS)
      delete episodes[region];

  const events: IncidentEvent[] = [];
  const overloaded = Object.entries(episodes)
    .filter(([, ep]) => ep.to - ep.from >= OVERLOAD_OPEN_MS)
    .sort((a, b) => a[0].localeCompare(b[0]));
  const base = { scope: 'monitor', key: OVERLOAD_KEY, kind: 'monitor', at: input.now } as const;
  if (input.openedAt === null && overloaded.length > 0) {
    const since = Math.min(...overloaded.map(([, ep]) => ep.from));
    events.push({
      ...base,
      type: 'opened',
      openedAt: input.now,
      detail: { regions: overloaded.map(([r]) => r).join(', '), since: new Date(since).toISOString() },
    });
  } else if (input.openedAt !== null && Object.keys(episodes).length === 0)
    events.push({ ...base, type: 'resolved', openedAt: input.openedAt });
  return { episodes, events };
}
