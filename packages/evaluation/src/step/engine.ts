import type { AlertingConfig } from '@vigil/config';
import {
  defaultLatencyThresholdMs,
  nextIncidentState,
  nextMonitorState,
  type BurnAlert,
  type CombineMode,
  type EpochMs,
  type IncidentEvent,
  type IncidentState,
  type ProbeSpec,
  type RegionHealth,
  type SlotResult,
  type SlotVerdict,
} from '@vigil/core';
import { firingBurnRules, type LongWindows } from './burn.js';
import { closeDueSlots, type JudgedSlot } from './due-slots.js';
import { combineParts, type Part } from './combine.js';
import { degradedSignal } from './degraded.js';
import { burnPolicy, incidentPolicy } from './policy.js';
import { slotGrid, type SlotGrid } from './schedule.js';
import type { ServiceDef } from './services.js';
import {
  newAggregateState,
  newProbeState,
  pack,
  probeSubject,
  providerSubject,
  serviceSubject,
  recentSince,
  trimRecent,
  type AggregateState,
  type MonitorMemory,
  type PackedSlot,
  type ProbeState,
} from './state.js';

/** Slots kept in state: the longest short burn window (1 h) plus room for the parts of a late aggregate. */
export const RECENT_MS = 65 * 60_000;
/** Latency (p95, and at least M slow slots) is judged over the up slots of this trailing window. */
export const DEGRADED_WINDOW_MS = 10 * 60_000;

export interface EngineOptions {
  alerting: AlertingConfig;
  /** how long after a slot's end missing regions are given up as no data */
  graceMs: number;
  maxSlotsPerProbe: number;
  /** the self-check window: its start is when an unhealthy region's exclusion begins */
  healthWindowMs: number;
}

/** Everything the evaluator carries between ticks (persisted per subject in evaluator_state). */
export interface EngineMemory {
  probes: Map<string, ProbeState>;
  /** keyed by subject: `provider:<name>`, `service:<name>` */
  aggregates: Map<string, AggregateState>;
  monitor: MonitorMemory;
}

export interface TickInput {
  now: EpochMs;
  probes: readonly ProbeSpec[];
  services: readonly ServiceDef[];
  results: readonly SlotResult[];
  /** the self-check's view of the health window, or null to leave the monitor state as it is */
  health: readonly RegionHealth[] | null;
  /** 6 h and 3 d up/down per rollup subject (probe id, provider:x, service:y) */
  burnLong: ReadonlyMap<string, LongWindows>;
  excluded(spec: ProbeSpec, at: EpochMs): boolean;
}

export interface TickOutput {
  /** the memory after this step (the input memory is left as it was) */
  memory: EngineMemory;
  judged: Map<string, JudgedSlot[]>;
  /** new slots per rollup subject: probe id, `provider:<name>`, `service:<name>` */
  rollupSlots: Map<string, SlotVerdict[]>;
  /** events of every track, in the order they happened, before grouping */
  events: IncidentEvent[];
  /** burn rules firing at the last evaluation, per track subject, for alert details */
  burn: Map<string, BurnAlert[]>;
  /** evaluator_state subjects to write */
  changed: Set<string>;
}

/**
 * Judges due slots, feeds the incident tracks of probes, providers and services, runs the region
 * self-check. Pure: the memory it returns shares the subjects this step did not change with `prev`.
 */
export function runEngine(prev: EngineMemory, input: TickInput, o: EngineOptions): TickOutput {
  const mem: EngineMemory = {
    probes: new Map(prev.probes),
    aggregates: new Map(prev.aggregates),
    monitor: { ...prev.monitor, past: [...prev.monitor.past] },
  };
  const out: TickOutput = {
    memory: mem,
    judged: new Map(),
    rollupSlots: new Map(),
    events: [],
    burn: new Map(),
    changed: new Set(),
  };
  const now = input.now;
  if (input.health) {
    const at = now - o.healthWindowMs;
    const m = nextMonitorState({ unhealthySince: mem.monitor.unhealthySince }, input.health, at);
    for (const e of m.events)
      if (e.type === 'resolved' && e.openedAt !== null)
        mem.monitor.past.push({ region: e.key, from: e.openedAt, to: e.at });
    mem.monitor.unhealthySince = m.state.unhealthySince;
    mem.monitor.past = mem.monitor.past.filter((p) => p.to > now - 6 * RECENT_MS);
    if (m.events.length > 0) out.changed.add('monitor');
    out.events.push(...m.events);
  }
  const unhealthy = unhealthyLookup(mem.monitor);

  const byProbe = new Map<string, SlotResult[]>();
  for (const r of input.results) {
    const list = byProbe.get(r.probeId);
    if (list) list.push(r);
    else byProbe.set(r.probeId, [r]);
  }

  const grids = new Map<string, SlotGrid>();
  for (const spec of input.probes) {
    const grid = slotGrid(spec);
    grids.set(spec.id, grid);
    let st = mem.probes.get(spec.id);
    if (!st) {
      st = newProbeState(spec.id, grid.ceil(now));
      mem.probes.set(spec.id, st);
      out.changed.add(probeSubject(spec.id));
    }
    const { slots, next } = closeDueSlots(
      {
        grid,
        regions: spec.regions,
        latencyThresholdMs: defaultLatencyThresholdMs(spec.critical),
        ...(o.alerting.quorum === undefined ? {} : { quorum: o.alerting.quorum }),
        graceMs: o.graceMs,
        excluded: (at) => input.excluded(spec, at),
        unhealthy,
      },
      st.next,
      byProbe.get(spec.id) ?? [],
      now,
      o.maxSlotsPerProbe,
    );
    if (slots.length === 0 && next === st.next) continue;
    st = { ...st, tracks: { ...st.tracks } };
    mem.probes.set(spec.id, st);
    out.changed.add(probeSubject(spec.id));
    st.next = next;
    if (slots.length === 0) continue;
    out.judged.set(spec.id, slots);
    out.rollupSlots.set(spec.id, slots);
    st.recent = trimRecent([...st.recent, ...slots.map(pack)], next - Math.max(RECENT_MS, 3 * grid.everyMs));
    const policy = incidentPolicy(o.alerting, grid.everyMs);
    const latencyWindow = Math.max(DEGRADED_WINDOW_MS, 5 * grid.everyMs);
    const recent = recentSince(st.recent, slots[0]!.at - latencyWindow);
    const threshold = defaultLatencyThresholdMs(spec.critical);
    for (const s of slots) {
      const down = nextIncidentState(st.tracks.down, s.verdict, policy, s.at);
      // M slow slots, not one slow slot seen M times as the window slides (degraded.ts)
      const latency = degradedSignal(
        recent,
        { from: s.at - latencyWindow, to: s.at + 1 },
        threshold,
        policy.open.m,
      );
      const degraded = nextIncidentState(
        st.tracks.degraded,
        s.verdict === 'excluded' ? 'skip' : latency,
        policy,
        s.at,
      );
      st.tracks.down = down.state;
      st.tracks.degraded = degraded.state;
      out.events.push(...down.events, ...degraded.events);
    }
    const last = slots[slots.length - 1]!;
    st.last = {
      failingRegions: last.failingRegions,
      errorClass: last.errorClass ?? null,
      message: last.message,
    };
    burn(st.tracks, st.recent, next, spec.sloTarget, input.burnLong.get(spec.id), probeSubject(spec.id));
  }

  const byProvider = new Map<string, ProbeSpec[]>();
  for (const spec of input.probes)
    byProvider.set(spec.provider, [...(byProvider.get(spec.provider) ?? []), spec]);
  const aggGrids = new Map<string, SlotGrid>();
  for (const [provider, specs] of [...byProvider].sort((a, b) => a[0].localeCompare(b[0]))) {
    const agg = mem.aggregates.get(providerSubject(provider));
    const since = agg ? Math.min(agg.closed, agg.grid) : -Infinity;
    const parts: Part[] = specs.map((s) => {
      const st = mem.probes.get(s.id)!;
      return { slots: recentSince(st.recent, since), closedThrough: st.next };
    });
    const fastest = specs.map((s) => grids.get(s.id)!).reduce((a, b) => (b.everyMs < a.everyMs ? b : a));
    aggGrids.set(provider, fastest);
    const target = Math.max(...specs.map((s) => s.sloTarget));
    advance(providerSubject(provider), 'provider', provider, parts, 'any', fastest, target);
  }
  for (const svc of input.services) {
    const providers = svc.providers.filter((p) => mem.aggregates.has(providerSubject(p)));
    if (providers.length === 0) continue;
    const agg = mem.aggregates.get(serviceSubject(svc.name));
    const since = agg ? Math.min(agg.closed, agg.grid) : -Infinity;
    const parts: Part[] = providers.map((p) => {
      const st = mem.aggregates.get(providerSubject(p))!;
      return { slots: recentSince(st.recent, since), closedThrough: st.closed };
    });
    const grid = providers
      .map((p) => aggGrids.get(p))
      .filter((g): g is SlotGrid => g !== undefined)
      .reduce<SlotGrid | null>((a, b) => (a === null || b.everyMs < a.everyMs ? b : a), null);
    if (grid) advance(serviceSubject(svc.name), 'service', svc.name, parts, svc.mode, grid, svc.target);
  }
  return out;

  function advance(
    subject: string,
    scope: 'provider' | 'service',
    key: string,
    parts: Part[],
    mode: CombineMode,
    grid: SlotGrid,
    target: number,
  ) {
    let st = mem.aggregates.get(subject);
    if (!st) {
      st = newAggregateState(scope, key, Math.min(...parts.map((p) => p.closedThrough)));
      mem.aggregates.set(subject, st);
      out.changed.add(subject);
    }
    const r = combineParts(parts, mode, { everyMs: grid.everyMs, offsetMs: grid.offsetMs }, st);
    if (r.pieces.length === 0 && r.gridSlots.length === 0) return;
    st = { ...st, tracks: { ...st.tracks } };
    mem.aggregates.set(subject, st);
    out.changed.add(subject);
    st.closed = r.closed;
    st.grid = r.grid;
    if (r.pieces.length > 0) {
      out.rollupSlots.set(subject, r.pieces);
      st.recent = trimRecent(
        [...st.recent, ...r.pieces.map(pack)],
        st.closed - Math.max(RECENT_MS, 3 * grid.everyMs),
      );
    }
    const policy = incidentPolicy(o.alerting, grid.everyMs);
    for (const s of r.gridSlots) {
      const n = nextIncidentState(st.tracks.down, s.verdict, policy, s.at);
      st.tracks.down = n.state;
      out.events.push(...n.events);
    }
    if (r.pieces.length > 0)
      burn(st.tracks, st.recent, st.closed, target, input.burnLong.get(subject), subject);
  }

  function burn(
    tracks: { slo_burn: IncidentState },
    recent: readonly PackedSlot[],
    at: EpochMs,
    target: number,
    long: LongWindows | undefined,
    subject: string,
  ) {
    const alerts = firingBurnRules({ recent, at, target, long });
    const r = nextIncidentState(
      tracks.slo_burn,
      alerts.length > 0 ? 'bad' : 'good',
      burnPolicy(o.alerting),
      at,
    );
    tracks.slo_burn = r.state;
    out.burn.set(subject, alerts);
    out.events.push(...r.events);
  }
}

/** Regions excluded at an instant: an open exclusion since before it, or a closed one around it. */
export function unhealthyLookup(m: MonitorMemory): (at: EpochMs) => string[] {
  const open = Object.entries(m.unhealthySince);
  if (open.length === 0 && m.past.length === 0) return () => [];
  return (at) => {
    const out = new Set<string>();
    for (const [region, since] of open) if (since <= at) out.add(region);
    for (const p of m.past) if (p.from <= at && at < p.to) out.add(p.region);
    return [...out];
  };
}
