import { migrate, openDb } from '@vigil/db';
import {
  createLogger,
  followConfig,
  onShutdown,
  readEnvNumber,
  requireEnv,
  systemClock,
  type Logger,
} from '@vigil/runtime';
import type { EvaluatorOptions } from './evaluator.js';
import { startEvaluatorRole, type EvaluatorRole } from './role.js';

/**
 * The evaluator role as its own process (compose's `evaluator` service): the store from DATABASE_URL,
 * migrated; vigil.yaml followed (SIGHUP reloads); ticks, lease and grace from the EVALUATOR_* variables;
 * closed in order on SIGTERM. `extra` adds options of createEvaluator (the bench's onJudged hook).
 */
export async function startEvaluatorProcess(
  extra: Pick<EvaluatorOptions, 'onJudged'> = {},
): Promise<{ role: EvaluatorRole; log: Logger }> {
  const log = createLogger('vigil-evaluator');
  const dbh = await openDb({
    url: requireEnv('DATABASE_URL'),
    poolSize: 4,
    onError: (err) => log.warn({ err: err.message }, 'idle database connection lost'),
  });
  await migrate(dbh);
  const config = await followConfig({ root: process.env.VIGIL_CONFIG_DIR ?? process.cwd() }, log, {
    everyMs: readEnvNumber('EVALUATOR_CONFIG_RELOAD_MS', 60_000),
  });
  // the role passes every option on to createEvaluator
  const role = await startEvaluatorRole({
    db: dbh.db,
    config: config.current,
    clock: systemClock,
    log,
    env: process.env,
    tickEveryMs: readEnvNumber('EVALUATOR_TICK_MS', 1_000),
    graceMs: readEnvNumber('EVALUATOR_GRACE_MS', 30_000),
    leaseMs: readEnvNumber('EVALUATOR_LEASE_MS', 30_000),
    outboxDir: process.env.VIGIL_OUTBOX_DIR,
    reports: { dir: process.env.VIGIL_REPORTS_DIR },
    ...extra,
  });
  process.on('SIGHUP', () => void config.reload());
  onShutdown(log, async () => {
    config.close();
    await role.close();
    await dbh.close();
  });
  return { role, log };
}
