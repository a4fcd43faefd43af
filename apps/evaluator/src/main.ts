import { migrate, openDb } from '@vigil/db';
import {
  createLogger,
  followConfig,
  onShutdown,
  readEnvNumber,
  requireEnv,
  systemClock,
} from '@vigil/runtime';
import { startEvaluatorRole } from './role.js';

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
});
process.on('SIGHUP', () => void config.reload());
onShutdown(log, async () => {
  config.close();
  await role.close();
  await dbh.close();
});
