import { providerBudgets } from '@vigil/config';
import { openDb, migrate } from '@vigil/db';
import { createBullDispatcher, createRedisProviderGate } from '@vigil/queue';
import { createLogger, onShutdown, requireEnv, systemClock } from '@vigil/runtime';
import { startSchedulerRole } from './role.js';

const log = createLogger('vigil-scheduler');
const dbh = await openDb({ url: requireEnv('DATABASE_URL'), poolSize: 2 });
await migrate(dbh);
const redisUrl = requireEnv('REDIS_URL');
// the providers' request budgets, for every worker: written at each reconcile (back soon after Redis loses data)
const gate = createRedisProviderGate({ redisUrl, prefix: process.env.VIGIL_QUEUE_PREFIX });
const role = await startSchedulerRole({
  source: { root: process.env.VIGIL_CONFIG_DIR ?? process.cwd() },
  db: dbh.db,
  dispatcherFor: (regions) =>
    createBullDispatcher({ redisUrl, prefix: process.env.VIGIL_QUEUE_PREFIX, regions }),
  clock: systemClock,
  log,
  onConfig: (config) =>
    void gate
      .setBudgets(providerBudgets(config))
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'rate-limit budgets not published')),
});
process.on('SIGHUP', () => void role.reconcile());
onShutdown(log, async () => {
  await role.close();
  await gate.close();
  await dbh.close();
});
