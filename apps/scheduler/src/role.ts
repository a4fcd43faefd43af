import { watch, type FSWatcher } from 'node:fs';
import { formatDiagnostic, probeHash, type VigilConfig } from '@vigil/config';
import type { Clock } from '@vigil/core';
import { retireProbes, upsertProbes, type Db } from '@vigil/db';
import type { Dispatcher, SchedulePlan } from '@vigil/queue';
import { loadVigilConfig, type ConfigSource, type Logger } from '@vigil/runtime';
import { desiredSchedules } from './desired.js';

export interface SchedulerRoleOptions {
  source: ConfigSource;
  db: Db;
  dispatcher: Dispatcher;
  clock: Clock;
  log: Logger;
  /** @defaultValue 60_000 — heals schedules lost with Redis's data */
  reconcileEveryMs?: number;
  /** watch the config folder and reconcile on change @defaultValue true */
  watch?: boolean;
  onConfig?: (config: VigilConfig) => void;
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

  const apply = async (config: VigilConfig): Promise<SchedulePlan> => {
    const hashed = config.probes.map((spec) => ({ spec, hash: probeHash(spec) }));
    const now = new Date(o.clock.now());
    await upsertProbes(o.db, hashed, now);
    await retireProbes(
      o.db,
      hashed.map((h) => h.spec.id),
      now,
    );
    return o.dispatcher.reconcile(desiredSchedules(hashed));
  };

  const once = async (): Promise<ReconcileOutcome> => {
    const { config, diagnostics } = await loadVigilConfig(o.source);
    const errors = diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    for (const d of diagnostics) log[d.severity === 'error' ? 'error' : 'warn']({ diagnostic: formatDiagnostic(d) }, 'config problem');
    if (!config || errors.length > 0) {
      if (good) log.error({ errors: errors.length }, 'config invalid; keeping the last good config');
      const plan = good ? await apply(good) : null;
      return { ok: false, config: good, plan, errors };
    }
    const plan = await apply(config);
    good = config;
    o.onConfig?.(config);
    log.info(
      { probes: config.probes.length, added: plan.add.length, changed: plan.change.length, removed: plan.remove.length },
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
      if (debounce) clearTimeout(debounce);
      watcher?.close();
      await running?.catch(() => undefined);
    },
  };
}
