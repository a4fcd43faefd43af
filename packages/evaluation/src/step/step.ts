import type { VigilConfig } from '@vigil/config';
import {
  DAY_MS,
  rollupHours,
  type EpochMs,
  type HourlyRollup,
  type Incident,
  type IncidentEvent,
  type RegionHealth,
  type SilenceWindow,
  type SlotResult,
} from '@vigil/core';
import type { LongWindows } from './burn.js';
import type { JudgedSlot } from './due-slots.js';
import { runEngine, type EngineMemory } from './engine.js';
import { groupTickEvents } from './grouping.js';
import { applyEvents, type Acknowledgement } from './incident-log.js';
import { maintenanceLookup, toMaintenance, type Maintenance } from './maintenance.js';
import type { PendingAlert } from './outbox.js';
import { forgetRemoved } from './removed.js';
import { routeChannels } from './routing.js';
import { slotGrid } from './schedule.js';
import { serviceDefs } from './services.js';
import { isSilenced } from './silences.js';
import { OVERLOAD_KEY, overloadStep } from './overload.js';
import { MONITOR_SUBJECT, newMonitorMemory, trackKey } from './state.js';
import { Subjects } from './subjects.js';
import { isWatchdogKey, RegionWatch } from './watchdog.js';
import type { ProviderDeclaration } from '@vigil/notify';
import type { DeclarationChange } from '../reads/declarations.js';
import { declarationFor, declarationNotices } from '../statuspage/notices.js';

/** What the evaluation carries from one tick to the next. */
export interface EvaluationState {
  engine: EngineMemory;
  /** open incidents by track key */
  open: ReadonlyMap<string, Incident>;
  /** the watchdog's view, in memory only: a new leader starts watching afresh */
  watch: RegionWatch;
}

/** Per probe, the slots the next step may judge: results are read for `slot_at ∈ [from, to)`. */
export interface SlotRange {
  probeId: string;
  from: EpochMs;
  to: EpochMs;
}

/** Everything one step reads, taken from one config snapshot and read before it runs. */
export interface StepInputs {
  now: EpochMs;
  config: VigilConfig;
  /** channel names alerts may be routed to */
  channels: readonly string[];
  /** the ranges the results were read for (slotRanges of the same state) */
  ranges: readonly SlotRange[];
  results: readonly SlotResult[];
  /** the self-check's view of the health window, or null to leave the monitor state as it is */
  health: readonly RegionHealth[] | null;
  /** 6 h and 3 d up/down per rollup subject (probe id, provider:x, service:y) */
  burnLong: ReadonlyMap<string, LongWindows>;
  /** silences in force now */
  silences: readonly SilenceWindow[];
  /** acknowledged open incidents (by id), stored by the API: no reminders for them */
  acknowledgements?: ReadonlyMap<string, Acknowledgement>;
  /** what each provider with a status page declares now (readDeclarations), carried by its alerts */
  declarations?: ReadonlyMap<string, ProviderDeclaration>;
  /** declarations seen to start or end since the last step: follow-up notices to open incidents */
  declarationChanges?: readonly DeclarationChange[];
  /** providers' declared maintenance (`excludeDeclaredMaintenance`), excluded like `maintenance:` */
  declaredMaintenance?: readonly Maintenance[];
}

export interface StepOptions {
  /** missing regions are given up as no data this long after a slot's end */
  graceMs: number;
  /** the region self-check's window */
  healthWindowMs: number;
  /** catch-up per probe per step */
  maxSlotsPerProbe: number;
  /** slots in a row without a result that make a region silent; @defaultValue 2 */
  watchdogIntervals?: number;
  newIncidentId(): string;
}

/** What a step asks the shell to write, all in one transaction. Plain data. */
export interface StepEffects {
  /** hourly rollup deltas per subject, to merge into the stored hours and running totals */
  rollups: HourlyRollup[];
  incidentInserts: Incident[];
  incidentUpdates: Incident[];
  /** notifications routed to channels; outboxRows turns them into outbox rows once figures are read */
  alerts: PendingAlert[];
  stateWrites: { subject: string; state: unknown }[];
  stateDeletes: string[];
  /** the slots judged, per probe */
  judged: Map<string, JudgedSlot[]>;
  /** grouped events of this step */
  events: IncidentEvent[];
  /** the watchdog saw fresh results from every region */
  fresh: boolean;
  /** regions the watchdog holds silent */
  silent: string[];
}

export function newEvaluationState(): EvaluationState {
  return {
    engine: { probes: new Map(), aggregates: new Map(), monitor: newMonitorMemory() },
    open: new Map(),
    watch: new RegionWatch(),
  };
}

/** The result ranges the next step of `state` needs. Pure. */
export function slotRanges(
  state: Pick<EvaluationState, 'engine'>,
  probes: VigilConfig['probes'],
  now: EpochMs,
  maxSlotsPerProbe: number,
): SlotRange[] {
  const ranges: SlotRange[] = [];
  for (const spec of probes) {
    const from = state.engine.probes.get(spec.id)?.next;
    if (from === undefined || from > now) continue;
    const every = slotGrid(spec).everyMs;
    ranges.push({ probeId: spec.id, from, to: Math.min(now + 1, from + maxSlotsPerProbe * every) });
  }
  return ranges;
}

/**
 * One evaluation tick, with no I/O: judge due slots (engine) → watchdog → group → record incidents
 * (silences hold notifications back) → forget removed subjects → route. `state` is left as it was; the
 * returned state holds once the effects are committed.
 */
export function step(
  state: EvaluationState,
  inputs: StepInputs,
  o: StepOptions,
): { state: EvaluationState; effects: StepEffects } {
  const { now, config } = inputs;
  const services = serviceDefs(config.probes, config.services);
  const oldest = Math.min(now, ...inputs.ranges.map((r) => r.from));
  const excluded = maintenanceLookup(
    [
      ...config.maintenance.map((x) => toMaintenance(x, config.timezone)),
      ...(inputs.declaredMaintenance ?? []),
    ],
    { from: oldest - DAY_MS, to: now + 1 },
  );
  const out = runEngine(
    state.engine,
    {
      now,
      probes: config.probes,
      services,
      results: inputs.results,
      health: inputs.health,
      burnLong: inputs.burnLong,
      excluded,
    },
    {
      alerting: config.alerting,
      graceMs: o.graceMs,
      maxSlotsPerProbe: o.maxSlotsPerProbe,
      healthWindowMs: o.healthWindowMs,
    },
  );
  const engine = out.memory;
  const open = new Map(state.open);

  const watch = state.watch.clone();
  watch.observe(inputs.results);
  const watchdog = watch.step(
    now,
    config.probes,
    openWatchdog(open),
    { intervals: o.watchdogIntervals ?? 2, graceMs: o.graceMs },
    inputs.ranges.every((r) => r.to === now + 1),
  );

  // workers' overloaded results (no data in the slots above) become one `monitor` incident, `overload`
  const overloadOpen = open.get(trackKey('monitor', OVERLOAD_KEY, 'monitor'));
  const overload = overloadStep(engine.monitor.overload ?? {}, {
    now,
    regions: [...new Set(config.probes.flatMap((p) => p.regions))],
    results: inputs.results,
    openedAt: overloadOpen ? overloadOpen.openedAt.getTime() : null,
  });
  const overloadChanged = JSON.stringify(overload.episodes) !== JSON.stringify(engine.monitor.overload ?? {});
  if (Object.keys(overload.episodes).length > 0) engine.monitor.overload = overload.episodes;
  else delete engine.monitor.overload;

  const subjects = new Subjects(config, services, engine);
  const grouped = groupTickEvents(
    [...out.events, ...watchdog.events, ...overload.events],
    subjects.hierarchy(),
    engine.monitor,
  );
  const changes = applyEvents(open, grouped, {
    now,
    newId: o.newIncidentId,
    meta: (e) => subjects.meta(e, out.burn),
    track: (e) => subjects.track(e.scope, e.key, e.kind),
    silenced: (row) => isSilenced(inputs.silences, row, now),
    acknowledgement: (row) => inputs.acknowledgements?.get(row.id),
  });
  const gone = forgetRemoved(
    engine,
    open,
    config.probes,
    services.map((x) => x.name),
    now,
  );
  for (const r of gone.incidents) changes.updates.set(r.id, r);

  const alerts: PendingAlert[] = [];
  const notices = declarationNotices(
    [...open.values()].filter((r) => !isSilenced(inputs.silences, r, now)),
    new Set(changes.inserts.map((r) => r.id)),
    inputs.declarationChanges ?? [],
  );
  const pending = [
    ...changes.notifications.map((n) => ({ n, notice: null })),
    ...notices.map((notice) => ({ n: notice.notification, notice })),
  ];
  for (const { n, notice } of pending) {
    const row = n.incident;
    const subject = subjects.alertSubject(row);
    const declaration = declarationFor(inputs.declarations, row.provider);
    if (declaration !== undefined) subject.declaration = declaration;
    if (notice) subject.declarationChange = { change: notice.change.change, item: notice.change.item };
    const channels = routeChannels(config.routes, inputs.channels, {
      provider: row.provider,
      service: row.service,
      severity: row.severity,
      labels: subjects.labels(row),
      errorClass: subject.errorClass,
    });
    if (channels.length === 0) continue;
    alerts.push({
      notification: n,
      ...(notice ? { eventKey: notice.eventKey } : {}),
      channels,
      subject,
      rollupSubject: subjects.rollupSubject(row.scope, row.key),
      target: subjects.target(row.scope, row.key),
    });
  }

  const changed = new Set(out.changed);
  if (grouped.length > 0 || overloadChanged) changed.add(MONITOR_SUBJECT);
  return {
    state: { engine, open, watch },
    effects: {
      rollups: [...out.rollupSlots].flatMap(([subject, slots]) => rollupHours(subject, slots)),
      incidentInserts: changes.inserts,
      incidentUpdates: [...changes.updates.values()],
      alerts,
      stateWrites: stateRows(engine, changed),
      stateDeletes: gone.subjects,
      judged: out.judged,
      events: grouped,
      fresh: watchdog.fresh,
      silent: watchdog.regions.filter((r) => r.state === 'silent').map((r) => r.region),
    },
  };
}

/** The stored form of the subjects a step changed. */
function stateRows(mem: EngineMemory, subjects: Iterable<string>): { subject: string; state: unknown }[] {
  const rows: { subject: string; state: unknown }[] = [];
  for (const subject of subjects) {
    const state =
      subject === MONITOR_SUBJECT
        ? mem.monitor
        : subject.startsWith('probe:')
          ? mem.probes.get(subject.slice(6))
          : mem.aggregates.get(subject);
    if (state !== undefined) rows.push({ subject, state });
  }
  return rows;
}

/** The watchdog's open incidents, by key, with when each opened. */
function openWatchdog(open: ReadonlyMap<string, Incident>): Map<string, EpochMs> {
  const out = new Map<string, EpochMs>();
  for (const r of open.values())
    if (r.scope === 'monitor' && r.kind === 'monitor' && isWatchdogKey(r.key))
      out.set(r.key, r.openedAt.getTime());
  return out;
}
