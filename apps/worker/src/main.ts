import { openDb } from '@vigil/db';
import { createLogger, onShutdown, readEnvNumber, requireEnv, systemClock } from '@vigil/runtime';
import { DEFAULT_MAX_LOOP_DELAY_MS } from './overload.js';
import { DEFAULT_LOCK_DURATION_MS, DEFAULT_STALLED_INTERVAL_MS, startWorkerRole } from './role.js';

const log = createLogger('vigil-worker');
const dbh = await openDb({
  url: requireEnv('DATABASE_URL'),
  poolSize: 4,
  onError: (err) => log.warn({ err: err.message }, 'idle database connection lost'),
});
// no migrate here: the one-shot `vigil migrate` owns the schema, and a worker must start while Postgres is down
const role = await startWorkerRole({
  region: requireEnv('REGION'),
  redisUrl: requireEnv('REDIS_URL'),
  db: dbh.db,
  prefix: process.env.VIGIL_QUEUE_PREFIX,
  concurrency: readEnvNumber('WORKER_CONCURRENCY', 100),
  graceMs: readEnvNumber('WORKER_GRACE_MS', 30_000),
  lockDurationMs: readEnvNumber('WORKER_LOCK_MS', DEFAULT_LOCK_DURATION_MS),
  stalledIntervalMs: readEnvNumber('WORKER_STALLED_MS', DEFAULT_STALLED_INTERVAL_MS),
  maxLoopDelayMs: readEnvNumber('WORKER_MAX_LOOP_DELAY_MS', DEFAULT_MAX_LOOP_DELAY_MS),
  results: {
    maxLen: readEnvNumber('RESULT_STREAM_MAXLEN', 1_000_000),
    lingerMs: readEnvNumber('RESULT_LINGER_MS', 200),
  },
  env: process.env,
  clock: systemClock,
  log,
});
onShutdown(log, async () => {
  await role.close();
  await dbh.close();
});
