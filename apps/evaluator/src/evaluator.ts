import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { VigilConfig } from '@vigil/config';
import {
  DEFAULT_SELF_CHECK,
  errorBudget,
  HOUR_MS,
  hourStartOf,
  mergeRollups,
  rollupHours,
  summarizeTimes,
  type Clock,
  type EpochMs,
  type HourlyRollup,
  type RegionHealth,
  type SelfCheckPolicy,
  type SlotVerdict,
} from '@vigil/core';
import {
  acquireLease,
  addToCumulative,
  deleteEvaluatorState,
  enqueueOutbox,
  getRollups,
  holdsLease,
  insertIncidents,
  listSilences,
  regionOutcomeCounts,
  releaseLease,
  resultsInRanges,
  rollupTotals,
  updateIncident,
  upsertRollups,
  windowTotals,
  type Db,
  type IncidentRow,
  type NewOutboxRow,
  type Silence,
  type SlotRange,
} from '@vigil/db';
import { buildAlert, type AlertFigures } from './alert.js';
import { channelSpecs } from './channels.js';
import type { LongWindows } from './burn.js';
import { runEngine, serviceDefs } from './engine.js';
import { groupTickEvents } from './grouping.js';
import { applyEvents, type Notification } from './incident-log.js';
import { maintenanceLookup, toMaintenance } from './maintenance.js';
import { loadMemory, saveMemory, type LeaderMemory } from './memory.js';
import { routeChannels } from './routing.js';
import { slotGrid } from './schedule.js';
import { MONITOR_SUBJECT, probeSubject, providerSubject, serviceSubject } from './state.js';
import { Subjects } from './subjects.js';
import { isWatchdogKey, RegionWatch, watchdogRegion } from './watchdog.js';

export const EVALUATOR_LEASE = 'evaluator';

export interface EvaluatorOptions {
  db: Db;
  /** the config in force (the last good one); null skips the tick */
  config: () => VigilConfig | null;
  /** channel names alerts may be routed to; @defaultValue config.channels, or notify's default channels */
  channelNames?: (config: VigilConfig) => string[];
  clock: Clock;
  /** who holds the lease; @defaultValue host:pid:random */
  holder?: string;
  /** @defaultValue 30 000 */
  leaseMs?: number;
  /** missing regions are given up as no data this long after a slot's end; @defaultValue 30 000 */
  graceMs?: number;
  /** the region self-check's window; @defaultValue 120 000 */
  healthWindowMs?: number;
  /** how often the self-check runs (one aggregate over the window's results); @defaultValue 5 000 */
  healthEveryMs?: number;
  /** @defaultValue core's DEFAULT_SELF_CHECK; null turns the self-check off */
  selfCheck?: SelfCheckPolicy | null;
  /** catch-up per probe per tick; @defaultValue 500 */
  maxSlotsPerProbe?: number;
  /** how often the 6 h and 3 d burn windows are re-read from rollups; @defaultValue 60 000 */
  burnRefreshMs?: number;
  /** the lease's name: evaluators sharing one name share the work; @defaultValue 'evaluator' */
  leaseName?: string;
  /** after each committed tick: the slots it judged, per probe (for benchmarks and live views) */
  onJudged?: (judged: ReadonlyMap<string, readonly SlotVerdict[]>) => void;
}

export interface TickSummary {
  /** false when another evaluator holds the lease (nothing was done) */
  leader: boolean;
  /** probe slots judged */
  slots: number;
  events: number;
  opened: number;
  resolved: number;
  /** outbox rows queued */
  notifications: number;
  /** the watchdog saw fresh results from every region (what the heartbeat needs) */
  fresh: boolean;
  /** regions the watchdog holds silent */
  silent: string[];
  ms: number;
}

export interface Evaluator {
  /** one evaluation step; only the lease holder evaluates, and all its writes share one transaction */
  tick(): Promise<TickSummary>;
  /** gives the lease up (on shutdown) */
  release(): Promise<void>;
}

export class EvaluatorError extends Error {
  readonly code: 'EVAL_LEASE_LOST';
  constructor(code: EvaluatorError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'EvaluatorError';
  }
}

const DAY_MS = 86_400_000;

/** The evaluator: results → slots → rollups, incidents and outbox rows, one transaction per tick. */
export function createEvaluator(o: EvaluatorOptions): Evaluator {
  const holder = o.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = o.leaseMs ?? 30_000;
  const graceMs = o.graceMs ?? 30_000;
  const healthWindowMs = o.healthWindowMs ?? 120_000;
  const healthEveryMs = o.healthEveryMs ?? 5_000;
  let healthAt = -Infinity;
  const selfCheck = o.selfCheck === undefined ? DEFAULT_SELF_CHECK : o.selfCheck;
  const maxSlotsPerProbe = o.maxSlotsPerProbe ?? 500;
  const burnRefreshMs = o.burnRefreshMs ?? 60_000;
  const lease = o.leaseName ?? EVALUATOR_LEASE;
  let mem: LeaderMemory | null = null;
  let watch: RegionWatch | null = null;
  let burnLong = new Map<string, LongWindows>();
  let burnReadAt = -Infinity;
  let seq = 0;
  let chain: Promise<unknown> = Promise.resolve();

  const outboxId = (now: EpochMs) =>
    `ob_${String(now).padStart(15, '0')}_${String(seq++ % 1e6).padStart(6, '0')}_${randomBytes(3).toString('hex')}`;

  async function step(): Promise<TickSummary> {
    const t0 = performance.now();
    const now = o.clock.now();
    const idle: TickSummary = {
      leader: false,
      slots: 0,
      events: 0,
      opened: 0,
      resolved: 0,
      notifications: 0,
      fresh: false,
      silent: [],
      ms: 0,
    };
    const config = o.config();
    if (!config) return idle;
    if (!(await acquireLease(o.db, lease, holder, new Date(now), leaseMs))) {
      mem = null;
      watch = null;
      return { ...idle, ms: performance.now() - t0 };
    }
    mem ??= await loadMemory(o.db);
    watch ??= new RegionWatch();
    const m = mem;
    try {
      return await evaluate(m, watch, config, now, t0);
    } catch (err) {
      // memory ran ahead of what was committed: start again from the stored state
      mem = null;
      throw err;
    }
  }

  async function evaluate(
    m: LeaderMemory,
    w: RegionWatch,
    config: VigilConfig,
    now: EpochMs,
    t0: number,
  ): Promise<TickSummary> {
    const services = serviceDefs(config.probes, config.services);
    const ranges: SlotRange[] = [];
    for (const spec of config.probes) {
      const from = m.engine.probes.get(spec.id)?.next;
      if (from === undefined || from > now) continue;
      const every = slotGrid(spec).everyMs;
      ranges.push({ probeId: spec.id, from, to: Math.min(now + 1, from + maxSlotsPerProbe * every) });
    }
    const results = ranges.length > 0 ? await resultsInRanges(o.db, ranges) : [];
    w.observe(results);
    const health =
      selfCheck && now - healthAt >= healthEveryMs ? await regionHealthNow(now, selfCheck) : null;
    if (health) healthAt = now;
    if (now - burnReadAt >= burnRefreshMs) {
      burnLong = await readBurnWindows(now);
      burnReadAt = now;
    }
    const oldest = Math.min(now, ...ranges.map((r) => r.from));
    const excluded = maintenanceLookup(
      config.maintenance.map((x) => toMaintenance(x, config.timezone)),
      { from: oldest - DAY_MS, to: now + 1 },
    );
    const out = runEngine(
      m.engine,
      { now, probes: config.probes, services, results, health, burnLong, excluded },
      { alerting: config.alerting, graceMs, maxSlotsPerProbe, healthWindowMs },
    );
    const watchdog = w.step(
      now,
      config.probes,
      openWatchdog(m),
      { intervals: config.watchdog?.intervals ?? 2, graceMs },
      ranges.every((r) => r.to === now + 1),
    );
    const subjects = new Subjects(config, services, m.engine);
    const grouped = groupTickEvents(
      [...out.events, ...watchdog.events],
      subjects.hierarchy(),
      m.engine.monitor,
    );
    const silences = grouped.length > 0 ? await listSilences(o.db, new Date(now)) : [];
    const changes = applyEvents(m.open, grouped, {
      now,
      newId: () => `inc_${randomBytes(8).toString('hex')}`,
      meta: (e) => subjects.meta(e, out.burn),
      track: (e) => subjects.track(e.scope, e.key, e.kind),
      silenced: (row) => isSilenced(silences, row, now),
    });
    const gone = forgetRemoved(
      m,
      config,
      services.map((x) => x.name),
      now,
    );
    for (const r of gone.incidents) changes.updates.set(r.id, r);
    const deltas = [...out.rollupSlots].flatMap(([subject, slots]) => rollupHours(subject, slots));
    const channels = o.channelNames?.(config) ?? Object.keys(channelSpecs(config));
    let queued = 0;
    await o.db.transaction(async (tx) => {
      if (!(await holdsLease(tx, lease, holder, new Date(now))))
        throw new EvaluatorError('EVAL_LEASE_LOST', 'the evaluator lease passed to another process mid-tick');
      await writeRollups(tx, deltas);
      await insertIncidents(tx, changes.inserts);
      for (const r of changes.updates.values())
        await updateIncident(tx, r.id, {
          resolvedAt: r.resolvedAt,
          flapping: r.flapping,
          parentId: r.parentId,
          silent: r.silent,
          updatedAt: r.updatedAt,
        });
      const rows: NewOutboxRow[] = [];
      for (const n of changes.notifications) rows.push(...(await outboxRows(tx, n, subjects, channels, now)));
      queued = await enqueueOutbox(tx, rows);
      const changed = new Set(out.changed);
      if (grouped.length > 0) changed.add(MONITOR_SUBJECT);
      await saveMemory(tx, m.engine, changed, new Date(now));
      await deleteEvaluatorState(tx, gone.subjects);
    });
    if (out.judged.size > 0) o.onJudged?.(out.judged);
    let slots = 0;
    for (const s of out.judged.values()) slots += s.length;
    return {
      leader: true,
      slots,
      events: grouped.length,
      opened: changes.inserts.length,
      resolved: [...changes.inserts, ...changes.updates.values()].filter((r) => r.resolvedAt !== null).length,
      notifications: queued,
      fresh: watchdog.fresh,
      silent: watchdog.regions.filter((r) => r.state === 'silent').map((r) => r.region),
      ms: performance.now() - t0,
    };
  }

  async function regionHealthNow(now: EpochMs, policy: SelfCheckPolicy): Promise<RegionHealth[]> {
    const counts = await regionOutcomeCounts(o.db, now - healthWindowMs, now);
    return counts.map((c) => ({
      ...c,
      healthy: !(c.probes >= policy.minProbes && c.failed / c.probes >= policy.failRatio),
    }));
  }

  async function readBurnWindows(now: EpochMs): Promise<Map<string, LongWindows>> {
    const to = hourStartOf(now) + HOUR_MS;
    const [h6, d3] = await Promise.all([
      rollupTotals(o.db, { from: to - 6 * HOUR_MS, to }),
      rollupTotals(o.db, { from: to - 3 * DAY_MS, to }),
    ]);
    const out = new Map<string, LongWindows>();
    for (const [s, t] of h6) out.set(s, { '6h': { upMs: t.upMs, downMs: t.downMs } });
    for (const [s, t] of d3) out.set(s, { ...out.get(s), '3d': { upMs: t.upMs, downMs: t.downMs } });
    return out;
  }

  async function writeRollups(tx: Db, deltas: HourlyRollup[]): Promise<void> {
    if (deltas.length === 0) return;
    const existing = await getRollups(
      tx,
      deltas.map((d) => ({ subject: d.probeId, hourStart: d.hourStart })),
    );
    const byKey = new Map(existing.map((r) => [`${r.probeId}\u0000${r.hourStart}`, r]));
    const merged = new Map<string, HourlyRollup>();
    for (const d of deltas) {
      const k = `${d.probeId}\u0000${d.hourStart}`;
      const base = merged.get(k) ?? byKey.get(k);
      merged.set(k, base ? mergeRollups([base, d])! : d);
    }
    await upsertRollups(tx, [...merged.values()]);
    await addToCumulative(tx, deltas);
  }

  async function outboxRows(
    tx: Db,
    n: Notification,
    subjects: Subjects,
    channels: string[],
    now: EpochMs,
  ): Promise<NewOutboxRow[]> {
    const row = n.incident;
    const to = routeChannels(o.config()?.routes ?? [], channels, {
      provider: row.provider,
      service: row.service,
      severity: row.severity,
      labels: subjects.labels(row),
    });
    if (to.length === 0) return [];
    const fig = await figures(tx, subjects, row.scope, row.key, now);
    const subject = subjects.alertSubject(row);
    return to.map((channel) => {
      const id = outboxId(now);
      return {
        id,
        incidentId: row.id,
        eventKey: `${n.event.type}@${n.event.at}`,
        channel,
        payload: buildAlert(id, n, fig, subject),
        createdAt: new Date(now),
      };
    });
  }

  async function figures(
    tx: Db,
    subjects: Subjects,
    scope: Notification['incident']['scope'],
    key: string,
    now: EpochMs,
  ): Promise<AlertFigures> {
    const target = subjects.target(scope, key);
    const subject = subjects.rollupSubject(scope, key);
    if (subject === null) return { availability24h: null, availability30d: null, budgetLeft: null, target };
    const to = hourStartOf(now) + HOUR_MS;
    const a1 = (await windowTotals(tx, [subject], to - DAY_MS, to)).get(subject)?.times;
    const a30 = (await windowTotals(tx, [subject], to - 30 * DAY_MS, to)).get(subject)?.times;
    return {
      availability24h: a1 ? summarizeTimes(a1, DAY_MS, target).availability : null,
      availability30d: a30 ? summarizeTimes(a30, 30 * DAY_MS, target).availability : null,
      budgetLeft: a30 ? errorBudget({ upMs: a30.upMs, downMs: a30.downMs, target }).leftFraction : null,
      target,
    };
  }

  return {
    tick() {
      const p = chain.then(step);
      chain = p.catch(() => undefined);
      return p;
    },
    async release() {
      await chain;
      mem = null;
      await releaseLease(o.db, lease, holder);
    },
  };
}

/** A silence holds back an incident's notifications when it names the incident, its subject or an ancestor. */
export function isSilenced(
  silences: readonly Pick<Silence, 'target' | 'startsAt' | 'endsAt'>[],
  row: { id: string; key: string; provider: string | null; service: string | null; probeId: string | null },
  at: EpochMs,
): boolean {
  const names = new Set(
    [row.id, row.key, row.provider, row.service, row.probeId, watchdogRegion(row.key)].filter(
      (x) => x !== null,
    ),
  );
  return silences.some((s) => names.has(s.target) && s.startsAt.getTime() <= at && at < s.endsAt.getTime());
}

/** The watchdog's open incidents, by key, with when each opened. */
function openWatchdog(m: LeaderMemory): Map<string, EpochMs> {
  const out = new Map<string, EpochMs>();
  for (const r of m.open.values())
    if (r.scope === 'monitor' && r.kind === 'monitor' && isWatchdogKey(r.key))
      out.set(r.key, r.openedAt.getTime());
  return out;
}

/**
 * A probe, provider, service or region no longer in the config: its open incidents resolve without a
 * notification and its state is forgotten (history and rollups stay).
 */
function forgetRemoved(
  m: LeaderMemory,
  config: VigilConfig,
  services: readonly string[],
  now: EpochMs,
): { incidents: IncidentRow[]; subjects: string[] } {
  const probes = new Set(config.probes.map((p) => p.id));
  const providers = new Set(config.probes.map((p) => p.provider));
  const live = new Set([
    ...[...probes].map(probeSubject),
    ...[...providers].map(providerSubject),
    ...services.map(serviceSubject),
  ]);
  const exists = (r: IncidentRow) =>
    r.scope === 'probe'
      ? probes.has(r.key)
      : r.scope === 'provider'
        ? providers.has(r.key)
        : r.scope === 'service'
          ? services.includes(r.key)
          : true;
  const incidents: IncidentRow[] = [];
  for (const [key, r] of m.open)
    if (!exists(r)) {
      m.open.delete(key);
      incidents.push({ ...r, resolvedAt: new Date(now), updatedAt: new Date(now) });
    }
  const subjects: string[] = [];
  for (const id of m.engine.probes.keys())
    if (!probes.has(id)) {
      m.engine.probes.delete(id);
      subjects.push(probeSubject(id));
    }
  for (const subject of m.engine.aggregates.keys())
    if (!live.has(subject)) {
      m.engine.aggregates.delete(subject);
      subjects.push(subject);
    }
  return { incidents, subjects };
}
