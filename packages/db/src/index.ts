export { openDb, type Db, type DbHandle, type OpenDbOptions, type Schema } from './client.js';
export { migrate, MIGRATIONS_FOLDER, type MigrateOptions } from './migrate.js';
export { DbError, type DbErrorCode } from './errors.js';
export {
  upsertProbes,
  retireProbes,
  listProbes,
  getProbes,
  type StoredProbe,
  type UpsertSummary,
} from './repos/probes.js';
export { insertResults, queryResults, type ResultQuery } from './repos/results.js';
export {
  ensurePartitions,
  dropExpiredPartitions,
  maintainPartitions,
  listPartitions,
  DEFAULT_DAYS_AHEAD,
  DEFAULT_RETENTION_DAYS,
} from './repos/partitions.js';
export { partitionName } from './partition-days.js';
