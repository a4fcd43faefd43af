import { migrate, openDb } from '@vigil/db';
import { createLogger, onShutdown, readEnvNumber, requireEnv, systemClock } from '@vigil/runtime';
import { startWorkerRole } from './role.js';

const log = createLogger('vigil-worker');
const dbh = await openDb({ url: requireEnv('DATABASE_URL'), poolSize: 4 });
await migrate(dbh);
const role = await startWorkerRole({
  region: requireEnv('REGION'),
  redisUrl: requireEnv('REDIS_URL'),
  db: dbh.db,
  prefix: process.env.VIGIL_QUEUE_PREFIX,
  concurrency: readEnvNumber('WORKER_CONCURRENCY', 100),
  graceMs: readEnvNumber('WORKER_GRACE_MS', 30_000),
  env: process.env,
  clock: systemClock,
  log,
});
onShutdown(log, async () => {
  await role.close();
  await dbh.close();
});
