import { watch, type FSWatcher } from 'node:fs';
import { formatDiagnostic, probeHash, retentionOf, type LoadResult, type VigilConfig } from '@vigil/config';
import { DAY_MS, type Clock } from '@vigil/core';
import { maintainPartitions, retireProbes, upsertProbes, type Db } from '@vigil/db';
import { largeRemoval, type Dispatcher, type SchedulePlan } from '@vigil/queue';
import { loadVigilConfig, type ConfigSource, type Logger } from '@vigil/runtime';
import { desiredSchedules } from './desired.js';

export interface SchedulerRoleOptions {
  source: ConfigSource;
  db: Db;
  /** the queue for a set of regions; called again (and the old one closed) when vigil.yaml's regions change */
  dispatcherFor: (regions: string[]) => Dispatcher;
  clock: Clock;
  log: Logger;
  /** @defaultValue 60_000 — heals schedules lost with Redis's data */
  reconcileEveryMs?: number;
  /** partitions ahead, and raw-result retention (vigil.yaml `retention.results`) @defaultValue 3_600_000 */
  maintainEveryMs?: number;
  /** watch the config folder and reconcile on change @defaultValue true */
  watch?: boolean;
  onConfig?: (config: VigilConfig) => void;
  /** reads the config; @defaultValue loadVigilConfig(source) (tests inject configs YAML cannot express) */
  load?: (source: ConfigSource) => Promise<LoadResult>;
}

export interface ReconcileOutcome {
  ok: boolean;
  /** the config now running: the new one, or the last good one after a bad reload */
  config: VigilConfig | null;
  plan: SchedulePlan | null;
  errors: string[];
}

export interface SchedulerRole {
  reconcile(): Promise<ReconcileOutcome>;
  current(): VigilConfig | null;
  close(): Promise<void>;
}

/**
 * Keeps the queue's Job Schedulers equal to the YAML: on start, on file change / SIGHUP (call
 * reconcile()), and periodically. A bad config never replaces the last good one.
 */
export async function startSchedulerRole(o: SchedulerRoleOptions): Promise<SchedulerRole> {
  const log = o.log.child({ role: 'scheduler' });
  let good: VigilConfig | null = null;
  let running: Promise<ReconcileOutcome> | null = null;
  let again = false;
  let dispatcher: { key: string; d: Dispatcher } | null = null;

  const dispatcherFor = async (regions: string[]): Promise<Dispatcher> => {
    const key = [...regions].sort().join(',');
    if (dispatcher?.key === key) return dispatcher.d;
    if (dispatcher) await dispatcher.d.close();
    dispatcher = { key, d: o.dispatcherFor(regions) };
    return dispatcher.d;
  };

  // no valid config yet: partitions are still created, but nothing is dropped under a guessed retention
  const maintain = async () => {
    const retentionDays = good ? retentionOf(good).results / DAY_MS : undefined;
    const r = await maintainPartitions(o.db, new Date(o.clock.now()), { retentionDays });
    if (r.created.length + r.dropped.length > 0)
      log.info({ created: r.created, dropped: r.dropped }, 'partitions maintained');
  };

  const apply = async (config: VigilConfig): Promise<SchedulePlan> => {
    const hashed = config.probes.map((spec) => ({ spec, hash: probeHash(spec) }));
    const now = new Date(o.clock.now());
    const kept = await upsertProbes(o.db, hashed, now);
    const retired = await retireProbes(
      o.db,
      hashed.map((h) => h.spec.id),
      now,
    );
    warnLargeRemoval(config, kept.changed.length + kept.unchanged.length + retired.length, retired);
    return (await dispatcherFor(config.regions)).reconcile(desiredSchedules(hashed));
  };

  // an emptied or unmounted probes folder is valid YAML too: removing most probes must not pass quietly
  const warnLargeRemoval = (config: VigilConfig, before: number, retired: string[]) => {
    const large = largeRemoval(before, retired.length);
    if (!large) return;
    const gone = new Set(retired);
    const files = good
      ? [...new Set(good.probes.filter((p) => gone.has(p.id)).map((p) => p.source.file))]
          .filter((f) => !config.files.includes(f))
          .sort()
      : [];
    log.warn(
      {
        removed: large.removed,
        before: large.before,
        remaining: large.before - large.removed,
        probes: retired.slice(0, 50),
        ...(files.length > 0 && { files_gone: files }),
      },
      'config change removes more than half of the probes',
    );
  };

  const once = async (): Promise<ReconcileOutcome> => {
    const { config, diagnostics } = await (o.load ?? loadVigilConfig)(o.source);
    const errors = diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    for (const d of diagnostics)
      log[d.severity === 'error' ? 'error' : 'warn']({ diagnostic: formatDiagnostic(d) }, 'config problem');
    if (!config || errors.length > 0) {
      if (good) log.error({ errors: errors.length }, 'config invalid; keeping the last good config');
      const plan = good ? await apply(good) : null;
      return { ok: false, config: good, plan, errors };
    }
    const plan = await apply(config);
    good = config;
    o.onConfig?.(config);
    log.info(
      {
        probes: config.probes.length,
        added: plan.add.length,
        changed: plan.change.length,
        removed: plan.remove.length,
      },
      'reconciled',
    );
    return { ok: true, config, plan, errors };
  };

  const reconcile = async (): Promise<ReconcileOutcome> => {
    if (running) {
      again = true;
      return running;
    }
    running = once().finally(() => {
      running = null;
    });
    const out = await running;
    if (again) {
      again = false;
      return reconcile();
    }
    return out;
  };

  const first = await reconcile();
  if (!first.ok && !first.config) log.error('no valid config yet; waiting for a fix');

  await maintain();
  const maintTimer = setInterval(() => {
    maintain().catch((err: unknown) =>
      log.error({ err: (err as Error).message }, 'partition maintenance failed'),
    );
  }, o.maintainEveryMs ?? 3_600_000);
  maintTimer.unref();

  const timer = setInterval(() => {
    reconcile().catch((err: unknown) => log.error({ err: (err as Error).message }, 'reconcile failed'));
  }, o.reconcileEveryMs ?? 60_000);
  timer.unref();

  let watcher: FSWatcher | null = null;
  let debounce: NodeJS.Timeout | null = null;
  if (o.watch ?? true) {
    watcher = watch(o.source.root, { recursive: true }, (_event, file) => {
      if (file && !/\.ya?ml$/.test(String(file))) return;
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => {
        log.info({ file }, 'config changed');
        reconcile().catch((err: unknown) => log.error({ err: (err as Error).message }, 'reconcile failed'));
      }, 300);
    });
  }

  return {
    reconcile,
    current: () => good,
    async close() {
      clearInterval(timer);
      clearInterval(maintTimer);
      if (debounce) clearTimeout(debounce);
      watcher?.close();
      await running?.catch(() => undefined);
      await dispatcher?.d.close();
    },
  };
}
