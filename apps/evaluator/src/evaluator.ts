import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { VigilConfig } from '@vigil/config';
import {
  DAY_MS,
  DEFAULT_SELF_CHECK,
  mergeRollups,
  type Clock,
  type EpochMs,
  type HourlyRollup,
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
  openAcknowledgements,
  declarationChanges,
  releaseLease,
  resultsInRanges,
  saveEvaluatorState,
  updateIncident,
  upsertRollups,
  type Db,
} from '@vigil/db';
import {
  alertDeclaration,
  alertSubjects,
  declarationChangesOf,
  readDeclarations,
  readDeclaredMaintenance,
  statusPageProviders,
  loadEvaluationState,
  outboxRows,
  readAlertTotals,
  readBurnWindows,
  readRegionHealth,
  slotRanges,
  step,
  type EvaluationState,
  type LongWindows,
  type StepEffects,
} from '@vigil/evaluation';
import type { ProviderDeclaration } from '@vigil/notify';
import { channelSpecs } from './channels.js';

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
  /** how often the providers' declarations (status pages) are re-read; @defaultValue 5 000 */
  declarationRefreshMs?: number;
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

/**
 * The evaluator shell: take the lease, read the step's inputs, run @vigil/evaluation's step, read the
 * figures its alerts show, and write the effects in one transaction.
 */
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
  let state: EvaluationState | null = null;
  let lastState: EvaluationState | null = null;
  let burnLong = new Map<string, LongWindows>();
  let burnReadAt = -Infinity;
  let seq = 0;
  let declaredUpTo: EpochMs | null = null;
  let declaredCache: {
    config: VigilConfig;
    at: EpochMs;
    declarations: Map<string, ProviderDeclaration>;
  } | null = null;
  const declarationRefreshMs = o.declarationRefreshMs ?? 5_000;
  /** declaration changes already handed to a committed step, with when */
  const noticed = new Map<string, EpochMs>();
  let chain: Promise<unknown> = Promise.resolve();

  const outboxId = (now: EpochMs) =>
    `ob_${String(now).padStart(15, '0')}_${String(seq++ % 1e6).padStart(6, '0')}_${randomBytes(3).toString('hex')}`;

  async function tick(): Promise<TickSummary> {
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
      state = null;
      lastState = null;
      declaredUpTo = null;
      declaredCache = null;
      return { ...idle, ms: performance.now() - t0 };
    }
    // after a failed tick the stored state is reloaded; the watchdog's view (memory only) carries over
    state ??= await loadEvaluationState(o.db, lastState?.watch);
    const prev = state;
    lastState = prev;
    try {
      const { next, summary } = await evaluate(prev, config, now);
      state = next;
      return { ...summary, ms: performance.now() - t0 };
    } catch (err) {
      state = null;
      throw err;
    }
  }

  /**
   * What the providers declare on their status pages, for the step: the declaration each alert carries,
   * the changes since the last committed tick (follow-up notices; a lost cursor looks back 10 min and the
   * outbox key keeps a notice single), and declared maintenance to exclude.
   */
  async function readDeclared(config: VigilConfig, now: EpochMs, ranges: readonly { from: EpochMs }[]) {
    const none = () => undefined;
    if (statusPageProviders(config).length === 0) return { inputs: {}, commit: none };
    const oldest = Math.min(now, ...ranges.map((r) => r.from));
    const maintenance = () =>
      readDeclaredMaintenance(o.db, config, { from: oldest - DAY_MS, to: now + 1 }, now);
    // pages change at most once a minute (their interval): between reads the last declarations stand
    if (declaredCache?.config === config && now - declaredCache.at < declarationRefreshMs)
      return {
        inputs: {
          declarations: declaredCache.declarations,
          declarationChanges: [],
          declaredMaintenance: await maintenance(),
        },
        commit: none,
      };
    const views = await readDeclarations(o.db, config, now);
    const declarations = new Map([...views].map(([k, v]) => [k, alertDeclaration(v)]));
    // the poller's rows may commit a little after the instant they were seen at
    const after = (declaredUpTo ?? now - 10 * 60_000) - 30_000;
    const rows = await declarationChanges(o.db, new Date(after), new Date(now));
    const declarationChangesNow = declarationChangesOf(config, rows, after, now).filter(
      (c) => !noticed.has(`${c.change}:${c.provider}:${c.key}`),
    );
    const declaredMaintenance = await maintenance();
    return {
      inputs: { declarations, declarationChanges: declarationChangesNow, declaredMaintenance },
      commit() {
        declaredUpTo = now;
        declaredCache = { config, at: now, declarations };
        for (const c of declarationChangesNow) noticed.set(`${c.change}:${c.provider}:${c.key}`, now);
        for (const [k, at] of noticed) if (at < now - 3_600_000) noticed.delete(k);
      },
    };
  }

  async function evaluate(
    prev: EvaluationState,
    config: VigilConfig,
    now: EpochMs,
  ): Promise<{ next: EvaluationState; summary: Omit<TickSummary, 'ms'> }> {
    const ranges = slotRanges(prev, config.probes, now, maxSlotsPerProbe);
    const results = ranges.length > 0 ? await resultsInRanges(o.db, ranges) : [];
    const health =
      selfCheck && now - healthAt >= healthEveryMs
        ? await readRegionHealth(o.db, now, healthWindowMs, selfCheck)
        : null;
    if (health) healthAt = now;
    if (now - burnReadAt >= burnRefreshMs) {
      burnLong = await readBurnWindows(o.db, now);
      burnReadAt = now;
    }
    const silences = await listSilences(o.db, new Date(now));
    const acknowledgements = await openAcknowledgements(o.db);
    const declared = await readDeclared(config, now, ranges);
    const channels = o.channelNames?.(config) ?? Object.keys(channelSpecs(config));
    const { state: next, effects } = step(
      prev,
      {
        now,
        config,
        channels,
        ranges,
        results,
        health,
        burnLong,
        silences,
        acknowledgements,
        ...declared.inputs,
      },
      {
        graceMs,
        healthWindowMs,
        maxSlotsPerProbe,
        watchdogIntervals: config.watchdog?.intervals ?? 2,
        newIncidentId: () => `inc_${randomBytes(8).toString('hex')}`,
      },
    );
    lastState = next;
    const totals = await readAlertTotals(o.db, alertSubjects(effects.alerts), now);
    const outbox = outboxRows(effects.alerts, totals, effects.rollups, now, () => outboxId(now));
    let queued = 0;
    await o.db.transaction(async (tx) => {
      if (!(await holdsLease(tx, lease, holder, new Date(now))))
        throw new EvaluatorError('EVAL_LEASE_LOST', 'the evaluator lease passed to another process mid-tick');
      queued = await writeEffects(tx, effects, outbox, now);
    });
    declared.commit();
    if (effects.judged.size > 0) o.onJudged?.(effects.judged);
    let slots = 0;
    for (const s of effects.judged.values()) slots += s.length;
    return {
      next,
      summary: {
        leader: true,
        slots,
        events: effects.events.length,
        opened: effects.incidentInserts.length,
        resolved: [...effects.incidentInserts, ...effects.incidentUpdates].filter(
          (r) => r.resolvedAt !== null,
        ).length,
        notifications: queued,
        fresh: effects.fresh,
        silent: effects.silent,
      },
    };
  }

  return {
    tick() {
      const p = chain.then(tick);
      chain = p.catch(() => undefined);
      return p;
    },
    async release() {
      await chain;
      state = null;
      await releaseLease(o.db, lease, holder);
    },
  };
}

/** Writes one step's effects (inside the tick's transaction); resolves to the outbox rows queued. */
async function writeEffects(
  tx: Db,
  e: StepEffects,
  outbox: Parameters<typeof enqueueOutbox>[1],
  now: EpochMs,
): Promise<number> {
  await writeRollups(tx, e.rollups);
  await insertIncidents(tx, e.incidentInserts);
  for (const r of e.incidentUpdates)
    await updateIncident(tx, r.id, {
      resolvedAt: r.resolvedAt,
      flapping: r.flapping,
      parentId: r.parentId,
      silent: r.silent,
      updatedAt: r.updatedAt,
    });
  const queued = await enqueueOutbox(tx, outbox);
  await saveEvaluatorState(tx, e.stateWrites, new Date(now));
  await deleteEvaluatorState(tx, e.stateDeletes);
  return queued;
}

/** Merges rollup deltas into the stored hours and adds them to the running totals. */
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
