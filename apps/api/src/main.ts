// The api role as its own process (docker-compose `api`): the web surface over Postgres, read-mostly.
// DATABASE_URL may be a read-only role: only silences, acknowledgements and heartbeat pings write.
import { apiOf } from '@vigil/config';
import { openDb } from '@vigil/db';
import { createRedisPingStore } from '@vigil/queue';
import {
  createLogger,
  followConfig,
  onShutdown,
  readEnvNumber,
  requireEnv,
  systemClock,
} from '@vigil/runtime';
import { startApiRole } from './role.js';

const log = createLogger('vigil-api');
const dbh = await openDb({
  url: requireEnv('DATABASE_URL'),
  poolSize: readEnvNumber('API_DB_POOL', 8),
  onError: (err) => log.warn({ err: err.message }, 'idle database connection lost'),
});
const config = await followConfig({ root: process.env.VIGIL_CONFIG_DIR ?? process.cwd() }, log, {
  everyMs: readEnvNumber('API_CONFIG_RELOAD_MS', 60_000),
});
const settings = apiOf(config.current() ?? {});
// push probes' pings go to Redis, where the workers read them; without REDIS_URL /ping answers 503
const redisUrl = process.env.REDIS_URL;
const pings = redisUrl
  ? createRedisPingStore({
      redisUrl,
      prefix: process.env.VIGIL_QUEUE_PREFIX,
      onError: (err) => log.debug({ err: err.message }, 'ping store connection error'),
    })
  : undefined;
const role = await startApiRole({
  db: dbh.db,
  config: config.current,
  clock: systemClock,
  log,
  env: process.env,
  // in a container the API listens on every interface; a token is then required everywhere
  host: process.env.API_HOST ?? settings.host,
  port: readEnvNumber('API_PORT', settings.port),
  localAccess: settings.localAccess,
  pings,
});
process.on('SIGHUP', () => void config.reload());
onShutdown(log, async () => {
  config.close();
  await role.close();
  await pings?.close();
  await dbh.close();
});
