import type { EpochMs, IncidentEvent, ProbeSpec } from '@vigil/core';
import { slotGrid } from './schedule.js';

/**
 * The monitor's dead man's switch (like Alertmanager's Watchdog): a region that stops producing results
 * opens a `monitor` incident `watchdog:<region>`, every region at once opens `watchdog`; each resolves
 * when results come back. `watchdogStep` decides (pure, time injected); `RegionWatch` keeps what it needs.
 */
export const WATCHDOG_ALL = 'watchdog';
export const watchdogKey = (region: string): string => `${WATCHDOG_ALL}:${region}`;
export const isWatchdogKey = (key: string): boolean =>
  key === WATCHDOG_ALL || key.startsWith(`${WATCHDOG_ALL}:`);

/** The region a `watchdog:<region>` key names (a silence on the region holds it back too). */
export function watchdogRegion(key: string): string | null {
  return key.startsWith(`${WATCHDOG_ALL}:`) ? key.slice(WATCHDOG_ALL.length + 1) : null;
}

export function watchdogTitle(key: string): string {
  return key === WATCHDOG_ALL
    ? 'Vigil: no results from any region'
    : `Vigil: no results from region ${watchdogRegion(key) ?? key}`;
}

export interface WatchedRegion {
  region: string;
  /** the interval of the region's fastest probe */
  everyMs: number;
}

export interface WatchdogPolicy {
  /** slots in a row of a region's fastest probe without a result that make the region silent. @defaultValue 2 */
  intervals: number;
  /** how long after a slot's end its result may still arrive (the evaluator's grace) */
  graceMs: number;
}

export interface WatchdogInput {
  now: EpochMs;
  regions: readonly WatchedRegion[];
  /** region → the newest slot a result was seen for */
  lastSeen: ReadonlyMap<string, EpochMs>;
  /** region → when watching it began (this evaluator's leadership, or the region's first probe) */
  since: ReadonlyMap<string, EpochMs>;
  /** the watchdog's open incidents: key → opened at */
  open: ReadonlyMap<string, EpochMs>;
  /** false while the evaluator is still catching up on old slots: nobody is called silent then */
  caughtUp?: boolean;
}

/** `unknown`: no result seen yet, but watched for less than the silence limit (nothing changes). */
export type RegionFreshness = 'fresh' | 'silent' | 'unknown';

export interface WatchdogOutcome {
  regions: { region: string; state: RegionFreshness; lastSeen: EpochMs | null }[];
  /** every watched region is fresh, and there is at least one: what the heartbeat needs */
  fresh: boolean;
  events: IncidentEvent[];
}

/** A region is silent once this long has passed since its newest result's slot began. */
export function silenceLimitMs(everyMs: number, p: WatchdogPolicy): number {
  return (p.intervals + 1) * everyMs + p.graceMs;
}

/** Which watchdog incidents to open and resolve now. Pure. */
export function watchdogStep(input: WatchdogInput, policy: WatchdogPolicy): WatchdogOutcome {
  const { now } = input;
  const regions = [...input.regions].sort((a, b) => a.region.localeCompare(b.region));
  const states = regions.map((r) => {
    const seen = input.lastSeen.get(r.region) ?? null;
    const from = Math.max(seen ?? -Infinity, input.since.get(r.region) ?? now);
    const limit = silenceLimitMs(r.everyMs, policy);
    const state: RegionFreshness =
      seen !== null && now - seen <= limit
        ? 'fresh'
        : now - from > limit && input.caughtUp !== false
          ? 'silent'
          : 'unknown';
    return { region: r.region, state, lastSeen: seen, everyMs: r.everyMs, silentMs: now - from };
  });
  const silent = states.filter((s) => s.state === 'silent');
  const all = states.length > 0 && silent.length === states.length;

  const events: IncidentEvent[] = [];
  const event = (type: 'opened' | 'resolved', key: string, extra: Partial<IncidentEvent>): IncidentEvent => ({
    type,
    scope: 'monitor',
    key,
    kind: 'monitor',
    at: now,
    openedAt: now,
    ...extra,
  });
  for (const [key, openedAt] of [...input.open].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (key === WATCHDOG_ALL) {
      if (states.length === 0) events.push(event('resolved', key, { openedAt, silent: true }));
      else if (states.some((s) => s.state === 'fresh')) events.push(event('resolved', key, { openedAt }));
      continue;
    }
    const st = states.find((s) => watchdogKey(s.region) === key);
    if (!st) events.push(event('resolved', key, { openedAt, silent: true }));
    else if (st.state === 'fresh') events.push(event('resolved', key, { openedAt }));
  }
  const detail = (list: typeof states) => ({
    regions: list.map((s) => s.region).join(', '),
    silent_s: Math.round(Math.min(...list.map((s) => s.silentMs)) / 1000),
    every_s: Math.round(Math.min(...list.map((s) => s.everyMs)) / 1000),
  });
  if (all && !input.open.has(WATCHDOG_ALL))
    events.push(event('opened', WATCHDOG_ALL, { detail: detail(silent) }));
  // when every region fell silent together, one alert says so; regions already alerted stay open
  if (!all)
    for (const s of silent)
      if (!input.open.has(watchdogKey(s.region)))
        events.push(event('opened', watchdogKey(s.region), { detail: detail([s]) }));

  return {
    regions: states.map((s) => ({ region: s.region, state: s.state, lastSeen: s.lastSeen })),
    fresh: states.length > 0 && states.every((s) => s.state === 'fresh'),
    events,
  };
}

/** The regions probes run in, each with its fastest probe's interval. Pure. */
export function watchedRegions(
  probes: readonly ProbeSpec[],
  everyOf: (spec: ProbeSpec) => number = (s) => slotGrid(s).everyMs,
): WatchedRegion[] {
  const every = new Map<string, number>();
  for (const p of probes) {
    const ms = everyOf(p);
    for (const r of p.regions) every.set(r, Math.min(every.get(r) ?? Infinity, ms));
  }
  return [...every].map(([region, everyMs]) => ({ region, everyMs }));
}

/**
 * What the watchdog remembers between ticks, in memory only: the newest result slot per region (fed
 * with the results every tick reads anyway) and when each region began to be watched. A new leader
 * starts afresh, so it neither alerts nor resolves before it has watched for the silence limit.
 */
export class RegionWatch {
  private readonly lastSeen = new Map<string, EpochMs>();
  private readonly since = new Map<string, EpochMs>();

  constructor(private readonly every = new WeakMap<ProbeSpec, number>()) {}

  /** A copy to step forward, leaving this one as it was. */
  clone(): RegionWatch {
    const c = new RegionWatch(this.every);
    for (const [k, v] of this.lastSeen) c.lastSeen.set(k, v);
    for (const [k, v] of this.since) c.since.set(k, v);
    return c;
  }

  observe(rows: readonly { region: string; slotAt: EpochMs }[]): void {
    for (const r of rows)
      if (r.slotAt > (this.lastSeen.get(r.region) ?? -Infinity)) this.lastSeen.set(r.region, r.slotAt);
  }

  step(
    now: EpochMs,
    probes: readonly ProbeSpec[],
    open: ReadonlyMap<string, EpochMs>,
    policy: WatchdogPolicy,
    caughtUp: boolean,
  ): WatchdogOutcome {
    const regions = watchedRegions(probes, (s) => this.everyOf(s));
    const watched = new Set(regions.map((r) => r.region));
    for (const r of watched) if (!this.since.has(r)) this.since.set(r, now);
    for (const r of [...this.since.keys()])
      if (!watched.has(r)) {
        this.since.delete(r);
        this.lastSeen.delete(r);
      }
    return watchdogStep({ now, regions, lastSeen: this.lastSeen, since: this.since, open, caughtUp }, policy);
  }

  private everyOf(spec: ProbeSpec): number {
    let ms = this.every.get(spec);
    if (ms === undefined) {
      ms = slotGrid(spec).everyMs;
      this.every.set(spec, ms);
    }
    return ms;
  }
}
