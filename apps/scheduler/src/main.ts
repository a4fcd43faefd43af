import { openDb, migrate } from '@vigil/db';
import { createBullDispatcher } from '@vigil/queue';
import { createLogger, onShutdown, requireEnv, systemClock } from '@vigil/runtime';
import { startSchedulerRole } from './role.js';

const log = createLogger('vigil-scheduler');
const dbh = await openDb({ url: requireEnv('DATABASE_URL'), poolSize: 2 });
await migrate(dbh);
const redisUrl = requireEnv('REDIS_URL');
const role = await startSchedulerRole({
  source: { root: process.env.VIGIL_CONFIG_DIR ?? process.cwd() },
  db: dbh.db,
  dispatcherFor: (regions) =>
    createBullDispatcher({ redisUrl, prefix: process.env.VIGIL_QUEUE_PREFIX, regions }),
  clock: systemClock,
  log,
});
process.on('SIGHUP', () => void role.reconcile());
onShutdown(log, async () => {
  await role.close();
  await dbh.close();
});
