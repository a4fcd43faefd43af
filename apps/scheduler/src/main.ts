import { openDb, migrate } from '@vigil/db';
import { createBullDispatcher } from '@vigil/queue';
import { createLogger, onShutdown, requireEnv, systemClock } from '@vigil/runtime';
import { startSchedulerRole } from './role.js';

const log = createLogger('vigil-scheduler');
const dbh = await openDb({ url: requireEnv('DATABASE_URL'), poolSize: 2 });
await migrate(dbh);
const regions = (process.env.REGIONS ?? '').split(',').filter(Boolean);
const dispatcher = createBullDispatcher({
  redisUrl: requireEnv('REDIS_URL'),
  prefix: process.env.VIGIL_QUEUE_PREFIX,
  regions,
});
const role = await startSchedulerRole({
  source: { root: process.env.VIGIL_CONFIG_DIR ?? process.cwd() },
  db: dbh.db,
  dispatcher,
  clock: systemClock,
  log,
});
process.on('SIGHUP', () => void role.reconcile());
onShutdown(log, async () => {
  await role.close();
  await dispatcher.close();
  await dbh.close();
});
